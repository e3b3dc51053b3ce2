# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Coordination meetings: links, printed minutes, the complaint timeline, unit scope, validation."""

import frappe
from frappe.desk.form.load import get_additional_timeline_content
from frappe.desk.notifications import get_open_count
from frappe.tests.utils import FrappeTestCase

from p3m_app.meetings import timeline_entries
from p3m_app.tests import factories as f

MINUTES = "Coordination Meeting Minutes"
IDENTITY = {
	"reporter_name": "Pelapor Rapat Rahasia",
	"reporter_email": "pelapor.rapat@example.org",
	"reporter_phone": "+62 813 7777 6666",
}


def meeting_values(**overrides) -> dict:
	values = {
		"doctype": "Coordination Meeting",
		"meeting_date": "2026-11-20 09:00:00",
		"organising_unit": f.PROV_A,
		"participating_units": [{"unit": f.KAB_A1}],
		"agenda": "<p>Percepatan penyaluran bantuan tahap tiga</p>",
		"status": "Planned",
	}
	values.update(overrides)
	return values


def make_meeting(**overrides):
	return frappe.get_doc(meeting_values(**overrides)).insert()


class TestCoordinationMeeting(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		cls.first = f.complaint_at(f.KAB_A1, subject="Bantuan PKH tahap tiga belum cair", **IDENTITY).name
		cls.second = f.complaint_at(f.KAB_A1, subject="Data KPM tidak sesuai", **IDENTITY).name
		cls.at_b1 = f.complaint_at(f.KAB_B1, via=(f.PROV_B,), subject="Keluhan di Kab B1").name

	def setUp(self):
		frappe.db.savepoint("meeting_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="meeting_test")

	def held_meeting(self, **overrides):
		"""Prov A's meeting with Kab A1 about both complaints, recorded by Prov A's admin."""
		frappe.set_user(f.ADMIN_A)
		values = {
			"status": "Held",
			"title": "Rakor Penyaluran PKH Prov A",
			"minutes": "<p>Dinas sosial melaporkan kendala rekening.</p>",
			"decisions": "<p>Kab A1 memverifikasi ulang data dalam 5 hari kerja.</p>",
			"complaints": [
				{"complaint": self.first, "note": "Rekening dibekukan"},
				{"complaint": self.second},
			],
			"attendance": [
				{"person": "Budi Santoso", "unit": f.PROV_A, "present": 1},
				{"person": "Ani Lestari", "user": f.OFFICER_A1, "unit": f.KAB_A1, "present": 0},
			],
		}
		values.update(overrides)
		meeting = make_meeting(**values)
		frappe.set_user("Administrator")
		return meeting

	def test_meeting_links_complaints_and_records_attendance(self):
		meeting = self.held_meeting()
		meeting.reload()
		self.assertTrue(meeting.name.startswith("RAKOR-"))
		self.assertEqual(meeting.level, "Provinsi", "the level comes from the organising unit")
		self.assertEqual([row.complaint for row in meeting.complaints], [self.first, self.second])
		self.assertEqual(meeting.complaints[0].subject, "Bantuan PKH tahap tiga belum cair")
		self.assertEqual(
			[(row.person, row.present) for row in meeting.attendance],
			[("Budi Santoso", 1), ("Ani Lestari", 0)],
		)

	def test_title_defaults_to_the_organising_unit(self):
		meeting = make_meeting()
		self.assertIn(f.PROV_A, meeting.title)

	def test_minutes_print_names_and_subjects_but_no_reporter(self):
		meeting = self.held_meeting()
		frappe.set_user(f.OFFICER_A1)  # a participating unit may print
		html = frappe.get_print("Coordination Meeting", meeting.name, print_format=MINUTES)
		frappe.set_user("Administrator")
		for expected in (
			"Minutes of Coordination Meeting",
			meeting.name,
			"Rakor Penyaluran PKH Prov A",
			f.PROV_A,
			f.KAB_A1,
			"Provinsi",
			"Budi Santoso",
			"Ani Lestari",
			"&#10003;",
			"Percepatan penyaluran bantuan tahap tiga",
			"kendala rekening",
			"memverifikasi ulang data",
			self.first,
			self.second,
			"Bantuan PKH tahap tiga belum cair",
			"Data KPM tidak sesuai",
		):
			self.assertIn(expected, html)
		for secret in IDENTITY.values():
			self.assertNotIn(secret, html)

	def test_timeline_of_a_linked_complaint_shows_the_meeting(self):
		meeting = self.held_meeting()
		frappe.set_user(f.OFFICER_A1)
		entries = timeline_entries("Complaint", self.first)
		self.assertEqual(len(entries), 1)
		self.assertEqual(entries[0]["icon"], "calendar")
		self.assertIn(f"/app/coordination-meeting/{meeting.name}", entries[0]["content"])
		self.assertIn("Rakor Penyaluran PKH Prov A", entries[0]["content"])
		hooked = [e["content"] for e in get_additional_timeline_content("Complaint", self.first)]
		self.assertIn(entries[0]["content"], hooked, "hooks.py: additional_timeline_content['Complaint']")
		self.assertEqual(timeline_entries("Complaint", self.at_b1), [])
		frappe.set_user(f.AUDITOR)  # no meeting role at all
		self.assertEqual(timeline_entries("Complaint", self.first), [])

	def test_timeline_escapes_the_title(self):
		self.held_meeting(title="<img src=x onerror=alert(1)>")
		content = timeline_entries("Complaint", self.first)[0]["content"]
		self.assertNotIn("<img", content)

	def test_meeting_is_read_within_the_units_of_organiser_and_participants(self):
		meeting = self.held_meeting()
		readers = {f.ADMIN_A: True, f.OFFICER_A1: True, f.PIMPINAN: True, f.NASIONAL: True}
		readers.update({f.OFFICER_B1: False, f.OFFICER_A2: False, f.NO_UNIT: False})
		for user, allowed in readers.items():
			frappe.set_user(user)
			with self.subTest(user=user):
				self.assertEqual(
					bool(frappe.has_permission("Coordination Meeting", "read", meeting.name)), allowed
				)
				listed = frappe.get_list("Coordination Meeting", pluck="name", limit_page_length=0)
				self.assertEqual(meeting.name in listed, allowed)
			frappe.set_user("Administrator")
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Coordination Meeting", meeting.name).check_permission("read")

	def test_only_the_organising_side_changes_a_meeting(self):
		meeting = make_meeting(organising_unit=f.KAB_B1, participating_units=[{"unit": f.PROV_A}])
		frappe.set_user(f.ADMIN_A)
		self.assertTrue(frappe.has_permission("Coordination Meeting", "read", meeting.name))
		self.assertFalse(frappe.has_permission("Coordination Meeting", "write", meeting.name))
		with self.assertRaises(frappe.PermissionError):
			make_meeting(organising_unit=f.PROV_B, participating_units=[])

	def test_only_readable_complaints_can_be_linked(self):
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.PermissionError, "outside your units"):
			make_meeting(complaints=[{"complaint": self.at_b1}])
		frappe.set_user("Administrator")
		# a link made by someone who could read it stays when Prov A's admin edits the minutes
		meeting = make_meeting(complaints=[{"complaint": self.at_b1}])
		frappe.set_user(f.ADMIN_A)
		meeting = frappe.get_doc("Coordination Meeting", meeting.name)
		meeting.minutes = "<p>Dibahas bersama Prov B.</p>"
		meeting.save()

	def test_invalid_meetings_are_refused(self):
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.ValidationError, "inactive"):
			make_meeting(participating_units=[{"unit": f.KAB_A1}, {"unit": f.INACTIVE}])
		with self.assertRaisesRegex(frappe.ValidationError, "linked twice"):
			make_meeting(complaints=[{"complaint": self.first}, {"complaint": self.first, "note": "lagi"}])
		with self.assertRaisesRegex(frappe.ValidationError, "neither organises nor takes part"):
			make_meeting(attendance=[{"person": "Tamu Kab B1", "unit": f.KAB_B1, "present": 1}])
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			make_meeting(participating_units=[{"unit": f.KAB_A1}, {"unit": f.KAB_A1}])

	def test_a_meeting_stays_editable_after_a_participant_closes(self):
		meeting = make_meeting(participating_units=[{"unit": f.KAB_A2}])
		frappe.db.set_value("Unit", f.KAB_A2, "is_active", 0)
		meeting.reload()
		meeting.status = "Held"
		meeting.save()

	def test_complaint_connections_count_the_meeting(self):
		links = [link.link_doctype for link in frappe.get_meta("Complaint").links]
		if "Coordination Meeting" not in links:
			self.skipTest("complaint.json has no Coordination Meeting connection yet")
		self.held_meeting()
		counts = get_open_count("Complaint", self.first)["count"]["external_links_found"]
		self.assertIn({"doctype": "Coordination Meeting", "count": 1, "open_count": 0}, counts)
