"""Unit scope: a user sees the complaints held by their units and every unit below.

Reach is a handful of nested-set ranges, turned into one indexed sub-select for lists and
a range check for single documents.
"""

import frappe
from frappe.query_builder import DocType

from p3m_app import roles
from p3m_app.core import unit_scope


def is_unrestricted(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or roles.ADMIN_NASIONAL in frappe.get_roles(user)


def sees_all_units(user: str) -> bool:
	"""Admin Nasional, Administrator and System Managers (who repair failed jobs and imports)."""
	return is_unrestricted(user) or "System Manager" in frappe.get_roles(user)


def unit_field_conditions(doctype: str, user: str | None = None) -> str:
	"""Rows of ``doctype`` whose ``unit`` is in the user's reach, for permission_query_conditions."""
	user = user or frappe.session.user
	if sees_all_units(user):
		return ""
	return unit_scope.sql_condition(f"`tab{doctype}`.`unit`", unit_bounds(user))


def unit_field_permission(doc, user: str | None = None) -> bool:
	"""A row of a unit-scoped doctype (its ``unit`` in the user's reach), for has_permission."""
	user = user or frappe.session.user
	return sees_all_units(user) or unit_in_reach(doc.get("unit"), user)


def unit_bounds(user: str) -> list[tuple[int, int]]:
	unit, officer = DocType("Unit"), DocType("Unit Officer")
	rows = (
		frappe.qb.from_(officer)
		.join(unit)
		.on(officer.parent == unit.name)
		.select(unit.lft, unit.rgt)
		.where((officer.user == user) & (officer.parenttype == "Unit") & (unit.is_active == 1))
		.run()
	)
	return unit_scope.merge_bounds([(lft, rgt) for lft, rgt in rows])


def user_units(user: str) -> list[str]:
	return frappe.get_all(
		"Unit Officer", filters={"user": user, "parenttype": "Unit"}, pluck="parent", distinct=True
	)


def is_member(user: str, unit: str | None) -> bool:
	return bool(unit) and bool(
		frappe.db.exists("Unit Officer", {"parent": unit, "parenttype": "Unit", "user": user})
	)


def unit_in_reach(unit: str | None, user: str | None = None) -> bool:
	return any_unit_in_reach([unit], user)


def any_unit_in_reach(units: list[str | None], user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return True
	units = [u for u in units if u]
	if not units:
		return False
	bounds = unit_bounds(user)
	lefts = frappe.get_all("Unit", filters={"name": ("in", units)}, pluck="lft")
	return any(unit_scope.contains(bounds, lft) for lft in lefts)


def complaint_in_reach(name: str | None, user: str | None = None) -> bool:
	"""Whether a complaint, by name, is held by or came from the user's units (read reach)."""
	user = user or frappe.session.user
	if not name:
		return False
	if is_unrestricted(user):
		return True
	units = frappe.db.get_value("Complaint", name, ["current_unit", "origin_unit"])
	return bool(units) and any_unit_in_reach(list(units) + reader_units(name), user)


def reader_units(complaint: str) -> list[str]:
	"""Units a copy, a help request, a referral or a take-over lets read the complaint."""
	return frappe.get_all(
		"Disposition",
		filters={"complaint": complaint, "reader_unit": ("is", "set")},
		pluck="reader_unit",
		distinct=True,
	)


def complaint_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	bounds = unit_bounds(user)
	held = unit_scope.sql_condition("`tabComplaint`.`current_unit`", bounds)
	if not bounds:
		return held
	readers = unit_scope.sql_condition("reader.reader_unit", bounds)
	return f"""({held} or `tabComplaint`.`name` in
		(select reader.complaint from `tabDisposition` reader where {readers}))"""


def has_complaint_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return True
	if doc.is_new() and not doc.get("current_unit"):
		# the controller fills in the user's own unit and checks it again
		return True
	if unit_in_reach(doc.get("current_unit"), user):
		return True
	# the unit a complaint came from keeps reading it while a higher level handles it, and so
	# do the units it was copied to, asked for help or referred or taken over from
	if ptype not in (None, "read", "print") or doc.is_new():
		return False
	return any_unit_in_reach([doc.get("origin_unit"), *reader_units(doc.name)], user)


def disposition_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	bounds = unit_bounds(user)
	to_unit = unit_scope.sql_condition("`tabDisposition`.`to_unit`", bounds)
	from_unit = unit_scope.sql_condition("`tabDisposition`.`from_unit`", bounds)
	return f"({to_unit} or {from_unit})"


def has_disposition_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return any_unit_in_reach([doc.get("to_unit"), doc.get("from_unit")], user)


def workflow_action_query_conditions(user: str | None = None) -> str:
	"""Frappe lists a workflow's pending actions to every holder of a role; for complaints, only
	those the user's units may see (ANDed with Frappe's own condition)."""
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	scoped = unit_scope.sql_condition("`tabComplaint`.`current_unit`", unit_bounds(user))
	return f"""(`tabWorkflow Action`.`reference_doctype` != 'Complaint'
		or `tabWorkflow Action`.`reference_name` in (select `tabComplaint`.`name` from `tabComplaint` where {scoped}))"""


def has_workflow_action_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.get("reference_doctype") != "Complaint":
		return True
	unit = frappe.db.get_value("Complaint", doc.get("reference_name"), "current_unit")
	return bool(unit) and unit_in_reach(unit, user)
