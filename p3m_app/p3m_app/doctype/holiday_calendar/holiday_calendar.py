# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt


import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time, getdate

from p3m_app.core import cuti_bersama
from p3m_app.core.errors import RuleViolation
from p3m_app.core.working_calendar import WorkingCalendar
from p3m_app.sla import calendars
from p3m_app.utils import throw

OFFICE_HOURS = ("08:00:00", "16:00:00")


class HolidayCalendar(Document):
	def before_insert(self):
		# Frappe gives every Time field of a new document the current time, overriding the
		# field's default: both ends then fall a moment apart. Read that as "not set".
		opens, closes = _time(self.office_start), _time(self.office_end)
		if not opens or not closes or abs(_seconds(closes) - _seconds(opens)) < 60:
			self.office_start, self.office_end = OFFICE_HOURS

	def validate(self):
		start, end = getdate(self.from_date), getdate(self.to_date)
		seen = set()
		for row in self.holidays:
			day = getdate(row.holiday_date)
			if not start <= day <= end:
				frappe.throw(
					_("Holiday {0} is outside the calendar's range {1} to {2}.").format(day, start, end),
					title=_("Invalid Holiday Calendar"),
				)
			if day in seen:
				frappe.throw(_("{0} is listed twice.").format(day), title=_("Invalid Holiday Calendar"))
			seen.add(day)
		try:
			self.working_calendar()
		except RuleViolation as violation:
			throw(violation, title=_("Invalid Holiday Calendar"))
		if self.is_default:
			frappe.db.set_value(
				"Holiday Calendar", {"is_default": 1, "name": ("!=", self.name)}, "is_default", 0
			)

	def working_calendar(self) -> WorkingCalendar:
		weekend = {i for i, field in enumerate(calendars.WEEKDAY_FIELDS) if self.get(field)}
		holidays = {getdate(row.holiday_date) for row in self.holidays}
		return WorkingCalendar(
			getdate(self.from_date),
			getdate(self.to_date),
			weekend,
			holidays,
			office_start=_time(self.office_start),
			office_end=_time(self.office_end),
		)

	@frappe.whitelist()
	def load_national_holidays(self):
		"""Add Indonesia's public holidays (and cuti bersama the library knows) for the calendar's years."""
		self.check_permission("write")
		added = add_national_holidays(self)
		self.save()
		return added


def _time(value):
	"""A Time field as datetime.time (the database hands back a timedelta); unset -> default."""
	return get_time(value) if value not in (None, "") else None


def add_national_holidays(doc) -> int:
	start, end = getdate(doc.from_date), getdate(doc.to_date)
	present = {getdate(row.holiday_date) for row in doc.holidays}
	added = 0
	for day, name in calendars.national_holidays(list(range(start.year, end.year + 1))).items():
		if start <= day <= end and day not in present:
			kind = "Cuti Bersama" if "cuti bersama" in name.lower() else "Public Holiday"
			doc.append("holidays", {"holiday_date": day, "description": name[:140], "kind": kind})
			added += 1
	return added


def add_shipped_cuti_bersama(doc) -> int:
	"""The app's SKB cuti bersama within the calendar's range that it does not hold yet."""
	start, end = getdate(doc.from_date), getdate(doc.to_date)
	present = {getdate(row.holiday_date) for row in doc.holidays}
	missing = {
		day: name
		for day, name in cuti_bersama.for_years(range(start.year, end.year + 1)).items()
		if start <= day <= end and day not in present
	}
	for day, name in missing.items():
		doc.append("holidays", {"holiday_date": day, "description": name[:140], "kind": "Cuti Bersama"})
	return len(missing)


def _seconds(moment) -> int:
	return moment.hour * 3600 + moment.minute * 60 + moment.second
