"""A signed-in citizen's own reports ("My complaints") and the portal permission behind it.

A report is the citizen's when it was filed from their account: ``portal_user`` on the
complaint, or on its sealed identity record when the report is confidential. Anonymous
reports are nobody's: they are followed by code only.
"""

import frappe
from frappe.query_builder import DocType

from p3m_app.core import public_view, tracking_code


def owned_names(user: str) -> list[str]:
	if not user or user == "Guest":
		return []
	complaint, vault = DocType("Complaint"), DocType("Reporter Identity")
	direct = frappe.qb.from_(complaint).select(complaint.name).where(complaint.portal_user == user)
	sealed = frappe.qb.from_(vault).select(vault.complaint).where(vault.portal_user == user)
	return [r[0] for r in direct.run()] + [r[0] for r in sealed.run()]


def has_website_permission(doc, ptype, user, verbose=False) -> bool:
	if ptype != "read":
		return False
	return doc.name in owned_names(user)


def my_complaints(user: str) -> list[dict]:
	names = owned_names(user)
	if not names:
		return []
	rows = frappe.get_all(
		"Complaint",
		filters={"name": ("in", names)},
		fields=["tracking_code", "subject", "classification", "workflow_state", "received_at"],
		order_by="received_at desc",
		ignore_permissions=True,
	)
	return [
		{
			"tracking_code": tracking_code.display(r.tracking_code),
			"subject": r.subject,
			"classification": r.classification,
			"status": public_view.PUBLIC_STATUS.get(r.workflow_state, r.workflow_state),
			"received_at": r.received_at,
		}
		for r in rows
	]
