from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p3m_app.core.errors import RuleViolation
from p3m_app.core.working_calendar import CalendarRangeError, WorkingCalendar

START, END = date(2026, 1, 1), date(2027, 12, 31)
# a few 2026 national holidays and cuti bersama days
HOLIDAYS = {
	date(2026, 3, 19),
	date(2026, 3, 20),
	date(2026, 3, 23),
	date(2026, 3, 24),
	date(2026, 8, 17),
	date(2026, 12, 25),
}
CAL = WorkingCalendar(START, END, holidays=HOLIDAYS)

days_in_range = st.dates(min_value=START, max_value=END - timedelta(days=200))
limits = st.integers(min_value=0, max_value=100)


def test_weekends_and_holidays_are_not_working_days():
	assert CAL.is_working_day(date(2026, 11, 23))  # Monday
	assert not CAL.is_working_day(date(2026, 11, 21))  # Saturday
	assert not CAL.is_working_day(date(2026, 8, 17))  # Independence Day


def test_three_working_days_skip_the_weekend_and_the_receiving_day():
	assert CAL.add_working_days(datetime(2026, 11, 19, 15, 0), 3) == date(2026, 11, 24)  # Thu -> Tue


def test_lebaran_week_is_skipped():
	# received Wed 18 March 2026; 19-20 and 23-24 March are holidays / cuti bersama
	assert CAL.add_working_days(date(2026, 3, 18), 1) == date(2026, 3, 25)


def test_zero_days_is_the_next_working_day_on_or_after():
	assert CAL.add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 23)
	assert CAL.add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


@settings(max_examples=300)
@given(days_in_range, st.integers(min_value=1, max_value=100))
def test_add_then_count_round_trips(start, n):
	due = CAL.add_working_days(start, n)
	assert CAL.working_days_between(start, due) == n


@settings(max_examples=300)
@given(days_in_range, st.integers(min_value=1, max_value=100))
def test_a_due_date_is_always_a_working_day(start, n):
	due = CAL.add_working_days(start, n)
	assert due.weekday() < 5 and due not in HOLIDAYS and due > start


@settings(max_examples=300)
@given(days_in_range, days_in_range, limits)
def test_monotonic_in_start_and_in_days(a, b, n):
	first, second = sorted((a, b))
	assert CAL.add_working_days(first, n) <= CAL.add_working_days(second, n)
	assert CAL.add_working_days(first, n) <= CAL.add_working_days(first, n + 1)


@settings(max_examples=200)
@given(days_in_range, days_in_range)
def test_count_matches_a_day_by_day_walk(a, b):
	first, last = sorted((a, b))
	walk = sum(
		1
		for i in range(1, (last - first).days + 1)
		if (d := first + timedelta(days=i)).weekday() < 5 and d not in HOLIDAYS
	)
	assert CAL.working_days_between(first, last) == walk


def test_outside_the_loaded_range_is_a_clear_error():
	with pytest.raises(CalendarRangeError, match="outside the holiday calendar"):
		CAL.add_working_days(date(2025, 12, 1), 3)
	with pytest.raises(CalendarRangeError, match="extend it"):
		CAL.add_working_days(date(2027, 12, 28), 30)


def test_bad_calendars_are_refused():
	with pytest.raises(RuleViolation, match="at least one working day"):
		WorkingCalendar(START, END, weekend=range(7))
	with pytest.raises(RuleViolation, match="no working days"):
		WorkingCalendar(date(2026, 11, 21), date(2026, 11, 22))
	with pytest.raises(RuleViolation, match="negative"):
		CAL.add_working_days(date(2026, 5, 5), -1)


def test_a_friday_weekend_is_honoured():
	cal = WorkingCalendar(START, END, weekend={4, 5})  # Friday-Saturday weekend
	assert cal.add_working_days(date(2026, 11, 19), 1) == date(2026, 11, 22)  # Thu -> Sun


def test_office_hours_shorter_than_an_hour_are_refused():
	"""Frappe fills a new document's empty Time fields with the current time: both ends a moment apart."""
	from datetime import time

	with pytest.raises(RuleViolation, match="at least one hour"):
		WorkingCalendar(
			date(2026, 1, 1), date(2026, 12, 31), office_start=time(9, 0, 1), office_end=time(9, 0, 2)
		)
