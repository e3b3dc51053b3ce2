"""A pendamping records, from a phone, complaints heard in the field on behalf of participants.

Pedoman PKH (seed 004): a pendamping attends the monthly group meetings, visits schools, puskesmas,
village officials and participants (lines 119-131), hears complaints there and, when they cannot be
settled at its level, helps fill the complaint form and sends it on to UPPKH Kabupaten/Kota (lines
40-41, 139-146); it keeps the reporter's identity confidential when asked (lines 148-149).

Only a user listed as "Pendamping" in an active unit may record. The complaint is checked by the
portal's own rules (markup stripped, lengths, identity, attachments), is held by the pendamping's
unit (so the unit above sees it at once), names the pendamping as its recorder, and notes where it
was heard. The pendamping reads its unit's complaints without identity (Complaint permission level
0 only): what it typed is not shown back to it.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint, getdate, now_datetime, today

from p3m_app.core import file_scrub, portal_rules, tracking_code
from p3m_app.core.errors import RuleViolation
from p3m_app.portal import notify, submission
from p3m_app.utils import throw

PENDAMPING = "Pendamping"  # role in a unit's officer table
# seed 004 lines 122-131: the group meeting, service providers, village officials, participants at home
RECORDED_VIA = ("Group Meeting", "Home Visit", "Service Provider Visit", "Village Officials")
# told in person (seed 004 lines 8-15: "melaporkan secara langsung kepada ... Pendamping")
CHANNEL = "Walk-in"
HOUR = 60 * 60


def record_limit() -> int:
	# a group meeting may bring many complaints at once; the limit is per pendamping, not per address
	return cint(frappe.conf.get("p3m_pendamping_record_limit")) or 60


def pendamping_units(user: str) -> list[str]:
	"""The active units the user is listed in as a pendamping, deepest (nearest the field) first."""
	if not user or user == "Guest":
		return []
	unit, officer = DocType("Unit"), DocType("Unit Officer")
	rows = (
		frappe.qb.from_(officer)
		.join(unit)
		.on(officer.parent == unit.name)
		.select(unit.name)
		.where(
			(officer.user == user)
			& (officer.parenttype == "Unit")
			& (officer.role_in_unit == PENDAMPING)
			& (unit.is_active == 1)
		)
		.orderby(unit.rgt - unit.lft)
		.orderby(unit.name)
		.run()
	)
	return [name for (name,) in rows]


@frappe.whitelist(methods=["POST"])
def record():
	"""The recording screen's endpoint (/pengaduan/pendamping): session login and CSRF as Frappe does."""
	units = pendamping_units(frappe.session.user)
	if not units:
		frappe.throw(_("Only a pendamping listed in an active unit may record here."), frappe.PermissionError)
	check_rate(frappe.session.user)
	form = {k: v for k, v in frappe.form_dict.items() if isinstance(v, str)}
	return save(form, submission.uploaded_files(), units)


def check_rate(user: str) -> None:
	key = frappe.cache.make_key(f"rl:p3m_pendamping_record:{user}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, HOUR)
	if count > record_limit():
		frappe.throw(
			_("You hit the rate limit because of too many requests. Please try after sometime."),
			frappe.RateLimitExceededError,
		)


def save(form: dict, files: list[tuple[str, bytes]], units: list[str]) -> dict:
	unit = form.get("unit") or units[0]
	if unit not in units:
		frappe.throw(_("You may record only for a unit you are a pendamping of."), frappe.PermissionError)
	recorded_via = form.get("recorded_via")
	if recorded_via not in RECORDED_VIA:
		frappe.throw(_("Choose where you heard the complaint."), title=_("Please check the report"))
	form.pop(portal_rules.HONEYPOT_FIELD, None)  # a signed-in pendamping is no bot
	try:
		values = portal_rules.clean_submission(form, getdate(today()), by_post=True)
		attachments = portal_rules.check_attachments(files)
		if file_scrub.needs_scrub(values):
			attachments = file_scrub.scrub_all(attachments)
	except RuleViolation as violation:
		throw(violation, title=_("Please check the report"))
	submission.check_links(values)

	key = submission.submission_key(form.get("submission_id"))
	if key:
		existing = frappe.db.get_value("Complaint", {"submission_key": key}, "tracking_code")
		if existing:  # sent twice from a phone with a weak signal: one report
			return {"tracking_code": tracking_code.display(existing), "duplicate": True}

	doc = frappe.get_doc(
		{
			"doctype": "Complaint",
			**values,
			"channel": CHANNEL,
			"recorded_via": recorded_via,
			"current_unit": unit,
			"received_at": now_datetime(),
			"submission_key": key,
		}
	)
	# the pendamping cannot write identity fields in the desk (permission level 2): this screen
	# stores what it typed; owner and received_by name the pendamping
	doc.insert(ignore_permissions=True)
	submission.save_attachments(doc.name, attachments, scrubbed=True)
	if values.get("reporter_email"):
		notify.acknowledge(doc, values["reporter_email"])
	return {"tracking_code": tracking_code.display(doc.tracking_code)}


def recent(user: str, limit: int = 10) -> list[dict]:
	"""What the pendamping recorded lately and may still read (its unit scope), without identity."""
	return frappe.get_list(
		"Complaint",
		filters={"owner": user},
		fields=["tracking_code", "subject", "workflow_state", "received_at"],
		order_by="received_at desc",
		limit_page_length=limit,
	)
