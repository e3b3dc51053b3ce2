"""SLA policies: which policy governs a complaint, and the deadlines it sets.

A policy is a match rule plus ordered milestones, each a working-day limit counted from a
starting event. Evaluating one is pure: the adapter passes the complaint's clock (event
times and pauses) and a working calendar, and stores what comes back.
"""

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from p3m_app.core.errors import RuleViolation, _
from p3m_app.core.working_calendar import WorkingCalendar, end_of_day

VERIFICATION = "Verification"
DISPOSITION = "Disposition per Level"
FIRST_RESPONSE = "First Response"
RESOLUTION = "Resolution"
INFORM_REPORTER = "Inform Reporter"
AUTO_CLOSE = "Auto Close"
MILESTONES = (VERIFICATION, DISPOSITION, FIRST_RESPONSE, RESOLUTION, INFORM_REPORTER, AUTO_CLOSE)

FROM_RECEIVED = "Received"
FROM_LEVEL = "Arrival at Level"
FROM_PREVIOUS = "Previous Milestone"
FROM_ANSWER = "Answered"
STARTS = (FROM_RECEIVED, FROM_LEVEL, FROM_PREVIOUS, FROM_ANSWER)

ESCALATE_UP = "Next Level Up"
ESCALATE_NATIONAL = "Admin Nasional"
ESCALATE_NONE = "None"
ESCALATIONS = (ESCALATE_UP, ESCALATE_NATIONAL, ESCALATE_NONE)

MATCH_FIELDS = ("classification", "program", "category", "channel", "unit_level")

ON_TRACK, DUE_SOON, BREACHED, MET, PAUSED = "On Track", "Due Soon", "Breached", "Met", "Paused"
STATUSES = (ON_TRACK, DUE_SOON, BREACHED, MET, PAUSED)


@dataclass(frozen=True)
class Milestone:
	milestone: str
	working_days: int
	starts_from: str = FROM_RECEIVED
	pauses: bool = True
	escalate: str = ESCALATE_UP
	due_soon_days: int = 1


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
	verified_at: datetime | None = None
	level_acted_at: datetime | None = None
	first_response_at: datetime | None = None
	answered_at: datetime | None = None
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
		if m.working_days is None or m.working_days < 0 or (m.due_soon_days or 0) < 0:
			raise RuleViolation(
				_("Milestone {milestone} has a negative number of days."), milestone=m.milestone
			)
		if m.starts_from == FROM_PREVIOUS and index == 0:
			raise RuleViolation(_("The first milestone cannot start from a previous milestone."))
		if (m.milestone == AUTO_CLOSE) != (m.starts_from == FROM_ANSWER):
			raise RuleViolation(_("Auto Close, and only Auto Close, counts from the answer."))


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


def _answered(clock: Clock):
	"""An answer given before a reopen no longer counts."""
	if clock.answered_at and clock.reopened_at and clock.answered_at <= clock.reopened_at:
		return None
	return clock.answered_at


def _met_at(milestone: str, clock: Clock):
	if milestone == VERIFICATION:
		return clock.verified_at
	if milestone == DISPOSITION:
		acted = clock.level_acted_at
		arrived = clock.level_arrived_at or clock.received_at
		return acted if acted and acted >= arrived else None
	if milestone == FIRST_RESPONSE:
		return clock.first_response_at
	if milestone in (RESOLUTION, INFORM_REPORTER):
		return _answered(clock)
	return clock.closed_at


def _start(m: Milestone, clock: Clock, previous_due):
	if m.starts_from == FROM_ANSWER:
		return _answered(clock)
	if m.starts_from == FROM_PREVIOUS:
		return previous_due
	if m.starts_from == FROM_LEVEL:
		return clock.level_arrived_at or clock.received_at
	if clock.reopened_at and m.milestone in (RESOLUTION, INFORM_REPORTER):
		return clock.reopened_at  # a reopened complaint gets a fresh resolution clock
	return clock.received_at


def schedule(policy: Policy, calendar: WorkingCalendar, clock: Clock, now: datetime) -> Schedule:
	rows, previous_due = [], None
	for m in policy.milestones:
		start = _start(m, clock, previous_due)
		due = soon = None
		if start is not None:
			extra = clock.paused_days if m.pauses and m.starts_from != FROM_ANSWER else 0
			due_day = calendar.add_working_days(start, m.working_days + extra)
			due = end_of_day(due_day)
			if m.due_soon_days:
				soon = end_of_day(calendar.subtract_working_days(due_day, m.due_soon_days))
		rows.append(
			MilestoneDue(
				m.milestone, due, soon, _met_at(m.milestone, clock), m.escalate, m.milestone in clock.breached
			)
		)
		previous_due = due.date() if due else None

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
