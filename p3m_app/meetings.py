"""Coordination meetings: who sees them, and where they show up on a complaint.

A meeting is read by the units in reach of its organising unit or of any participating unit
(the same nested-set reach as complaints); only the organising unit's side may change it.
"""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime

from p3m_app import permissions
from p3m_app.core import meeting_rules

DOCTYPE = "Coordination Meeting"


def meeting_units(doc) -> list[str]:
	return [doc.get("organising_unit"), *[row.get("unit") for row in doc.get("participating_units") or []]]


def meeting_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	return meeting_rules.scope_condition(permissions.unit_bounds(user))


def has_meeting_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return True
	if doc.is_new() and not doc.get("organising_unit"):
		# the mandatory check refuses it before anything is saved
		return True
	if (ptype or "read") in meeting_rules.READ_PTYPES:
		return permissions.any_unit_in_reach(meeting_units(doc), user)
	return permissions.unit_in_reach(doc.get("organising_unit"), user)


def timeline_entries(doctype: str, docname: str) -> list[dict]:
	"""``additional_timeline_content`` for Complaint: the meetings that discussed it, only those
	the user may read."""
	if not frappe.has_permission(DOCTYPE, "read"):
		return []
	meetings = frappe.get_list(
		DOCTYPE,
		filters=[["Coordination Meeting Complaint", "complaint", "=", docname]],
		fields=["name", "title", "meeting_date", "status"],
		order_by="meeting_date asc",
		distinct=True,
		limit_page_length=0,
	)
	return [
		{"icon": "calendar", "creation": meeting.meeting_date, "content": timeline_text(meeting)}
		for meeting in meetings
	]


def timeline_text(meeting) -> str:
	href = f"/app/coordination-meeting/{quote(meeting.name, safe='')}"
	link = f'<a href="{href}">{escape_html(meeting.title or meeting.name)}</a>'
	return _("Discussed in coordination meeting {0} on {1} ({2})").format(
		link, escape_html(format_datetime(meeting.meeting_date)), escape_html(_(meeting.status))
	)
