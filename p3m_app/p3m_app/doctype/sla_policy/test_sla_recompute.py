# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Changing a policy or a calendar moves the deadlines of the open complaints it governs.

The job (p3m_app.sla.recompute) is called directly: a save only queues it after the commit,
which FrappeTestCase never reaches; the hook tests check what the save queued.
"""

from datetime import date, datetime
from functools import partial
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import unit_cache
from p3m_app.core import sla_policy as sla
from p3m_app.core import workflow_rules as wf
from p3m_app.setup import install
from p3m_app.sla import recompute
from p3m_app.tests import factories as f

MON = "2026-11-02 09:00:00"  # Monday 2 November 2026; no national holiday until 24 December
LATER = datetime(2026, 11, 2, 10, 0)
OFFICE_HOURS = {"office_start": "08:00:00", "office_end": "16:00:00"}


def lapor(case, count=1, **values):
	with case.freeze_time(MON):
		return [f.make_complaint(program="SP4N-LAPOR!", **values).name for _ in range(count)]


def due(name, milestone=sla.DISPOSITION):
	value = frappe.db.get_value("Complaint SLA Milestone", {"parent": name, "milestone": milestone}, "due_at")
	return value.date() if value else None


def state(name):
	"""Everything the job could write for one complaint."""
	row = frappe.db.get_value(
		"Complaint", name, ["sla_status", "sla_current_due", "sla_due_soon_at", "modified"], as_dict=True
	)
	rows = frappe.get_all("Complaint SLA Milestone", filters={"parent": name}, fields=["*"], order_by="idx")
	return row, rows


def sla_values(name):
	"""The SLA columns and milestone rows, without bookkeeping columns."""
	row = frappe.db.get_value(
		"Complaint",
		name,
		["sla_policy", "sla_status", "sla_current_due", "sla_due_soon_at", "autoclose_at"],
		as_dict=True,
	)
	rows = frappe.get_all("Complaint SLA Milestone", filters={"parent": name}, fields=["*"], order_by="idx")
	skip = {"name", "creation", "modified", "modified_by", "owner", "idx"}
	return row, sorted(tuple(sorted((k, str(v)) for k, v in r.items() if k not in skip)) for r in rows)


def set_disposition_days(policy_name, days):
	policy = frappe.get_doc("SLA Policy", policy_name)
	next(row for row in policy.milestones if row.milestone == sla.DISPOSITION).working_days = days
	policy.save()
	return policy


def make_calendar(name, unit, to_date="2027-12-31"):
	cal = frappe.get_doc(
		{
			"doctype": "Holiday Calendar",
			"calendar_name": name,
			"from_date": "2025-01-01",
			"to_date": to_date,
			"saturday_off": 1,
			"sunday_off": 1,
			# Frappe 15 fills a new document's Time fields with the current time, not their default
			**{f: t for f, t in OFFICE_HOURS.items() if frappe.get_meta("Holiday Calendar").has_field(f)},
		}
	).insert()
	frappe.db.set_value("Unit", unit, "holiday_calendar", cal.name)
	unit_cache.forget()  # set_value fires no doc event
	return cal


def add_holiday(cal, day):
	cal.reload()
	cal.append("holidays", {"holiday_date": day, "kind": "Regional Holiday", "description": "Libur daerah"})
	cal.save()


def queued(doctype, name):
	return [
		fn
		for fn in frappe.db.after_commit._functions
		if isinstance(fn, partial) and fn.func is recompute.enqueue_now and fn.args == (doctype, name)
	]


class TestPolicyRecompute(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_a_policy_edit_moves_open_deadlines_and_leaves_closed_ones_alone(self):
		open_ones = lapor(self, 3)
		closed = lapor(self)[0]
		frappe.db.set_value("Complaint", closed, "workflow_state", wf.CLOSED, update_modified=False)
		closed_before = state(closed)
		self.assertEqual(due(open_ones[0]), date(2026, 11, 5))  # 3 working days

		set_disposition_days("SP4N-LAPOR!", 5)
		self.assertTrue(queued("SLA Policy", "SP4N-LAPOR!"))
		counts = recompute.recompute("SLA Policy", "SP4N-LAPOR!", now=LATER)

		self.assertGreaterEqual(counts["changed"], 3)
		self.assertEqual(counts["range_errors"], 0)
		for name in open_ones:
			self.assertEqual(due(name), date(2026, 11, 9))  # now 5 working days
			self.assertEqual(frappe.db.get_value("Complaint", name, "modified"), LATER)
		# the job stores what saving the complaint would
		recomputed = sla_values(open_ones[0])
		with self.freeze_time(LATER):
			frappe.get_doc("Complaint", open_ones[0]).save()
		self.assertEqual(sla_values(open_ones[0]), recomputed)
		self.assertEqual(state(closed), closed_before)
		comment = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "SLA Policy", "reference_name": "SP4N-LAPOR!"},
			pluck="content",
			order_by="creation desc",
			limit=1,
		)
		self.assertIn("SLA", comment[0])

		# a second run finds nothing to change and writes nothing
		again = recompute.recompute("SLA Policy", "SP4N-LAPOR!", now=LATER)
		self.assertEqual(again["changed"], 0)
		self.assertEqual(frappe.db.get_value("Complaint", open_ones[0], "modified"), LATER)

	def test_a_disabled_policy_hands_its_complaints_to_the_next_or_clears_them(self):
		[sms] = lapor(self, channel="SMS")
		frappe.get_doc(
			{
				"doctype": "SLA Policy",
				"policy_name": "T LAPOR SMS",
				"program": "SP4N-LAPOR!",
				"channel": "SMS",
				"priority": 40,
				"milestones": [{"milestone": sla.RESOLUTION, "working_days": 2}],
			}
		).insert()
		recompute.recompute("SLA Policy", "T LAPOR SMS", now=LATER)
		self.assertEqual(frappe.db.get_value("Complaint", sms, "sla_policy"), "T LAPOR SMS")
		self.assertEqual(frappe.db.get_value("Complaint", sms, "sla_current_due").date(), date(2026, 11, 4))

		policy = frappe.get_doc("SLA Policy", "T LAPOR SMS")
		policy.enabled = 0
		policy.save()
		recompute.recompute("SLA Policy", "T LAPOR SMS", now=LATER)
		self.assertEqual(frappe.db.get_value("Complaint", sms, "sla_policy"), "SP4N-LAPOR!")
		self.assertEqual(due(sms), date(2026, 11, 5))

	def test_saving_a_policy_queues_the_job_once_it_is_committed(self):
		policy = set_disposition_days("SP4N-LAPOR!", 4)
		[callback] = queued("SLA Policy", policy.name)
		with patch("p3m_app.sla.recompute.frappe.enqueue") as enqueue:
			callback()
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.args, (recompute.JOB,))
		self.assertEqual(enqueue.call_args.kwargs["job_id"], recompute.job_id("SLA Policy", policy.name))
		self.assertTrue(enqueue.call_args.kwargs["deduplicate"])
		self.assertEqual(enqueue.call_args.kwargs["name"], policy.name)

		# a change no deadline depends on queues nothing
		frappe.db.after_commit.reset()
		policy.reload()
		policy.source = "SOP LAPOR! (catatan)"
		policy.save()
		self.assertFalse(queued("SLA Policy", policy.name))


class TestCalendarRecompute(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_a_new_holiday_moves_a_deadline_one_working_day_and_only_in_its_calendar(self):
		cal = make_calendar("T Cal A1", f.KAB_A1)
		[here] = lapor(self, current_unit=f.KAB_A1, channel="Walk-in")
		[elsewhere] = lapor(self, current_unit=f.KAB_B1, channel="Walk-in")
		self.assertEqual(due(here), date(2026, 11, 5))
		elsewhere_before = state(elsewhere)

		add_holiday(cal, "2026-11-04")
		self.assertTrue(queued("Holiday Calendar", cal.name))
		counts = recompute.recompute("Holiday Calendar", cal.name, now=LATER)

		self.assertEqual((counts["changed"], counts["range_errors"]), (1, 0))
		self.assertEqual(due(here), date(2026, 11, 6))
		self.assertEqual(state(elsewhere), elsewhere_before)

	def test_a_complaint_past_the_calendars_end_is_counted_and_the_job_goes_on(self):
		cal = make_calendar("T Cal A2", f.KAB_A2)
		names = lapor(self, 2, current_unit=f.KAB_A2, channel="Walk-in")
		cal.reload()
		cal.to_date = "2026-11-20"  # before the 30-day resolution deadline
		cal.save()
		counts = recompute.recompute("Holiday Calendar", cal.name, now=LATER)
		self.assertGreaterEqual(counts["range_errors"], 2)
		self.assertTrue(
			frappe.db.exists(
				"Error Log", {"reference_doctype": "Holiday Calendar", "reference_name": cal.name}
			)
		)
		self.assertEqual(due(names[0]), date(2026, 11, 5))  # left as it was


class TestRecomputeQueries(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_the_number_of_statements_does_not_grow_with_the_complaints(self):
		few, many = make_calendar("T Cal Few", f.KAB_A2), make_calendar("T Cal Many", f.KAB_B1)
		lapor(self, 5, current_unit=f.KAB_A2, channel="Walk-in")
		names = lapor(self, 50, current_unit=f.KAB_B1, channel="Walk-in")
		for cal in (few, many):  # warm the caches both runs share
			recompute.recompute("Holiday Calendar", cal.name, now=LATER)
			add_holiday(cal, "2026-11-04")

		statements = []
		real_sql = frappe.db.__class__.sql

		def counting(db, query, *args, **kwargs):
			statements.append(query)
			return real_sql(db, query, *args, **kwargs)

		with patch.object(frappe.db.__class__, "sql", counting):
			self.assertEqual(recompute.recompute("Holiday Calendar", few.name, now=LATER)["changed"], 5)
		with self.assertQueryCount(len(statements)):
			self.assertEqual(recompute.recompute("Holiday Calendar", many.name, now=LATER)["changed"], 50)
		self.assertEqual(due(names[-1]), date(2026, 11, 6))


class TestDefaultCalendarCutiBersama(FrappeTestCase):
	def test_after_migrate_the_default_calendar_holds_the_2026_cuti_bersama(self):
		cal = frappe.get_doc("Holiday Calendar", install.DEFAULT_CALENDAR)
		cal.holidays = [row for row in cal.holidays if str(row.holiday_date) != "2026-12-24"]
		cal.append(
			"holidays",
			{"holiday_date": "2026-11-30", "kind": "Regional Holiday", "description": "Libur daerah"},
		)
		cal.save()
		install.ensure_default_calendar()
		days = {
			str(row.holiday_date): row.kind
			for row in frappe.get_doc("Holiday Calendar", install.DEFAULT_CALENDAR).holidays
		}
		skb_2026 = (
			"2026-02-16",
			"2026-03-18",
			"2026-03-20",
			"2026-03-23",
			"2026-03-24",
			"2026-05-15",
			"2026-05-28",
			"2026-12-24",
		)
		self.assertEqual([d for d in skb_2026 if d not in days], [])
		self.assertEqual(days["2026-12-24"], "Cuti Bersama")
		self.assertEqual(days["2026-11-30"], "Regional Holiday")  # an admin's day stays
