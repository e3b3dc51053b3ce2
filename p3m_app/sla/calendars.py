"""Which working calendar a unit follows, and building it from the database.

A unit uses its own Holiday Calendar (or, with ERPNext, its Holiday List), else the nearest
ancestor's, else the default calendar. Built calendars are kept per process and rebuilt when
the record changes.
"""

from datetime import date

import frappe
from frappe import _

from p3m_app import unit_cache
from p3m_app.core import cuti_bersama
from p3m_app.core.working_calendar import WorkingCalendar

WEEKDAY_FIELDS = (
	"monday_off",
	"tuesday_off",
	"wednesday_off",
	"thursday_off",
	"friday_off",
	"saturday_off",
	"sunday_off",
)
_built: dict[tuple, WorkingCalendar] = {}


def calendar_for_unit(unit_name: str | None) -> WorkingCalendar:
	doctype, name, modified = located(unit_name)
	key = (frappe.local.site, doctype, name, str(modified))
	if key not in _built:
		_built[key] = build_holiday_list(name) if doctype == "Holiday List" else build_holiday_calendar(name)
	return _built[key]


def resolve(unit_name: str | None) -> tuple[str, str]:
	doctype, name, _modified = located(unit_name)
	return doctype, name


def located(unit_name: str | None) -> tuple[str, str, object]:
	"""(doctype, name, modified) of the calendar a unit follows: its own, the nearest ancestor's
	(a Holiday List before a Holiday Calendar of the same unit), else the default. Every intake and
	save asks this: the answer is cached until a unit or calendar changes (p3m_app.unit_cache)."""
	return unit_cache.cached("calendar", unit_name, lambda: locate(unit_name))


def locate(unit_name: str | None) -> tuple[str, str, object]:
	"""One query for the unit and its ancestors, one more for the default."""
	if unit_name:
		with_list = frappe.get_meta("Unit").has_field("holiday_list")
		row = frappe.db.sql(
			f"""select a.holiday_calendar, hc.modified
				{", a.holiday_list, hl.modified" if with_list else ""}
			from `tabUnit` u
			join `tabUnit` a on a.lft <= u.lft and a.rgt >= u.rgt
			left join `tabHoliday Calendar` hc on hc.name = a.holiday_calendar
			{"left join `tabHoliday List` hl on hl.name = a.holiday_list" if with_list else ""}
			where u.name = %s and (ifnull(a.holiday_calendar, '') != ''
				{"or ifnull(a.holiday_list, '') != ''" if with_list else ""})
			order by a.lft desc
			limit 1""",
			(unit_name,),
		)
		if row:
			calendar, calendar_modified, *holiday_list = row[0]
			if holiday_list and holiday_list[0]:
				return "Holiday List", holiday_list[0], holiday_list[1]
			return "Holiday Calendar", calendar, calendar_modified
	default = frappe.db.sql(
		"select name, modified from `tabHoliday Calendar` where is_default = 1 order by modified desc limit 1"
	)
	default = default[0] if default else None
	if not default:
		frappe.throw(_("No holiday calendar is set: mark one Holiday Calendar as default."))
	return "Holiday Calendar", default[0], default[1]


def build_holiday_calendar(name: str) -> WorkingCalendar:
	doc = frappe.get_cached_doc("Holiday Calendar", name)
	return doc.working_calendar()


def build_holiday_list(name: str) -> WorkingCalendar:
	"""ERPNext's Holiday List already lists its weekly offs as holidays."""
	header = frappe.db.get_value("Holiday List", name, ["from_date", "to_date"], as_dict=True)
	days = frappe.get_all(
		"Holiday", filters={"parent": name, "parenttype": "Holiday List"}, pluck="holiday_date"
	)
	return WorkingCalendar(header.from_date, header.to_date, weekend=(), holidays=set(days))


def national_holidays(years: list[int]) -> dict[date, str]:
	"""Indonesian public holidays and cuti bersama (category government) from the library, plus the
	cuti bersama the app ships for years the installed library does not know yet."""
	import holidays

	found = holidays.country_holidays("ID", years=years, categories=("public", "government"), language="id")
	return cuti_bersama.merged(dict(found), years)
