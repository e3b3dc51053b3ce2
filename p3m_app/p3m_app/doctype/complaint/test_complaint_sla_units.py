# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""The shipped SLA policies on real complaints: every time unit, milestone and escalation target
the seeds name, with frozen clocks and the scheduled sweep (Pusat -> Prov A -> Kab A1)."""

from datetime import datetime, time, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.core import escalation_log
from p3m_app.core import sla_policy as sla
from p3m_app.handling import act
from p3m_app.sla import api, calendars
from p3m_app.sla import sweep as sla_sweep
from p3m_app.tests import factories as f

MON = datetime(2026, 11, 2, 9, 0)  # Monday 2 November 2026; no national holiday until 25 December


def alerts(user: str) -> int:
	return frappe.db.count("Notification Log", {"for_user": user, "type": "Alert"})


def escalated_to(name: str) -> list[str]:
	return [
		target
		for _m, _due, target in escalation_log.parse(
			frappe.db.get_value("Complaint", name, "sla_escalations")
		)
	]


class TestPKHTimeLimits(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def tearDown(self):
		frappe.set_user("Administrator")

	def day(self, n: int, hour: int = 10) -> datetime:
		"""Working day ``n`` after MON in Kab A1's calendar, at ``hour``."""
		calendar = calendars.calendar_for_unit(f.KAB_A1)
		return datetime.combine(calendar.add_working_days(MON, n), time(hour))

	def followed_up_at_kab_a1(self) -> str:
		"""A PKH complaint verified and disposed down to Kab A1 on MON, its follow-up recorded by
		the Kab A1 officer on working day 20 (Tabel 2: within 23)."""
		with self.freeze_time(MON):
			name = f.complaint_at(f.KAB_A1, program="PKH").name
		frappe.set_user(f.OFFICER_A1)
		with self.freeze_time(self.day(20)):
			api.complete_follow_up(name, "Bantuan sudah diverifikasi ulang dan dibayarkan.")
		frappe.set_user("Administrator")
		return name

	def test_answered_on_working_day_24_is_met(self):
		"""Seed 004 Tabel 2 (line 570) and line 212: the reporter is informed within 26 working days."""
		name = self.followed_up_at_kab_a1()
		self.assertIsNotNone(frappe.db.get_value("Complaint", name, "follow_up_completed_at"))
		with self.freeze_time(self.day(24)):
			act(name, "Answer", response="<p>Bantuan sudah dibayarkan.</p>")
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual(doc.sla_status, sla.MET)
		rows = {r.milestone: r for r in doc.sla_milestones}
		self.assertEqual(rows[sla.INFORM_REPORTER].met_at, self.day(24))
		self.assertLess(rows[sla.FOLLOW_UP].met_at, rows[sla.FOLLOW_UP].due_at)

	def test_answered_on_working_day_27_is_breached_and_escalated_to_uppkh_pusat(self):
		"""Seed 004 Tabel 2 (line 570) and lines 215-217: "harus segera diteruskan ke UPPKH Pusat"."""
		name = self.followed_up_at_kab_a1()
		sla_sweep.sweep(now=self.day(27, hour=8))
		row = frappe.db.get_value(
			"Complaint", name, ["sla_status", "escalated_to_unit", "escalated_to_national"], as_dict=True
		)
		self.assertEqual(
			(row.sla_status, row.escalated_to_unit, row.escalated_to_national), (sla.BREACHED, f.PUSAT, 0)
		)
		self.assertEqual(escalated_to(name), [f.PUSAT])  # the log line names the target
		with self.freeze_time(self.day(27)):
			act(name, "Answer", response="<p>Bantuan sudah dibayarkan.</p>")
		self.assertEqual(frappe.db.get_value("Complaint", name, "sla_status"), sla.BREACHED)

	def test_only_the_holding_units_officers_record_the_follow_up(self):
		"""Seed 004 Tabel 2 (line 592): the unit that follows the complaint up records it."""
		with self.freeze_time(MON):
			name = f.complaint_at(f.KAB_A1, program="PKH").name
		for user in (f.OFFICER_B1, f.ADMIN_A):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				api.complete_follow_up(name, "Sudah")
		frappe.set_user("Administrator")
		self.assertIsNone(frappe.db.get_value("Complaint", name, "follow_up_completed_at"))
		doc = frappe.get_doc("Complaint", name)
		doc.follow_up_completed_at = MON  # what a tampered request could send
		with self.assertRaises(frappe.ValidationError):
			doc.save()


class TestLaporTimeUnits(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_receipt_in_60_office_minutes_breaches_at_minute_61_not_across_night_or_holiday(self):
		"""Seed 003 line 58 (step 1): a report is taken in hand within "60 menit"."""
		cal = frappe.get_doc("Holiday Calendar", "Indonesia")
		cal.append(
			"holidays", {"holiday_date": "2026-11-09", "kind": "Regional Holiday", "description": "Uji"}
		)
		cal.save()
		with self.freeze_time("2026-11-06 15:30:00"):  # Friday, the day before a long weekend
			name = f.make_complaint(program="SP4N-LAPOR!", current_unit=f.KAB_A1, channel="Walk-in").name
		self.assertEqual(
			frappe.db.get_value("Complaint", name, "sla_current_due"), datetime(2026, 11, 10, 8, 30)
		)
		for quiet in ("2026-11-06 23:00:00", "2026-11-09 12:00:00", "2026-11-10 08:30:00"):
			sla_sweep.sweep(now=datetime.fromisoformat(quiet))
			self.assertEqual(escalated_to(name), [], quiet)
		sla_sweep.sweep(now=datetime(2026, 11, 10, 8, 30, 1))  # minute 61 of office time begins
		self.assertEqual(frappe.db.get_value("Complaint", name, "sla_status"), sla.BREACHED)
		self.assertEqual(escalated_to(name), [f.PROV_A])


class TestIntervention(FrappeTestCase):
	"""A class of its own: the sweep's digest counts every complaint of the run, and the class
	above leaves complaints escalated to Admin Nasional until it rolls back."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_the_30_day_intervention_alerts_the_admin_instansi_not_admin_nasional(self):
		"""Seed 002 line 27: the agency admin intervenes in reports not settled in 30 working days."""
		with self.freeze_time(MON):
			name = f.make_complaint(program="SP4N-LAPOR!", current_unit=f.KAB_A1, channel="Walk-in").name
			act(name, "Verify")
			act(name, "Handle Directly")
		admin, national = alerts(f.ADMIN_A), alerts(f.NASIONAL)
		due = frappe.db.get_value("Complaint", name, "sla_current_due")
		self.assertEqual(due.date(), calendars.calendar_for_unit(f.KAB_A1).add_working_days(MON, 30))
		sla_sweep.sweep(now=due.replace(hour=12, minute=0))
		self.assertEqual(escalated_to(name), [])
		sla_sweep.sweep(now=due + timedelta(seconds=1))
		self.assertEqual(escalated_to(name), [f.PROV_A])
		self.assertEqual((alerts(f.ADMIN_A), alerts(f.NASIONAL)), (admin + 1, national))
		self.assertEqual(frappe.db.get_value("Complaint", name, "escalated_to_national"), 0)
