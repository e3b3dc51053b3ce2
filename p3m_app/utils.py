from functools import partial

import frappe
from frappe import _

from p3m_app.core.errors import RuleViolation


def throw(violation: RuleViolation, title: str | None = None):
	"""Show a pure rule's refusal, translated, and stop the request (nothing is saved)."""
	frappe.throw(_(violation.message).format(**violation.params), title=title or _("Not Allowed"))


def drop_cached(key: str) -> None:
	"""Delete a site cache key now, and again when the transaction is committed or rolled back:
	what was read in between (the old rows by another request, or this transaction's own rows) is
	never left cached. Frappe's clear_document_cache does the same for documents."""
	frappe.cache.delete_value(key)
	if getattr(frappe.db, "after_commit", None) is not None:
		frappe.db.after_commit.add(partial(frappe.cache.delete_value, key))
		frappe.db.after_rollback.add(partial(frappe.cache.delete_value, key))
