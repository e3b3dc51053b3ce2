"""Frappe's Assignment Rule, Workflow Action and Energy Point hooks, held back for one intake document.

Frappe runs ``assignment_rule.apply``, ``workflow_action.process_workflow_actions`` and
``energy_point_rule.process_energy_points`` on every save of every document (``doc_events["*"]``
in its hooks.py). None has a switch for one document (``apply`` only skips patches, installs and
the setup wizard, for everything at once), and an app cannot remove another app's hook. So the
functions are wrapped once per process: a document whose ``flags.p3m_followups_deferred`` is set (a
portal or mail intake insert) is passed over, and its follow-up job (p3m_app.intake.followups)
calls them later. Any other document, and the job's freshly loaded copy, goes straight through to
Frappe's code.
"""

import functools

from frappe.automation.doctype.assignment_rule import assignment_rule
from frappe.social.doctype.energy_point_rule import energy_point_rule
from frappe.workflow.doctype.workflow_action import workflow_action

FLAG = "p3m_followups_deferred"
WRAPPED = (
	(assignment_rule, "apply"),
	(workflow_action, "process_workflow_actions"),
	(energy_point_rule, "process_energy_points"),
)


def install() -> None:
	"""Idempotent: a module imported again (reload) is wrapped again, a wrapped one is left alone."""
	for module, name in WRAPPED:
		current = getattr(module, name)
		if not getattr(current, "p3m_original", None):
			setattr(module, name, passing_over_deferred(current))


def passing_over_deferred(original):
	@functools.wraps(original)
	def hook(doc=None, *args, **kwargs):
		flags = getattr(doc, "flags", None)
		if flags and flags.get(FLAG):
			return None
		return original(doc, *args, **kwargs)

	hook.p3m_original = original
	return hook


def defer(doc) -> None:
	"""Mark a document about to be saved: Frappe's wrapped hooks pass over this save of it."""
	install()
	doc.flags[FLAG] = True


def is_installed() -> bool:
	return all(getattr(getattr(module, name), "p3m_original", None) for module, name in WRAPPED)
