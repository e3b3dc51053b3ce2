# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act
from p3m_app.tests import factories as f

RETURN = {"return_reason": "Bukan wewenang kabupaten", "return_public_explanation": "Ini urusan provinsi."}


def chain(name):
	return frappe.get_all(
		"Disposition",
		filters={"complaint": name},
		fields=["from_unit", "to_unit", "status", "return_reason", "public_explanation", "external_agency"],
		order_by="creation asc",
	)


class TestDisposition(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_each_step_is_recorded_and_moves_the_unit(self):
		doc = f.complaint_at(f.KAB_A1)
		self.assertEqual(doc.current_unit, f.KAB_A1)
		self.assertEqual(
			[(row.from_unit, row.to_unit, row.status) for row in chain(doc.name)],
			[(f.PUSAT, f.PROV_A, "Forwarded"), (f.PROV_A, f.KAB_A1, "Accepted")],
		)
		self.assertIsNone(doc.dispose_to_unit, "the request fields are cleared once recorded")
		history = frappe.get_doc("Complaint", doc.name)
		history.run_method("onload")
		self.assertEqual(len(history.get_onload().dispositions), 2)

	def test_answer_is_recorded_on_the_disposition(self):
		doc = f.complaint_at(f.KAB_A1)
		act(doc.name, "Answer", response="<p>Sudah dibayarkan</p>")
		last = frappe.get_last_doc("Disposition", filters={"complaint": doc.name})
		self.assertEqual(last.status, "Answered")
		self.assertIn("Sudah dibayarkan", last.response)

	def test_return_goes_back_with_its_reason_and_can_be_disposed_again(self):
		doc = f.complaint_at(f.KAB_A1)
		frappe.set_user(f.OFFICER_A1)
		act(doc.name, "Return (Bukan Wewenang)", **RETURN)
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.workflow_state, doc.current_unit), (wf.RETURNED, f.PROV_A))
		returned = chain(doc.name)[-1]
		self.assertEqual(returned.status, "Returned")
		self.assertEqual(returned.public_explanation, RETURN["return_public_explanation"])
		self.assertIsNone(doc.return_reason)
		# Prov A's own disposition from Pusat is live again, so Prov A can return it further up
		self.assertEqual(chain(doc.name)[0].status, "Accepted")
		frappe.set_user(f.ADMIN_A)
		f.dispose(doc.name, f.KAB_A2)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "current_unit"), f.KAB_A2)
		self.assertEqual(len(chain(doc.name)), 3, "history is kept")

	def test_return_up_two_levels(self):
		doc = f.complaint_at(f.KAB_A1)
		act(doc.name, "Return (Bukan Wewenang)", **RETURN)
		act(doc.name, "Handle Directly")  # Prov A takes it back, then finds it is not its own either
		act(doc.name, "Return (Bukan Wewenang)", **RETURN)
		doc.reload()
		self.assertEqual((doc.workflow_state, doc.current_unit), (wf.RETURNED, f.PUSAT))

	def test_forward_to_an_agency_outside_the_tree(self):
		doc = f.complaint_at(f.KAB_A1)
		act(doc.name, "Return (Bukan Wewenang)", **RETURN)
		act(
			doc.name,
			"Forward to Other Agency",
			external_agency="Kementerian Kesehatan",
			external_reference="S-1/2026",
			external_date="2026-11-20",
		)
		doc.reload()
		self.assertEqual(doc.workflow_state, wf.CLOSED)
		forward = chain(doc.name)[-1]
		self.assertEqual(
			(forward.to_unit, forward.status, forward.external_agency),
			(None, "Forwarded", "Kementerian Kesehatan"),
		)
		self.assertEqual(len(chain(doc.name)), 3)

	def test_bad_dispositions_are_refused_and_nothing_changes(self):
		doc = f.make_complaint()
		act(doc.name, "Verify")
		cases = [
			(f.PUSAT, "already holds it"),
			(f.INACTIVE, "inactive"),
		]
		for target, message in cases:
			with self.subTest(target=target):
				with self.assertRaisesRegex(frappe.ValidationError, message):
					f.dispose(doc.name, target)
				self.assertEqual(frappe.db.get_value("Complaint", doc.name, "current_unit"), f.PUSAT)
				self.assertEqual(chain(doc.name), [])

	def test_a_cycle_is_refused(self):
		doc = f.complaint_at(f.KAB_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "cycle"):
			f.dispose(doc.name, f.PUSAT)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "current_unit"), f.KAB_A1)

	def test_admins_dispose_only_down_their_branch(self):
		doc = f.complaint_at(f.PROV_A, via=(f.PROV_A,))
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.ValidationError, "not below"):
			f.dispose(doc.name, f.KAB_B1)

	def test_a_parent_unit_cannot_answer_for_its_child(self):
		doc = f.complaint_at(f.KAB_A1)
		frappe.get_doc("Complaint", doc.name).update({"response": "<p>x</p>"}).save()
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.ValidationError, "Only officers of"):
			apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Answer")

	def test_dispositions_are_never_created_by_hand_or_deleted(self):
		doc = f.complaint_at(f.KAB_A1)
		frappe.set_user(f.ADMIN_A)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "Disposition", "complaint": doc.name, "to_unit": f.KAB_A2}).insert()
		frappe.set_user("Administrator")
		name = frappe.get_last_doc("Disposition", filters={"complaint": doc.name}).name
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Disposition", name)
