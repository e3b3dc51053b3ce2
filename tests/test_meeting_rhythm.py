from datetime import date, datetime

import pytest

from p3m_app.core import meeting_rhythm as mr
from p3m_app.core.errors import RuleViolation


def test_shipped_intervals_follow_the_guideline():
	# seed 004 lines 248-250 (Kabupaten/Kota, monthly) and line 370 (Pusat, every three months)
	assert mr.SHIPPED_INTERVALS == {"Kabupaten/Kota": 1, "Pusat": 3}


@pytest.mark.parametrize(
	"day, months, expected",
	[
		(date(2026, 1, 31), 1, date(2026, 2, 28)),
		(date(2028, 1, 31), 1, date(2028, 2, 29)),
		(date(2026, 11, 15), 3, date(2027, 2, 15)),
		(date(2026, 12, 1), -1, date(2026, 11, 1)),
		(date(2026, 3, 31), -1, date(2026, 2, 28)),
	],
)
def test_add_months_clamps_like_mariadb(day, months, expected):
	assert mr.add_months(day, months) == expected


def test_next_due_from_the_last_meeting_or_the_unit_creation():
	assert mr.next_due(1, date(2026, 10, 20), date(2025, 1, 1)) == date(2026, 11, 20)
	assert mr.next_due(3, datetime(2026, 10, 20, 9, 0), None) == date(2027, 1, 20)
	assert mr.next_due(1, None, "2026-10-05 08:00:00") == date(2026, 11, 5)


def test_no_rhythm_means_never_due():
	assert mr.next_due(0, date(2026, 10, 20), None) is None
	assert mr.next_due(None, None, date(2026, 1, 1)) is None
	assert mr.next_due(1, None, None) is None
	assert not mr.needs_draft(None, date(2026, 12, 1))
	assert not mr.is_missed(None, date(2026, 12, 1))


def test_draft_a_few_days_before_and_while_overdue():
	due = date(2026, 12, 10)
	assert mr.remind_on(due) == date(2026, 12, 5)
	assert not mr.needs_draft(due, date(2026, 12, 4))
	assert mr.needs_draft(due, date(2026, 12, 5))
	assert mr.needs_draft(due, date(2026, 12, 20))
	assert mr.needs_draft(due, date(2026, 12, 8), days_before=2)
	assert not mr.needs_draft(due, date(2026, 12, 7), days_before=2)


def test_missed_only_after_the_due_day():
	due = date(2026, 12, 10)
	assert not mr.is_missed(due, date(2026, 12, 10))
	assert mr.is_missed(due, date(2026, 12, 11))


def test_recap_covers_the_whole_months_before_this_one():
	assert mr.recap_period(date(2026, 12, 5), 1) == (date(2026, 11, 1), date(2026, 11, 30))
	assert mr.recap_period(date(2027, 1, 28), 3) == (date(2026, 10, 1), date(2026, 12, 31))
	assert mr.recap_period(date(2026, 3, 1), 0) == (date(2026, 2, 1), date(2026, 2, 28))
	assert mr.period_label(date(2026, 11, 1), date(2026, 11, 30)) == "2026-11"
	assert mr.period_label(date(2026, 10, 1), date(2026, 12, 31)) == "2026-10 - 2026-12"


@pytest.mark.parametrize("value, expected", [(None, 0), ("", 0), (0, 0), (1, 1), ("3", 3), (12, 12)])
def test_interval_accepted(value, expected):
	assert mr.check_interval(value) == expected


@pytest.mark.parametrize("value", [-1, 13, "monthly"])
def test_interval_refused(value):
	with pytest.raises(RuleViolation):
		mr.check_interval(value)
