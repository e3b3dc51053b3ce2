"""Public transparency: aggregate statistics and the answers the PPID published."""

from frappe import _

from p3m_app.portal.stats import statistics
from p3m_app.publication import published_answers

no_cache = 1
sitemap = 1


def get_context(context):
	context.title = _("Complaint Statistics")
	context.stats = statistics()
	context.answers = published_answers()
	return context
