"""How often a unit's coordination team must meet, and when the next meeting falls due.

Pedoman PKH (seed 004): the Tim Koordinasi PKH Kabupaten/Kota meets "minimal setiap bulannya"
(lines 248-250); the Tim Koordinasi Teknis Pusat "setidaknya setiap tiga bulan sekali" (line 370);
the Provinsi team meets "sesuai kebutuhan" (lines 271-273), so it has no rhythm. The interval is
data on each Unit Level (``meeting_every_months``); these are only the values shipped at install.

The next meeting is due a whole number of months after the last one held (or after the unit was
set up, when it never met); the day is clamped to the end of a shorter month, as MariaDB's
``date_add(..., interval n month)`` does, so the missed-meeting count in SQL agrees with this rule.
"""

from datetime import date, datetime, timedelta

from p3m_app.core.errors import RuleViolation, _

SHIPPED_INTERVALS = {"Kabupaten/Kota": 1, "Pusat": 3}
REMIND_DAYS_BEFORE = 5
MAX_MONTHS = 12


def as_day(value) -> date | None:
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	return date.fromisoformat(str(value)[:10])


def add_months(day: date, months: int) -> date:
	"""The same day ``months`` later, clamped to the end of a shorter month (31 Jan + 1 = 28 Feb)."""
	index = day.year * 12 + day.month - 1 + months
	year, month = divmod(index, 12)
	first = date(year, month + 1, 1)
	following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
	return first.replace(day=min(day.day, (following - timedelta(days=1)).day))


def check_interval(months) -> int:
	"""0 (no rhythm) up to a year; anything else is refused."""
	try:
		value = int(months or 0)
	except (TypeError, ValueError):
		raise RuleViolation(_("Meet Every (Months) must be a whole number."))
	if value < 0 or value > MAX_MONTHS:
		raise RuleViolation(
			_("Meet Every (Months) must be between 0 (no rhythm) and {months}."), months=str(MAX_MONTHS)
		)
	return value


def next_due(every_months: int, last_held, since) -> date | None:
	"""The day the next meeting is due: ``every_months`` after the last meeting held, or after
	``since`` (the unit's creation) when it never met. None when the level has no rhythm."""
	if not every_months or every_months <= 0:
		return None
	start = as_day(last_held) or as_day(since)
	if start is None:
		return None
	return add_months(start, every_months)


def remind_on(due: date, days_before: int = REMIND_DAYS_BEFORE) -> date:
	return due - timedelta(days=days_before)


def needs_draft(due: date | None, today: date, days_before: int = REMIND_DAYS_BEFORE) -> bool:
	"""From ``days_before`` days ahead of the due day (and after it, while nothing was held)."""
	return due is not None and today >= remind_on(due, days_before)


def is_missed(due: date | None, today: date) -> bool:
	"""The due day has passed and no meeting was held since (else ``due`` would be later)."""
	return due is not None and due < today


def recap_period(today: date, every_months: int) -> tuple[date, date]:
	"""The whole calendar months the agenda recaps: the ``every_months`` months before this one
	(a monthly meeting recaps last month, a quarterly one the last three)."""
	months = max(int(every_months or 1), 1)
	this_month = today.replace(day=1)
	return add_months(this_month, -months), this_month - timedelta(days=1)


def period_label(first: date, last: date) -> str:
	""" "2026-11" for one month, "2026-09 - 2026-11" for several."""
	start, end = first.strftime("%Y-%m"), last.strftime("%Y-%m")
	return start if start == end else f"{start} - {end}"
