"""The sealed identity of confidential reporters: who may read it, and a record of every read.

A Reporter Identity is read one at a time, from its complaint, by Admin Nasional or by a
P3M Confidential Reader listed in a unit that reaches the complaint (its current or its
originating unit). Lists, counts and searches of identities answer nothing to anyone but
Administrator, so every read passes the single-document check below, which writes it to
Frappe's Access Log (readable by Admin Nasional).
"""

import frappe
from frappe.utils import now_datetime

from p3m_app import permissions, roles

VAULT = "Reporter Identity"
SEALED_TEXT = "Reporter Identity Sealed Text"


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	return "" if user == "Administrator" else "1=0"


def may_read(complaint: str | None, user: str) -> bool:
	if permissions.is_unrestricted(user):
		return bool(complaint)
	return roles.CONFIDENTIAL_READER in frappe.get_roles(user) and permissions.complaint_in_reach(
		complaint, user
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if (ptype or "read") not in ("read", "print", "email", "export"):
		# only the app writes identities, with ignore_permissions
		return None if user == "Administrator" else False
	allowed = may_read(doc.get("complaint") or doc.name, user)
	if allowed and not doc.is_new():
		record_read(doc.name, user, ptype or "read")
	# None defers to Frappe's role permissions, which a hook's True would skip
	return None if allowed else False


def record_read(name: str, user: str, ptype: str) -> None:
	"""One Access Log entry per identity, user and request."""
	seen = frappe.flags.setdefault("p3m_vault_reads", set())
	if (name, user) in seen:
		return
	seen.add((name, user))
	request = getattr(frappe.local, "request", None)
	frappe.get_doc(
		{
			"doctype": "Access Log",
			"user": user,
			"export_from": VAULT,
			"reference_document": name,
			"method": ptype.title(),
			"page": getattr(request, "path", None),
			"timestamp": now_datetime(),
		}
	).db_insert()
	# a GET request is rolled back at its end; the record of a read must stay
	frappe.local.flags.commit = True


def sealed_originals(name: str) -> dict[tuple[str, str, str], str]:
	rows = frappe.get_all(
		SEALED_TEXT,
		filters={"parent": name, "parenttype": VAULT},
		fields=["name", "source_doctype", "source_name", "source_field"],
	)
	return {(r.source_doctype, r.source_name, r.source_field): r.name for r in rows}


def keep_originals(complaint: str, originals: dict[tuple[str, str, str], str]) -> None:
	"""Store the originals of sealed texts in the complaint's vault (made if it has none)."""
	originals = {key: text for key, text in originals.items() if text}
	if not originals:
		return
	if not frappe.db.exists(VAULT, complaint):
		vault = frappe.get_doc({"doctype": VAULT, "complaint": complaint})
		vault.flags.ignore_permissions = True
		vault.insert()
	existing = sealed_originals(complaint)
	now = now_datetime()
	for key, text in originals.items():
		if key in existing:
			frappe.db.set_value(SEALED_TEXT, existing[key], {"original": text, "sealed_at": now})
			continue
		source_doctype, source_name, source_field = key
		row = frappe.get_doc(
			{
				"doctype": SEALED_TEXT,
				"parent": complaint,
				"parenttype": VAULT,
				"parentfield": "sealed_texts",
				"source_doctype": source_doctype,
				"source_name": source_name,
				"source_field": source_field,
				"sealed_at": now,
				"original": text,
			}
		)
		row.db_insert()


def identity_values(complaint: str) -> dict:
	"""The sealed identity of a complaint, for redaction (read server-side, never returned)."""
	from p3m_app.core.intake_rules import SEALED_FIELDS

	fields = [f for f in SEALED_FIELDS if f != "portal_user"]
	row = frappe.db.get_value(VAULT, complaint, fields, as_dict=True)
	return dict(row) if row else {}
