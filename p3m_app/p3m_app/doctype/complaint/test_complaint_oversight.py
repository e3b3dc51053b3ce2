"""Inspektorat forwarding, PPID publication and status propagation to the originating unit."""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import publication
from p3m_app.handling import act, forward_to_inspektorat
from p3m_app.tests import factories as f

PPID_USER = "t.ppid@p3m.test"


class TestOversight(FrappeTestCase):
	def setUp(self):
		f.make_world()
		if not frappe.db.exists("Unit Officer", {"parent": f.PUSAT, "user": PPID_USER}):
			f.make_user(PPID_USER)
			unit = frappe.get_doc("Unit", f.PUSAT)
			unit.append("officers", {"user": PPID_USER, "role_in_unit": "PPID"})
			unit.save(ignore_permissions=True)

	def readable_by(self, user, name):
		return frappe.has_permission("Complaint", "read", doc=frappe.get_doc("Complaint", name), user=user)

	def test_forward_to_inspektorat_needs_a_reason_and_reaches_only_it(self):
		forwarded = f.make_complaint(classification="Whistleblowing")
		kept = f.make_complaint()
		for name in (forwarded.name, kept.name):
			act(name, "Verify")
		with self.assertRaises(frappe.ValidationError):
			forward_to_inspektorat(forwarded.name, f.INSPEKTORAT, "")
		with self.assertRaises(frappe.ValidationError):
			forward_to_inspektorat(forwarded.name, f.PROV_A, "KKN")  # not an Inspektorat
		forward_to_inspektorat(forwarded.name, f.INSPEKTORAT, "Dugaan pungutan liar oleh pendamping")
		doc = frappe.get_doc("Complaint", forwarded.name)
		self.assertEqual((doc.current_unit, doc.workflow_state), (f.INSPEKTORAT, "Didisposisikan"))
		ledger = frappe.get_all(
			"Disposition", filters={"complaint": doc.name, "to_unit": f.INSPEKTORAT}, pluck="instruction"
		)
		self.assertIn("Dugaan pungutan liar", ledger[0])
		self.assertTrue(self.readable_by(f.AUDITOR, forwarded.name))
		self.assertFalse(self.readable_by(f.AUDITOR, kept.name))
		frappe.set_user(f.AUDITOR)
		try:
			visible = frappe.get_list("Complaint", pluck="name")
		finally:
			frappe.set_user("Administrator")
		self.assertIn(forwarded.name, visible)
		self.assertNotIn(kept.name, visible)

	def answered(self, **values):
		doc = f.make_complaint(**values)
		act(doc.name, "Verify")
		act(doc.name, "Handle Directly")
		act(doc.name, "Answer", response="<p>Bantuan telah disalurkan.</p>")
		return doc.name

	def test_only_the_ppid_publishes_and_publication_carries_no_identity(self):
		name = self.answered(reporter_name="Rahasia Sekali", reporter_email="rahasia@example.org")
		# a national admin without the PPID role cannot publish, through the form or the button
		frappe.set_user(f.NASIONAL)
		try:
			doc = frappe.get_doc("Complaint", name)
			doc.answer_publishable = 1
			doc.save()
			with self.assertRaises(frappe.PermissionError):
				publication.set_published(name, 1)
		finally:
			frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("Complaint", name, "answer_publishable"))

		frappe.set_user(PPID_USER)
		try:
			publication.set_published(name, 1)
		finally:
			frappe.set_user("Administrator")
		row = frappe.db.get_value("Complaint", name, ["answer_publishable", "published_by"], as_dict=True)
		self.assertEqual((row.answer_publishable, row.published_by), (1, PPID_USER))
		published = publication.published_answers()
		self.assertTrue(any("Bantuan telah disalurkan" in p["answer"] for p in published))
		text = frappe.as_json(published)
		self.assertNotIn("Rahasia Sekali", text)
		self.assertNotIn("rahasia@example.org", text)

		act(name, "Reopen", reopen_reason="Pelapor keberatan")
		self.assertFalse(frappe.db.get_value("Complaint", name, "answer_publishable"))

	def test_an_unanswered_complaint_cannot_be_published(self):
		doc = f.make_complaint()
		frappe.set_user(PPID_USER)
		try:
			with self.assertRaises(frappe.ValidationError):
				publication.set_published(doc.name, 1)
		finally:
			frappe.set_user("Administrator")

	def test_the_originating_unit_is_told_and_keeps_reading(self):
		frappe.set_user(f.OFFICER_A1)
		try:
			doc = f.make_complaint(current_unit=f.KAB_A1)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(doc.origin_unit, f.KAB_A1)
		act(doc.name, "Verify")
		frappe.set_user(f.NASIONAL)
		try:
			f.dispose(doc.name, f.PROV_A)  # taken up a level
		finally:
			frappe.set_user("Administrator")
		frappe.set_user(f.ADMIN_A)
		try:
			act(doc.name, "Accept")
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(self.readable_by(f.OFFICER_A1, doc.name))
		self.assertFalse(self.readable_by(f.OFFICER_A2, doc.name))
		self.assertFalse(
			frappe.has_permission(
				"Complaint", "write", doc=frappe.get_doc("Complaint", doc.name), user=f.OFFICER_A1
			)
		)
		alerts = frappe.get_all(
			"Notification Log",
			filters={"for_user": f.OFFICER_A1, "document_name": doc.name},
			pluck="subject",
		)
		self.assertTrue(alerts)
		self.assertTrue(any(f.PROV_A in subject for subject in alerts))
