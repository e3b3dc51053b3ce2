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
COMPLAINT_UNIT = "Complaint Unit"
REQUESTED_ACTION = "p3m_workflow_action"


@frappe.whitelist()
def apply_workflow(doc, action):
	"""Frappe's apply_workflow, remembering the action chosen: two actions may lead to the same
	state (Dispose and Refer Up both end in Didisposisikan), and the guards differ."""
	from frappe.model.workflow import apply_workflow as frappe_apply_workflow

	parsed = frappe.parse_json(doc)
	previous = frappe.flags.get(REQUESTED_ACTION)
	frappe.flags[REQUESTED_ACTION] = (parsed.get("doctype"), parsed.get("name"), action)
	try:
		return frappe_apply_workflow(doc, action)
	finally:
		frappe.flags[REQUESTED_ACTION] = previous


def requested_action(doc) -> str | None:
	request = frappe.flags.get(REQUESTED_ACTION)
	if request and request[0] == doc.doctype and request[1] == doc.name:
		return request[2]
	return None


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
	action = requested_action(doc) if before else None
	if not before or not to_state or (from_state == to_state and not action):
		if before and doc.current_unit != before.current_unit and not doc.flags.moved_by_take_over:
			frappe.throw(
				_("The current unit changes only through a disposition or a return."), title=_("Not Allowed")
			)
		return

	user = frappe.session.user
	facts = doc.as_dict()
	disposition = open_disposition(doc.name, before.current_unit)
	facts.update(
		actor_roles=frozenset(frappe.get_roles(user)),
		actor_is_national=permissions.is_unrestricted(user),
		actor_in_current_unit=permissions.is_member(user, before.current_unit),
		has_open_disposition=bool(disposition),
		current_unit=before.current_unit,
	)
	try:
		transition = wf.guard(from_state, to_state, facts, action)
		if transition.action == wf.ACTION_DISPOSE:
			check_dispose_target(doc, before.current_unit, facts["actor_is_national"])
		elif transition.action == wf.ACTION_REFER_UP:
			doc.refer_to_unit = facts["refer_to_unit"] = doc.refer_to_unit or default_referral_target(doc)
			check_referral_target(doc, before.current_unit)
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


def default_referral_target(doc) -> str | None:
	"""The parent unit, or the ancestor at the level the program's referral route names for the
	holding unit's level (PKH: Kabupaten/Kota -> Pusat; a pendamping's kecamatan -> its parent)."""
	level = frappe.db.get_value("Unit", doc.current_unit, "unit_level")
	if doc.program and level:
		to_level = frappe.db.get_value(
			"P3M Program Referral",
			{"parent": doc.program, "parenttype": "P3M Program", "from_level": level},
			"to_level",
		)
		ancestor = ancestor_at_level(doc.current_unit, to_level) if to_level else None
		if ancestor:
			return ancestor
	return frappe.db.get_value("Unit", doc.current_unit, "parent_unit")


def ancestor_at_level(unit_name: str, level: str) -> str | None:
	bounds = frappe.db.get_value("Unit", unit_name, ["lft", "rgt"])
	if not bounds:
		return None
	unit = DocType("Unit")
	rows = (
		frappe.qb.from_(unit)
		.select(unit.name)
		.where(
			(unit.lft < bounds[0])
			& (unit.rgt > bounds[1])
			& (unit.unit_level == level)
			& (unit.is_active == 1)
		)
		.orderby(unit.lft, order=Order.desc)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def is_ancestor(ancestor: str | None, unit_name: str | None) -> bool:
	if not ancestor or not unit_name:
		return False
	outer = frappe.db.get_value("Unit", ancestor, ["lft", "rgt"])
	inner = frappe.db.get_value("Unit", unit_name, ["lft", "rgt"])
	return bool(outer and inner and outer[0] < inner[0] and inner[1] < outer[1])


def check_referral_target(doc, current_unit: str) -> None:
	target = doc.refer_to_unit
	unit = frappe.db.get_value("Unit", target, ["is_active", "unit_type"], as_dict=True) if target else None
	referred_before = set(
		frappe.get_all(
			"Disposition",
			filters={"complaint": doc.name, "kind": transition_effects.REFERRAL},
			pluck="to_unit",
		)
	)
	disposition_rules.check_referral_target(
		current_unit=current_unit,
		target=target,
		target_is_active=bool(unit and unit.is_active),
		target_is_ancestor=is_ancestor(target, current_unit),
		target_is_complaint_unit=bool(unit and unit.unit_type == COMPLAINT_UNIT),
		referred_before=referred_before,
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
def forward_to_inspektorat(complaint: str, unit: str, reason: str, mode: str = "Hand Over"):
	"""Inform an Inspektorat (``mode`` "Copy": a tembusan, the team keeps the case) or hand the
	complaint over to it ("Hand Over", typically whistleblowing or KKN), with the reason."""
	if frappe.db.get_value("Unit", unit, "unit_type") != INSPEKTORAT_UNIT:
		frappe.throw(_("{0} is not an Inspektorat unit.").format(unit), title=_("Not Allowed"))
	if mode == "Copy":
		from p3m_app import collaboration

		return collaboration.copy_to(complaint, unit, reason)
	if mode != "Hand Over":
		frappe.throw(_("Choose Copy or Hand Over."), title=_("Not Allowed"))
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
	doc = frappe.get_doc("Complaint", complaint) if isinstance(complaint, str) else complaint
	if values:
		doc.update(values)
		doc.save()
	return apply_workflow(doc.as_dict(), action)
