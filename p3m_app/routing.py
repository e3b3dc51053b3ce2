"""Nearest-level routing on the site: a unit's served areas, and the unit a new complaint starts at.

The rules are in ``p3m_app.core.routing``; here a Unit stores the key of each served area (the
``Unit Service Area`` rows, indexed by key), and a complaint's location is looked up with one query
over its few candidate keys, so intake stays fast with thousands of units.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

from p3m_app.core import routing
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw

COMPLAINT_UNIT = "Complaint Unit"


def set_area_keys(unit) -> None:
	"""Unit.validate: each served area gets its key; an empty or repeated area is refused."""
	seen = set()
	for row in unit.get("service_areas") or []:
		try:
			row.update(routing.area_row(row.province, row.district, row.kecamatan))
		except RuleViolation as violation:
			throw(violation, title=_("Service Area row {0}").format(row.idx))
		if (row.area_key, row.province_key) in seen:
			frappe.throw(
				_("Service Area row {0} repeats an area this unit already serves.").format(row.idx),
				title=_("Invalid Unit"),
			)
		seen.add((row.area_key, row.province_key))


def unit_for_location(
	province: str | None, district: str | None, kecamatan: str | None, program: str | None
) -> str | None:
	"""The most specific active complaint unit serving the place, or None."""
	keys = routing.candidate_keys(province, district, kecamatan)
	if not keys:
		return None
	area, unit = DocType("Unit Service Area"), DocType("Unit")
	rows = (
		frappe.qb.from_(area)
		.join(unit)
		.on(unit.name == area.parent)
		.select(
			area.parent.as_("unit"),
			area.area_key,
			area.province_key,
			area.specificity,
			unit.program,
			(unit.rgt - unit.lft).as_("size"),
		)
		.where(
			(area.area_key.isin(keys))
			& (area.parenttype == "Unit")
			& (area.parentfield == "service_areas")
			& (unit.is_active == 1)
			& (unit.unit_type == COMPLAINT_UNIT)
		)
		.run(as_dict=True)
	)
	return routing.choose_unit(rows, keys, province, program)


def route(doc) -> str | None:
	"""Where a new complaint with a location starts; its program, else its category's program."""
	if not (doc.get("province") or doc.get("district")):
		return None
	program = doc.get("program")
	if not program and doc.get("category"):
		program = frappe.db.get_value("Complaint Category", doc.category, "program")
	return unit_for_location(doc.get("province"), doc.get("district"), doc.get("kecamatan"), program)
