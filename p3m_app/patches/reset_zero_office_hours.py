"""Calendars created before the fix got both office times set to the moment of creation (Frappe fills
a new document's Time fields with the current time): give them the default office hours."""

import frappe


def execute():
	frappe.db.sql(
		"""update `tabHoliday Calendar` set office_start = '08:00:00', office_end = '16:00:00'
		where office_start is null or office_end is null
			or time_to_sec(office_end) - time_to_sec(office_start) < 3600"""
	)
