"""Follow a report by its tracking code."""

from frappe import _

from p3m_app.core import portal_rules

no_cache = 1


def get_context(context):
	context.title = _("Track a Report")
	context.accept = ",".join("." + ext for ext in sorted(portal_rules.SIGNATURES))
	return context
