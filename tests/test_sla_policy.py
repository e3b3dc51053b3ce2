"""SOP time limits, each checked against the seed it comes from."""

from datetime import date, datetime

import pytest

from p3m_app.core import sla_policy as sla
from p3m_app.core.errors import RuleViolation
from p3m_app.core.working_calendar import WorkingCalendar

CAL = WorkingCalendar(date(2026, 1, 1), date(2027, 12, 31))
MON = datetime(2026, 11, 2, 9, 0)  # Monday 2 November 2026, no holidays in the weeks after

# an engine test policy: 3 days per level, response 5, resolution 30, close 10 (the shipped numbers
# are checked against the seeds in tests/test_sla_units.py)
LAPOR = sla.Policy(
	"Generic",
	(
		sla.Milestone(sla.DISPOSITION, 3, sla.FROM_LEVEL),
		sla.Milestone(sla.FIRST_RESPONSE, 5),
		sla.Milestone(sla.RESOLUTION, 30, escalate=sla.ESCALATE_NATIONAL),
		sla.Milestone(sla.AUTO_CLOSE, 10, sla.FROM_ANSWER, pauses=False, escalate=sla.ESCALATE_NONE),
	),
)
# seed 004 (PKH guideline, Tabel 2): 5 + 3 + 15 + 3 = 26 working days
PKH = sla.Policy(
	"PKH",
	(
		sla.Milestone(sla.VERIFICATION, 5),
		sla.Milestone(sla.HANDLER_IDENTIFIED, 3, sla.FROM_PREVIOUS),
		sla.Milestone(sla.FOLLOW_UP, 15, sla.FROM_PREVIOUS, escalate=sla.ESCALATE_LEVEL, escalate_to="Pusat"),
		sla.Milestone(
			sla.INFORM_REPORTER, 3, sla.FROM_PREVIOUS, escalate=sla.ESCALATE_LEVEL, escalate_to="Pusat"
		),
	),
	match={"program": "PKH"},
	priority=10,
)


def due(schedule, milestone):
	return next(r.due_at for r in schedule.milestones if r.milestone == milestone)


def test_lapor_limits_from_seed_003():
	s = sla.schedule(LAPOR, CAL, sla.Clock(received_at=MON), MON)
	assert due(s, sla.DISPOSITION).date() == date(2026, 11, 5)  # 3 working days
	assert due(s, sla.FIRST_RESPONSE).date() == date(2026, 11, 9)  # 5 working days
	assert due(s, sla.RESOLUTION).date() == date(2026, 12, 14)  # 30 working days
	assert s.status == sla.ON_TRACK and s.current_due == due(s, sla.DISPOSITION)


def test_each_level_gets_its_own_three_days():
	arrived = datetime(2026, 11, 10, 14, 0)
	clock = sla.Clock(received_at=MON, level_arrived_at=arrived, level_acted_at=datetime(2026, 11, 4))
	s = sla.schedule(LAPOR, CAL, clock, arrived)
	assert due(s, sla.DISPOSITION).date() == date(2026, 11, 13)
	assert next(r for r in s.milestones if r.milestone == sla.DISPOSITION).met_at is None


def test_pkh_adds_up_to_26_working_days_seed_004():
	s = sla.schedule(PKH, CAL, sla.Clock(received_at=MON), MON)
	assert CAL.working_days_between(MON, due(s, sla.INFORM_REPORTER)) == 26
	assert [CAL.working_days_between(MON, r.due_at) for r in s.milestones] == [5, 8, 23, 26]


def test_auto_close_ten_days_after_the_answer():
	answered = datetime(2026, 11, 16, 10, 0)
	s = sla.schedule(
		LAPOR,
		CAL,
		sla.Clock(received_at=MON, first_response_at=MON, answered_at=answered, level_acted_at=MON),
		answered,
	)
	assert s.autoclose_at.date() == date(2026, 11, 30)
	assert s.status == sla.MET and s.current_due is None


def test_pending_pauses_the_clock():
	paused = sla.schedule(LAPOR, CAL, sla.Clock(received_at=MON, paused_since=MON), MON)
	assert paused.status == sla.PAUSED and paused.current_due is None
	resumed = sla.schedule(LAPOR, CAL, sla.Clock(received_at=MON, paused_days=4), MON)
	assert due(resumed, sla.FIRST_RESPONSE).date() == date(2026, 11, 13)  # 5 + 4 working days


def test_breach_due_soon_and_sweep_bookkeeping():
	late = datetime(2026, 11, 6, 8, 0)
	s = sla.schedule(LAPOR, CAL, sla.Clock(received_at=MON), late)
	assert s.status == sla.BREACHED and s.current_due < late
	soon = sla.schedule(LAPOR, CAL, sla.Clock(received_at=MON), datetime(2026, 11, 4, 23, 59, 59))
	assert soon.status == sla.DUE_SOON
	escalated = sla.schedule(
		LAPOR, CAL, sla.Clock(received_at=MON, breached=frozenset({sla.DISPOSITION})), late
	)
	assert escalated.current_due == due(escalated, sla.FIRST_RESPONSE)


def test_reopen_restarts_the_resolution_clock():
	reopened = datetime(2026, 12, 21, 9, 0)
	s = sla.schedule(
		LAPOR,
		CAL,
		sla.Clock(received_at=MON, reopened_at=reopened, first_response_at=MON, level_acted_at=MON),
		reopened,
	)
	assert CAL.working_days_between(reopened, due(s, sla.RESOLUTION)) == 30


def test_policy_choice_by_priority_and_specificity():
	policies = [LAPOR, PKH]
	assert sla.choose(policies, {"program": "PKH"}).name == "PKH"
	assert sla.choose(policies, {"program": "BOS"}).name == "Generic"
	assert sla.choose([PKH], {"program": "BOS"}) is None


@pytest.mark.parametrize(
	"policy,message",
	[
		(sla.Policy("empty", ()), "no milestones"),
		(sla.Policy("neg", (sla.Milestone(sla.RESOLUTION, -1),)), "negative"),
		(sla.Policy("prev", (sla.Milestone(sla.RESOLUTION, 3, sla.FROM_PREVIOUS),)), "first milestone"),
		(sla.Policy("dup", (sla.Milestone(sla.RESOLUTION, 3), sla.Milestone(sla.RESOLUTION, 4))), "twice"),
		(sla.Policy("close", (sla.Milestone(sla.AUTO_CLOSE, 3),)), "Auto Close"),
	],
)
def test_bad_policies_are_refused(policy, message):
	with pytest.raises(RuleViolation, match=message):
		sla.validate(policy)


def test_overlapping_policies_with_equal_priority_are_refused():
	other = sla.Policy("PKH Jateng", PKH.milestones, match={"program": "PKH", "channel": "SMS"}, priority=10)
	with pytest.raises(RuleViolation, match="overlaps"):
		sla.check_conflicts(other, [PKH, LAPOR])
	sla.check_conflicts(sla.Policy("BOS", PKH.milestones, match={"program": "BOS"}, priority=10), [PKH])
