"""Reporting periods: checked before any query so a bad filter never scans the table.

Dates arrive as ISO strings from the report's filters (or as dates); a period is always a
whole number of days, turned into a half-open datetime range for the indexed received_at.
"""

from datetime import date, datetime, timedelta

from p3m_app.core.errors import RuleViolation, _

MAX_YEARS = 5


def as_date(value: date | str | None, label: str) -> date | None:
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	try:
		return date.fromisoformat(str(value)[:10])
	except ValueError:
		raise RuleViolation(_("{label} is not a valid date."), label=label)


def years_before(day: date, years: int) -> date:
	"""The same calendar day ``years`` earlier (29 February becomes 28 February)."""
	try:
		return day.replace(year=day.year - years)
	except ValueError:
		return day.replace(year=day.year - years, day=28)


def months_before(day: date, months: int) -> date:
	"""The same day ``months`` earlier, clamped to the end of a shorter month."""
	index = day.year * 12 + day.month - 1 - months
	year, month = divmod(index, 12)
	first = date(year, month + 1, 1)
	return first.replace(day=min(day.day, end_of_month(first).day))


def end_of_month(day: date) -> date:
	following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
	return following - timedelta(days=1)


def default_period(today: date) -> tuple[date, date]:
	"""The last 12 months, today included."""
	return months_before(today, 12), today


def check_period(from_date, to_date, today: date, max_years: int = MAX_YEARS) -> tuple[date, date]:
	"""The period to report on; missing ends default to the last 12 months.

	A period that ends before it starts, or spans more than ``max_years`` years, is refused.
	"""
	default_from, default_to = default_period(today)
	start = as_date(from_date, _("From Date")) or default_from
	end = as_date(to_date, _("To Date")) or default_to
	if start > end:
		raise RuleViolation(
			_("The period starts on {start}, after it ends on {end}."),
			start=start.isoformat(),
			end=end.isoformat(),
		)
	if start < years_before(end, max_years):
		raise RuleViolation(
			_("A report covers at most {years} years; shorten the period."), years=str(max_years)
		)
	return start, end


def datetime_range(start: date, end: date) -> tuple[datetime, datetime]:
	"""[start of ``start``, start of the day after ``end``): every moment of both days counts."""
	return datetime.combine(start, datetime.min.time()), datetime.combine(
		end + timedelta(days=1), datetime.min.time()
	)


def parse_month(value: str | None, today: date) -> tuple[date, date]:
	"""First and last day of a "YYYY-MM" month; none given means the current month."""
	if not value:
		first = today.replace(day=1)
		return first, end_of_month(first)
	text = str(value).strip()
	try:
		year, month = (int(part) for part in text.split("-"))
		first = date(year, month, 1)
	except ValueError:
		raise RuleViolation(_("{value} is not a month; use the form YYYY-MM."), value=text)
	if len(text.split("-")[0]) != 4:
		raise RuleViolation(_("{value} is not a month; use the form YYYY-MM."), value=text)
	return first, end_of_month(first)


def previous_month(first: date) -> tuple[date, date]:
	last = first - timedelta(days=1)
	return last.replace(day=1), last
