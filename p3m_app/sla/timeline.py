"""Escalations on the complaint's timeline, from the log the SLA sweep appends to.

The sweep writes no comment per escalation (that would double its cost at national scale);
it appends a line (p3m_app.core.escalation_log) to ``Complaint.sla_escalations`` in the
statement that escalates, and Frappe's ``additional_timeline_content`` hook shows each line.
"""

import frappe
from frappe import _
from frappe.utils import format_date, get_datetime

from p3m_app.core.escalation_log import parse


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
