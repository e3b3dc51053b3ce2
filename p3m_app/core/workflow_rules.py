"""The complaint workflow as data, and the server-side guards on its transitions.

Who may take which transition (states, actions, roles) lives in the shipped Frappe
Workflow record (``p3m_app/p3m_app/workflow/complaint_workflow``) and Frappe enforces it.
This module reads the same file and adds what Frappe's table cannot say: the data a
transition needs (a target unit to dispose, a response to answer, ...).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from p3m_app.core.errors import RuleViolation, _

WORKFLOW_FILE = (
	Path(__file__).resolve().parent.parent
	/ "p3m_app"
	/ "workflow"
	/ "complaint_workflow"
	/ "complaint_workflow.json"
)

NEW = "Baru"
VERIFICATION = "Verifikasi"
PENDING = "Pending"
DISPOSED = "Didisposisikan"
IN_PROGRESS = "Ditindaklanjuti"
ANSWERED = "Dijawab"
CLOSED = "Selesai"
ARCHIVED = "Diarsipkan"
RETURNED = "Dikembalikan"
REOPENED = "Dibuka Kembali"

STATE_STYLES = {
	NEW: "Warning",
	VERIFICATION: "Primary",
	PENDING: "Warning",
	DISPOSED: "Primary",
	IN_PROGRESS: "Primary",
	ANSWERED: "Success",
	CLOSED: "Success",
	ARCHIVED: "Inverse",
	RETURNED: "Danger",
	REOPENED: "Danger",
}

# Monitoring groups used by SP4N-LAPOR! recaps (BELUM / PROSES / SELESAI).
STATUS_GROUPS = {
	NEW: "Belum",
	VERIFICATION: "Belum",
	PENDING: "Belum",
	DISPOSED: "Proses",
	IN_PROGRESS: "Proses",
	RETURNED: "Proses",
	REOPENED: "Proses",
	ANSWERED: "Selesai",
	CLOSED: "Selesai",
	ARCHIVED: "Selesai",
}
FINAL_STATES = frozenset({CLOSED, ARCHIVED})

ACTION_DISPOSE = "Dispose"
ACTION_ACCEPT = "Accept"
ACTION_HANDLE = "Handle Directly"
ACTION_RETURN = "Return (Bukan Wewenang)"
ACTION_FORWARD = "Forward to Other Agency"
ACTION_ANSWER = "Answer"
ACTION_CLOSE = "Close"
ACTION_REOPEN = "Reopen"
ACTION_VERIFY = "Verify"
ACTION_PENDING = "Mark Pending"
ACTION_RESUME = "Resume"
ACTION_ARCHIVE = "Archive"
ACTION_REFER_UP = "Refer Up"
ACTION_FORWARD_FOLLOW = "Forward and Keep Following"


@dataclass(frozen=True)
class Transition:
	action: str
	from_state: str
	to_state: str
	roles: frozenset


@cache
def load_workflow() -> dict:
	with open(WORKFLOW_FILE, encoding="utf-8") as f:
		return json.load(f)


@cache
def transitions() -> dict[tuple[str, str], Transition]:
	"""(from state, action) -> Transition; an action leads from a state to one state only."""
	by_key: dict[tuple[str, str], dict] = {}
	for row in load_workflow()["transitions"]:
		key = (row["state"], row["action"])
		entry = by_key.setdefault(key, {"to": row["next_state"], "roles": set()})
		if entry["to"] != row["next_state"]:
			raise ValueError(f"{key[1]} leads from {key[0]} to two states")
		entry["roles"].add(row["allowed"])
	return {
		key: Transition(key[1], key[0], entry["to"], frozenset(entry["roles"]))
		for key, entry in by_key.items()
	}


def states() -> list[str]:
	seen = []
	for row in load_workflow()["states"]:
		if row["state"] not in seen:
			seen.append(row["state"])
	return seen


def find_transition(
	from_state: str, to_state: str, action: str | None = None, actor_roles: frozenset | None = None
) -> Transition:
	"""The transition a state change took. Two actions may lead to the same state (Dispose and
	Refer Up both end in Didisposisikan), so the action the user chose decides; without it (a
	plain save), the change is read as the one action the user's roles allow between the states."""
	candidates = [t for t in transitions().values() if t.from_state == from_state and t.to_state == to_state]
	if action:
		candidates = [t for t in candidates if t.action == action]
	elif actor_roles is not None and len(candidates) > 1:
		candidates = [t for t in candidates if t.roles & actor_roles]
	if not candidates:
		raise RuleViolation(
			_("A complaint cannot move from {from_state} to {to_state}."),
			from_state=from_state,
			to_state=to_state,
		)
	if len(candidates) > 1:
		raise RuleViolation(
			_("Choose the action from the complaint's Actions menu: {actions}."),
			actions=", ".join(sorted(t.action for t in candidates)),
		)
	return candidates[0]


# field -> message when empty; checked for the action that needs it
_REQUIRED_FIELDS = {
	ACTION_VERIFY: [
		("classification", _("Classify the complaint before verifying it.")),
		("category", _("Choose a category before verifying the complaint.")),
	],
	ACTION_PENDING: [
		("pending_reason", _("Say what is missing from the reporter before marking it Pending."))
	],
	ACTION_ARCHIVE: [("archive_reason", _("Give the reason for archiving the complaint."))],
	ACTION_DISPOSE: [("dispose_to_unit", _("Choose the unit to dispose the complaint to."))],
	ACTION_REFER_UP: [("refer_reason", _("Give the reason for referring the complaint up."))],
	ACTION_RETURN: [
		("return_reason", _("Give the reason why the complaint is not your unit's authority.")),
		(
			"return_public_explanation",
			_("Write a plain-language explanation for the reporter of why the complaint is returned."),
		),
	],
	ACTION_FORWARD: [
		("external_agency", _("Name the agency the complaint is forwarded to.")),
		("external_reference", _("Give the reference (letter or ticket number) of the forward.")),
		("external_date", _("Give the date of the forward.")),
	],
	ACTION_FORWARD_FOLLOW: [
		("external_agency", _("Name the agency the complaint is forwarded to.")),
		("external_reference", _("Give the reference (letter or ticket number) of the forward.")),
		("external_date", _("Give the date of the forward.")),
		("external_follow_up_date", _("Give the date by which to follow up with the other agency.")),
	],
	ACTION_ANSWER: [("response", _("Write the response before answering the complaint."))],
	ACTION_REOPEN: [("reopen_reason", _("Give the reason for reopening the complaint."))],
}

# actions only the unit that holds the complaint may take
_HOLDER_ACTIONS = {ACTION_ACCEPT, ACTION_RETURN, ACTION_ANSWER, ACTION_REFER_UP}


def guard(from_state: str, to_state: str, facts: dict, action: str | None = None) -> Transition:
	"""Raise RuleViolation unless the transition's data conditions hold.

	``action`` is the workflow action the user chose, when known. ``facts`` holds the
	complaint's field values plus:
	- ``actor_roles``: the user's roles (to read a plain save between two states);
	- ``actor_is_national``: the user is a national admin (may act for any unit);
	- ``actor_in_current_unit``: the user is an officer of the unit holding the complaint;
	- ``has_open_disposition``: the complaint reached its unit through a disposition.
	"""
	transition = find_transition(from_state, to_state, action, facts.get("actor_roles"))
	action = transition.action
	for fieldname, message in _REQUIRED_FIELDS.get(action, []):
		value = facts.get(fieldname)
		if value is None or (isinstance(value, str) and not _visible_text(value)):
			raise RuleViolation(message)
	if action in _HOLDER_ACTIONS and not (
		facts.get("actor_is_national") or facts.get("actor_in_current_unit")
	):
		raise RuleViolation(
			_(
				"Only officers of {unit}, which holds the complaint, can {action} it; a higher unit may take it over first."
			),
			unit=facts.get("current_unit") or "?",
			action=action,
		)
	if action == ACTION_RETURN and not facts.get("has_open_disposition"):
		raise RuleViolation(
			_(
				"This complaint was not disposed to your unit, so there is no one to return it to. Archive it or forward it to another agency instead."
			)
		)
	return transition


def _visible_text(value: str) -> str:
	"""Text without HTML tags and whitespace: an editor's empty <p></p> is empty."""
	out, inside = [], False
	for ch in value:
		if ch == "<":
			inside = True
		elif ch == ">":
			inside = False
		elif not inside:
			out.append(ch)
	return "".join(out).replace("&nbsp;", "").strip()
