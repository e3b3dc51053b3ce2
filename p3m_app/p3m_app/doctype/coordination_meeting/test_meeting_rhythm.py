# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""The meeting rhythm of Pedoman PKH (seed 004): Kabupaten/Kota every month (lines 248-250), Pusat
every three months (line 370): a reminder and a draft agenda once per due date, and the missed
meetings counted within the viewer's units."""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import meeting_rhythm as mr
from p3m_app.p3m_app.report import testing as t
from p3m_app.tests import factories as f

IN = "2026-10-05 09:00:00"
ACTED = "2026-10-06 10:00:00"
TEST_UNITS = {f.PUSAT, f.PROV_A, f.PROV_B, f.KAB_A1, f.KAB_A2, f.KAB_B1, f.INACTIVE, f.INSPEKTORAT}


def held(unit: str, moment: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Coordination Meeting",
				"meeting_date": moment,
				"status": "Held",
				"organising_unit": unit,
				"agenda": "<p>Rapat</p>",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def drafts(unit: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Coordination Meeting",
		filters={"organising_unit": unit, "due_date": ("is", "set")},
		fields=["name", "due_date", "status", "agenda", "meeting_date", "level"],
		order_by="due_date",
	)


def remind(day: str) -> list[str]:
	with t.frozen(f"{day} 01:00:00"):
		return mr.remind_due_meetings()


def missed(user: str, day: str) -> set[str]:
	frappe.set_user(user)
	try:
		with t.frozen(f"{day} 10:00:00"):
			return set(mr.missed_units()) & TEST_UNITS, mr.missed_meetings()
	finally:
		frappe.set_user("Administrator")


class TestMeetingRhythm(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		frappe.db.set_value("Unit Level", "Kabupaten/Kota", "meeting_every_months", 1)
		frappe.db.set_value("Unit Level", "Pusat", "meeting_every_months", 3)
		frappe.db.set_value("Unit Level", "Provinsi", "meeting_every_months", 0)
		for unit in TEST_UNITS:
			frappe.db.set_value("Unit", unit, "creation", "2026-09-01 08:00:00", update_modified=False)
		held(f.KAB_A1, "2026-10-10 09:00:00")  # due 2026-11-10
		held(f.KAB_A2, "2026-11-20 09:00:00")  # due 2026-12-20
		held(f.PUSAT, "2026-09-15 09:00:00")  # due 2026-12-15; Kab B1 never met: due 2026-10-01
		c = cls.names = {}
		c["a1"] = t.complaint(f.KAB_A1, IN, ACTED, province="Jawa Barat", district="Bogor")
		c["wb"] = t.complaint(
			f.KAB_A1, IN, ACTED, classification="Whistleblowing", subject="Pungutan liar", **t.SECRET_REPORTER
		)
		c["late"] = t.complaint(f.KAB_A1, IN, ACTED, subject="Bantuan tahap tiga terlambat")
		frappe.db.set_value("Complaint", c["late"], "sla_status", "Breached")
		c["a2"] = t.complaint(f.KAB_A2, IN, ACTED, classification="Whistleblowing", subject="Kasus lain")

	def setUp(self):
		frappe.db.savepoint("rhythm_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="rhythm_test")

	def test_levels_carry_the_guideline_rhythm_from_install(self):
		# set by after_install on this site (the class sets them again for its own fixture)
		self.assertEqual(frappe.db.get_value("Unit Level", "Kabupaten/Kota", "meeting_every_months"), 1)
		self.assertEqual(frappe.db.get_value("Unit Level", "Pusat", "meeting_every_months"), 3)
		level = frappe.get_doc("Unit Level", "Kecamatan")
		level.meeting_every_months = 13
		with self.assertRaises(frappe.ValidationError):
			level.save(ignore_permissions=True)

	def test_reminder_and_draft_agenda_once_per_due_date(self):
		remind("2026-11-04")
		self.assertEqual(drafts(f.KAB_A1), [], "not yet: more than five days ahead")
		remind("2026-11-05")
		(draft,) = drafts(f.KAB_A1)
		self.assertEqual((str(draft.due_date), draft.status), ("2026-11-10", "Planned"))
		self.assertEqual(str(draft.meeting_date), "2026-11-10 09:00:00")
		self.assertEqual(draft.level, "Kabupaten/Kota")
		agenda = draft.agenda
		self.assertIn("2026-10", agenda)
		self.assertIn(self.names["wb"], agenda)
		self.assertIn("Pungutan liar", agenda)
		self.assertIn(self.names["late"], agenda)
		self.assertNotIn(self.names["a2"], agenda, "another unit's case")
		self.assertNotIn("Kasus lain", agenda)
		for value in (*t.PUBLIC_REPORTER.values(), *t.SECRET_REPORTER.values()):
			self.assertNotIn(value, agenda)
		linked = frappe.get_all(
			"Coordination Meeting Complaint", filters={"parent": draft.name}, pluck="complaint"
		)
		self.assertEqual(set(linked), {self.names["wb"], self.names["late"]})
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_type": "Coordination Meeting", "document_name": draft.name},
			pluck="for_user",
		)
		self.assertEqual(notes, [f.OFFICER_A1])
		# Kab B1 never met and is overdue: drafted too; Kab A2, Pusat and the provinces are not due
		self.assertEqual(len(drafts(f.KAB_B1)), 1)
		for unit in (f.KAB_A2, f.PUSAT, f.PROV_A, f.INSPEKTORAT, f.INACTIVE):
			self.assertEqual(drafts(unit), [], unit)

		# the next days change nothing
		remind("2026-11-06")
		remind("2026-11-12")
		self.assertEqual(len(drafts(f.KAB_A1)), 1)
		self.assertEqual(
			frappe.db.count("Notification Log", {"document_name": draft.name, "for_user": f.OFFICER_A1}), 1
		)

		# held on the day: the next one is due a month later and drafted five days before
		frappe.db.set_value("Coordination Meeting", draft.name, "status", "Held")
		remind("2026-12-04")
		self.assertEqual(len(drafts(f.KAB_A1)), 1)
		remind("2026-12-05")
		self.assertEqual([str(d.due_date) for d in drafts(f.KAB_A1)], ["2026-11-10", "2026-12-10"])
		self.assertIn("2026-11", drafts(f.KAB_A1)[1].agenda)

	def test_a_planned_meeting_counts_as_the_draft(self):
		frappe.get_doc(
			{
				"doctype": "Coordination Meeting",
				"meeting_date": "2026-11-09 10:00:00",
				"status": "Planned",
				"organising_unit": f.KAB_A1,
				"agenda": "<p>Sudah dijadwalkan</p>",
			}
		).insert(ignore_permissions=True)
		remind("2026-11-05")
		self.assertEqual(drafts(f.KAB_A1), [])

	def test_pusat_is_due_every_three_months(self):
		remind("2026-12-10")
		(draft,) = drafts(f.PUSAT)
		self.assertEqual(str(draft.due_date), "2026-12-15")
		self.assertIn("2026-09 - 2026-11", draft.agenda)
		self.assertIn(self.names["a2"], draft.agenda, "Pusat recaps its whole subtree")

	def test_missed_meetings_within_the_viewer_units(self):
		day = "2026-11-12"  # Kab A1 was due on the 10th, Kab B1 on 1 October
		self.assertEqual(missed("Administrator", day)[0], {f.KAB_A1, f.KAB_B1})
		self.assertEqual(missed(f.NASIONAL, day)[0], {f.KAB_A1, f.KAB_B1})
		self.assertEqual(missed(f.OFFICER_A1, day), ({f.KAB_A1}, 1))
		self.assertEqual(missed(f.ADMIN_A, day), ({f.KAB_A1}, 1))
		self.assertEqual(missed(f.OFFICER_A2, day), (set(), 0))
		self.assertEqual(missed(f.OFFICER_B1, day), ({f.KAB_B1}, 1))
		self.assertEqual(missed(f.NO_UNIT, day), (set(), 0))
		self.assertEqual(missed(f.OFFICER_A1, "2026-11-10"), (set(), 0), "due today is not missed yet")
		held(f.KAB_A1, "2026-11-11 09:00:00")
		self.assertEqual(missed(f.OFFICER_A1, day), (set(), 0))
		self.assertEqual(missed(f.OFFICER_A1, "2026-12-12"), ({f.KAB_A1}, 1))
		# the Pusat team is missed only after its three months
		self.assertNotIn(f.PUSAT, missed("Administrator", "2026-12-15")[0])
		self.assertIn(f.PUSAT, missed("Administrator", "2026-12-16")[0])
