"""SLA performance per unit, tallied from plain complaint rows.

The report fetches one row per complaint (its times and the due dates of its First Response
and Resolution milestones) and this module turns them into rates and working-day spreads.
Working days come through a callable so the unit's own holiday calendar is used.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from p3m_app.core import report_stats as stats

WorkingDays = Callable[[str, datetime, datetime], int | None]


@dataclass
class Performance:
	received: int = 0
	response_on_time: int = 0
	response_measured: int = 0  # responded, or still unanswered after the deadline
	resolution_on_time: int = 0
	resolution_measured: int = 0
	response_days: list = field(default_factory=list)
	resolution_days: list = field(default_factory=list)
	breaches: int = 0
	escalations: int = 0

	def merge(self, other: "Performance") -> None:
		for name in self.__dataclass_fields__:
			setattr(self, name, getattr(self, name) + getattr(other, name))


def resolved_at(answered_at, closed_at, reopened_at):
	"""When the complaint was settled: its answer, else its closing (archived or forwarded to
	another agency). An answer or closing from before a reopen no longer counts."""
	for moment in (answered_at, closed_at):
		if moment and not (reopened_at and moment <= reopened_at):
			return moment
	return None


def tally(rows: Iterable[dict], working_days: WorkingDays, now: datetime) -> dict[str, Performance]:
	"""Performance per ``current_unit``.

	Each row needs: current_unit, received_at, first_response_at, answered_at, closed_at,
	reopened_at, response_due, resolution_due, sla_status, sla_escalations.
	"""
	result: dict[str, Performance] = {}
	for row in rows:
		unit = row["current_unit"]
		perf = result.setdefault(unit, Performance())
		perf.received += 1

		responded = row.get("first_response_at")
		on_time = stats.timeliness(responded, row.get("response_due"), now)
		if on_time is not None:
			perf.response_measured += 1
			perf.response_on_time += int(on_time)
		if responded:
			_append(perf.response_days, working_days(unit, row["received_at"], responded))

		resolved = resolved_at(row.get("answered_at"), row.get("closed_at"), row.get("reopened_at"))
		on_time = stats.timeliness(resolved, row.get("resolution_due"), now)
		if on_time is not None:
			perf.resolution_measured += 1
			perf.resolution_on_time += int(on_time)
		if resolved:
			_append(perf.resolution_days, working_days(unit, row["received_at"], resolved))

		perf.breaches += int(stats.is_breached(row.get("sla_status"), row.get("sla_escalations")))
		perf.escalations += stats.escalation_count(row.get("sla_escalations"))
	return result


def overall(performances: Iterable[Performance]) -> Performance:
	total = Performance()
	for perf in performances:
		total.merge(perf)
	return total


def _append(values: list, days: int | None) -> None:
	if days is not None:
		values.append(days)
