"""The shipped SLA policies (p3m_app/setup/data/sla_policies.json) hold the numbers the seeds write."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from p3m_app.core import sla_policy as sla
from p3m_app.core.working_calendar import WorkingCalendar

FIXTURE = Path(__file__).resolve().parents[1] / "p3m_app" / "setup" / "data" / "sla_policies.json"
SHIPPED = {row["name"]: row for row in json.loads(FIXTURE.read_text(encoding="utf-8"))}
CAL = WorkingCalendar(date(2026, 1, 1), date(2027, 12, 31), holidays={date(2026, 12, 25)})
MON = datetime(2026, 11, 2, 9, 0)


def policy(name) -> sla.Policy:
	"""As p3m_app.sla.policies.to_policy reads the stored document."""
	doc = SHIPPED[name]
	return sla.Policy(
		name,
		tuple(
			sla.Milestone(
				row["milestone"],
				row["working_days"],
				row["starts_from"],
				bool(row["pauses_when_pending"]),
				row["escalate"],
				row["due_soon_days"],
				row["time_unit"],
				row.get("escalate_to_level") or row.get("escalate_to_unit"),
			)
			for row in doc["milestones"]
		),
		{f: doc[f] for f in sla.MATCH_FIELDS if doc.get(f)},
		doc["priority"],
	)


def limits(name) -> list[tuple]:
	return [
		(row["milestone"], row["working_days"], row["time_unit"], row["starts_from"], row["escalate"])
		for row in SHIPPED[name]["milestones"]
	]


def test_every_shipped_policy_is_valid_cites_its_seed_and_does_not_conflict():
	policies = [policy(name) for name in SHIPPED]
	for p in policies:
		sla.validate(p)
		sla.check_conflicts(p, policies)
		assert "seed" in SHIPPED[p.name]["source"]
		for row in SHIPPED[p.name]["milestones"]:
			assert "line" in row["description"] and "eed 00" in row["description"], row


def test_sp4n_lapor_as_seed_003_and_002_write_it():
	assert limits("SP4N-LAPOR!") == [
		("Receipt", 60, sla.MINUTES, sla.FROM_LEVEL, sla.ESCALATE_UP),  # 003 steps 1, 3, 6, 7, 9, 10
		("Disposition per Level", 3, sla.WORKING_DAYS, sla.FROM_LEVEL, sla.ESCALATE_UP),  # 003 steps 2, 4, 5
		("First Response", 3, sla.WORKING_DAYS, sla.FROM_DISPOSITION, sla.ESCALATE_UP),  # 003 step 6
		("Resolution", 3, sla.WORKING_DAYS, sla.FROM_PREVIOUS, sla.ESCALATE_UP),  # 003 step 8
		("Intervention", 30, sla.WORKING_DAYS, sla.FROM_RECEIVED, sla.ESCALATE_ADMIN),  # 002 line 27
		("Auto Close", 10, sla.WORKING_DAYS, sla.FROM_ANSWER, sla.ESCALATE_NONE),  # 003 step 11
	]
	assert "5" in SHIPPED["SP4N-LAPOR!"]["milestones"][2]["description"]  # the deck's 5 days, noted


def test_bos_and_bop_paud_follow_sp4n_lapor_for_their_program():
	for name in ("BOS", "BOP PAUD"):
		assert limits(name) == limits("SP4N-LAPOR!")
		assert SHIPPED[name]["program"] == name and SHIPPED[name]["priority"] > 0


def test_pkh_tabel_2_adds_up_to_26_working_days():
	assert limits("PKH")[:4] == [
		("Verification", 5, sla.WORKING_DAYS, sla.FROM_RECEIVED, sla.ESCALATE_UP),
		("Handler Identified", 3, sla.WORKING_DAYS, sla.FROM_PREVIOUS, sla.ESCALATE_UP),
		("Follow-up", 15, sla.WORKING_DAYS, sla.FROM_PREVIOUS, sla.ESCALATE_LEVEL),
		("Inform Reporter", 3, sla.WORKING_DAYS, sla.FROM_PREVIOUS, sla.ESCALATE_LEVEL),
	]
	s = sla.schedule(policy("PKH"), CAL, sla.Clock(received_at=MON), MON)
	tracked = [r for r in s.milestones if r.milestone != sla.AUTO_CLOSE]
	assert [CAL.working_days_between(MON, r.due_at) for r in tracked] == [5, 8, 23, 26]
	assert {r.escalate_to for r in tracked[2:]} == {"Pusat"}  # seed 004 lines 215-217


def pkh_answered_on(working_day: int) -> sla.Schedule:
	"""Verified, disposed and followed up in time; answered on the given working day."""
	day = lambda n: datetime.combine(CAL.add_working_days(MON, n), datetime.min.time()).replace(hour=10)  # noqa: E731
	clock = sla.Clock(
		received_at=MON,
		verified_at=day(2),
		disposed_at=day(4),
		first_response_at=day(5),
		follow_up_completed_at=day(20),
		answered_at=day(working_day),
		reporter_informed_at=day(working_day),
	)
	return sla.schedule(policy("PKH"), CAL, clock, day(working_day))


def test_pkh_answered_on_day_24_is_met_and_on_day_27_breached():
	"""Seed 004 line 212 and Tabel 2: the reporter is informed within 26 working days."""
	assert pkh_answered_on(24).status == sla.MET
	assert pkh_answered_on(27).status == sla.BREACHED


@pytest.mark.parametrize(
	"name,category,months,line",
	[
		("PKH - Ketersediaan Pelayanan", "Ketersediaan Pelayanan", 3, 259),
		("PKH - Data Peserta", "Data Peserta", 1, 410),
	],
)
def test_pkh_types_with_longer_limits_in_calendar_months(name, category, months, line):
	doc = SHIPPED[name]
	assert (doc["program"], doc["category"]) == ("PKH", category)
	assert doc["priority"] > SHIPPED["PKH"]["priority"]
	resolution = next(r for r in doc["milestones"] if r["milestone"] == "Resolution")
	assert (resolution["working_days"], resolution["time_unit"]) == (months, sla.CALENDAR_MONTHS)
	assert str(line) in resolution["description"]
	chosen = sla.choose([policy(n) for n in SHIPPED], {"program": "PKH", "category": category})
	assert chosen.name == name
	s = sla.schedule(chosen, CAL, sla.Clock(received_at=MON), MON)
	due = next(r.due_at for r in s.milestones if r.milestone == sla.RESOLUTION)
	assert due.date() == date(2027 if months == 3 else 2026, 2 if months == 3 else 12, 2)
