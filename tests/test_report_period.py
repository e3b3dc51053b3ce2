"""Reporting periods (core.report_period): defaults, limits and month parsing."""

from datetime import date, datetime

import pytest

from p3m_app.core import report_period as rp
from p3m_app.core.errors import RuleViolation

TODAY = date(2026, 11, 23)


def test_default_is_the_last_twelve_months():
	assert rp.check_period(None, None, TODAY) == (date(2025, 11, 23), TODAY)
	assert rp.check_period("", "2026-03-31", TODAY) == (date(2025, 11, 23), date(2026, 3, 31))


def test_dates_come_as_strings_dates_or_datetimes():
	assert rp.check_period("2026-01-01", date(2026, 1, 31), TODAY) == (date(2026, 1, 1), date(2026, 1, 31))
	assert rp.check_period(datetime(2026, 1, 1, 9), "2026-01-01 00:00:00", TODAY)[0] == date(2026, 1, 1)


def test_a_period_ending_before_it_starts_is_refused():
	with pytest.raises(RuleViolation) as caught:
		rp.check_period("2026-10-31", "2026-10-01", TODAY)
	assert caught.value.params == {"start": "2026-10-31", "end": "2026-10-01"}


def test_at_most_five_years():
	assert rp.check_period("2021-11-23", "2026-11-23", TODAY)[0] == date(2021, 11, 23)
	with pytest.raises(RuleViolation):
		rp.check_period("2021-11-22", "2026-11-23", TODAY)
	assert rp.check_period("2019-03-01", "2024-02-29", TODAY)[0] == date(2019, 3, 1)
	with pytest.raises(RuleViolation):
		rp.check_period("2019-02-27", "2024-02-29", TODAY)


def test_an_impossible_date_is_refused():
	with pytest.raises(RuleViolation):
		rp.check_period("2026-02-30", "2026-03-01", TODAY)


def test_months_before_clamps_to_short_months():
	assert rp.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
	assert rp.months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
	assert rp.months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)


def test_datetime_range_covers_both_whole_days():
	assert rp.datetime_range(date(2026, 10, 1), date(2026, 10, 31)) == (
		datetime(2026, 10, 1),
		datetime(2026, 11, 1),
	)


def test_parse_month():
	assert rp.parse_month("2026-02", TODAY) == (date(2026, 2, 1), date(2026, 2, 28))
	assert rp.parse_month("2024-02", TODAY) == (date(2024, 2, 1), date(2024, 2, 29))
	assert rp.parse_month(" 2026-12 ", TODAY) == (date(2026, 12, 1), date(2026, 12, 31))
	assert rp.parse_month(None, TODAY) == (date(2026, 11, 1), date(2026, 11, 30))
	for bad in ("2026-13", "2026", "26-01", "2026-01-05", "Januari", "2026-00"):
		with pytest.raises(RuleViolation):
			rp.parse_month(bad, TODAY)


def test_previous_month():
	assert rp.previous_month(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))
	assert rp.previous_month(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
