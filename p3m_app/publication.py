"""PPID publication: only answers the PPID marked publishable reach the public portal.

The flag sits at permission level 1, which only the PPID role may write; the portal shows a
published answer with its category, unit and month, never the reporter or the subject line.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from p3m_app import roles
from p3m_app.core import public_view
from p3m_app.core import workflow_rules as wf


def before_save(doc) -> None:
	answered = doc.workflow_state in (wf.ANSWERED, wf.CLOSED)
	if doc.answer_publishable and not answered and doc.has_value_changed("workflow_state"):
		# reopened: the answer may change, so it goes back to the PPID
		doc.answer_publishable = 0
	if not doc.has_value_changed("answer_publishable"):
		return
	if doc.answer_publishable:
		has_response = bool(frappe.utils.strip_html(doc.response or "").strip())
		if not public_view.can_publish(doc.workflow_state, has_response):
			frappe.throw(_("Only an answered complaint can be published."), title=_("Not Allowed"))
		doc.published_at, doc.published_by = now_datetime(), frappe.session.user
	else:
		doc.published_at = doc.published_by = None


@frappe.whitelist()
def set_published(complaint: str, publish: int | str = 1) -> None:
	"""The PPID's decision on one answer (the PPID reads complaints but edits nothing else)."""
	if roles.PPID not in frappe.get_roles():
		frappe.throw(_("Only the PPID decides which answers are published."), frappe.PermissionError)
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("read")
	doc.answer_publishable = 1 if frappe.utils.cint(publish) else 0
	doc.save(ignore_permissions=True)


def published_answers(limit: int = 20) -> list[dict]:
	"""The latest published answers, with nothing that could identify a reporter."""
	rows = frappe.get_all(
		"Complaint",
		filters={"answer_publishable": 1, "workflow_state": ("in", [wf.ANSWERED, wf.CLOSED])},
		fields=["classification", "category", "current_unit", "response", "published_at"],
		order_by="published_at desc",
		limit=limit,
		ignore_permissions=True,
	)
	units = dict(
		frappe.get_all(
			"Unit",
			filters={"name": ("in", list({r.current_unit for r in rows if r.current_unit}) or [""])},
			fields=["name", "unit_name"],
			as_list=True,
		)
	)
	return [
		{
			"classification": r.classification,
			"category": r.category,
			"unit": units.get(r.current_unit, r.current_unit),
			"month": r.published_at.strftime("%Y-%m") if r.published_at else "",
			"answer": frappe.utils.sanitize_html(r.response or "", linkify=True),
		}
		for r in rows
	]
