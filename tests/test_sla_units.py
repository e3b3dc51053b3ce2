"""Every time unit the SOPs write, the milestones they name, and where a breach escalates."""

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p3m_app.core import escalation_target as et
from p3m_app.core import sla_policy as sla
from p3m_app.core.errors import RuleViolation
from p3m_app.core.working_calendar import WorkingCalendar

# Monday 9 November 2026 is made a holiday: Friday 6 November is the day before a long weekend
HOLIDAY = date(2026, 11, 9)
CAL = WorkingCalendar(date(2026, 1, 1), date(2027, 12, 31), holidays={HOLIDAY, date(2026, 12, 25)})
FRI = datetime(2026, 11, 6, 15, 30)
MON = datetime(2026, 11, 2, 9, 0)


def test_sixty_minutes_from_friday_1530_before_a_holiday_end_at_0830_next_working_day():
	"""Seed 003 line 58: "60 menit", counted in office time (08:00-16:00)."""
	assert CAL.add_working_minutes(FRI, 60) == datetime(2026, 11, 10, 8, 30)


def test_minutes_outside_office_hours_count_from_the_next_opening():
	assert CAL.add_working_minutes(datetime(2026, 11, 2, 6, 0), 60) == datetime(2026, 11, 2, 9, 0)
	assert CAL.add_working_minutes(datetime(2026, 11, 2, 19, 0), 60) == datetime(2026, 11, 3, 9, 0)
	assert CAL.add_working_minutes(datetime(2026, 11, 7, 10, 0), 60) == datetime(2026, 11, 10, 9, 0)  # Sat
	# a limit that ends at closing time ends that day, not at the next opening
	assert CAL.add_working_minutes(datetime(2026, 11, 2, 15, 0), 60) == datetime(2026, 11, 2, 16, 0)


def test_office_hours_of_the_calendar_are_used():
	cal = WorkingCalendar(
		date(2026, 1, 1), date(2026, 12, 31), office_start=time(7, 30), office_end=time(15, 30)
	)
	assert cal.add_working_minutes(datetime(2026, 11, 2, 15, 0), 60) == datetime(2026, 11, 3, 8, 0)
	with pytest.raises(RuleViolation, match="Office hours"):
		WorkingCalendar(date(2026, 1, 1), date(2026, 12, 31), office_start=time(16), office_end=time(8))


open_moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 6, 30))
minutes = st.integers(min_value=0, max_value=20 * 480)


@given(open_moments, minutes)
@settings(max_examples=300)
def test_a_minute_deadline_falls_in_office_hours_of_a_working_day(start, n):
	due = CAL.add_working_minutes(start, n)
	assert CAL.is_working_day(due.date())
	assert time(8) <= due.time() <= time(16)
	assert due >= start or n == 0


@given(open_moments, minutes, minutes)
@settings(max_examples=300)
def test_minutes_add_up_and_never_go_back(start, a, b):
	assert CAL.add_working_minutes(CAL.add_working_minutes(start, a), b) == CAL.add_working_minutes(
		start, a + b
	)
	assert CAL.add_working_minutes(start, min(a, b)) <= CAL.add_working_minutes(start, max(a, b))


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)), st.integers(1, 60))
def test_whole_office_days_of_minutes_match_working_days(day, n):
	if not CAL.is_working_day(day):
		return
	due = CAL.add_working_minutes(datetime.combine(day, time(8)), n * 480)
	assert due.date() == CAL.add_working_days(day, n - 1) and due.time() == time(16)


def schedule(*milestones, clock=None, now=MON):
	return sla.schedule(sla.Policy("T", milestones), CAL, clock or sla.Clock(received_at=MON), now)


def row(s, milestone):
	return next(r for r in s.milestones if r.milestone == milestone)


def test_hours_and_minutes_deadlines_are_exact_moments():
	s = schedule(
		sla.Milestone(sla.RECEIPT, 60, sla.FROM_LEVEL, time_unit=sla.MINUTES, due_soon_days=15),
		sla.Milestone(sla.VERIFICATION, 2, time_unit=sla.HOURS),
		clock=sla.Clock(received_at=FRI),
		now=FRI,
	)
	assert row(s, sla.RECEIPT).due_at == datetime(2026, 11, 10, 8, 30)
	assert row(s, sla.RECEIPT).due_soon_at == datetime(2026, 11, 10, 8, 15)  # due soon in minutes too
	assert row(s, sla.VERIFICATION).due_at == datetime(2026, 11, 10, 9, 30)


def test_calendar_days_and_months_end_at_the_end_of_that_day():
	received = datetime(2027, 1, 31, 10, 0)
	s = schedule(
		sla.Milestone(sla.RESOLUTION, 1, time_unit=sla.CALENDAR_MONTHS),
		sla.Milestone(sla.INFORM_REPORTER, 10, time_unit=sla.CALENDAR_DAYS, due_soon_days=2),
		clock=sla.Clock(received_at=received),
		now=received,
	)
	assert row(s, sla.RESOLUTION).due_at == datetime(2027, 2, 28, 23, 59, 59)  # no 31 February
	assert row(s, sla.RESOLUTION).due_soon_at == datetime(2027, 1, 28, 23, 59, 59)
	assert row(s, sla.INFORM_REPORTER).due_at == datetime(2027, 2, 10, 23, 59, 59)
	assert row(s, sla.INFORM_REPORTER).due_soon_at == datetime(2027, 2, 8, 23, 59, 59)


def test_a_pending_wait_moves_every_unit_on_by_its_working_days():
	clock = sla.Clock(received_at=MON, paused_days=2)
	s = schedule(
		sla.Milestone(sla.RECEIPT, 60, time_unit=sla.MINUTES),
		sla.Milestone(sla.RESOLUTION, 1, time_unit=sla.CALENDAR_MONTHS),
		clock=clock,
	)
	assert row(s, sla.RECEIPT).due_at == datetime(2026, 11, 4, 10, 0)
	assert row(s, sla.RESOLUTION).due_at.date() == date(2026, 12, 4)  # Wed 2 Dec + 2 working days


def test_receipt_is_met_by_the_holding_levels_first_action_after_arrival():
	arrived = datetime(2026, 11, 3, 10, 0)
	receipt = sla.Milestone(sla.RECEIPT, 60, sla.FROM_LEVEL, time_unit=sla.MINUTES)
	earlier = sla.Clock(received_at=MON, level_arrived_at=arrived, level_received_at=MON)
	assert row(schedule(receipt, clock=earlier), sla.RECEIPT).met_at is None
	late = sla.Clock(
		received_at=MON, level_arrived_at=arrived, level_received_at=datetime(2026, 11, 3, 11, 1)
	)
	s = schedule(receipt, clock=late, now=datetime(2026, 11, 3, 12))
	assert row(s, sla.RECEIPT).due_at == datetime(2026, 11, 3, 11, 0) and s.status == sla.BREACHED


def test_handler_follow_up_inform_and_intervention_are_met_by_their_events():
	disposed, responded = datetime(2026, 11, 4, 9), datetime(2026, 11, 3, 9)
	followed, answered = datetime(2026, 11, 20, 9), datetime(2026, 11, 18, 9)
	clock = sla.Clock(
		received_at=MON,
		disposed_at=disposed,
		first_response_at=responded,
		follow_up_completed_at=followed,
		answered_at=answered,
		reporter_informed_at=answered,
	)
	s = schedule(
		sla.Milestone(sla.HANDLER_IDENTIFIED, 3),
		sla.Milestone(sla.FOLLOW_UP, 15),
		sla.Milestone(sla.INFORM_REPORTER, 3, sla.FROM_FOLLOW_UP),
		sla.Milestone(sla.INTERVENTION, 30, escalate=sla.ESCALATE_ADMIN),
		clock=clock,
	)
	assert row(s, sla.HANDLER_IDENTIFIED).met_at == responded  # the first of disposition and response
	assert row(s, sla.FOLLOW_UP).met_at == answered  # the answer came before the follow-up record
	assert row(s, sla.INFORM_REPORTER).due_at.date() == date(2026, 11, 25)  # 3 days after the follow-up
	assert row(s, sla.INTERVENTION).met_at == answered and s.status == sla.MET
	# an informing before a reopen no longer counts
	reopened = sla.Clock(
		received_at=MON, answered_at=answered, reporter_informed_at=answered, reopened_at=followed
	)
	assert (
		row(schedule(sla.Milestone(sla.INFORM_REPORTER, 3), clock=reopened), sla.INFORM_REPORTER).met_at
		is None
	)


def test_counted_from_the_disposition_waits_for_one():
	first_response = sla.Milestone(sla.FIRST_RESPONSE, 3, sla.FROM_DISPOSITION)
	assert row(schedule(first_response), sla.FIRST_RESPONSE).due_at is None
	disposed = sla.Clock(received_at=MON, disposed_at=datetime(2026, 11, 3, 14))
	assert row(schedule(first_response, clock=disposed), sla.FIRST_RESPONSE).due_at.date() == date(
		2026, 11, 6
	)


@pytest.mark.parametrize(
	"milestone,message",
	[
		(sla.Milestone(sla.RESOLUTION, 3, time_unit="Weeks"), "time unit"),
		(sla.Milestone(sla.RESOLUTION, 3, escalate=sla.ESCALATE_LEVEL), "name the level"),
		(sla.Milestone(sla.RESOLUTION, 3, escalate=sla.ESCALATE_UNIT), "name the unit"),
		(sla.Milestone(sla.RESOLUTION, 3, escalate="Somewhere"), "Unknown escalation"),
		(sla.Milestone(sla.FOLLOW_UP, 3, sla.FROM_FOLLOW_UP), "own completion"),
		(sla.Milestone(sla.INTERVENTION, 3, "Tomorrow"), "starting event"),
		(sla.Milestone(sla.RECEIPT, 60, sla.FROM_ANSWER, time_unit=sla.MINUTES), "Auto Close"),
	],
)
def test_bad_milestones_are_refused(milestone, message):
	with pytest.raises(RuleViolation, match=message):
		sla.validate(sla.Policy("bad", (milestone,)))


# Kab A1 (no admin) -> Prov A (an Admin officer, level Provinsi) -> Pusat (an Admin officer)
CHAIN = [
	et.UnitNode("Kab A1", "Kabupaten/Kota"),
	et.UnitNode("Prov A", "Provinsi", has_admin=True),
	et.UnitNode("Pusat", "Pusat", has_admin=True),
]


@pytest.mark.parametrize(
	"escalate,to,ladder_parent,expected",
	[
		(sla.ESCALATE_UP, None, "Prov A", et.Target(unit="Prov A")),
		(sla.ESCALATE_UP, None, None, et.Target(national=True)),
		(sla.ESCALATE_LEVEL, "Pusat", "Prov A", et.Target(unit="Pusat")),  # seed 004 lines 215-217
		(sla.ESCALATE_LEVEL, "Eselon 1", "Prov A", et.Target(national=True)),  # no such level above
		(sla.ESCALATE_UNIT, "Inspektorat", "Prov A", et.Target(unit="Inspektorat")),
		(sla.ESCALATE_ADMIN, None, "Prov A", et.Target(unit="Prov A", admins_only=True)),  # seed 002 l. 27
		(sla.ESCALATE_NATIONAL, None, "Prov A", et.Target(national=True)),
		(sla.ESCALATE_NONE, None, "Prov A", et.Target()),
	],
)
def test_escalation_targets(escalate, to, ladder_parent, expected):
	assert et.target(escalate, to, CHAIN, ladder_parent) == expected


def test_admin_instansi_falls_back_to_admin_nasional():
	alone = [et.UnitNode("Kab A1"), et.UnitNode("Prov A")]
	found = et.target(sla.ESCALATE_ADMIN, None, alone, "Prov A")
	assert found == et.Target(national=True) and found.label == "Admin Nasional"
	assert et.target(sla.ESCALATE_ADMIN, None, CHAIN[1:], None).label == "Prov A"
