"""Adapter between the Complaint controller and the pure workflow rules.

``before_save`` checks a state change against the guards and applies its field changes in
the same write; ``after_save`` records the disposition ledger in the same transaction.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType, Order
from frappe.utils import now_datetime

from p3m_app import permissions
from p3m_app.core import disposition_rules, transition_effects
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw

INSPEKTORAT_UNIT = "Inspektorat"


def open_disposition(complaint_name: str, unit: str | None) -> dict | None:
	if not unit:
		return None
	disposition = DocType("Disposition")
	rows = (
		frappe.qb.from_(disposition)
		.select(disposition.name, disposition.from_unit, disposition.to_unit, disposition.status)
		.where(
			(disposition.complaint == complaint_name)
			& (disposition.to_unit == unit)
			& disposition.status.isin(transition_effects.OPEN_DISPOSITION_STATUSES)
		)
		.orderby(disposition.creation, order=Order.desc)
		.limit(1)
		.run(as_dict=True)
	)
	return rows[0] if rows else None


def before_save(doc) -> None:
	before = doc.get_doc_before_save()
	from_state = before.workflow_state if before else None
	to_state = doc.workflow_state
	doc.flags.transition_plan = None
	if not before or not to_state or from_state == to_state:
		if before and doc.current_unit != before.current_unit:
			frappe.throw(
				_("The current unit changes only through a disposition or a return."), title=_("Not Allowed")
			)
		return

	user = frappe.session.user
	facts = doc.as_dict()
	disposition = open_disposition(doc.name, before.current_unit)
	facts.update(
		actor_is_national=permissions.is_unrestricted(user),
		actor_in_current_unit=permissions.is_member(user, before.current_unit),
		has_open_disposition=bool(disposition),
		current_unit=before.current_unit,
	)
	try:
		transition = wf.guard(from_state, to_state, facts)
		if transition.action == wf.ACTION_DISPOSE:
			check_dispose_target(doc, before.current_unit, facts["actor_is_national"])
	except RuleViolation as violation:
		throw(violation)

	plan = transition_effects.plan(transition.action, facts, disposition, now_datetime(), user)
	doc.update(plan.complaint_values)
	for fieldname in plan.clear_fields:
		doc.set(fieldname, None)
	doc.flags.transition_plan = plan
	doc.flags.open_disposition = disposition


def check_dispose_target(doc, current_unit: str, actor_is_national: bool) -> None:
	target = doc.dispose_to_unit
	unit = frappe.db.get_value("Unit", target, ["is_active", "lft", "unit_type"], as_dict=True)
	current_bounds = frappe.db.get_value("Unit", current_unit, ["lft", "rgt"])
	chain = frappe.get_all(
		"Disposition", filters={"complaint": doc.name}, fields=["from_unit", "to_unit", "status"]
	)
	disposition_rules.check_target(
		current_unit=current_unit,
		target=target,
		target_is_active=bool(unit and unit.is_active),
		target_in_current_subtree=bool(
			unit and current_bounds and current_bounds[0] < unit.lft < current_bounds[1]
		),
		chain_units=disposition_rules.open_chain_units(chain) - {current_unit},
		actor_is_national=actor_is_national,
		target_is_inspektorat=bool(unit and unit.unit_type == INSPEKTORAT_UNIT),
		inspektorat_reason=doc.inspektorat_reason or "",
	)


def after_save(doc) -> None:
	plan = doc.flags.transition_plan
	if not plan:
		return
	doc.flags.transition_plan = None
	opened = doc.flags.open_disposition
	if plan.open_disposition and opened:
		update_disposition(
			opened.name, {"status": plan.open_disposition.status, **plan.open_disposition.values}
		)
	if plan.reactivate_disposition_to:
		reactivate(doc.name, plan.reactivate_disposition_to)
	if plan.new_disposition:
		new = plan.new_disposition
		ledger = frappe.get_doc(
			{
				"doctype": "Disposition",
				"complaint": doc.name,
				"from_unit": new.from_unit,
				"to_unit": new.to_unit,
				"status": new.status,
				**new.values,
			}
		)
		ledger.insert(ignore_permissions=True)


def reactivate(complaint_name: str, unit: str) -> None:
	disposition = DocType("Disposition")
	rows = (
		frappe.qb.from_(disposition)
		.select(disposition.name)
		.where(
			(disposition.complaint == complaint_name)
			& (disposition.to_unit == unit)
			& (disposition.status == transition_effects.FORWARDED)
		)
		.orderby(disposition.creation, order=Order.desc)
		.limit(1)
		.run()
	)
	if rows:
		update_disposition(rows[0][0], {"status": transition_effects.ACCEPTED})


def update_disposition(name: str, values: dict) -> None:
	ledger = frappe.get_doc("Disposition", name)
	ledger.update(values)
	ledger.save(ignore_permissions=True)


@frappe.whitelist()
def forward_to_inspektorat(complaint: str, unit: str, reason: str):
	"""Dispose a complaint (typically whistleblowing or KKN) to an Inspektorat unit, with the reason."""
	if frappe.db.get_value("Unit", unit, "unit_type") != INSPEKTORAT_UNIT:
		frappe.throw(_("{0} is not an Inspektorat unit.").format(unit), title=_("Not Allowed"))
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	doc.flags.system_fields = {"inspektorat_reason"}
	return act(
		doc,
		wf.ACTION_DISPOSE,
		dispose_to_unit=unit,
		inspektorat_reason=reason,
		disposition_instruction=_("Forwarded to the Inspektorat: {0}").format(reason or ""),
	)


def act(complaint, action: str, **values):
	"""Take a workflow action the way the desk does, after saving any fields it needs."""
	from frappe.model.workflow import apply_workflow

	doc = frappe.get_doc("Complaint", complaint) if isinstance(complaint, str) else complaint
	if values:
		doc.update(values)
		doc.save()
	return apply_workflow(doc.as_dict(), action)
