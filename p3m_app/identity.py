"""Reporter identity: none for anonymous reports, sealed away for confidential ones.

A confidential complaint's identity lives in its own Reporter Identity record, readable
only by roles allowed to; the complaint row keeps none, so no list, report, export or
email built from complaints can carry it. Version history never records identity values.
"""

import json

import frappe
from frappe import _

from p3m_app.core.intake_rules import SEALED_FIELDS, has_identity

MASK = "•••"


def seal_before_save(doc) -> None:
	"""Move a confidential complaint's identity off the complaint row."""
	before = doc.get_doc_before_save()
	if before and before.is_confidential and not doc.is_confidential:
		frappe.throw(_("A confidential complaint cannot be made public again."), title=_("Not Allowed"))
	if not doc.is_confidential or not has_identity(doc.as_dict(), SEALED_FIELDS):
		doc.flags.identity_to_seal = None
		return
	doc.flags.identity_to_seal = {f: (doc.get(f) or "").strip() for f in SEALED_FIELDS}
	for fieldname in SEALED_FIELDS:
		doc.set(fieldname, None)
	doc.identity_sealed = 1


def seal_after_save(doc) -> None:
	values = doc.flags.identity_to_seal
	if not values:
		return
	if frappe.db.exists("Reporter Identity", doc.name):
		vault = frappe.get_doc("Reporter Identity", doc.name)
		vault.update({k: v for k, v in values.items() if v})
	else:
		vault = frappe.get_doc({"doctype": "Reporter Identity", "complaint": doc.name, **values})
	vault.flags.ignore_permissions = True
	vault.save()
	doc.flags.identity_to_seal = None


# recomputed by the SLA engine on every save; the timeline shows breaches as their own entries
SLA_BOOKKEEPING = frozenset(
	{
		"sla_milestones",
		"sla_status",
		"sla_current_due",
		"sla_due_soon_at",
		"sla_policy",
		"autoclose_at",
		"level_arrived_at",
		"level_acted_at",
		"paused_since",
		"paused_days",
		"reopened_at",
		"sla_escalations",
		"sla_sweep_token",
	}
)


def mask_version(doc, method=None) -> None:
	"""Version hook: keep that an identity field changed, never its values; drop SLA bookkeeping."""
	if doc.ref_doctype != "Complaint" or not doc.data:
		return
	data = json.loads(doc.data)
	for row in data.get("changed") or []:
		if row and row[0] in SEALED_FIELDS:
			row[1] = MASK if row[1] else row[1]
			row[2] = MASK if row[2] else row[2]
	data["changed"] = [row for row in data.get("changed") or [] if row and row[0] not in SLA_BOOKKEEPING]
	for key in ("added", "removed", "row_changed"):
		data[key] = [row for row in data.get(key) or [] if row and row[0] not in SLA_BOOKKEEPING]
	doc.data = frappe.as_json(data)
