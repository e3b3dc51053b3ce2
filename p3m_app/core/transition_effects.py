"""What a workflow transition changes, decided without touching the database.

The Complaint controller applies the plan: it sets the fields on the complaint in the
same save, and writes the disposition ledger in the same transaction.
"""

from dataclasses import dataclass, field

from p3m_app.core import workflow_rules as wf

# Disposition statuses
SENT = "Sent"
ACCEPTED = "Accepted"
RETURNED = "Returned"
FORWARDED = "Forwarded"
ANSWERED = "Answered"
INFORMED = "Informed"  # a copy or a help request: the unit is told, nothing moves
OPEN_DISPOSITION_STATUSES = (SENT, ACCEPTED)

# Disposition kinds
DISPOSITION = "Disposition"
REFERRAL = "Referral"
HELP_REQUEST = "Help Request"
TAKE_OVER = "Take-over"
COPY = "Copy"


@dataclass
class DispositionUpdate:
	status: str
	values: dict = field(default_factory=dict)


@dataclass
class NewDisposition:
	from_unit: str
	to_unit: str | None
	status: str
	values: dict = field(default_factory=dict)


@dataclass
class Plan:
	complaint_values: dict = field(default_factory=dict)
	# change to the disposition that brought the complaint to its current unit
	open_disposition: DispositionUpdate | None = None
	new_disposition: NewDisposition | None = None
	# fields cleared once their content has moved into the ledger
	clear_fields: tuple = ()
	# a return hands the complaint back: the disposition that had brought it to the
	# receiving unit (marked Forwarded when it was passed on) is in effect again
	reactivate_disposition_to: str | None = None


def plan(action: str, complaint: dict, open_disposition: dict | None, now, actor: str) -> Plan:
	"""``complaint`` is the complaint's values after the user's edit; ``open_disposition``
	is its latest Sent/Accepted disposition to the current unit (or None)."""
	result = Plan()
	values = result.complaint_values
	current_unit = complaint.get("current_unit")
	responded = {"responded_at": now, "responded_by": actor}
	if action not in NOT_BY_HOLDING_LEVEL and not complaint.get("level_received_at"):
		# the holding level has the complaint in hand (the Receipt milestone); a Dispose or
		# Return below clears it again, for the level the complaint arrives at
		values["level_received_at"] = now

	if action == wf.ACTION_VERIFY:
		values["verified_at"] = now
	elif action == wf.ACTION_DISPOSE:
		_send(result, current_unit, complaint["dispose_to_unit"], open_disposition, responded, now)
		result.new_disposition.values["instruction"] = complaint.get("disposition_instruction") or ""
		if not complaint.get("disposed_at"):
			values["disposed_at"] = now
		result.clear_fields = ("dispose_to_unit", "disposition_instruction")
	elif action == wf.ACTION_REFER_UP:
		_send(result, current_unit, complaint["refer_to_unit"], open_disposition, responded, now)
		# the referring unit keeps following the case it could not settle
		result.new_disposition.values.update(
			kind=REFERRAL, instruction=complaint["refer_reason"], reader_unit=current_unit
		)
		result.clear_fields = ("refer_to_unit", "refer_reason")
	elif action == wf.ACTION_ACCEPT:
		if open_disposition:
			result.open_disposition = DispositionUpdate(ACCEPTED, dict(responded))
		_first_response(complaint, values, now)
	elif action == wf.ACTION_HANDLE:
		_first_response(complaint, values, now)
	elif action == wf.ACTION_RETURN:
		result.open_disposition = DispositionUpdate(
			RETURNED,
			{
				**responded,
				"return_reason": complaint["return_reason"],
				"public_explanation": complaint["return_public_explanation"],
			},
		)
		values["current_unit"] = open_disposition["from_unit"]
		arrive(values, now)
		result.reactivate_disposition_to = open_disposition["from_unit"]
		result.clear_fields = ("return_reason", "return_public_explanation")
	elif action in (wf.ACTION_FORWARD, wf.ACTION_FORWARD_FOLLOW):
		result.new_disposition = NewDisposition(
			from_unit=current_unit,
			to_unit=None,
			status=FORWARDED,
			values={
				"external_agency": complaint["external_agency"],
				"external_reference": complaint["external_reference"],
				"external_date": complaint["external_date"],
				**responded,
			},
		)
		if action == wf.ACTION_FORWARD:
			values["closed_at"] = now
		else:
			_first_response(complaint, values, now)
	elif action == wf.ACTION_ANSWER:
		if open_disposition:
			result.open_disposition = DispositionUpdate(
				ANSWERED, {**responded, "response": complaint["response"]}
			)
		_first_response(complaint, values, now)
		values["answered_at"] = now
		values["reporter_informed_at"] = now  # the answer reaches the reporter
	elif action in (wf.ACTION_CLOSE, wf.ACTION_ARCHIVE):
		values["closed_at"] = now
	elif action == wf.ACTION_REOPEN:
		values["closed_at"] = None
		values["reopened_at"] = now
		values["reopen_count"] = (complaint.get("reopen_count") or 0) + 1
	if action in LEVEL_ACTIONS and not complaint.get("level_acted_at"):
		values["level_acted_at"] = now
	return result


# What counts as the holding level acting on a complaint (its per-level clock stops).
LEVEL_ACTIONS = {
	wf.ACTION_ACCEPT,
	wf.ACTION_HANDLE,
	wf.ACTION_ANSWER,
	wf.ACTION_ARCHIVE,
	wf.ACTION_FORWARD,
	wf.ACTION_FORWARD_FOLLOW,
	wf.ACTION_CLOSE,
}


# Actions of the reporter (an objection reopens), not of the level holding the complaint.
NOT_BY_HOLDING_LEVEL = {wf.ACTION_REOPEN}


def _send(result: Plan, current_unit: str, target: str, open_disposition, responded: dict, now) -> None:
	"""The complaint moves to ``target`` (down by a disposition, up by a referral): the disposition
	that brought it here is passed on, a new one is sent, and the target's level clock starts."""
	arrive(result.complaint_values, now)
	if open_disposition:
		result.open_disposition = DispositionUpdate(FORWARDED, dict(responded))
	result.new_disposition = NewDisposition(from_unit=current_unit, to_unit=target, status=SENT)
	result.complaint_values["current_unit"] = target


def arrive(values: dict, now) -> None:
	"""The complaint reaches a new level: that level's own clocks start."""
	values["level_arrived_at"] = now
	values["level_acted_at"] = None
	values["level_received_at"] = None


def _first_response(complaint: dict, values: dict, now) -> None:
	if not complaint.get("first_response_at"):
		values["first_response_at"] = now
