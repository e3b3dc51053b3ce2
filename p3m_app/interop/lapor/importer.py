"""Running a LAPOR Import: each row of the LAPOR! export becomes or updates one complaint.

A report is known by its LAPOR! tracking ID (unique on Complaint), so the same file, or a newer
one, updates instead of duplicating; an unchanged row is skipped by its digest. Each row is saved
under its own savepoint: a bad row is rolled back whole and logged with its reason, the others go
on. Small files run at once, large ones in a background job. What an update may change, and how
identity follows the anonymity and confidentiality flags, is ``p3m_app.core.lapor_rules``.
"""

import io

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from p3m_app.core import lapor_rules
from p3m_app.core.errors import RuleViolation
from p3m_app.core.errors import _ as mark
from p3m_app.handling import act
from p3m_app.interop.lapor import COMPLAINT_FIELDS, access, settings

DOCTYPE = "LAPOR Import"
INLINE_ROWS = 100  # more rows than this run in a background job
COMMIT_EVERY = 200  # rows between commits in the background job


@frappe.whitelist(methods=["POST"])
def start(name: str) -> dict:
	"""Start an import (the form's Start Import button): at once for a small file, else queued."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("write")
	access.check_admin(doc.unit)
	if doc.status in ("Queued", "Running"):
		frappe.throw(_("This import is already running."), title=_("Not Allowed"))
	try:
		table = read_table(doc)  # a malformed file is refused now, before anything is queued
		lapor_rules.column_indexes(lapor_rules.split_table(table)[0], settings.column_map())
	except RuleViolation as violation:
		frappe.throw(translated(violation), title=_("Invalid LAPOR! File"))
	doc.db_set({"status": "Queued", "error": None}, commit=False)
	if len(table) - 1 <= INLINE_ROWS:
		run(name)
	else:
		frappe.enqueue(
			"p3m_app.interop.lapor.importer.run",
			queue="long",
			timeout=3600,
			job_id=f"lapor-import::{name}",
			deduplicate=True,
			enqueue_after_commit=True,
			now=bool(frappe.flags.in_test),
			name=name,
		)
	doc.reload()
	return {"status": doc.status, "created": doc.created_count, "updated": doc.updated_count}


def run(name: str) -> None:
	doc = frappe.get_doc(DOCTYPE, name)
	doc.status, doc.started_at, doc.error = "Running", now_datetime(), None
	if frappe.flags.in_background_job:
		doc.db_set({"status": "Running", "started_at": doc.started_at}, commit=True)
	doc.set("log", [])
	counts = {"Created": 0, "Updated": 0, "Unchanged": 0, "Failed": 0}
	try:
		header, rows = lapor_rules.split_table(read_table(doc))
		column_map = settings.column_map()
		indexes = lapor_rules.column_indexes(header, column_map)
	except RuleViolation as violation:
		finish(doc, counts, "Failed", translated(violation))
		return
	labels = {meaning: header[i] for meaning, i in indexes.items()}
	context = frappe._dict(unit=doc.unit, status_in=settings.status_in(), today=getdate(today()))
	for number, cells in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
		entry = import_row(cells, indexes, labels, context)
		counts[entry["result"]] += 1
		doc.append("log", {"row_number": number, **entry})
		if frappe.flags.in_background_job and number % COMMIT_EVERY == 0:
			frappe.db.commit()
	finish(doc, counts, "Done")


def import_row(cells: list, indexes: dict, labels: dict, context) -> dict:
	"""One row under its own savepoint; the log entry says what happened and why."""
	frappe.db.savepoint("lapor_row")
	position = indexes[lapor_rules.TRACKING_ID]
	tracking_id = lapor_rules.cell_text(cells[position]) if position < len(cells) else ""
	try:
		row = lapor_rules.parse_row(cells, indexes, labels, context.today)
		existing = frappe.db.get_value("Complaint", {"lapor_tracking_id": row.tracking_id})
		if existing:
			result, name, notes = update_complaint(existing, row, context)
		else:
			(name, notes), result = create_complaint(row, context), "Created"
	except RuleViolation as violation:
		frappe.db.rollback(save_point="lapor_row")
		return failed(tracking_id, translated(violation))
	except (frappe.ValidationError, frappe.PermissionError) as error:
		frappe.db.rollback(save_point="lapor_row")
		frappe.clear_messages()
		return failed(tracking_id, frappe.utils.strip_html(str(error)) or _("The row could not be saved."))
	except Exception as error:
		if isinstance(error, (frappe.db.OperationalError, frappe.db.InterfaceError)):
			raise  # the database is gone or locked: no row can be saved, stop the import
		# a fault of the app, not of the row: the rest of the file still comes in
		frappe.db.rollback(save_point="lapor_row")
		frappe.log_error(title=f"LAPOR! import: row {tracking_id[:60]}", reference_doctype=DOCTYPE)
		return failed(tracking_id, _("The row could not be saved; the Error Log has the details."))
	return {"tracking_id": row.tracking_id, "result": result, "complaint": name, "message": "\n".join(notes)}


def create_complaint(row: lapor_rules.LaporRow, context) -> tuple[str, list[str]]:
	notes = []
	category = known_category(row.category, notes)
	doc = frappe.get_doc(
		{
			"doctype": "Complaint",
			"channel": row.channel,
			"classification": "Pengaduan",
			"subject": row.title,
			"description": row.content,
			"received_at": row.reported_at or now_datetime(),
			"category": category,
			"current_unit": handling_unit(row.disposition, context.unit),
			"location_detail": row.location or None,
			"is_anonymous": int(row.anonymous),
			"is_confidential": int(row.confidential),
			**row.identity,
			**lapor_values(row),
		}
	)
	doc.flags.p3m_lapor_import = True
	# a report made long ago may fall outside the holiday calendar: recorded, SLA Not Computable
	doc.flags.p3m_sla_may_be_uncomputable = True
	doc.insert()
	move(doc.name, row, context, notes)
	return doc.name, notes


def update_complaint(name: str, row: lapor_rules.LaporRow, context) -> tuple[str, str, list[str]]:
	doc = frappe.get_doc("Complaint", name)
	if not frappe.has_permission("Complaint", "write", doc):
		raise RuleViolation(
			mark("The complaint of this report is held by {unit}, outside your units."), unit=doc.current_unit
		)
	notes = [n for n in [lapor_rules.identity_note(row, doc.as_dict())] if n]
	if doc.lapor_digest == row.digest():
		return "Unchanged", name, notes
	changes = lapor_rules.update_values(row, doc.as_dict())
	if "category" in changes:
		changes["category"] = known_category(changes["category"], notes)
	doc.update({**changes, "lapor_digest": row.digest()})
	doc.flags.system_fields = COMPLAINT_FIELDS
	doc.save()
	move(name, row, context, notes)
	return "Updated", name, notes


def lapor_values(row: lapor_rules.LaporRow) -> dict:
	return {
		"from_lapor": 1,
		"lapor_tracking_id": row.tracking_id,
		"lapor_status": row.status or None,
		"lapor_disposition_path": row.disposition or None,
		"lapor_digest": row.digest(),
	}


def move(name: str, row: lapor_rules.LaporRow, context, notes: list[str]) -> None:
	"""LAPOR!'s status moves a complaint only while it is still Baru (the agency's work wins)."""
	state = frappe.db.get_value("Complaint", name, "workflow_state")
	target = lapor_rules.mapped_state(row.status, context.status_in)
	step = lapor_rules.move_from_new(state, target)
	if not step:
		if target and state == lapor_rules.NEW_STATE and target != state:
			notes.append(
				_("LAPOR! status {0} is kept for reference; the complaint stays {1}.").format(
					row.status, state
				)
			)
		return
	action, reason_field = step
	values = {reason_field: _("Status in SP4N-LAPOR!: {0}").format(row.status)} if reason_field else {}
	try:
		act(name, action, **values)
	except frappe.ValidationError as error:
		notes.append(
			_("LAPOR! status {0} was not applied: {1}").format(
				row.status, frappe.utils.strip_html(str(error))
			)
		)
		frappe.clear_messages()


def known_category(category: str, notes: list[str]) -> str | None:
	if not category:
		return None
	name = frappe.db.get_value("Complaint Category", {"name": category}) or frappe.db.get_value(
		"Complaint Category", {"category_name": category}
	)
	if not name:
		notes.append(_("Category {0} is not known here; choose one on the complaint.").format(category))
	return name


def handling_unit(disposition: str, default_unit: str) -> str:
	"""The most specific unit the disposition path names that is an active unit in the importer's
	reach; else the import's receiving unit."""
	from p3m_app import permissions

	for unit_name in lapor_rules.disposition_units(disposition):
		unit = frappe.db.get_value(
			"Unit", {"unit_name": unit_name, "is_active": 1, "unit_type": "Complaint Unit"}
		)
		if unit and permissions.unit_in_reach(unit):
			return unit
	return default_unit


def failed(tracking_id: str, message: str) -> dict:
	return {"tracking_id": tracking_id[:140], "result": "Failed", "complaint": None, "message": message}


def translated(violation: RuleViolation) -> str:
	return _(violation.message).format(**violation.params)


def finish(doc, counts: dict, status: str, error: str | None = None) -> None:
	doc.update(
		{
			"status": status,
			"error": error,
			"finished_at": now_datetime(),
			"created_count": counts["Created"],
			"updated_count": counts["Updated"],
			"unchanged_count": counts["Unchanged"],
			"failed_count": counts["Failed"],
		}
	)
	doc.flags.ignore_permissions = True
	doc.flags.p3m_import_run = True
	doc.save()


def read_table(doc) -> list[list]:
	"""The file's rows (first sheet of an .xlsx); a file that is neither CSV nor XLSX is refused."""
	file = attached_file(doc)
	content = file.get_content()
	content = content.encode("utf-8") if isinstance(content, str) else content
	if (file.file_name or "").lower().endswith(".xlsx"):
		return xlsx_rows(content)
	if (file.file_name or "").lower().endswith(".csv"):
		return lapor_rules.read_csv(content)
	raise RuleViolation(mark("The file is not a CSV or Excel (.xlsx) file."))


def xlsx_rows(content: bytes) -> list[list]:
	from openpyxl import load_workbook

	try:
		book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
		return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
	except Exception as error:
		raise RuleViolation(mark("The Excel file cannot be read; save it again as .xlsx.")) from error


def attached_file(doc):
	"""The uploaded file: attached to this import or uploaded by its owner (never another record's
	private file named by its URL)."""
	name = frappe.db.get_value(
		"File",
		{"file_url": doc.import_file, "attached_to_doctype": DOCTYPE, "attached_to_name": doc.name},
	) or frappe.db.get_value("File", {"file_url": doc.import_file, "owner": doc.owner})
	if not name:
		raise RuleViolation(mark("Attach the LAPOR! export file to this import."))
	return frappe.get_doc("File", name)
