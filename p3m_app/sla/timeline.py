"""Escalations on the complaint's timeline, from the log the SLA sweep appends to.

The sweep writes no comment per escalation (that would double its cost at national scale);
it appends a line "milestone|due at|escalated to" to ``Complaint.sla_escalations`` in the
statement that escalates, and Frappe's ``additional_timeline_content`` hook shows each line.
"""

import frappe
from frappe import _
from frappe.utils import format_date, get_datetime

SEPARATOR = "|"


def parse(log: str | None) -> list[tuple[str, str, str]]:
	"""(milestone, due at as the sweep wrote it, escalated to) per escalation, oldest first."""
	entries = []
	for line in (log or "").splitlines():
		parts = line.split(SEPARATOR)
		if len(parts) == 3 and parts[0]:
			entries.append((parts[0], parts[1], parts[2]))
	return entries


def due_key(value) -> str:
	"""A deadline in the sweep's own format (``%Y-%m-%d %H:%i:%s.%f``)."""
	return get_datetime(value).strftime("%Y-%m-%d %H:%M:%S.%f") if value else ""


def text(milestone: str, due_at, escalated_to: str) -> str:
	line = _("Time limit passed: {0} was due {1}").format(_(milestone), format_date(due_at))
	if escalated_to:
		line += _("; escalated to {0}").format(_(escalated_to))
	return line


def escalation_entries(doctype: str, docname: str) -> list[dict]:
	log = frappe.db.get_value("Complaint", docname, "sla_escalations")
	return [
		{
			"icon": "alert",
			"creation": get_datetime(due_at),
			"content": frappe.utils.escape_html(text(milestone, due_at, escalated_to)),
		}
		for milestone, due_at, escalated_to in parse(log)
	]
