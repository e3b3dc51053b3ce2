"""Small statistics the reports share: rates with their counts, percentiles, aging buckets.

Kept pure so the numbers a head of unit signs off on are tested without a database.
"""

import math
import statistics
from collections.abc import Iterable
from datetime import datetime

from p3m_app.core import escalation_log
from p3m_app.core.errors import _

BREACHED = "Breached"
WHISTLEBLOWING = "Whistleblowing"

# working days waiting -> bucket; the last bucket is open-ended
AGING_BUCKETS = (("0-3", 0, 3), ("4-5", 4, 5), ("6-10", 6, 10), (">10", 11, None))

FLAG_WHISTLEBLOWING = _("Whistleblowing")
FLAG_NATIONAL = _("Escalated to Admin Nasional")
FLAG_REOPENED = _("Reopened")
FLAG_BREACHED = _("Time limit breached")


def percentile(values: Iterable[float | None], p: float) -> float | None:
	"""Linear interpolation between closest ranks (spreadsheet PERCENTILE.INC); None if empty.
	(statistics.quantiles has no 0th/100th point and, before Python 3.13, refuses a single value.)"""
	data = sorted(v for v in values if v is not None)
	if not data:
		return None
	if not 0 <= p <= 100:
		raise ValueError("p must be between 0 and 100")
	k = (len(data) - 1) * p / 100
	low = math.floor(k)
	high = min(low + 1, len(data) - 1)
	return data[low] + (data[high] - data[low]) * (k - low)


def median(values: Iterable[float | None]) -> float | None:
	data = [v for v in values if v is not None]
	return statistics.median(data) if data else None


def rate(hits: int, total: int) -> float | None:
	"""Percentage rounded to one decimal; None when nothing was measured (not 0%)."""
	return round(100 * hits / total, 1) if total else None


def rate_text(hits: int, total: int) -> str:
	"""'85% (17/20)': a rate is never shown without what it was computed from."""
	value = rate(hits, total)
	if value is None:
		return "-"
	return f"{value:g}% ({hits}/{total})"


def timeliness(done_at: datetime | None, due_at: datetime | None, now: datetime) -> bool | None:
	"""True if done by the deadline, False if done late or still undone after it, None if there
	is no deadline or it has not passed yet (so open complaints do not lower a unit's rate)."""
	if due_at is None:
		return None
	if done_at is not None:
		return done_at <= due_at
	return False if due_at < now else None


def escalation_count(log: str | None) -> int:
	"""Escalations the SLA sweep logged (same parsing as the timeline)."""
	return len(escalation_log.parse(log))


def is_breached(sla_status: str | None, escalation_log: str | None) -> bool:
	return sla_status == BREACHED or bool((escalation_log or "").strip())


def aging_bucket(days: int) -> str:
	for label, low, high in AGING_BUCKETS:
		if days >= low and (high is None or days <= high):
			return label
	return AGING_BUCKETS[0][0]  # negative (clock skew): just sent


def bucket_counts(days: Iterable[int | None]) -> dict[str, int]:
	"""How many waits fall in each aging bucket; an unknown wait (None) in none of them."""
	counts = {label: 0 for label, _low, _high in AGING_BUCKETS}
	for value in days:
		if value is not None:
			counts[aging_bucket(value)] += 1
	return counts


def special_flags(row: dict) -> list[str]:
	"""Why a complaint needs the monthly report's attention (untranslated labels)."""
	flags = []
	if row.get("classification") == WHISTLEBLOWING:
		flags.append(FLAG_WHISTLEBLOWING)
	if row.get("escalated_to_national"):
		flags.append(FLAG_NATIONAL)
	if (row.get("reopen_count") or 0) > 0:
		flags.append(FLAG_REOPENED)
	if is_breached(row.get("sla_status"), row.get("sla_escalations")):
		flags.append(FLAG_BREACHED)
	return flags


def ranked(counts: dict) -> list[tuple]:
	"""(key, count) by count, highest first; ties by key (an empty key last) so the order is stable."""
	return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, str(item[0])))
