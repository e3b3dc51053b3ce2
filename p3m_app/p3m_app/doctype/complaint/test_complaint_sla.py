# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""SOP time limits on real complaints, with frozen clocks, and the scheduled sweep."""

from datetime import date, datetime
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.core import sla_policy as sla
from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act
from p3m_app.sla import calendars
from p3m_app.sla import sweep as sla_sweep
from p3m_app.sla.timeline import escalation_entries
from p3m_app.tests import factories as f

MON = "2026-11-02 09:00:00"  # Monday 2 November 2026; no national holiday until 25 December


def due(name, milestone):
	rows = frappe.get_all(
		"Complaint SLA Milestone", filters={"parent": name, "milestone": milestone}, pluck="due_at"
	)
	return rows[0].date() if rows and rows[0] else None


def lapor(**values):
	return f.make_complaint(program="SP4N-LAPOR!", **values)


class TestComplaintSLA(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_lapor_limits_seed_003_and_002(self):
		"""Seed 003 lines 58-79: receipt 60 minutes, 3 working days per level, initial response 3
		after the disposition, substantive answer 3 after that; seed 002 line 27: intervention at 30."""
		with self.freeze_time(MON):
			doc = lapor()
		self.assertEqual(doc.sla_policy, "SP4N-LAPOR!")
		self.assertEqual(doc.sla_current_due, datetime(2026, 11, 2, 10, 0))  # receipt: an exact moment
		self.assertEqual(due(doc.name, sla.DISPOSITION), date(2026, 11, 5))
		self.assertIsNone(due(doc.name, sla.FIRST_RESPONSE))  # counted from a disposition
		self.assertEqual(due(doc.name, sla.INTERVENTION), date(2026, 12, 14))
		self.assertEqual(doc.sla_status, sla.ON_TRACK)
		with self.freeze_time("2026-11-03 10:00:00"):
			act(doc.name, "Verify")
			f.dispose(doc.name, f.PROV_A)
		self.assertEqual(due(doc.name, sla.FIRST_RESPONSE), date(2026, 11, 6))
		self.assertEqual(due(doc.name, sla.RESOLUTION), date(2026, 11, 11))

	def test_each_disposition_starts_the_receiving_levels_own_three_days(self):
		with self.freeze_time(MON):
			doc = lapor()
			act(doc.name, "Verify")
		with self.freeze_time("2026-11-04 10:00:00"):
			f.dispose(doc.name, f.PROV_A)
		self.assertEqual(due(doc.name, sla.DISPOSITION), date(2026, 11, 9))

	def test_pkh_totals_26_working_days_seed_004(self):
		with self.freeze_time(MON):
			doc = f.make_complaint(program="PKH")
		self.assertEqual(doc.sla_policy, "PKH")
		calendar = calendars.calendar_for_unit(doc.current_unit)
		received = datetime(2026, 11, 2, 9)
		self.assertEqual(calendar.working_days_between(received, due(doc.name, sla.VERIFICATION)), 5)
		self.assertEqual(calendar.working_days_between(received, due(doc.name, sla.HANDLER_IDENTIFIED)), 8)
		self.assertEqual(calendar.working_days_between(received, due(doc.name, sla.FOLLOW_UP)), 23)
		self.assertEqual(calendar.working_days_between(received, due(doc.name, sla.INFORM_REPORTER)), 26)

	def test_holidays_and_cuti_bersama_move_deadlines(self):
		# start without the cuti bersama of 24 December (newer `holidays` releases ship it)
		cal = frappe.get_doc("Holiday Calendar", "Indonesia")
		cal.holidays = [row for row in cal.holidays if str(row.holiday_date) != "2026-12-24"]
		cal.save()
		with self.freeze_time("2026-12-22 09:00:00"):  # Tuesday; 25 December is a national holiday
			doc = lapor()
		self.assertEqual(due(doc.name, sla.DISPOSITION), date(2026, 12, 28))
		cal.reload()
		cal.append(
			"holidays",
			{"holiday_date": "2026-12-24", "kind": "Cuti Bersama", "description": "Cuti bersama Natal"},
		)
		cal.save()
		with self.freeze_time("2026-12-22 09:00:00"):
			doc = lapor()
		self.assertEqual(due(doc.name, sla.DISPOSITION), date(2026, 12, 29))

	def test_pending_pauses_and_resuming_adds_the_wait(self):
		with self.freeze_time(MON):
			doc = lapor()
		with self.freeze_time("2026-11-03 09:00:00"):
			act(doc.name, "Mark Pending", pending_reason="Mohon lengkapi lokasi")
		doc.reload()
		self.assertEqual((doc.sla_status, doc.sla_current_due), (sla.PAUSED, None))
		with self.freeze_time("2026-11-10 09:00:00"):
			act(doc.name, "Resume")
		doc.reload()
		self.assertEqual(doc.paused_days, 5)
		self.assertEqual(due(doc.name, sla.INTERVENTION), date(2026, 12, 21))  # 30 + 5 working days
		self.assertIsNone(doc.paused_since)

	def test_reopen_gives_a_fresh_resolution_clock(self):
		with self.freeze_time(MON):
			doc = f.complaint_at(f.KAB_A1, program="SP4N-LAPOR!")
			act(doc.name, "Answer", response="<p>Selesai</p>")
		doc.reload()
		self.assertEqual(doc.sla_status, sla.MET)
		self.assertEqual(
			doc.autoclose_at.date(), date(2026, 11, 16)
		)  # seed 003: closes 10 days after the answer
		with self.freeze_time("2026-11-09 09:00:00"):
			act(doc.name, "Reopen", reopen_reason="Pelapor keberatan")
		doc.reload()
		self.assertIsNone(doc.autoclose_at)
		self.assertEqual(due(doc.name, sla.INTERVENTION), date(2026, 12, 21))
		self.assertEqual(doc.sla_status, sla.ON_TRACK)


class TestSweep(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def comments(self, name):
		return frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Complaint", "reference_name": name, "comment_type": "Info"},
			pluck="content",
		)

	def timeline(self, name):
		"""Info comments and the escalations the timeline shows from flagged milestone rows."""
		return self.comments(name) + [e["content"] for e in escalation_entries("Complaint", name)]

	def at_kab_a1(self):
		"""A walk-in complaint recorded and verified at Kab A1 on Monday (received in time): its
		level must act by Thu 5 Nov, and the Admin Instansi intervenes after 14 Dec."""
		with self.freeze_time(MON):
			name = lapor(current_unit=f.KAB_A1, channel="Walk-in").name
			act(name, "Verify")
			return name

	def test_due_soon_then_breach_escalates_up_the_ladder_once(self):
		name = self.at_kab_a1()  # arrived at Kab A1 Monday: 3 working days per level -> due Thu 5 Nov
		sla_sweep.sweep(now=datetime(2026, 11, 4, 23, 59, 59))
		self.assertEqual(frappe.db.get_value("Complaint", name, "sla_status"), sla.DUE_SOON)
		sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
		row = frappe.db.get_value(
			"Complaint",
			name,
			["sla_status", "escalation_level", "escalated_to_unit", "sla_current_due"],
			as_dict=True,
		)
		self.assertEqual(
			(row.sla_status, row.escalation_level, row.escalated_to_unit), (sla.BREACHED, 1, f.PROV_A)
		)
		self.assertEqual(row.sla_current_due.date(), date(2026, 12, 14), "next deadline: intervention")
		self.assertEqual(len(self.timeline(name)), 1)
		# a rerun with nothing newly due changes nothing
		self.assertEqual(sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 15))["breached"], 0)
		self.assertEqual(len(self.timeline(name)), 1)
		self.assertEqual(frappe.db.get_value("Complaint", name, "escalation_level"), 1)
		# 30 working days without an answer: seed 002's intervention goes to the Admin Instansi
		sla_sweep.sweep(now=datetime(2026, 12, 15, 8, 0))
		row = frappe.db.get_value(
			"Complaint",
			name,
			["escalation_level", "escalated_to_unit", "escalated_to_national", "escalated_to_admins"],
			as_dict=True,
		)
		self.assertEqual(tuple(row.values()), (2, f.PROV_A, 0, 1))
		self.assertEqual(len(self.timeline(name)), 2)

	def test_a_save_after_a_breach_never_escalates_it_again(self):
		name = self.at_kab_a1()
		sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
		doc = frappe.get_doc("Complaint", name)
		for row in doc.sla_milestones:
			row.breached = 0  # what a tampered request could send back
		doc.description += " (tambahan)"
		with self.freeze_time("2026-11-06 09:00:00"):
			doc.save()
		self.assertEqual(sla_sweep.sweep(now=datetime(2026, 11, 6, 10, 0))["breached"], 0)
		self.assertEqual(frappe.db.get_value("Complaint", name, "escalation_level"), 1)
		self.assertEqual(len(self.timeline(name)), 1)

	def test_officers_are_notified_once_per_breach(self):
		self.at_kab_a1()
		self.at_kab_a1()

		def alerts():
			return {
				user: frappe.db.count("Notification Log", {"for_user": user, "type": "Alert"})
				for user in (f.OFFICER_A1, f.ADMIN_A, f.OFFICER_B1)
			}

		before = alerts()
		sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
		sla_sweep.sweep(now=datetime(2026, 11, 6, 9, 0))
		after = alerts()
		# one digest each for the holding unit's officer and the escalation unit's admin, none elsewhere
		self.assertEqual(after[f.OFFICER_A1], before[f.OFFICER_A1] + 1)
		self.assertEqual(after[f.ADMIN_A], before[f.ADMIN_A] + 1)
		self.assertEqual(after[f.OFFICER_B1], before[f.OFFICER_B1])

	def test_auto_close_after_the_objection_window(self):
		name = self.at_kab_a1()
		with self.freeze_time("2026-11-03 09:00:00"):
			act(name, "Handle Directly")
			act(name, "Answer", response="<p>Sudah dibayar</p>")
		sla_sweep.sweep(now=datetime(2026, 11, 17, 12, 0))
		self.assertEqual(
			frappe.db.get_value("Complaint", name, "workflow_state"), wf.ANSWERED, "10 days not over"
		)
		sla_sweep.sweep(now=datetime(2026, 11, 18, 0, 1))
		row = frappe.db.get_value(
			"Complaint", name, ["workflow_state", "closed_at", "sla_status"], as_dict=True
		)
		self.assertEqual((row.workflow_state, row.sla_status), (wf.CLOSED, sla.MET))
		self.assertTrue(any("Closed automatically" in c for c in self.comments(name)))
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": name, "status": "Open"}))

	def test_paused_and_closed_complaints_are_left_alone(self):
		name = self.at_kab_a1()
		with self.freeze_time("2026-11-03 09:00:00"):
			act(name, "Handle Directly")
			act(name, "Answer", response="<p>ok</p>")
			act(name, "Close")
		with self.freeze_time(MON):
			paused = lapor()
			act(paused.name, "Mark Pending", pending_reason="Lokasi?")
		sla_sweep.sweep(now=datetime(2027, 2, 1))
		self.assertEqual(frappe.db.get_value("Complaint", paused.name, "sla_status"), sla.PAUSED)
		self.assertEqual(frappe.db.get_value("Complaint", name, "escalation_level"), 0)

	def test_an_interrupted_sweep_leaves_nothing_half_done(self):
		name = self.at_kab_a1()
		frappe.db.savepoint("before_sweep")
		with patch.object(sla_sweep, "notify", side_effect=RuntimeError("mail server down")):
			with self.assertRaises(RuntimeError):
				sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
		frappe.db.rollback(save_point="before_sweep")
		self.assertEqual(frappe.db.get_value("Complaint", name, "escalation_level"), 0)
		self.assertEqual(self.timeline(name), [])
		sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
		self.assertEqual(frappe.db.get_value("Complaint", name, "escalation_level"), 1)
		self.assertEqual(len(self.timeline(name)), 1)

	def test_a_failing_notification_is_logged_and_does_not_stop_the_others(self):
		self.at_kab_a1()
		errors = frappe.db.count("Error Log")
		real = frappe.sendmail

		def flaky(recipients=None, **kwargs):
			if f.OFFICER_A1 in recipients:
				raise ValueError("bad address")
			return real(recipients=recipients, **kwargs)

		admin_alerts = frappe.db.count("Notification Log", {"for_user": f.ADMIN_A, "type": "Alert"})
		with patch("frappe.sendmail", side_effect=flaky):
			sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
		self.assertGreater(frappe.db.count("Error Log"), errors)
		self.assertEqual(
			frappe.db.count("Notification Log", {"for_user": f.ADMIN_A, "type": "Alert"}), admin_alerts + 1
		)

	def test_sweep_query_budget_does_not_depend_on_rows(self):
		for _ in range(3):
			self.at_kab_a1()
		with self.assertQueryCount(40):
			sla_sweep.sweep(now=datetime(2026, 11, 6, 8, 0))
