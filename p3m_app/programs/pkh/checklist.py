"""A complaint's handling checklist on the server: filled from its category, ticked by its holder.

The rules are in p3m_app.core.checklist; this adapter copies a category's Complaint Handling Steps
onto the complaint (Complaint Step Progress rows) when the category is set or changed, refuses a
plain save that edits them, and is the one writer of a tick (``tick_step``), which sets when and
by whom on the server and leaves a plain-words entry on the timeline. The rows hang off the
complaint and follow its scope (``query_conditions``).
"""

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime

from p3m_app import identity, permissions
from p3m_app.access import linked_records
from p3m_app.core import checklist
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw

TABLE = "handling_steps"
CHILD = "Complaint Step Progress"
STEP_DOCTYPE = "Complaint Handling Step"
# a finished or archived case is not worked on; reopening it lets its steps be ticked again
NO_TICKS_IN = (wf.CLOSED, wf.ARCHIVED)


def rows_of(doc) -> list[dict]:
	return [row.as_dict() for row in doc.get(TABLE) or []]


def category_steps(category: str | None) -> list[dict]:
	if not category:
		return []
	return frappe.get_all(
		STEP_DOCTYPE,
		filters={"parent": category, "parenttype": "Complaint Category", "parentfield": TABLE},
		fields=["step", "actor", "closes_case", "conditional", "seed_reference"],
		order_by="idx asc",
	)


def before_save(doc) -> None:
	"""Complaint ``validate``: fill the steps from a new category; otherwise keep them as stored."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	stored = rows_of(before) if before else []
	tick = doc.flags.step_tick
	try:
		if tick:
			number, values = tick
			stored[number - 1].update(values)
			checklist.check_unchanged(stored, rows_of(doc))
		elif doc.is_new() or (before and (before.category or None) != (doc.category or None)):
			checklist.check_category_change(stored)
			doc.set(TABLE, checklist.rows_from_steps(category_steps(doc.category)))
		else:
			checklist.check_unchanged(stored, rows_of(doc))
	except RuleViolation as violation:
		throw(violation, title=_("Not Allowed"))
	finally:
		doc.flags.step_tick = None


@frappe.whitelist(methods=["POST"])
def tick_step(complaint: str, step_idx: int | str, note: str | None = None) -> dict:
	"""Mark step ``step_idx`` (1-based) of ``complaint`` done, with what was done in ``note``.

	Only a user who may change the complaint (its holding unit or a unit above) ticks; when and
	by whom are the server's, never the caller's."""
	if not frappe.db.exists("Complaint", complaint or ""):
		frappe.throw(_("Complaint {0} does not exist.").format(complaint), frappe.DoesNotExistError)
	doc = frappe.get_doc("Complaint", complaint)
	if not doc.has_permission("write") or not permissions.unit_in_reach(doc.current_unit):
		frappe.throw(
			_("Only officers of the unit handling this complaint can tick its steps."), frappe.PermissionError
		)
	if doc.workflow_state in NO_TICKS_IN:
		frappe.throw(
			_("This complaint is {0}; its handling steps can no longer be ticked.").format(
				_(doc.workflow_state)
			),
			title=_("Not Allowed"),
		)
	try:
		number = int(step_idx)
	except (TypeError, ValueError):
		number = step_idx
	try:
		values = checklist.tick(
			rows_of(doc),
			number,
			identity.masked_for(doc.name, note or ""),
			frappe.session.user,
			now_datetime(),
		)
	except RuleViolation as violation:
		throw(violation, title=_("Cannot Tick the Step"))
	doc.get(TABLE)[number - 1].update(values)
	doc.flags.step_tick = (number, values)
	doc.save()
	rows = rows_of(doc)
	entry = checklist.tick_message(number, rows)
	text = _(entry["message"]).format(**{k: escape_html(str(v)) for k, v in entry["params"].items()})
	doc.add_comment("Info", text)
	return {"progress": checklist.progress(rows), "message": text}


def public_progress(complaint: str) -> dict | None:
	"""The tracking page's view: the steps in order, each with the day it was done (no note, no name)."""
	rows = frappe.get_all(
		CHILD,
		filters={"parent": complaint, "parenttype": "Complaint", "parentfield": TABLE},
		fields=["step", "done", "done_on"],
		order_by="idx asc",
		ignore_permissions=True,
	)
	if not rows:
		return None
	counts = checklist.progress(rows)
	return {"done": counts["done"], "total": counts["total"], "steps": checklist.public_steps(rows)}


def query_conditions(user: str | None = None) -> str:
	"""Step rows are read only with a complaint the user may read."""
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	return f"`tab{CHILD}`.`parent` in ({linked_records.readable_complaints(user)})"
