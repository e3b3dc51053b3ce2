"""SLA policies: which policy governs a complaint, and the deadlines it sets.

A policy is a match rule plus ordered milestones, each a limit counted from a starting event
in the unit the SOP writes it in: minutes or hours of office time, working days, calendar days
or calendar months. Evaluating one is pure: the adapter passes the complaint's clock (event
times and pauses) and a working calendar, and stores what comes back.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from p3m_app.core.errors import RuleViolation, _
from p3m_app.core.working_calendar import WorkingCalendar, end_of_day

RECEIPT = "Receipt"
VERIFICATION = "Verification"
DISPOSITION = "Disposition per Level"
HANDLER_IDENTIFIED = "Handler Identified"
FIRST_RESPONSE = "First Response"
FOLLOW_UP = "Follow-up"
RESOLUTION = "Resolution"
INFORM_REPORTER = "Inform Reporter"
INTERVENTION = "Intervention"
AUTO_CLOSE = "Auto Close"
MILESTONES = (
	RECEIPT,
	VERIFICATION,
	DISPOSITION,
	HANDLER_IDENTIFIED,
	FIRST_RESPONSE,
	FOLLOW_UP,
	RESOLUTION,
	INFORM_REPORTER,
	INTERVENTION,
	AUTO_CLOSE,
)
# clocks that belong to the level holding the complaint: a new arrival starts them afresh
LEVEL_MILESTONES = frozenset({RECEIPT, DISPOSITION})
# clocks a reopened complaint starts again (an earlier answer no longer counts)
REOPEN_MILESTONES = frozenset({FOLLOW_UP, RESOLUTION, INFORM_REPORTER, INTERVENTION})

FROM_RECEIVED = "Received"
FROM_LEVEL = "Arrival at Level"
FROM_DISPOSITION = "Disposition"
FROM_FOLLOW_UP = "Follow-up Completed"
FROM_PREVIOUS = "Previous Milestone"
FROM_ANSWER = "Answered"
STARTS = (FROM_RECEIVED, FROM_LEVEL, FROM_DISPOSITION, FROM_FOLLOW_UP, FROM_PREVIOUS, FROM_ANSWER)

MINUTES = "Minutes"
HOURS = "Hours"
WORKING_DAYS = "Working Days"
CALENDAR_DAYS = "Calendar Days"
CALENDAR_MONTHS = "Calendar Months"
TIME_UNITS = (MINUTES, HOURS, WORKING_DAYS, CALENDAR_DAYS, CALENDAR_MONTHS)

ESCALATE_UP = "Next Level Up"
ESCALATE_LEVEL = "Unit Level"
ESCALATE_UNIT = "Named Unit"
ESCALATE_ADMIN = "Admin Instansi"
ESCALATE_NATIONAL = "Admin Nasional"
ESCALATE_NONE = "None"
ESCALATIONS = (ESCALATE_UP, ESCALATE_LEVEL, ESCALATE_UNIT, ESCALATE_ADMIN, ESCALATE_NATIONAL, ESCALATE_NONE)

MATCH_FIELDS = ("classification", "program", "category", "channel", "unit_level")

ON_TRACK, DUE_SOON, BREACHED, MET, PAUSED = "On Track", "Due Soon", "Breached", "Met", "Paused"
STATUSES = (ON_TRACK, DUE_SOON, BREACHED, MET, PAUSED)


@dataclass(frozen=True)
class Milestone:
	milestone: str
	amount: int
	starts_from: str = FROM_RECEIVED
	pauses: bool = True
	escalate: str = ESCALATE_UP
	due_soon_days: int = 1  # "due soon before", in the milestone's own unit
	time_unit: str = WORKING_DAYS
	escalate_to: str | None = None  # the Unit Level or the Unit a breach goes to


@dataclass(frozen=True)
class Policy:
	name: str
	milestones: tuple
	match: dict = field(default_factory=dict)
	priority: int = 0


@dataclass
class Clock:
	"""What has happened to a complaint, as the engine needs it."""

	received_at: datetime
	level_arrived_at: datetime | None = None
	level_received_at: datetime | None = None
	verified_at: datetime | None = None
	disposed_at: datetime | None = None
	level_acted_at: datetime | None = None
	first_response_at: datetime | None = None
	follow_up_completed_at: datetime | None = None
	answered_at: datetime | None = None
	reporter_informed_at: datetime | None = None
	closed_at: datetime | None = None
	reopened_at: datetime | None = None
	paused_since: datetime | None = None
	paused_days: int = 0
	breached: frozenset = frozenset()  # milestones the sweep has already escalated


@dataclass
class MilestoneDue:
	milestone: str
	due_at: datetime | None
	due_soon_at: datetime | None
	met_at: datetime | None
	escalate: str
	breached: bool = False
	# the deadline the complaint waits on once this one has passed (the sweep moves to it)
	next_due_at: datetime | None = None
	next_due_soon_at: datetime | None = None
	escalate_to: str | None = None


@dataclass
class Schedule:
	milestones: list
	status: str
	current_due: datetime | None  # earliest deadline the sweep has yet to act on
	due_soon_at: datetime | None
	autoclose_at: datetime | None


def validate(policy: Policy) -> None:
	if not policy.milestones:
		raise RuleViolation(_("SLA Policy {policy} has no milestones."), policy=policy.name)
	seen = set()
	for index, m in enumerate(policy.milestones):
		if m.milestone not in MILESTONES:
			raise RuleViolation(_("Unknown milestone {milestone}."), milestone=m.milestone)
		if m.milestone in seen:
			raise RuleViolation(_("Milestone {milestone} appears twice."), milestone=m.milestone)
		seen.add(m.milestone)
		if m.amount is None or m.amount < 0 or (m.due_soon_days or 0) < 0:
			raise RuleViolation(_("Milestone {milestone} has a negative time limit."), milestone=m.milestone)
		if m.time_unit not in TIME_UNITS:
			raise RuleViolation(_("Unknown time unit {unit}."), unit=m.time_unit)
		if m.starts_from not in STARTS:
			raise RuleViolation(_("Unknown starting event {start}."), start=m.starts_from)
		if m.starts_from == FROM_PREVIOUS and index == 0:
			raise RuleViolation(_("The first milestone cannot start from a previous milestone."))
		if (m.milestone == AUTO_CLOSE) != (m.starts_from == FROM_ANSWER):
			raise RuleViolation(_("Auto Close, and only Auto Close, counts from the answer."))
		if m.milestone == FOLLOW_UP and m.starts_from == FROM_FOLLOW_UP:
			raise RuleViolation(_("The follow-up cannot be counted from its own completion."))
		_validate_escalation(m)


def _validate_escalation(m: Milestone) -> None:
	if m.escalate not in ESCALATIONS:
		raise RuleViolation(_("Unknown escalation {escalate}."), escalate=m.escalate)
	if m.escalate == ESCALATE_LEVEL and not m.escalate_to:
		raise RuleViolation(
			_("Milestone {milestone} escalates to a unit level: name the level."), milestone=m.milestone
		)
	if m.escalate == ESCALATE_UNIT and not m.escalate_to:
		raise RuleViolation(
			_("Milestone {milestone} escalates to a named unit: name the unit."), milestone=m.milestone
		)


def overlaps(a: Policy, b: Policy) -> bool:
	"""Could one complaint match both? (Each match field equal or left open on one side.)"""
	return all(
		not a.match.get(f) or not b.match.get(f) or a.match.get(f) == b.match.get(f) for f in MATCH_FIELDS
	)


def check_conflicts(policy: Policy, others: list[Policy]) -> None:
	for other in others:
		if other.name != policy.name and other.priority == policy.priority and overlaps(policy, other):
			raise RuleViolation(
				_(
					"SLA Policy {policy} overlaps {other} with the same priority; give one a higher priority or narrow its match."
				),
				policy=policy.name,
				other=other.name,
			)


def choose(policies: list[Policy], facts: dict) -> Policy | None:
	"""The highest-priority policy whose match fields all equal the complaint's values."""
	matching = [
		p for p in policies if all(not p.match.get(f) or p.match.get(f) == facts.get(f) for f in MATCH_FIELDS)
	]
	if not matching:
		return None
	return max(matching, key=lambda p: (p.priority, sum(1 for f in MATCH_FIELDS if p.match.get(f)), p.name))


def _since_reopen(clock: Clock, moment):
	"""What happened before a reopen no longer counts."""
	if moment and clock.reopened_at and moment <= clock.reopened_at:
		return None
	return moment


def _answered(clock: Clock):
	return _since_reopen(clock, clock.answered_at)


def _first(*moments):
	return min((m for m in moments if m), default=None)


def _met_at(milestone: str, clock: Clock):
	if milestone in LEVEL_MILESTONES:
		acted = clock.level_received_at if milestone == RECEIPT else clock.level_acted_at
		arrived = clock.level_arrived_at or clock.received_at
		return acted if acted and acted >= arrived else None
	if milestone == VERIFICATION:
		return clock.verified_at
	if milestone == HANDLER_IDENTIFIED:
		return _first(clock.disposed_at, clock.first_response_at)
	if milestone == FIRST_RESPONSE:
		return clock.first_response_at
	if milestone == FOLLOW_UP:
		return _first(_since_reopen(clock, clock.follow_up_completed_at), _answered(clock))
	if milestone == INFORM_REPORTER:
		# complaints answered before the field existed were informed by the answer
		return _since_reopen(clock, clock.reporter_informed_at) or _answered(clock)
	if milestone in (RESOLUTION, INTERVENTION):
		return _answered(clock)
	return clock.closed_at


def _start(m: Milestone, clock: Clock, previous_due):
	if m.starts_from == FROM_ANSWER:
		return _answered(clock)
	if m.starts_from == FROM_PREVIOUS:
		return previous_due
	if m.starts_from == FROM_LEVEL:
		return clock.level_arrived_at or clock.received_at
	if m.starts_from == FROM_DISPOSITION:
		return clock.disposed_at
	if m.starts_from == FROM_FOLLOW_UP:
		return _since_reopen(clock, clock.follow_up_completed_at)
	if clock.reopened_at and m.milestone in REOPEN_MILESTONES:
		return clock.reopened_at  # a reopened complaint gets a fresh resolution clock
	return clock.received_at


def deadline(calendar: WorkingCalendar, start: datetime, amount: int, unit: str, paused_days: int = 0):
	"""(due at, last day) of a limit of ``amount`` ``unit`` from ``start``; a wait while Pending
	(counted in working days) moves the deadline on by as many working days."""
	if unit in (MINUTES, HOURS):
		due = calendar.add_working_minutes(start, amount * (60 if unit == HOURS else 1))
		if paused_days:
			day = calendar.add_working_days(due, paused_days)
			due = datetime.combine(day, due.time())
		return due, due.date()
	if unit == WORKING_DAYS:
		day = calendar.add_working_days(start, amount + paused_days)
	else:
		day = _as_date(start) + (
			timedelta(days=amount) if unit == CALENDAR_DAYS else relativedelta(months=amount)
		)
		if paused_days:
			day = calendar.add_working_days(day, paused_days)
	return end_of_day(day), day


def due_soon(calendar: WorkingCalendar, m: Milestone, start, due: datetime, due_day: date, paused_days=0):
	"""When a deadline becomes due soon: ``due_soon_days`` of the milestone's own unit before it."""
	before = m.due_soon_days or 0
	if not before:
		return None
	if m.time_unit in (MINUTES, HOURS):
		return deadline(calendar, start, max(m.amount - before, 0), m.time_unit, paused_days)[0]
	if m.time_unit == WORKING_DAYS:
		return end_of_day(calendar.subtract_working_days(due_day, before))
	delta = timedelta(days=before) if m.time_unit == CALENDAR_DAYS else relativedelta(months=before)
	return end_of_day(due_day - delta)


def schedule(policy: Policy, calendar: WorkingCalendar, clock: Clock, now: datetime) -> Schedule:
	rows, previous_due = [], None
	for m in policy.milestones:
		start = _start(m, clock, previous_due)
		due = soon = None
		if start is not None:
			extra = clock.paused_days if m.pauses and m.starts_from != FROM_ANSWER else 0
			due, due_day = deadline(calendar, start, m.amount, m.time_unit, extra)
			soon = due_soon(calendar, m, start, due, due_day, extra)
		rows.append(
			MilestoneDue(
				m.milestone,
				due,
				soon,
				_met_at(m.milestone, clock),
				m.escalate,
				m.milestone in clock.breached,
				escalate_to=m.escalate_to,
			)
		)
		previous_due = due

	tracked = [r for r in rows if r.milestone != AUTO_CLOSE]
	late = any(
		(r.met_at and r.due_at and r.met_at > r.due_at) or (not r.met_at and r.due_at and r.due_at < now)
		for r in tracked
	)
	waiting = [r for r in tracked if not r.met_at and r.due_at and not r.breached]
	auto_close = next((r for r in rows if r.milestone == AUTO_CLOSE and not r.met_at), None)
	paused = clock.paused_since is not None
	if paused:
		status = PAUSED
	elif late or any(r.breached for r in tracked):
		status = BREACHED
	elif not any(not r.met_at for r in tracked):
		status = MET
	elif any(r.due_soon_at and r.due_soon_at <= now for r in waiting):
		status = DUE_SOON
	else:
		status = ON_TRACK
	waiting.sort(key=lambda r: r.due_at)
	for row, following in itertools.pairwise(waiting):
		row.next_due_at, row.next_due_soon_at = following.due_at, following.due_soon_at
	current = waiting[0] if waiting and not paused else None
	return Schedule(
		milestones=rows,
		status=status,
		current_due=current.due_at if current else None,
		due_soon_at=current.due_soon_at if current else None,
		autoclose_at=auto_close.due_at if auto_close and not paused else None,
	)


def _as_date(moment) -> date:
	return moment.date() if isinstance(moment, datetime) else moment
