"""Reporter identity: none for anonymous reports, sealed away for confidential ones.

A confidential complaint's identity lives in its own Reporter Identity record, readable
only as p3m_app.access.vault allows; the complaint row keeps none, so no list, report, export
or email built from complaints can carry it. Known identity values are also masked in the
complaint's free text and its e-mails (the originals go to the vault too). Version history
never records identity values.
"""

import json

import frappe
from frappe import _

from p3m_app.access import mail_sealing, vault
from p3m_app.core import redaction
from p3m_app.core.intake_rules import SEALED_FIELDS, has_identity

MASK = redaction.MASK
# free text a reporter or an officer writes, where a confidential reporter's name may stand
TEXT_FIELDS = (
	"subject",
	"description",
	"chronology",
	"location_detail",
	"wb_who",
	"wb_what",
	"wb_when",
	"wb_where",
	"wb_how",
	"information_requested",
	"pending_reason",
	"return_public_explanation",
	"response",
	"reopen_reason",
)


def seal_before_save(doc) -> None:
	"""Move a confidential complaint's identity off the complaint row."""
	before = doc.get_doc_before_save()
	if before and before.is_confidential and not doc.is_confidential:
		frappe.throw(_("A confidential complaint cannot be made public again."), title=_("Not Allowed"))
	doc.flags.identity_to_seal = None
	doc.flags.texts_to_seal = None
	doc.flags.newly_confidential = bool(doc.is_confidential and not (before and before.is_confidential))
	if not doc.is_confidential:
		return
	known = {} if doc.is_new() else vault.identity_values(doc.name)
	if has_identity(doc.as_dict(), SEALED_FIELDS):
		doc.flags.identity_to_seal = {f: (doc.get(f) or "").strip() for f in SEALED_FIELDS}
		known.update({k: v for k, v in doc.flags.identity_to_seal.items() if v and k != "portal_user"})
		for fieldname in SEALED_FIELDS:
			doc.set(fieldname, None)
		doc.identity_sealed = 1
	masked = redaction.redact_all({f: doc.get(f) for f in TEXT_FIELDS}, known, identifiers=True)
	doc.flags.texts_to_seal = {("Complaint", doc.name, f): doc.get(f) for f in masked}
	doc.update(masked)


def masked_for(complaint: str, text: str) -> str:
	"""What a reporter writes later (added information, feedback) on a confidential complaint,
	stored like its other text: known identity values and identifiers masked."""
	if not frappe.db.get_value("Complaint", complaint, "is_confidential"):
		return text
	return redaction.redact(text, vault.identity_values(complaint), identifiers=True)


def seal_after_save(doc) -> None:
	values = doc.flags.identity_to_seal
	if values:
		write_vault(doc, values)
	if doc.flags.texts_to_seal:
		vault.keep_originals(doc.name, doc.flags.texts_to_seal)
		doc.flags.texts_to_seal = None
	if doc.flags.newly_confidential:
		doc.flags.newly_confidential = False
		mail_sealing.seal_existing(doc.name)


def write_vault(doc, values: dict) -> None:
	if frappe.db.exists("Reporter Identity", doc.name):
		record = frappe.get_doc("Reporter Identity", doc.name)
		record.update({k: v for k, v in values.items() if v})
	else:
		record = frappe.get_doc({"doctype": "Reporter Identity", "complaint": doc.name, **values})
	record.flags.ignore_permissions = True
	record.save()
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
	known = vault.identity_values(doc.docname)
	for row in data.get("changed") or []:
		if row and row[0] in SEALED_FIELDS:
			row[1] = MASK if row[1] else row[1]
			row[2] = MASK if row[2] else row[2]
		elif row and known:
			row[1] = redaction.redact(row[1], known, identifiers=True)
			row[2] = redaction.redact(row[2], known, identifiers=True)
	data["changed"] = [row for row in data.get("changed") or [] if row and row[0] not in SLA_BOOKKEEPING]
	for key in ("added", "removed", "row_changed"):
		data[key] = [row for row in data.get(key) or [] if row and row[0] not in SLA_BOOKKEEPING]
	doc.data = frappe.as_json(data)
