"""Which working calendar a unit follows, and building it from the database.

A unit uses its own Holiday Calendar (or, with ERPNext, its Holiday List), else the nearest
ancestor's, else the default calendar. Built calendars are kept per process and rebuilt when
the record changes.
"""

from datetime import date

import frappe
from frappe import _
from frappe.query_builder import DocType

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
	doctype, name = resolve(unit_name)
	modified = frappe.db.get_value(doctype, name, "modified")
	key = (frappe.local.site, doctype, name, str(modified))
	if key not in _built:
		_built[key] = build_holiday_list(name) if doctype == "Holiday List" else build_holiday_calendar(name)
	return _built[key]


def resolve(unit_name: str | None) -> tuple[str, str]:
	has_holiday_list = frappe.get_meta("Unit").has_field("holiday_list")
	if unit_name:
		bounds = frappe.db.get_value("Unit", unit_name, ["lft", "rgt"])
		if bounds:
			unit = DocType("Unit")
			fields = [unit.holiday_calendar] + ([unit.holiday_list] if has_holiday_list else [])
			rows = (
				frappe.qb.from_(unit)
				.select(*fields)
				.where((unit.lft <= bounds[0]) & (unit.rgt >= bounds[1]))
				.orderby(unit.lft, order=frappe.qb.desc)
				.run()
			)
			for row in rows:
				if has_holiday_list and row[1]:
					return "Holiday List", row[1]
				if row[0]:
					return "Holiday Calendar", row[0]
	default = frappe.db.get_value("Holiday Calendar", {"is_default": 1})
	if not default:
		frappe.throw(_("No holiday calendar is set: mark one Holiday Calendar as default."))
	return "Holiday Calendar", default


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
