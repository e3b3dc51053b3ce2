"""LAPOR Settings: the shipped column and status maps, and reading them for an import or export."""

import frappe

from p3m_app.core import lapor_rules

SETTINGS = "LAPOR Settings"


def ensure_defaults() -> None:
	"""after_migrate: fill an empty map with the shipped layout; an agency's own map is never touched."""
	doc = frappe.get_single(SETTINGS)
	changed = False
	if not doc.get("columns"):
		for header, meaning in lapor_rules.DEFAULT_COLUMNS:
			doc.append("columns", {"lapor_header": header, "meaning": meaning})
		changed = True
	states = set(frappe.get_all("Workflow State", pluck="name"))
	for table, rows in (
		("status_in", lapor_rules.DEFAULT_STATUS_IN),
		("status_out", [(lapor, state) for state, lapor in lapor_rules.DEFAULT_STATUS_OUT]),
	):
		if doc.get(table):
			continue
		for lapor_status, state in rows:
			if state in states:
				doc.append(table, {"lapor_status": lapor_status, "workflow_state": state})
				changed = True
	if changed:
		doc.flags.ignore_permissions = True
		doc.save()


def column_map() -> list[tuple[str, str]]:
	rows = frappe.get_all(
		"LAPOR Column Map",
		filters={"parent": SETTINGS, "parenttype": SETTINGS},
		fields=["lapor_header", "meaning"],
		order_by="idx asc",
	)
	return [(r.lapor_header, r.meaning) for r in rows] or list(lapor_rules.DEFAULT_COLUMNS)


def status_rows(parentfield: str) -> list[tuple[str, str]]:
	return [
		(r.lapor_status, r.workflow_state)
		for r in frappe.get_all(
			"LAPOR Status Map",
			filters={"parent": SETTINGS, "parenttype": SETTINGS, "parentfield": parentfield},
			fields=["lapor_status", "workflow_state"],
			order_by="idx asc",
		)
	]


def status_in() -> dict[str, str]:
	"""normalised LAPOR! status -> workflow state"""
	return lapor_rules.status_map(status_rows("status_in"))


def status_out() -> dict[str, str]:
	"""normalised workflow state -> LAPOR! status (the table stores LAPOR! status, state)"""
	return lapor_rules.status_map([(state, lapor) for lapor, state in status_rows("status_out")])
