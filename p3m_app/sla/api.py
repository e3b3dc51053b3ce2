"""Desk helpers for SLA indicators."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime, strip_html

from p3m_app import permissions
from p3m_app.core import workflow_rules as wf
from p3m_app.core.working_calendar import CalendarRangeError
from p3m_app.sla import calendars


def working_days_left(doc) -> int | None:
	"""Working days until the next deadline (negative when late), in the unit's own calendar."""
	if not doc.sla_current_due:
		return None
	calendar = calendars.calendar_for_unit(doc.current_unit)
	now, due = now_datetime(), get_datetime(doc.sla_current_due)
	try:
		if due >= now:
			return calendar.working_days_between(now, due)
		return -calendar.working_days_between(due, now)
	except CalendarRangeError:
		return None


def boot_session(bootinfo):
	"""The default calendar's days off, so list views can count working days without a request."""
	if frappe.session.user == "Guest":
		return
	name = frappe.db.get_value("Holiday Calendar", {"is_default": 1})
	if not name:
		return
	doc = frappe.get_cached_doc("Holiday Calendar", name)
	bootinfo.p3m_calendar = {
		"weekend": [i for i, field in enumerate(calendars.WEEKDAY_FIELDS) if doc.get(field)],
		"holidays": [str(row.holiday_date) for row in doc.holidays],
	}


@frappe.whitelist()
def my_units() -> list[str]:
	"""The units whose officer table lists the current user (their branches are in scope)."""
	return permissions.user_units(frappe.session.user)


@frappe.whitelist(methods=["POST"])
def complete_follow_up(complaint: str, note: str) -> dict:
	"""The holding unit records that its follow-up is done (PKH Tabel 2: "Menindaklanjuti
	pengaduan", 15 working days); the Follow-up milestone is met."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	user = frappe.session.user
	if not (permissions.is_unrestricted(user) or permissions.is_member(user, doc.current_unit)):
		frappe.throw(
			_("Only officers of the unit holding the complaint can record its follow-up."),
			frappe.PermissionError,
		)
	if doc.workflow_state != wf.IN_PROGRESS:
		frappe.throw(
			_("The follow-up is recorded while the complaint is being followed up."), title=_("Not Allowed")
		)
	note = (strip_html(note or "")).strip()
	if not note:
		frappe.throw(_("Say what was done in the follow-up."), title=_("Missing Information"))
	doc.follow_up_completed_at = now_datetime()
	doc.follow_up_note = note[:2000]
	doc.flags.system_fields = {"follow_up_completed_at", "follow_up_note"}
	doc.save()
	doc.add_comment(
		"Info", _("Follow-up completed: {0}").format(frappe.utils.escape_html(doc.follow_up_note))
	)
	return {"follow_up_completed_at": str(doc.follow_up_completed_at), "sla_status": doc.sla_status}
