# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import roles
from p3m_app.core import tracking_code
from p3m_app.core import workflow_rules as wf
from p3m_app.core.intake_rules import CHANNELS
from p3m_app.tests import factories as f


class TestInstall(FrappeTestCase):
	def test_roles_workflow_and_defaults_exist(self):
		for role in roles.ALL:
			self.assertTrue(frappe.db.exists("Role", role), role)
		workflow = frappe.get_doc("Workflow", "Complaint Workflow")
		self.assertTrue(workflow.is_active)
		self.assertEqual(workflow.document_type, "Complaint")
		self.assertEqual(len(workflow.transitions), sum(len(t.roles) for t in wf.transitions().values()))
		self.assertTrue(frappe.db.exists("Unit Level", "Kabupaten/Kota"))
		self.assertTrue(frappe.db.exists("P3M Program", "PKH"))

	def test_after_migrate_is_idempotent(self):
		from p3m_app.setup.install import after_migrate

		before = frappe.db.count("Workflow Transition", {"parent": "Complaint Workflow"})
		after_migrate()
		after_migrate()
		self.assertEqual(frappe.db.count("Workflow Transition", {"parent": "Complaint Workflow"}), before)
		self.assertEqual(frappe.db.count("Role", {"name": ("in", roles.ALL)}), len(roles.ALL))

	def test_indexes_for_scope_and_sweeps(self):
		indexed = {row.Column_name for row in frappe.db.sql("show index from `tabComplaint`", as_dict=True)}
		self.assertTrue({"current_unit", "workflow_state", "tracking_code"} <= indexed)
		officer = {
			row.Column_name for row in frappe.db.sql("show index from `tabUnit Officer`", as_dict=True)
		}
		self.assertIn("user", officer, "permission checks look officers up by user")


class TestComplaintIntake(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_a_complaint_per_channel(self):
		for channel in CHANNELS:
			extra = {
				"Audit Finding": {"audit_source": "BPK", "audit_report_reference": "LHP 7/2026"},
				"Letter": {"letter_number": "12/RT/2026", "letter_date": "2026-11-20"},
				"Fax": {"letter_number": "13/RT/2026"},
				"Social Media": {"social_media_platform": "Instagram", "social_media_account": "@warga"},
			}.get(channel, {})
			doc = f.make_complaint(channel=channel, **extra)
			self.assertEqual(doc.workflow_state, wf.NEW)
			self.assertTrue(doc.name.startswith("P3M-"))
			self.assertEqual(doc.origin_unit, f.PUSAT)

	def test_tracking_code_is_random_and_not_the_name(self):
		first, second = f.make_complaint(), f.make_complaint()
		for doc in (first, second):
			self.assertTrue(tracking_code.is_well_formed(doc.tracking_code))
			self.assertNotIn(doc.tracking_code, doc.name)
		self.assertNotEqual(first.tracking_code, second.tracking_code)

	def test_tracking_code_cannot_be_forged_on_insert(self):
		doc = f.make_complaint(tracking_code="AAAAAAAAAAAA")
		self.assertNotEqual(doc.tracking_code, "AAAAAAAAAAAA")

	def assertRefusedAndNothingSaved(self, message, **overrides):
		before = frappe.db.count("Complaint")
		with self.assertRaisesRegex(frappe.ValidationError, message):
			f.make_complaint(**overrides)
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_bad_input_is_refused_with_a_clear_message(self):
		self.assertRefusedAndNothingSaved("(?i)subject", subject=None)
		self.assertRefusedAndNothingSaved("(?i)description", description="")
		self.assertRefusedAndNothingSaved("Description is too long", description="x" * 20001)
		self.assertRefusedAndNothingSaved("anonymous complaint cannot carry", is_anonymous=1)
		self.assertRefusedAndNothingSaved("16 digits", reporter_id_number="123")
		self.assertRefusedAndNothingSaved("Phone number", reporter_phone="ring me")
		self.assertRefusedAndNothingSaved("auditor", channel="Audit Finding")
		self.assertRefusedAndNothingSaved("Channel", channel="Carrier Pigeon")

	def test_errors_are_translated(self):
		frappe.local.lang = "id"
		try:
			with self.assertRaisesRegex(frappe.ValidationError, "Pengaduan anonim"):
				f.make_complaint(is_anonymous=1)
		finally:
			frappe.local.lang = "en"

	def test_anonymous_complaint_keeps_no_identity(self):
		doc = f.make_complaint(is_anonymous=1, reporter_name=None, reporter_phone=None, reporter_email=None)
		row = frappe.db.get_value("Complaint", doc.name, ["reporter_name", "reporter_phone"], as_dict=True)
		self.assertEqual((row.reporter_name, row.reporter_phone), (None, None))
		self.assertFalse(frappe.db.exists("Reporter Identity", doc.name))

	def test_no_role_may_delete_a_complaint(self):
		doc = f.make_complaint()
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Complaint", doc.name)
		frappe.set_user(f.NASIONAL)
		try:
			self.assertFalse(frappe.has_permission("Complaint", "delete", doc.name))
			with self.assertRaises(frappe.PermissionError):
				frappe.delete_doc("Complaint", doc.name)
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(frappe.db.exists("Complaint", doc.name))
		for perm in frappe.get_all(
			"DocPerm", filters={"parent": ("in", ["Complaint", "Disposition"])}, fields=["delete"]
		):
			self.assertFalse(perm.delete)

	def test_changes_are_tracked_in_the_timeline(self):
		doc = f.make_complaint()
		doc.subject = "Bantuan PKH tahap 3 belum cair"
		doc.save(ignore_version=False)
		version = frappe.get_last_doc("Version", filters={"ref_doctype": "Complaint", "docname": doc.name})
		self.assertIn("subject", version.data)
		self.assertNotIn("sla_milestones", version.data, "SLA bookkeeping stays out of the timeline")

	def test_current_unit_moves_only_through_the_workflow(self):
		doc = f.make_complaint()
		doc.current_unit = f.KAB_A1
		with self.assertRaisesRegex(frappe.ValidationError, "only through a disposition"):
			doc.save()
