import frappe
from frappe import _

from p3m_app.core.errors import RuleViolation


def throw(violation: RuleViolation, title: str | None = None):
	"""Show a pure rule's refusal, translated, and stop the request (nothing is saved)."""
	frappe.throw(_(violation.message).format(**violation.params), title=title or _("Not Allowed"))
