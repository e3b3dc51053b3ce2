# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Master Database correction requests (Pedoman PKH, seed 004 lines 346-351, 402-444): sending
with evidence, Pusat's decision, four eyes, branch scope, the 1-month deadline, notifications."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, getdate

from p3m_app.programs.pkh import correction_deadlines, corrections
from p3m_app.tests import factories as f

DT = "Master Data Correction Request"
PJ = "t.pj.pusat@p3m.test"
PENDAMPING_A1 = "t.pendamping.kaba1@p3m.test"


def add_officer(unit: str, user: str, role: str) -> None:
	doc = frappe.get_doc("Unit", unit)
	if not any(row.user == user and row.role_in_unit == role for row in doc.officers):
		doc.append("officers", {"user": user, "role_in_unit": role})
		doc.save(ignore_permissions=True)


class TestMasterDataCorrectionRequest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		f.make_user(PJ)
		f.make_user(PENDAMPING_A1)
		add_officer(f.PUSAT, PJ, "Penanggung Jawab")
		add_officer(f.KAB_A1, PENDAMPING_A1, "Pendamping")
		cls.complaint = f.complaint_at(
			f.KAB_A1, category="Data Peserta", subject="Nama anak KPM salah di data PKH"
		).name

	def setUp(self):
		frappe.db.savepoint("correction_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="correction_test")

	# -- helpers --------------------------------------------------------------------------------

	def draft(self, user=f.OFFICER_A1, **values):
		frappe.set_user(user)
		doc = frappe.get_doc(
			{
				"doctype": DT,
				"complaint": self.complaint,
				"recommendation": "Perbaiki nama anak kedua sesuai akta kelahiran.",
				"provider": "SD Negeri 1 Kab A1",
				**values,
			}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def attach(self, name: str, is_private=1):
		return frappe.get_doc(
			{
				"doctype": "File",
				# files on disk outlive the test's rollback: a fresh name each time
				"file_name": f"surat-pernyataan-{frappe.generate_hash(length=8)}.txt",
				"attached_to_doctype": DT,
				"attached_to_name": name,
				"content": b"Surat pernyataan dan akta kelahiran",
				"is_private": is_private,
			}
		).insert(ignore_permissions=True)

	def submitted(self, user=f.OFFICER_A1):
		doc = self.draft(user)
		self.attach(doc.name)
		frappe.set_user(user)
		corrections.submit(doc.name)
		frappe.set_user("Administrator")
		return frappe.get_doc(DT, doc.name)

	def comments(self) -> str:
		return " ".join(
			frappe.get_all(
				"Comment",
				filters={"reference_doctype": "Complaint", "reference_name": self.complaint},
				pluck="content",
			)
		)

	def alerts(self, user: str, name: str | None = None) -> list[str]:
		filters = {"for_user": user, "document_type": DT}
		if name:
			filters["document_name"] = name
		return frappe.get_all("Notification Log", filters=filters, pluck="subject")

	# -- sending ---------------------------------------------------------------------------------

	def test_create_and_submit_with_evidence(self):
		doc = self.draft()
		self.assertEqual(doc.status, "Draft")
		self.assertTrue(doc.name.startswith("MDC-"))
		self.assertEqual((doc.requesting_unit, doc.target_unit), (f.KAB_A1, f.PUSAT))
		evidence = self.attach(doc.name, is_private=0)
		self.assertTrue(
			frappe.db.get_value("File", evidence.name, "is_private"), "evidence is always private"
		)

		doc = self.submitted_existing(doc.name)
		self.assertEqual(doc.status, "Submitted")
		self.assertEqual(doc.submitted_by, f.OFFICER_A1)
		self.assertEqual(doc.evidence_files, 1)
		self.assertEqual(getdate(doc.due_date), getdate(add_months(getdate(doc.submitted_at), 1)))
		self.assertTrue(doc.reporter_informed_at, "the reporter has an e-mail address")
		self.assertIn("was sent to", self.comments())
		self.assertTrue(
			frappe.db.exists(
				"Email Queue", {"reference_doctype": "Complaint", "reference_name": self.complaint}
			),
			"the reporter is told in writing that it may take up to 1 month",
		)
		self.assertTrue(self.alerts(PJ, doc.name), "the Penanggung Jawab of Pusat is alerted")
		statuses = [
			frappe.parse_json(v).get("changed")
			for v in frappe.get_all("Version", filters={"ref_doctype": DT, "docname": doc.name}, pluck="data")
		]
		self.assertIn(["status", "Draft", "Submitted"], [row for rows in statuses for row in rows or []])

	def submitted_existing(self, name):
		frappe.set_user(f.OFFICER_A1)
		corrections.submit(name)
		frappe.set_user("Administrator")
		return frappe.get_doc(DT, name)

	def test_a_request_without_evidence_is_refused(self):
		doc = self.draft()
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "without evidence"):
			corrections.submit(doc.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(DT, doc.name, "status"), "Draft")

	def test_only_eligible_complaints_and_one_open_request(self):
		other = f.complaint_at(f.KAB_A1, subject="Bantuan belum cair").name  # category T Pembayaran
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "participant data"):
			frappe.get_doc({"doctype": DT, "complaint": other, "recommendation": "x"}).insert()
		frappe.set_user("Administrator")
		first = self.draft()
		with self.assertRaisesRegex(frappe.ValidationError, first.name):
			self.draft()

	def test_the_app_fields_and_a_sent_request_cannot_be_edited(self):
		doc = self.draft()
		frappe.set_user(f.OFFICER_A1)
		doc.status = "Approved"
		with self.assertRaisesRegex(frappe.ValidationError, "only be changed by the system"):
			doc.save()
		frappe.set_user("Administrator")
		self.attach(doc.name)
		doc = self.submitted_existing(doc.name)
		frappe.set_user(f.OFFICER_A1)
		doc.recommendation = "Lain"
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
			doc.save()

	# -- deciding --------------------------------------------------------------------------------

	def test_the_penanggung_jawab_of_pusat_approves_and_everyone_is_told(self):
		doc = self.submitted()
		frappe.set_user(PJ)
		corrections.approve(doc.name, "Akta kelahiran sah; data diperbaiki.")
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual(doc.status, "Approved")
		self.assertEqual(doc.decided_by, PJ)
		self.assertTrue(doc.decided_at and doc.basis_for_next_payment)
		self.assertTrue(self.alerts(f.OFFICER_A1, doc.name), "the Kabupaten/Kota's officers are told")
		self.assertTrue(self.alerts(PENDAMPING_A1, doc.name), "and its pendamping")
		text = self.comments()
		self.assertIn("approved", text)
		self.assertIn("SD Negeri 1 Kab A1", text, "the provider to inform is named")
		self.assertIn("basis of the next payment", text)
		self.assertTrue(doc.reporter_informed_of_decision_at)

	def test_nobody_approves_their_own_request(self):
		doc = self.submitted(user=f.NASIONAL)
		frappe.set_user(f.NASIONAL)
		with self.assertRaisesRegex(frappe.PermissionError, "someone else must decide"):
			corrections.approve(doc.name, "Saya setujui sendiri")
		frappe.set_user(PJ)
		corrections.approve(doc.name, "Bukti cukup")
		self.assertEqual(frappe.db.get_value(DT, doc.name, "status"), "Approved")

	def test_officers_outside_pusat_s_penanggung_jawab_cannot_decide_or_read(self):
		doc = self.submitted()
		for user in (f.OFFICER_B1, f.ADMIN_A, f.PIMPINAN, f.OFFICER_A2):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				corrections.approve(doc.name, "Tidak berwenang")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(DT, doc.name, "status"), "Submitted")

	def test_the_request_and_its_evidence_follow_the_complaint_scope(self):
		doc = self.submitted()
		evidence = frappe.get_all("File", filters={"attached_to_name": doc.name}, pluck="name")[0]
		for user, allowed in ((f.OFFICER_A1, True), (PJ, True), (f.ADMIN_A, True), (f.OFFICER_B1, False)):
			frappe.set_user(user)
			self.assertEqual(frappe.has_permission(DT, "read", doc=doc.name), allowed, user)
			self.assertEqual(doc.name in frappe.get_list(DT, pluck="name"), allowed, user)
			self.assertEqual(evidence in frappe.get_list("File", pluck="name"), allowed, user)
			self.assertEqual(frappe.has_permission("File", "read", doc=evidence), allowed, user)
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": DT, "complaint": self.complaint, "recommendation": "x"}).insert()
		frappe.set_user(f.ADMIN_A)  # reads it from above, but only the holding unit sends
		with self.assertRaisesRegex(frappe.PermissionError, "Only officers and admins"):
			corrections.submit(doc.name)

	def test_a_rejection_needs_a_reason(self):
		doc = self.submitted()
		frappe.set_user(PJ)
		with self.assertRaisesRegex(frappe.ValidationError, "reason"):
			corrections.reject(doc.name, "  ")
		corrections.reject(doc.name, "Akta tidak sesuai dengan KK.")
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.status, doc.basis_for_next_payment), ("Rejected", 0))
		self.assertTrue(self.alerts(f.OFFICER_A1, doc.name))
		self.assertIn("rejected", self.comments())
		frappe.set_user(PJ)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be given the action"):
			corrections.approve(doc.name, "Berubah pikiran")

	# -- the 1-month deadline --------------------------------------------------------------------

	def test_overdue_requests_alert_pusat_once(self):
		with self.freeze_time("2026-03-10 10:00:00"):
			doc = self.submitted()
		self.assertEqual(str(doc.due_date), "2026-04-10")
		with self.freeze_time("2026-04-10 15:00:00"):
			self.assertEqual(correction_deadlines.flag_overdue(), 0, "due today is not late yet")
		with self.freeze_time("2026-04-11 08:00:00"):
			self.assertEqual(correction_deadlines.flag_overdue(), 1)
			self.assertEqual(correction_deadlines.flag_overdue(), 0, "alerted once")
		self.assertEqual(frappe.db.get_value(DT, doc.name, "is_overdue"), 1)
		for user in (PJ, f.NASIONAL):
			self.assertTrue(any(doc.name in subject for subject in self.alerts(user)), user)
		self.assertFalse(any(doc.name in subject for subject in self.alerts(f.OFFICER_B1)))
		self.assertIn("is overdue", self.comments())
