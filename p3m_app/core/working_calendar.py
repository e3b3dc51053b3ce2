"""Working-day arithmetic over a fixed range, in O(log n) per question.

Built once from a weekend and a set of holidays, the calendar keeps the sorted ordinals of
every working day in its range; "the N-th working day after d" and "working days between a
and b" are then two binary searches, never a walk day by day. Limits in minutes or hours
count office time (08:00-16:00 unless the calendar says otherwise) on those working days.
"""

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta

from p3m_app.core.errors import RuleViolation, _

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
DEFAULT_WEEKEND = frozenset({SATURDAY, SUNDAY})
OFFICE_START, OFFICE_END = time(8, 0), time(16, 0)


class CalendarRangeError(RuleViolation):
	pass


class WorkingCalendar:
	def __init__(
		self,
		start: date,
		end: date,
		weekend=DEFAULT_WEEKEND,
		holidays=(),
		office_start: time = OFFICE_START,
		office_end: time = OFFICE_END,
	):
		if end < start:
			raise RuleViolation(_("The calendar ends before it starts."))
		office_start, office_end = office_start or OFFICE_START, office_end or OFFICE_END
		if office_end <= office_start:
			raise RuleViolation(_("Office hours must end after they start."))
		# a few seconds of office a day (Frappe fills an empty Time field with the current time,
		# so both ends can land a moment apart) would make every minute limit run for months
		if _seconds(office_end) - _seconds(office_start) < 3600:
			raise RuleViolation(_("Office hours must last at least one hour a day."))
		self.office_start, self.office_end = office_start, office_end
		self._open = _seconds(office_start)
		self._office_seconds = _seconds(office_end) - self._open
		weekend = frozenset(weekend)
		if len(weekend) >= 7:
			raise RuleViolation(_("A calendar needs at least one working day in the week."))
		self.start, self.end, self.weekend = start, end, weekend
		self.holidays = frozenset(d for d in holidays if start <= d <= end)
		first, last = start.toordinal(), end.toordinal()
		self._days = [
			n
			for n in range(first, last + 1)
			if (n - 1) % 7 not in weekend and date.fromordinal(n) not in self.holidays
		]
		if not self._days:
			raise RuleViolation(_("The calendar has no working days in its range."))

	def is_working_day(self, day: date) -> bool:
		self._check(day)
		n = day.toordinal()
		i = bisect_left(self._days, n)
		return i < len(self._days) and self._days[i] == n

	def add_working_days(self, moment: date | datetime, days: int) -> date:
		"""The ``days``-th working day after the day of ``moment`` (the day itself never counts).

		With ``days`` == 0, the first working day on or after it."""
		day = _as_date(moment)
		self._check(day)
		if days < 0:
			raise RuleViolation(_("A time limit cannot be negative."))
		n = day.toordinal()
		index = bisect_right(self._days, n) - 1 + days if days else bisect_left(self._days, n)
		if index >= len(self._days):
			raise CalendarRangeError(
				_("The holiday calendar ends on {end}; extend it to compute deadlines this far ahead."),
				end=self.end.isoformat(),
			)
		return date.fromordinal(self._days[index])

	def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
		"""The exact moment ``minutes`` of office time after ``moment``.

		Time before office hours counts from their start; after them, or on a day off, from the
		start of the next working day. A limit that ends exactly at closing time ends that day."""
		if minutes < 0:
			raise RuleViolation(_("A time limit cannot be negative."))
		day = _as_date(moment)
		self._check(day)
		index = bisect_left(self._days, day.toordinal())
		offset = 0
		if index < len(self._days) and self._days[index] == day.toordinal() and isinstance(moment, datetime):
			offset = min(max(_seconds(moment.time()) - self._open, 0), self._office_seconds)
		days, rest = divmod(offset + minutes * 60, self._office_seconds)
		if days and not rest and minutes:
			days, rest = days - 1, self._office_seconds
		index += days
		if index >= len(self._days):
			raise CalendarRangeError(
				_("The holiday calendar ends on {end}; extend it to compute deadlines this far ahead."),
				end=self.end.isoformat(),
			)
		opening = datetime.combine(date.fromordinal(self._days[index]), self.office_start)
		return opening + timedelta(seconds=rest)

	def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
		"""Working days after the day of ``start`` up to and including the day of ``end``."""
		first, last = _as_date(start), _as_date(end)
		if last <= first:
			return 0
		self._check(first)
		self._check(last)
		return bisect_right(self._days, last.toordinal()) - bisect_right(self._days, first.toordinal())

	def subtract_working_days(self, day: date, days: int) -> date:
		"""The ``days``-th working day before ``day`` (clamped to the calendar's first day)."""
		index = bisect_left(self._days, day.toordinal()) - days
		return date.fromordinal(self._days[max(index, 0)])

	def _check(self, day: date) -> None:
		if not (self.start <= day <= self.end):
			raise CalendarRangeError(
				_("{day} is outside the holiday calendar ({start} to {end}); extend the calendar."),
				day=day.isoformat(),
				start=self.start.isoformat(),
				end=self.end.isoformat(),
			)


def _as_date(moment: date | datetime) -> date:
	return moment.date() if isinstance(moment, datetime) else moment


def _seconds(moment: time) -> int:
	return moment.hour * 3600 + moment.minute * 60 + moment.second


def end_of_day(day: date) -> datetime:
	return datetime.combine(day, datetime.max.time()).replace(microsecond=0)
