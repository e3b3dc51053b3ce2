"""Desk helpers for SLA indicators."""

import frappe
from frappe.utils import get_datetime, now_datetime

from p3m_app import permissions
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
