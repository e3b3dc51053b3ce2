"""The monthly report, mailed: on the 1st of each month every unit with report recipients gets the
previous month's *Monthly Complaint Report (PKH)* as PDF and Excel (Pedoman PKH, seed 004 lines
360-363: "laporan ... setiap bulan kepada Tim Teknis Pusat ... jenis pengaduan, lokasi,
frekuensinya, dan ... kasus pengaduan yang perlu mendapatkan perhatian khusus").

The report runs as data (its ``execute`` with the unit and month as filters, as Administrator, never
through a recipient's session), so it holds exactly what the report shows: counts, and special
cases by complaint ID and subject; no reporter identity. One *P3M Report Dispatch* per unit,
report and month (a unique index) makes a rerun a no-op; a failure is rolled back to a savepoint,
written to the Error Log and left Failed, and the daily job tries it again.
"""

import importlib
import shutil
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from p3m_app import permissions
from p3m_app.core import report_dispatch as rules
from p3m_app.core import unit_scope
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw

DOCTYPE = "P3M Report Dispatch"
REPORT = "Monthly Complaint Report (PKH)"
PROGRAM = "PKH"
TEMPLATE = "p3m_app/templates/report_dispatch/monthly_report.html"
# what each report is run with, besides the unit and the month
REPORTS = {REPORT: {"program": PROGRAM}}
_REPORT_MODULES = {
	REPORT: "p3m_app.p3m_app.report.monthly_complaint_report_(pkh).monthly_complaint_report_(pkh)"
}


def enqueue_monthly():
	"""Scheduler (the 1st of the month): one deduplicated job on the long queue."""
	frappe.enqueue(
		"p3m_app.report_dispatch.send_monthly_reports",
		queue="long",
		job_id="p3m-monthly-report",
		deduplicate=True,
	)


def retry_failed():
	"""Scheduler (daily): dispatches of last month that are not sent yet (pending or failed)."""
	send_monthly_reports(retry_only=True)


def send_monthly_reports(day=None, commit: bool = True, retry_only: bool = False) -> dict:
	"""Queue last month's report for each unit with active recipients; returns units per outcome."""
	period = rules.report_month(getdate(day or today()))
	outcome = {rules.SENT: [], rules.FAILED: [], "skipped": []}
	status = dict(
		frappe.get_all(
			DOCTYPE, filters={"period": period, "report": REPORT}, fields=["unit", "status"], as_list=True
		)
	)
	for unit, addresses in recipients_by_unit(REPORT).items():
		if not rules.should_send(status.get(unit)) or (retry_only and unit not in status):
			outcome["skipped"].append(unit)
			continue
		outcome[dispatch(unit, REPORT, period, addresses, commit=commit)].append(unit)
	return outcome


def recipients_by_unit(report: str) -> dict[str, list[str]]:
	"""Active units -> the addresses of their active recipient rows for ``report`` (one query)."""
	rows = frappe.db.sql(
		"""select r.parent, r.user, r.email, r.active, usr.email
		from `tabUnit Report Recipient` r
			join `tabUnit` u on u.name = r.parent and u.is_active = 1
			left join `tabUser` usr on usr.name = r.user and usr.enabled = 1
		where r.parenttype = 'Unit' and r.parentfield = 'report_recipients' and r.report = %(report)s
			and r.active = 1
		order by r.parent, r.idx""",
		{"report": report},
	)
	per_unit: dict = {}
	for unit, user, email, active, user_email in rows:
		per_unit.setdefault(unit, ([], {}))
		per_unit[unit][0].append((user, email, active))
		if user and user_email:
			per_unit[unit][1][user] = user_email
	result = {unit: rules.addresses(rows, emails) for unit, (rows, emails) in per_unit.items()}
	return {unit: addresses for unit, addresses in result.items() if addresses}


def dispatch(unit: str, report: str, period: str, addresses: list[str], commit: bool = True) -> str:
	"""Mail one unit's report once; Sent or Failed."""
	name = dispatch_record(unit, report, period, commit)
	# a concurrent run waits here and then finds the dispatch sent
	status = frappe.db.sql(f"select status from `tab{DOCTYPE}` where name = %s for update", name)[0][0]
	if not rules.should_send(status):
		return rules.SENT
	frappe.db.savepoint("p3m_report_dispatch")
	try:
		attachments = render(unit, report, period)
		frappe.sendmail(
			recipients=addresses,
			subject=f"{_(report)} {unit}: {period}",
			message=_(
				"The complaint report of {0} for {1} is attached as PDF and Excel: complaints by type, "
				"location and frequency, and the cases that need special attention."
			).format(unit, period),
			attachments=attachments,
			reference_doctype=DOCTYPE,
			reference_name=name,
		)
		values = {
			"status": rules.SENT,
			"sent_on": now_datetime(),
			"recipients": "\n".join(addresses),
			"attachments": "\n".join(a["fname"] for a in attachments),
			"error": None,
		}
		frappe.db.set_value(DOCTYPE, name, values, update_modified=True)
		outcome = rules.SENT
	except Exception:
		frappe.db.rollback(save_point="p3m_report_dispatch")
		frappe.log_error(
			title=f"P3M monthly report {unit} {period} failed", reference_doctype=DOCTYPE, reference_name=name
		)
		frappe.db.set_value(
			DOCTYPE,
			name,
			{"status": rules.FAILED, "error": frappe.get_traceback()[-1000:]},
			update_modified=True,
		)
		outcome = rules.FAILED
	if commit:
		frappe.db.commit()
	return outcome


def dispatch_record(unit: str, report: str, period: str, commit: bool) -> str:
	key = {"unit": unit, "report": report, "period": period}
	if name := frappe.db.get_value(DOCTYPE, key):
		return name
	try:
		doc = frappe.get_doc({"doctype": DOCTYPE, **key, "status": rules.PENDING}).insert(
			ignore_permissions=True
		)
	except frappe.DuplicateEntryError:
		return frappe.db.get_value(DOCTYPE, key)
	if commit:
		frappe.db.commit()  # visible to (and locked against) a concurrent run
	return doc.name


@contextmanager
def as_administrator():
	"""The report runs as data for the unit named in its filters, whoever triggered the job."""
	user = frappe.session.user
	if user != "Administrator":
		frappe.set_user("Administrator")
	try:
		yield
	finally:
		if frappe.session.user != user:
			frappe.set_user(user)


def run_report(report: str, unit: str, period: str) -> tuple:
	execute = importlib.import_module(_REPORT_MODULES[report]).execute
	with as_administrator():
		return execute({**REPORTS[report], "month": period, "unit": unit})


def render(unit: str, report: str, period: str) -> list[dict]:
	"""The attachments: Excel always; PDF when wkhtmltopdf is installed, else the HTML page."""
	from frappe.utils.xlsxutils import make_xlsx

	columns, data, _message, _chart, summary = run_report(report, unit, period)[:5]
	columns = [
		c for c in columns if any(row.get(c["fieldname"]) not in (None, "") for row in data)
	] or columns[:2]
	stem = rules.file_stem(report, unit, period)
	table = [[c["label"] for c in columns]] + [[cell(row, c) for c in columns] for row in data]
	xlsx = make_xlsx(table, period).getvalue()
	html = frappe.render_template(
		TEMPLATE,
		{
			"title": _(report),
			"unit": unit,
			"period": period,
			"columns": columns,
			"rows": [
				{"indent": row.get("indent") or 0, "cells": [cell(row, c) for c in columns]} for row in data
			],
			"summary": summary or [],
			"generated": now_datetime().strftime("%Y-%m-%d %H:%M"),
		},
	)
	attachments = [{"fname": f"{stem}.xlsx", "fcontent": xlsx}]
	if shutil.which("wkhtmltopdf"):
		from frappe.utils.pdf import get_pdf

		attachments.append({"fname": f"{stem}.pdf", "fcontent": get_pdf(html)})
	else:
		frappe.logger("p3m_app").warning(f"wkhtmltopdf is not installed: {stem} is mailed as HTML, not PDF")
		attachments.append({"fname": f"{stem}.html", "fcontent": html.encode()})
	return attachments


def cell(row: dict, column: dict):
	value = row.get(column["fieldname"])
	if column["fieldname"] == "label" and value is not None:
		return "    " * int(row.get("indent") or 0) + str(value)
	if column.get("fieldtype") == "Percent" and value is not None:
		return round(float(value), 1)
	return value


def validate_unit(doc, method=None):
	"""Unit.validate (doc_events): each recipient row names a valid user or address, once."""
	rows = [row.as_dict() for row in doc.get("report_recipients") or []]
	try:
		rules.check_recipients(rows)
	except RuleViolation as violation:
		throw(violation, title=_("Invalid Report Recipient"))


def query_conditions(user: str | None = None) -> str:
	"""Dispatches of the units in the user's reach."""
	return permissions.unit_field_conditions(DOCTYPE, user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return permissions.unit_field_permission(doc, user)
