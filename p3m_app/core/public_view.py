"""What a reporter holding the tracking code may see, built from stored facts.

Only states, dates, unit names, due dates and public texts: never the reporter's identity,
internal notes, instructions, return reasons or officer names.
"""

from datetime import datetime

from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import _

PUBLIC_STATUS = {
	wf.NEW: _("Received"),
	wf.VERIFICATION: _("Being verified"),
	wf.PENDING: _("Waiting for your information"),
	wf.DISPOSED: _("Being handled"),
	wf.IN_PROGRESS: _("Being handled"),
	wf.RETURNED: _("Being handled"),
	wf.REOPENED: _("Reopened"),
	wf.ANSWERED: _("Answered"),
	wf.CLOSED: _("Closed"),
	wf.ARCHIVED: _("Archived"),
}
# the complaint's own timestamps, in the order they happen
STAMPS = (
	("received_at", _("Report received")),
	("verified_at", _("Report verified")),
	("first_response_at", _("First response by the unit")),
	("answered_at", _("Answer given")),
	("reopened_at", _("Reopened after an objection or review")),
	("closed_at", _("Report closed")),
)
DISPOSITION_EVENTS = {
	"Sent": _("Forwarded to {unit}"),
	"Accepted": _("Taken up by {unit}"),
	"Returned": _("Returned by {unit}: not within its authority"),
	"Forwarded": _("Forwarded to another agency: {agency}"),
	"Answered": _("Answered by {unit}"),
}
# steps between levels, in plain words; a copy (tembusan) is internal and not shown
KIND_EVENTS = {
	"Referral": _("Referred up to {unit}, which can settle it"),
	"Help Request": _("{unit} was asked to help"),
	"Take-over": _("Taken over by {unit} to handle it directly"),
}
HIDDEN_KINDS = frozenset({"Copy"})
# the handling checklist of the complaint's type (p3m_app.core.checklist.public_steps)
STEP_PROGRESS = _("{done} of {total} handling steps done")
STEP_DONE_ON = _("done on {date}")
STEP_OPEN = _("not done yet")
PUBLIC_MILESTONES = {
	"Verification": _("Verification"),
	"Disposition per Level": _("Forwarding to the unit in charge"),
	"First Response": _("First response"),
	"Resolution": _("Resolution"),
	"Inform Reporter": _("Informing you of the result"),
	"Auto Close": _("Closing if you do not object"),
}


def events(stamps: dict, dispositions: list[dict]) -> list[dict]:
	"""Dated public events, oldest first; each is a message key with its parameters."""
	rows = [
		{"at": stamps[field], "message": label, "params": {}} for field, label in STAMPS if stamps.get(field)
	]
	for d in dispositions:
		kind = d.get("kind") or "Disposition"
		if kind in HIDDEN_KINDS:
			continue
		status = d.get("status")
		message = KIND_EVENTS.get(kind) or DISPOSITION_EVENTS.get(status)
		if status == "Forwarded" and d.get("to_unit") and kind not in KIND_EVENTS:
			message = DISPOSITION_EVENTS["Sent"]  # passed on further down: it did reach this unit
		if not message:
			continue
		unit = d.get("from_unit") if status == "Returned" else d.get("to_unit")
		params = {"unit": unit or "", "agency": d.get("external_agency") or ""}
		rows.append({"at": d.get("creation"), "message": message, "params": params})
		if d.get("status") == "Returned" and d.get("public_explanation"):
			rows.append(
				{"at": d.get("creation"), "message": "{text}", "params": {"text": d["public_explanation"]}}
			)
	return sorted(rows, key=lambda r: r["at"] or datetime.min)


def can_add_information(state: str) -> bool:
	return state == wf.PENDING


def can_rate(state: str, rated: bool) -> bool:
	return state in (wf.ANSWERED, wf.CLOSED) and not rated


def can_object(state: str, autoclose_at: datetime | None, now: datetime) -> bool:
	"""An objection reopens an answered complaint, until the policy closes it."""
	return state == wf.ANSWERED and (autoclose_at is None or now < autoclose_at)


def can_publish(state: str, has_response: bool) -> bool:
	"""The PPID may publish an answer once there is one to publish."""
	return state in (wf.ANSWERED, wf.CLOSED) and has_response
