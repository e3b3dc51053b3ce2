"""Keep each unit's native Assignment Rule and its officers' roles in line with its officer table.

A complaint entering a unit is assigned round-robin to that unit's officers by Frappe's
own Assignment Rule engine; leaving the unit unassigns it; closing it closes the ToDo.
"""

import frappe

from p3m_app import roles
from p3m_app.core import workflow_rules as wf

# Heads of unit monitor; they are not handed cases.
ASSIGNABLE_UNIT_ROLES = ("Officer", "Admin", "Inspektorat")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def rule_name(unit_name: str) -> str:
	return f"P3M Unit: {unit_name}"


def grant_unit_roles(unit) -> None:
	"""An officer listed in a unit gets the desk role their unit role needs."""
	for row in unit.officers:
		role = roles.UNIT_ROLE_TO_ROLE.get(row.role_in_unit)
		if role and role not in frappe.get_roles(row.user):
			user = frappe.get_doc("User", row.user)
			user.flags.ignore_permissions = True
			user.add_roles(role)


def sync_assignment_rule(unit) -> None:
	users = [
		row.user
		for row in unit.officers
		if row.receives_assignments and row.role_in_unit in ASSIGNABLE_UNIT_ROLES
	]
	name = rule_name(unit.name)
	exists = frappe.db.exists("Assignment Rule", name)
	if not exists and not users:
		return
	rule = frappe.get_doc("Assignment Rule", name) if exists else frappe.new_doc("Assignment Rule")
	if not exists:
		rule.name = name
		rule.document_type = "Complaint"
		rule.rule = "Round Robin"
		rule.description = "Complaint {{ name }} has entered your unit: {{ subject }}"
		for day in WEEKDAYS:
			rule.append("assignment_days", {"day": day})
	unit_literal = repr(unit.name)
	final_states = repr(tuple(sorted(wf.FINAL_STATES)))
	rule.assign_condition = f"current_unit == {unit_literal} and workflow_state not in {final_states}"
	rule.unassign_condition = f"current_unit != {unit_literal}"
	rule.close_condition = f"workflow_state in {final_states}"
	rule.disabled = 0 if (users and unit.is_active) else 1
	rule.set("users", [{"user": user} for user in users])
	rule.flags.ignore_permissions = True
	rule.save()
	if unit.assignment_rule != rule.name:
		unit.db_set("assignment_rule", rule.name, update_modified=False)
