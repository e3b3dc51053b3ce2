"""Follow a report by its tracking code, and the reporter's own actions on it.

The code is the reporter's key: whoever holds it sees the public view and may add
information, rate the answer or object to it. An unknown code and a malformed one get the
same answer after the same single lookup, so nothing tells an enumerator which codes exist.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime
from frappe.utils.html_utils import sanitize_html

from p3m_app import handling, identity
from p3m_app.core import portal_rules, public_view, tracking_code
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.portal import submission
from p3m_app.portal.context import acting_as
from p3m_app.programs.pkh import checklist
from p3m_app.utils import throw

VIEW_FIELDS = [
	"name",
	"tracking_code",
	"subject",
	"classification",
	"category",
	"channel",
	"workflow_state",
	"current_unit",
	"pending_reason",
	"response",
	"received_at",
	"verified_at",
	"first_response_at",
	"answered_at",
	"reopened_at",
	"closed_at",
	"autoclose_at",
	"rated_at",
	"reporter_rating",
]
NOT_FOUND = _("No report matches this tracking code. Check the code and try again.")


def find(code: str | None) -> dict | None:
	"""One indexed lookup, whatever the input looks like."""
	normalized = tracking_code.normalize(code)[:40]
	row = frappe.db.get_value("Complaint", {"tracking_code": normalized}, VIEW_FIELDS, as_dict=True)
	return row if row and tracking_code.is_well_formed(normalized) else None


def view(code: str | None) -> dict:
	row = find(code)
	if not row:
		return {"found": False, "message": _(NOT_FOUND)}
	now = now_datetime()
	state = row.workflow_state
	answer_visible = state in (wf.ANSWERED, wf.CLOSED) or bool(row.answered_at)
	return {
		"found": True,
		"tracking_code": tracking_code.display(row.tracking_code),
		"subject": row.subject,
		"classification": _(row.classification or ""),
		"category": row.category,
		"channel": _(row.channel or ""),
		"status": _(public_view.PUBLIC_STATUS.get(state, state)),
		"unit": frappe.db.get_value("Unit", row.current_unit, "unit_name") if row.current_unit else None,
		"information_needed": row.pending_reason if state == wf.PENDING else None,
		"answer": sanitize_html(row.response or "", linkify=True) if answer_visible else None,
		"events": [
			{"at": str(e["at"]), "text": _(e["message"]).format(**e["params"])}
			for e in public_view.events(row, dispositions(row.name))
		],
		"deadlines": deadlines(row.name),
		"handling_steps": handling_steps(row.name),
		"can_add_information": public_view.can_add_information(state),
		"can_rate": public_view.can_rate(state, bool(row.rated_at)),
		"can_object": public_view.can_object(
			state, get_datetime(row.autoclose_at) if row.autoclose_at else None, now
		),
		"object_until": str(row.autoclose_at) if row.autoclose_at else None,
		"rating": round((row.reporter_rating or 0) * 5) if row.rated_at else None,
	}


def dispositions(complaint: str) -> list[dict]:
	rows = frappe.get_all(
		"Disposition",
		filters={"complaint": complaint},
		fields=[
			"status",
			"kind",
			"from_unit",
			"to_unit",
			"external_agency",
			"public_explanation",
			"creation",
		],
		order_by="creation asc",
		ignore_permissions=True,
	)
	names = {u for r in rows for u in (r.from_unit, r.to_unit) if u}
	unit_names = (
		dict(
			frappe.get_all(
				"Unit", filters={"name": ("in", list(names))}, fields=["name", "unit_name"], as_list=True
			)
		)
		if names
		else {}
	)
	for r in rows:
		r.from_unit, r.to_unit = (
			unit_names.get(r.from_unit, r.from_unit),
			unit_names.get(r.to_unit, r.to_unit),
		)
	return rows


def deadlines(complaint: str) -> list[dict]:
	rows = frappe.get_all(
		"Complaint SLA Milestone",
		filters={"parent": complaint, "parenttype": "Complaint"},
		fields=["milestone", "due_at", "met_at"],
		order_by="idx asc",
		ignore_permissions=True,
	)
	return [
		{
			"milestone": _(public_view.PUBLIC_MILESTONES.get(r.milestone, r.milestone)),
			"due": str(r.due_at.date()) if r.due_at else None,
			"met": bool(r.met_at),
		}
		for r in rows
	]


def handling_steps(complaint: str) -> dict | None:
	"""The checklist of the complaint's type in plain words: each step and the day it was done."""
	progress = checklist.public_progress(complaint)
	if not progress:
		return None
	return {
		"summary": _(public_view.STEP_PROGRESS).format(done=progress["done"], total=progress["total"]),
		"steps": [
			{
				"step": s["step"],
				"status": _(public_view.STEP_DONE_ON).format(date=s["done_on"])
				if s["done_on"]
				else _(public_view.STEP_OPEN),
				"done": bool(s["done_on"]),
			}
			for s in progress["steps"]
		],
	}


def require(code: str | None) -> dict:
	row = find(code)
	if not row:
		frappe.throw(_(NOT_FOUND), title=_("Not Found"))
	return row


def add_information(code: str, message: str, files: list[tuple[str, bytes]]) -> dict:
	"""The reporter answers a Pending request; the complaint goes back to verification."""
	row = require(code)
	if not public_view.can_add_information(row.workflow_state):
		frappe.throw(_("Information can be added only while we are waiting for it."), title=_("Not Allowed"))
	text = checked_text(message, _("Additional information"))
	try:
		attachments = portal_rules.check_attachments(files)
	except RuleViolation as violation:
		throw(violation, title=_("Please check your attachments"))
	doc = frappe.get_doc("Complaint", row.name)
	text = identity.masked_for(doc.name, text)
	with acting_as("Guest"):
		doc.add_comment("Comment", text, comment_by=_("Reporter"))
		submission.save_attachments(doc.name, attachments)
	with acting_as("Administrator"):
		handling.act(doc, wf.ACTION_RESUME)
	return view(code)


def rate(code: str, rating: int | str, feedback: str | None) -> dict:
	row = require(code)
	if not public_view.can_rate(row.workflow_state, bool(row.rated_at)):
		frappe.throw(_("This report cannot be rated now."), title=_("Not Allowed"))
	stars = frappe.utils.cint(rating)
	if not 1 <= stars <= 5:
		frappe.throw(_("Give a rating from 1 to 5."), title=_("Not Allowed"))
	text = identity.masked_for(row.name, checked_text(feedback or "", _("Feedback"), required=False))
	frappe.db.set_value(
		"Complaint",
		row.name,
		{"reporter_rating": stars / 5, "reporter_feedback": text, "rated_at": now_datetime()},
		# an officer's open form is now stale: saving it must not carry the old rating back
		update_modified=True,
	)
	return view(code)


def object_to_answer(code: str, reason: str) -> dict:
	"""Tidak puas: the reporter's objection reopens the complaint within the policy window."""
	row = require(code)
	autoclose_at = get_datetime(row.autoclose_at) if row.autoclose_at else None
	if not public_view.can_object(row.workflow_state, autoclose_at, now_datetime()):
		frappe.throw(_("The time to object to this answer has passed."), title=_("Not Allowed"))
	text = checked_text(reason, _("Reason for objecting"))
	with acting_as("Administrator"):
		handling.act(
			row.name, wf.ACTION_REOPEN, reopen_reason=_("Reporter objected: {0}").format(text)[:2000]
		)
	return view(code)


def checked_text(value: str | None, label: str, required: bool = True) -> str:
	try:
		return portal_rules.clean_text(value, label, required=required)
	except RuleViolation as violation:
		throw(violation, title=_("Please check your input"))
