# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Every workflow transition, tried by every P3M role: allowed exactly where the workflow says."""

import frappe
from frappe.model.workflow import WorkflowPermissionError
from frappe.tests.utils import FrappeTestCase

from p3m_app import roles
from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act, apply_workflow
from p3m_app.tests import factories as f

# one user per role, member of both units a complaint sits at in these paths
ROLE_USERS = {
	roles.ADMIN_NASIONAL: ("t.role.nasional@p3m.test", None),
	roles.ADMIN_INSTANSI: ("t.role.instansi@p3m.test", "Admin"),
	roles.OFFICER: ("t.role.officer@p3m.test", "Officer"),
	roles.PIMPINAN: ("t.role.pimpinan@p3m.test", "Pimpinan"),
	roles.INSPEKTORAT: ("t.role.inspektorat@p3m.test", "Inspektorat"),
}
RETURN = {"return_reason": "Bukan kewenangan", "return_public_explanation": "Urusan pusat."}
# actions (with data) that bring a new complaint at Pusat into each state
PATHS = {
	wf.NEW: [],
	wf.VERIFICATION: [("Verify", {})],
	wf.PENDING: [("Mark Pending", {"pending_reason": "Lokasi belum jelas"})],
	wf.DISPOSED: [("Verify", {}), ("Dispose", {"dispose_to_unit": f.PROV_A})],
	wf.IN_PROGRESS: [("Verify", {}), ("Dispose", {"dispose_to_unit": f.PROV_A}), ("Accept", {})],
	wf.RETURNED: [
		("Verify", {}),
		("Dispose", {"dispose_to_unit": f.PROV_A}),
		("Return (Bukan Wewenang)", RETURN),
	],
}
PATHS[wf.ANSWERED] = [*PATHS[wf.IN_PROGRESS], ("Answer", {"response": "<p>Sudah cair.</p>"})]
PATHS[wf.CLOSED] = [*PATHS[wf.ANSWERED], ("Close", {})]
PATHS[wf.REOPENED] = [*PATHS[wf.ANSWERED], ("Reopen", {"reopen_reason": "Pelapor keberatan"})]

# data each transition needs, keyed by (from, to)
DISPOSE_TARGET = {
	wf.VERIFICATION: f.PROV_A,
	wf.IN_PROGRESS: f.KAB_A1,
	wf.RETURNED: f.PROV_B,
	wf.REOPENED: f.KAB_A1,
}
ACTION_DATA = {
	"Mark Pending": {"pending_reason": "Kronologi belum lengkap"},
	"Archive": {"archive_reason": "Saran umum"},
	"Return (Bukan Wewenang)": RETURN,
	"Forward to Other Agency": {
		"external_agency": "Kementerian Kesehatan",
		"external_reference": "S-12/2026",
		"external_date": "2026-11-20",
	},
	"Forward and Keep Following": {
		"external_agency": "Dinas Kesehatan",
		"external_reference": "S-13/2026",
		"external_date": "2026-11-20",
		"external_follow_up_date": "2027-02-20",
	},
	"Refer Up": {"refer_reason": "Tidak dapat diselesaikan di tingkat ini"},
	"Answer": {"response": "<p>Sudah ditindaklanjuti.</p>"},
	"Reopen": {"reopen_reason": "Pelapor keberatan"},
}


class TestComplaintWorkflow(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		for role, (email, unit_role) in ROLE_USERS.items():
			f.make_user(email, role)
			if unit_role:
				for unit in (f.PUSAT, f.PROV_A):
					doc = frappe.get_doc("Unit", unit)
					doc.append(
						"officers", {"user": email, "role_in_unit": unit_role, "receives_assignments": 0}
					)
					doc.save()

	def tearDown(self):
		frappe.set_user("Administrator")

	def complaint_in(self, state: str):
		doc = f.make_complaint()
		for action, values in PATHS[state]:
			act(doc.name, action, **values)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "workflow_state"), state)
		return doc.name

	def test_every_transition_for_every_role(self):
		for (from_state, _action), transition in wf.transitions().items():
			to_state = transition.to_state
			if transition.action == wf.ACTION_REFER_UP and from_state in (wf.VERIFICATION, wf.RETURNED):
				continue  # these paths hold the complaint at Pusat, the root: nothing is above it
			data = dict(ACTION_DATA.get(transition.action, {}))
			if transition.action == "Dispose":
				data = {"dispose_to_unit": DISPOSE_TARGET[from_state]}
			for role, (user, _unit_role) in ROLE_USERS.items():
				with self.subTest(action=transition.action, from_state=from_state, role=role):
					name = self.complaint_in(from_state)
					if data:
						frappe.get_doc("Complaint", name).update(data).save()
					frappe.set_user(user)
					try:
						if role in transition.roles:
							apply_workflow(frappe.get_doc("Complaint", name).as_dict(), transition.action)
							state = frappe.db.get_value("Complaint", name, "workflow_state")
							self.assertEqual(state, to_state)
						else:
							with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
								apply_workflow(frappe.get_doc("Complaint", name).as_dict(), transition.action)
							state = frappe.db.get_value("Complaint", name, "workflow_state")
							self.assertEqual(state, from_state)
					finally:
						frappe.set_user("Administrator")

	def test_a_state_cannot_be_forced_by_saving(self):
		name = self.complaint_in(wf.VERIFICATION)
		frappe.set_user(ROLE_USERS[roles.OFFICER][0])
		doc = frappe.get_doc("Complaint", name)
		doc.workflow_state = wf.CLOSED
		with self.assertRaises((WorkflowPermissionError, frappe.ValidationError)):
			doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", name, "workflow_state"), wf.VERIFICATION)

	def test_guards_refuse_missing_data_and_save_nothing(self):
		cases = [
			(wf.VERIFICATION, "Dispose", "unit to dispose"),
			(wf.IN_PROGRESS, "Answer", "Write the response"),
			(wf.DISPOSED, "Return (Bukan Wewenang)", "not your unit's authority"),
			(wf.VERIFICATION, "Archive", "reason for archiving"),
			(wf.ANSWERED, "Reopen", "reopening"),
			(wf.RETURNED, "Forward to Other Agency", "Name the agency"),
		]
		for state, action, message in cases:
			with self.subTest(action=action):
				name = self.complaint_in(state)
				modified = frappe.db.get_value("Complaint", name, "modified")
				with self.assertRaisesRegex(frappe.ValidationError, message):
					act(name, action)
				self.assertEqual(frappe.db.get_value("Complaint", name, "workflow_state"), state)
				self.assertEqual(frappe.db.get_value("Complaint", name, "modified"), modified)

	def test_timestamps_follow_the_workflow(self):
		name = self.complaint_in(wf.CLOSED)
		row = frappe.get_doc("Complaint", name)
		self.assertTrue(row.verified_at and row.disposed_at and row.first_response_at and row.answered_at)
		self.assertTrue(row.closed_at)
		self.assertLessEqual(row.first_response_at, row.answered_at)
		act(name, "Reopen", reopen_reason="Belum puas")
		row.reload()
		self.assertIsNone(row.closed_at)
		self.assertEqual(row.reopen_count, 1)

	def test_only_the_holding_unit_answers(self):
		name = self.complaint_in(wf.IN_PROGRESS)  # held by Prov A
		frappe.get_doc("Complaint", name).update({"response": "<p>Jawaban</p>"}).save()
		frappe.set_user(f.OFFICER_B1)  # an officer, but of Kab B1, which cannot even see it
		with self.assertRaises((frappe.PermissionError, frappe.ValidationError)):
			apply_workflow(frappe.get_doc("Complaint", name).as_dict(), "Answer")
