# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import unit_cache
from p3m_app.sla import calendars
from p3m_app.tests import factories as f


def calendar(name, **values):
	return frappe.get_doc(
		{
			"doctype": "Holiday Calendar",
			"calendar_name": name,
			"from_date": "2026-01-01",
			"to_date": "2026-12-31",
			**values,
		}
	)


class TestHolidayCalendar(FrappeTestCase):
	def test_default_calendar_has_the_national_holidays(self):
		doc = frappe.get_doc("Holiday Calendar", "Indonesia")
		days = {str(row.holiday_date) for row in doc.holidays}
		self.assertIn("2026-08-17", days)  # Hari Kemerdekaan
		self.assertTrue(doc.is_default)

	def test_bad_calendars_are_refused(self):
		every_day_off = {
			f"{d}_off": 1
			for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
		}
		with self.assertRaisesRegex(frappe.ValidationError, "at least one working day"):
			calendar("T closed", **every_day_off).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "outside the calendar"):
			calendar("T stray", holidays=[{"holiday_date": "2027-01-05"}]).insert()
		self.assertFalse(frappe.db.exists("Holiday Calendar", "T closed"))

	def test_a_unit_follows_its_nearest_ancestors_calendar(self):
		f.make_world()
		regional = calendar(
			"T Jawa Tengah", holidays=[{"holiday_date": "2026-11-24", "kind": "Regional Holiday"}]
		).insert()
		frappe.db.set_value("Unit", f.PROV_A, "holiday_calendar", regional.name)
		unit_cache.forget()  # set_value fires no doc event
		self.assertEqual(calendars.resolve(f.KAB_A1), ("Holiday Calendar", regional.name))
		self.assertEqual(calendars.resolve(f.KAB_B1), ("Holiday Calendar", "Indonesia"))
		self.assertFalse(
			calendars.calendar_for_unit(f.KAB_A1).is_working_day(frappe.utils.getdate("2026-11-24"))
		)
