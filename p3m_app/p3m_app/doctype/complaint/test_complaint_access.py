# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Unit scope and reporter confidentiality, through every way staff read complaints."""

import json

import frappe
from frappe.api import v1 as rest
from frappe.desk.reportview import get as report_view
from frappe.tests.utils import FrappeTestCase

from p3m_app.core.intake_rules import IDENTITY_FIELDS
from p3m_app.handling import act, forward_to_inspektorat
from p3m_app.tests import factories as f

SECRET = {
	"reporter_name": "Pelapor Rahasia",
	"reporter_email": "rahasia@example.org",
	"reporter_phone": "+62 811 9999 0000",
	"reporter_id_number": "3201010101010001",
	"reporter_address": "Jl. Melati 7",
}


class TestUnitScope(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		cls.at_a1 = f.complaint_at(f.KAB_A1).name
		cls.at_b1 = f.complaint_at(f.KAB_B1, via=(f.PROV_B,)).name
		cls.at_pusat = f.make_complaint().name

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible_to(self, user):
		frappe.set_user(user)
		names = set(frappe.get_list("Complaint", pluck="name", limit_page_length=0))
		frappe.set_user("Administrator")
		return names & {self.at_a1, self.at_b1, self.at_pusat}

	def test_pending_workflow_actions_stay_within_the_scope(self):
		frappe.set_user(f.OFFICER_B1)
		try:
			actions = frappe.get_list(
				"Workflow Action", filters={"reference_doctype": "Complaint"}, pluck="reference_name"
			)
			visible = set(frappe.get_list("Complaint", pluck="name", limit_page_length=0))
		finally:
			frappe.set_user("Administrator")
		self.assertIn(self.at_a1, frappe.get_all("Workflow Action", pluck="reference_name"))
		self.assertNotIn(self.at_a1, actions)
		self.assertTrue(set(actions) <= visible, set(actions) - visible)

	def test_lists_show_own_units_and_below(self):
		self.assertEqual(self.visible_to(f.OFFICER_A1), {self.at_a1})
		self.assertEqual(self.visible_to(f.OFFICER_A2), set())
		self.assertEqual(self.visible_to(f.OFFICER_B1), {self.at_b1})
		self.assertEqual(self.visible_to(f.ADMIN_A), {self.at_a1})
		self.assertEqual(self.visible_to(f.PIMPINAN), {self.at_a1, self.at_b1, self.at_pusat})
		self.assertEqual(self.visible_to(f.NASIONAL), {self.at_a1, self.at_b1, self.at_pusat})
		self.assertEqual(self.visible_to(f.NO_UNIT), set())

	def test_officer_of_another_unit_gets_permission_error(self):
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Complaint", self.at_a1).check_permission("read")
		with self.assertRaises(frappe.PermissionError):
			rest.read_doc("Complaint", self.at_a1)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Complaint", self.at_a1)

	def test_officer_cannot_record_for_a_unit_out_of_reach(self):
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaises(frappe.PermissionError):
			f.make_complaint(current_unit=f.KAB_B1)
		doc = f.make_complaint(current_unit=None, category=None)
		self.assertEqual(doc.current_unit, f.KAB_A1, "defaults to the officer's own unit")

	def test_inspektorat_reads_what_is_forwarded_to_it_and_nothing_else(self):
		forwarded = f.make_complaint(classification="Whistleblowing").name
		act(forwarded, "Verify")
		forward_to_inspektorat(forwarded, f.INSPEKTORAT, "Dugaan KKN")
		self.assertEqual(self.visible_to(f.AUDITOR), set())
		frappe.set_user(f.AUDITOR)
		self.assertIn(forwarded, frappe.get_list("Complaint", pluck="name", limit_page_length=0))
		doc = frappe.get_doc("Complaint", forwarded)
		doc.check_permission("read")
		with self.assertRaises(frappe.PermissionError):
			doc.check_permission("write")

	def test_counts_respect_the_scope(self):
		override = frappe.get_hooks("override_whitelisted_methods")["frappe.client.get_count"][-1]
		get_count = frappe.get_attr(override)
		frappe.set_user(f.OFFICER_B1)
		visible = len(frappe.get_list("Complaint", limit_page_length=0))
		self.assertEqual(get_count("Complaint"), visible)
		self.assertEqual(get_count("Complaint", filters={"name": self.at_a1}), 0)
		frappe.set_user("Administrator")
		self.assertGreaterEqual(get_count("Complaint"), 3)

	def test_dispositions_follow_the_same_scope(self):
		frappe.set_user(f.OFFICER_B1)
		chains = set(frappe.get_list("Disposition", pluck="complaint", limit_page_length=0))
		self.assertIn(self.at_b1, chains)
		self.assertNotIn(self.at_a1, chains)

	def test_scope_query_budget_does_not_grow_with_rows(self):
		frappe.set_user(f.ADMIN_A)
		frappe.get_list("Complaint", limit_page_length=20)
		with self.assertQueryCount(4):
			frappe.get_list("Complaint", fields=["name", "subject"], limit_page_length=20)


class TestConfidentiality(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		cls.secret = f.complaint_at(f.KAB_A1, is_confidential=1, **SECRET).name
		cls.public = f.complaint_at(f.KAB_A1).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def assertNoSecret(self, output, where):
		text = json.dumps(output, default=str)
		for value in SECRET.values():
			self.assertNotIn(value, text, f"identity leaked through {where}")

	def test_identity_is_sealed_off_the_complaint_row(self):
		row = frappe.db.get_value("Complaint", self.secret, list(IDENTITY_FIELDS), as_dict=True)
		self.assertTrue(all(value is None for value in row.values()))
		self.assertEqual(frappe.db.get_value("Complaint", self.secret, "identity_sealed"), 1)
		vault = frappe.get_doc("Reporter Identity", self.secret)
		self.assertEqual(vault.reporter_name, SECRET["reporter_name"])

	def test_no_output_carries_the_identity_for_staff(self):
		for user in (f.OFFICER_A1, f.ADMIN_A, f.PIMPINAN, f.NASIONAL):
			frappe.set_user(user)
			fields = ["name", *IDENTITY_FIELDS]
			self.assertNoSecret(frappe.get_list("Complaint", fields=fields), f"get_list as {user}")
			self.assertNoSecret(frappe.get_doc("Complaint", self.secret).as_dict(), f"get_doc as {user}")
			self.assertNoSecret(rest.read_doc("Complaint", self.secret).as_dict(), f"REST read as {user}")
			frappe.local.form_dict = frappe._dict(fields=json.dumps(fields), limit_page_length=0)
			self.assertNoSecret(rest.document_list("Complaint"), f"REST list as {user}")
			frappe.local.form_dict = frappe._dict(
				doctype="Complaint", fields=json.dumps(fields), filters=json.dumps({"name": self.secret})
			)
			self.assertNoSecret(report_view(), f"report view as {user}")
			frappe.local.form_dict = frappe._dict()

	def test_only_allowed_roles_read_the_sealed_identity(self):
		for user in (f.OFFICER_A1, f.ADMIN_A, f.PIMPINAN, f.AUDITOR):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				rest.read_doc("Reporter Identity", self.secret)
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list("Reporter Identity")
		frappe.set_user(f.READER)
		self.assertEqual(
			rest.read_doc("Reporter Identity", self.secret).reporter_phone, "+6281199990000"
		)  # SECRET's "+62 811 9999 0000", stored in E.164

	def test_non_confidential_identity_is_readable_in_scope(self):
		frappe.set_user(f.OFFICER_A1)
		self.assertEqual(frappe.get_doc("Complaint", self.public).reporter_name, "Siti Aminah")

	def test_history_never_records_identity_values(self):
		doc = f.make_complaint(reporter_name="Nama Lama")
		doc.reporter_name = "Nama Baru"
		doc.is_confidential = 1
		doc.save(ignore_version=False)
		for version in frappe.get_all(
			"Version", filters={"ref_doctype": "Complaint", "docname": doc.name}, pluck="data"
		):
			self.assertNotIn("Nama", version)
		self.assertEqual(frappe.db.get_value("Reporter Identity", doc.name, "reporter_name"), "Nama Baru")

	def test_confidential_cannot_be_lifted(self):
		doc = frappe.get_doc("Complaint", self.secret)
		doc.is_confidential = 0
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be made public"):
			doc.save()
