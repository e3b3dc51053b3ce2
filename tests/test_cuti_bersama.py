"""The shipped cuti bersama (SKB 3 Menteri) join the national holiday set."""

from datetime import date

import pytest

from p3m_app.core import cuti_bersama
from p3m_app.core.errors import RuleViolation

SKB_2026 = {
	date(2026, 2, 16),
	date(2026, 3, 18),
	date(2026, 3, 20),
	date(2026, 3, 23),
	date(2026, 3, 24),
	date(2026, 5, 15),
	date(2026, 5, 28),
	date(2026, 12, 24),
}


def test_the_eight_days_of_2026_are_in_the_default_holiday_set():
	days = cuti_bersama.merged({date(2026, 1, 1): "Tahun Baru Masehi"}, [2026])
	assert SKB_2026 <= set(days)
	assert date(2026, 1, 1) in days
	assert all("Cuti Bersama" in days[d] for d in SKB_2026)


def test_only_the_requested_years_are_added():
	assert cuti_bersama.merged({}, [2025, 2027]) == {}


def test_the_decree_names_a_day_the_library_only_estimates():
	days = cuti_bersama.merged({date(2026, 3, 20): "Hari Raya Idul Fitri (perkiraan)"}, [2026])
	assert days[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"


def test_a_day_filed_under_the_wrong_year_is_refused():
	with pytest.raises(RuleViolation):
		cuti_bersama.parse({"years": {"2027": {"days": [{"date": "2026-12-24", "name": "x"}]}}})
