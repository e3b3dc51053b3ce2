"""Report statistics (core.report_stats) and SLA performance tallies (core.sla_performance)."""

from datetime import datetime

import pytest

from p3m_app.core import report_stats as stats
from p3m_app.core import sla_performance as perf

NOW = datetime(2026, 11, 23, 12)
DUE = datetime(2026, 11, 16, 23, 59, 59)


def test_percentile_interpolates_between_ranks():
	assert stats.percentile([], 90) is None
	assert stats.percentile([None], 50) is None
	assert stats.percentile([5], 90) == 5
	assert stats.percentile([1, 2, 4, 7], 90) == pytest.approx(6.1)
	assert stats.percentile([7, 1, 4, 2], 0) == 1
	assert stats.percentile([7, 1, 4, 2], 100) == 7
	with pytest.raises(ValueError):
		stats.percentile([1], 101)


def test_median():
	assert stats.median([3, 1, 2]) == 2
	assert stats.median([7, 34]) == 20.5
	assert stats.median([None, 4, None]) == 4
	assert stats.median([]) is None


def test_rates_carry_their_counts():
	assert stats.rate(17, 20) == 85.0
	assert stats.rate(2, 3) == 66.7
	assert stats.rate(0, 0) is None
	assert stats.rate_text(17, 20) == "85% (17/20)"
	assert stats.rate_text(2, 3) == "66.7% (2/3)"
	assert stats.rate_text(0, 0) == "-"


def test_timeliness():
	assert stats.timeliness(datetime(2026, 11, 16, 10), DUE, NOW) is True
	assert stats.timeliness(datetime(2026, 11, 17, 10), DUE, NOW) is False
	assert stats.timeliness(None, DUE, NOW) is False  # still undone after the deadline
	assert stats.timeliness(None, DUE, datetime(2026, 11, 16, 12)) is None  # not due yet
	assert stats.timeliness(datetime(2026, 11, 17), None, NOW) is None  # no deadline


def test_escalation_log():
	log = "Resolution|2026-11-16 23:59:59.000000|Prov A\nFirst Response|2026-10-12|Admin Nasional\n"
	assert stats.escalation_count(log) == 2
	assert stats.escalation_count("garbage\n|x|y\n\n") == 0
	assert stats.escalation_count(None) == 0
	assert stats.is_breached("Breached", None)
	assert stats.is_breached("On Track", log)
	assert not stats.is_breached("Met", "  \n")


@pytest.mark.parametrize(
	("days", "bucket"),
	[
		(-1, "0-3"),
		(0, "0-3"),
		(3, "0-3"),
		(4, "4-5"),
		(5, "4-5"),
		(6, "6-10"),
		(10, "6-10"),
		(11, ">10"),
		(400, ">10"),
	],
)
def test_aging_buckets(days, bucket):
	assert stats.aging_bucket(days) == bucket


def test_bucket_counts():
	assert stats.bucket_counts([0, 3, 4, 13, None, 6]) == {"0-3": 2, "4-5": 1, "6-10": 1, ">10": 1}
	assert stats.bucket_counts([]) == {"0-3": 0, "4-5": 0, "6-10": 0, ">10": 0}


def test_special_flags():
	assert stats.special_flags({"classification": "Pengaduan", "reopen_count": 0}) == []
	assert stats.special_flags(
		{
			"classification": "Whistleblowing",
			"escalated_to_national": 1,
			"reopen_count": 2,
			"sla_status": "Breached",
		}
	) == [stats.FLAG_WHISTLEBLOWING, stats.FLAG_NATIONAL, stats.FLAG_REOPENED, stats.FLAG_BREACHED]
	assert stats.special_flags({"sla_escalations": "Resolution|x|Prov A"}) == [stats.FLAG_BREACHED]


def test_ranked_by_count_then_key():
	assert stats.ranked({"b": 2, "a": 2, "c": 5, None: 1}) == [("c", 5), ("a", 2), ("b", 2), (None, 1)]


def test_resolved_at_ignores_what_came_before_a_reopen():
	answered, closed, reopened = datetime(2026, 10, 14), datetime(2026, 10, 20), datetime(2026, 10, 25)
	assert perf.resolved_at(answered, None, None) == answered
	assert perf.resolved_at(None, closed, None) == closed
	assert perf.resolved_at(answered, None, reopened) is None
	assert perf.resolved_at(datetime(2026, 11, 2), None, reopened) == datetime(2026, 11, 2)


def days_between(unit, start, end):
	"""Calendar days stand in for working days here; None outside 'the calendar'."""
	return None if start.year < 2026 else (end.date() - start.date()).days


def row(unit="A", received=datetime(2026, 10, 5, 9), **values):
	base = {
		"current_unit": unit,
		"received_at": received,
		"response_due": datetime(2026, 10, 12, 23, 59, 59),
		"resolution_due": DUE,
	}
	base.update(values)
	return base


def test_tally_per_unit():
	rows = [
		row(first_response_at=datetime(2026, 10, 7), answered_at=datetime(2026, 10, 14)),
		row(
			first_response_at=datetime(2026, 10, 14),
			answered_at=datetime(2026, 11, 20),
			sla_status="Breached",
		),
		row(first_response_at=datetime(2026, 10, 9), sla_escalations="Resolution|x|B\nResolution|y|C"),
		row(response_due=None, resolution_due=None),  # no policy: received, never measured
		row(unit="B", response_due=datetime(2026, 12, 1), resolution_due=datetime(2026, 12, 30)),
		row(unit="B", received=datetime(2025, 12, 1), first_response_at=datetime(2025, 12, 3)),
	]
	result = perf.tally(rows, days_between, NOW)
	a, b = result["A"], result["B"]
	assert a.received == 4
	assert (a.response_on_time, a.response_measured) == (2, 3)
	assert (a.resolution_on_time, a.resolution_measured) == (1, 3)
	assert sorted(a.response_days) == [2, 4, 9]
	assert sorted(a.resolution_days) == [9, 46]
	assert (a.breaches, a.escalations) == (2, 2)
	assert b.received == 2
	assert b.response_measured == 1  # the 2025 one was responded; the other is not due yet
	assert b.response_days == []  # outside the calendar: unknown, not zero
	total = perf.overall(result.values())
	assert total.received == 6
	assert total.response_days == a.response_days
