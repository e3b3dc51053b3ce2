# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Working across levels: referral up the tree, help, take-over, copies and a forward that stays open.

Each test names the seed line it follows (``../shared/seeds``).
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act, apply_workflow, forward_to_inspektorat
from p3m_app.portal import tracking
from p3m_app.tests import factories as f

REFER = {"refer_reason": "Tidak dapat diselesaikan di kabupaten: data di Master Database"}


def ledger(name, **filters):
	return frappe.get_all(
		"Disposition",
		filters={"complaint": name, **filters},
		fields=["kind", "status", "from_unit", "to_unit", "reader_unit", "instruction"],
		order_by="creation asc",
	)


def can(user, name, ptype="read"):
	return frappe.has_permission("Complaint", ptype, frappe.get_doc("Complaint", name), user=user)


def alerts(user, name, words):
	return frappe.db.count(
		"Notification Log", {"for_user": user, "document_name": name, "subject": ("like", f"%{words}%")}
	)


class TestComplaintReferral(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def tearDown(self):
		frappe.set_user("Administrator")

	def refer_up(self, name, user, **values):
		doc = frappe.get_doc("Complaint", name)
		doc.update({**REFER, **values})
		frappe.set_user(user)
		doc.save()
		apply_workflow(doc.as_dict(), wf.ACTION_REFER_UP)
		frappe.set_user("Administrator")
		return frappe.get_doc("Complaint", name)

	def test_an_officer_refers_a_pkh_complaint_straight_up_to_uppkh_pusat(self):
		"""004 ll. 214-217: what a Kabupaten/Kota cannot settle "harus segera diteruskan ke UPPKH Pusat"."""
		name = f.complaint_at(f.KAB_A1).name  # program PKH
		doc = self.refer_up(name, f.OFFICER_A1)
		self.assertEqual((doc.current_unit, doc.workflow_state), (f.PUSAT, wf.DISPOSED))
		self.assertFalse(doc.refer_reason or doc.refer_to_unit)  # moved into the ledger
		referral = ledger(name, kind="Referral")
		self.assertEqual(len(referral), 1)
		self.assertEqual(
			(referral[0].from_unit, referral[0].to_unit, referral[0].reader_unit),
			(f.KAB_A1, f.PUSAT, f.KAB_A1),
		)
		self.assertEqual(referral[0].instruction, REFER["refer_reason"])
		# the Kabupaten keeps following what it referred, without handling it any more
		self.assertTrue(can(f.OFFICER_A1, name))
		self.assertFalse(can(f.OFFICER_A1, name, "write"))
		# Pusat accepts it: its own level clock started at the referral
		frappe.set_user(f.NASIONAL)
		act(name, wf.ACTION_ACCEPT)
		self.assertEqual(frappe.db.get_value("Complaint", name, "workflow_state"), wf.IN_PROGRESS)
		# the reporter reads it in plain words
		words = [e["message"] for e in tracking_events(name)]
		self.assertIn("Referred up to {unit}, which can settle it", words)

	def test_a_pendamping_refers_what_it_recorded_to_its_kabupaten(self):
		"""004: the pendamping records at the nearest level and refers up; a route names only
		Kabupaten/Kota -> Pusat, so from a kecamatan the referral goes to the parent Kabupaten."""
		from p3m_app import roles

		pendamping = "t.pendamping.kec@p3m.test"
		f.make_user(pendamping)
		f.make_unit("Kec A1a (T)", "Kecamatan", f.KAB_A1, officers=[(pendamping, "Pendamping")])
		self.assertIn(roles.PENDAMPING, frappe.get_roles(pendamping))
		name = f.make_complaint(current_unit="Kec A1a (T)").name  # PKH, new
		doc = self.refer_up(name, pendamping)
		self.assertEqual((doc.current_unit, doc.workflow_state), (f.KAB_A1, wf.DISPOSED))
		self.assertTrue(can(pendamping, name))
		self.assertFalse(can(pendamping, name, "write"))
		# from the Kabupaten, the PKH route goes straight to UPPKH Pusat
		frappe.set_user(f.OFFICER_A1)
		act(name, wf.ACTION_ACCEPT)
		doc = self.refer_up(name, f.OFFICER_A1)
		self.assertEqual(doc.current_unit, f.PUSAT)

	def test_without_a_program_level_a_referral_goes_to_the_parent(self):
		"""003 step 4 / 7: each level hands up to the level above it."""
		name = f.complaint_at(f.KAB_A1, program="BOS").name
		doc = self.refer_up(name, f.OFFICER_A1)
		self.assertEqual(doc.current_unit, f.PROV_A)

	def test_referral_guards(self):
		"""No referral sideways, to an inactive unit, by a unit that does not hold it, or twice to one unit."""
		name = f.complaint_at(f.KAB_A1).name
		for target, message in ((f.KAB_A2, "not above"), (f.INSPEKTORAT, "not above|Copy To")):
			with self.subTest(target=target), self.assertRaisesRegex(frappe.ValidationError, message):
				self.refer_up(name, f.OFFICER_A1, refer_to_unit=target)
			frappe.set_user("Administrator")
		with self.assertRaisesRegex(frappe.ValidationError, "reason for referring"):
			self.refer_up(name, f.OFFICER_A1, refer_reason="")
		frappe.set_user("Administrator")
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			self.refer_up(name, f.OFFICER_B1)  # another branch's officer
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", name, "current_unit"), f.KAB_A1)
		# referred to Prov A, sent back (not its authority), referred to Prov A again: a cycle
		self.refer_up(name, f.OFFICER_A1, refer_to_unit=f.PROV_A)
		frappe.set_user(f.ADMIN_A)
		act(
			name,
			wf.ACTION_RETURN,
			return_reason="Selesaikan di kabupaten",
			return_public_explanation="Ditangani kabupaten.",
		)
		self.assertEqual(frappe.db.get_value("Complaint", name, "current_unit"), f.KAB_A1)
		frappe.set_user(f.OFFICER_A1)
		act(name, "Handle Directly")
		with self.assertRaisesRegex(frappe.ValidationError, "cycle"):
			self.refer_up(name, f.OFFICER_A1, refer_to_unit=f.PROV_A)

	def test_a_plain_save_between_two_states_with_two_actions_is_refused_to_an_admin(self):
		"""Dispose and Refer Up both end in Didisposisikan: the action must be chosen, not guessed."""
		name = f.complaint_at(f.PROV_A, via=()).name
		doc = frappe.get_doc("Complaint", name)
		doc.update({**REFER, "dispose_to_unit": f.KAB_A1})
		doc.save()
		frappe.set_user(f.ADMIN_A)
		doc = frappe.get_doc("Complaint", name)
		doc.workflow_state = wf.DISPOSED
		with self.assertRaisesRegex(frappe.ValidationError, "Actions menu"):
			doc.save()

	def test_asking_for_help_keeps_the_case_and_tells_the_unit_above(self):
		"""004 l. 211: UPPKH Kabupaten/Kota "dapat segera meminta bantuan dari UPPKH-Pusat"."""
		from p3m_app.collaboration import ask_for_help

		name = f.complaint_at(f.KAB_A1).name
		frappe.set_user(f.OFFICER_A1)
		self.assertEqual(ask_for_help(name, "Pengaduan terlalu banyak bulan ini")["unit"], f.PROV_A)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", name, "current_unit"), f.KAB_A1)
		row = ledger(name, kind="Help Request")[0]
		self.assertEqual((row.status, row.to_unit, row.reader_unit), ("Informed", f.PROV_A, f.PROV_A))
		self.assertEqual(alerts(f.ADMIN_A, name, "for help"), 1)
		self.assertIn("{unit} was asked to help", [e["message"] for e in tracking_events(name)])
		# only the holder asks: another branch cannot
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			ask_for_help(name, "x")

	def test_a_higher_unit_takes_over_an_urgent_case_and_the_unit_below_keeps_reading(self):
		"""000/001 (BOS, BOP PAUD): the province may handle "secara langsung" what is "mendesak dan penting"."""
		from p3m_app.collaboration import take_over

		name = f.complaint_at(f.KAB_A1).name
		frappe.get_doc("Complaint", name).update({"response": "<p>Sudah dibayarkan.</p>"}).save()
		# without taking it over, the province cannot answer for the Kabupaten
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.ValidationError, "take it over first"):
			act(name, wf.ACTION_ANSWER)
		with self.assertRaisesRegex(frappe.ValidationError, "reason"):
			take_over(name, " ")
		self.assertEqual(take_over(name, "Mendesak: pembayaran tertahan sebulan")["unit"], f.PROV_A)
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual((doc.current_unit, doc.workflow_state), (f.PROV_A, wf.IN_PROGRESS))
		row = ledger(name, kind="Take-over")[0]
		self.assertEqual((row.from_unit, row.to_unit, row.reader_unit), (f.KAB_A1, f.PROV_A, f.KAB_A1))
		self.assertEqual(alerts(f.OFFICER_A1, name, "took over"), 1)
		self.assertTrue(can(f.OFFICER_A1, name))
		self.assertFalse(can(f.OFFICER_A1, name, "write"))
		frappe.set_user(f.ADMIN_A)
		act(name, wf.ACTION_ANSWER)
		self.assertEqual(frappe.db.get_value("Complaint", name, "workflow_state"), wf.ANSWERED)

	def test_a_unit_below_or_beside_cannot_take_over(self):
		from p3m_app.collaboration import take_over

		name = f.complaint_at(f.PROV_A, via=()).name
		for user in (f.OFFICER_A1, f.OFFICER_B1):
			frappe.set_user(user)
			with self.subTest(user=user), self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
				take_over(name, "Mendesak")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", name, "current_unit"), f.PROV_A)

	def test_a_copy_to_the_inspektorat_informs_without_moving_the_case(self):
		"""004 / 000: "menyampaikan informasi kepada Inspektorat Jenderal" informs; it does not hand over."""
		name = f.complaint_at(f.KAB_A1).name
		self.assertFalse(can(f.AUDITOR, name))
		frappe.set_user(f.OFFICER_A1)
		forward_to_inspektorat(name, f.INSPEKTORAT, "Indikasi pungutan liar oleh operator", mode="Copy")
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual((doc.current_unit, doc.workflow_state), (f.KAB_A1, wf.IN_PROGRESS))
		self.assertTrue(can(f.AUDITOR, name))
		self.assertFalse(can(f.AUDITOR, name, "write"))
		self.assertTrue(can(f.OFFICER_A1, name, "write"))  # the team keeps handling it
		self.assertEqual(alerts(f.AUDITOR, name, "Copy of complaint"), 1)
		frappe.set_user(f.AUDITOR)
		self.assertIn(name, frappe.get_list("Complaint", pluck="name"))
		frappe.set_user("Administrator")
		# a copy is internal: the tracking page does not show it
		self.assertFalse([e for e in tracking_events(name) if "Inspektorat" in str(e["params"])])
		# a copy goes to an Inspektorat, a PPID or a unit above, not sideways
		from p3m_app.collaboration import copy_to

		frappe.set_user(f.OFFICER_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "none of these"):
			copy_to(name, f.KAB_A2, "FYI")

	def test_hand_over_to_the_inspektorat_still_moves_it(self):
		name = f.complaint_at(f.PROV_A, via=()).name
		frappe.set_user(f.ADMIN_A)
		forward_to_inspektorat(name, f.INSPEKTORAT, "Whistleblowing: KKN", mode="Hand Over")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", name, "current_unit"), f.INSPEKTORAT)

	def test_forward_to_a_dinas_and_keep_following(self):
		"""004 l. 259: service availability is settled within 3 months; the Kabupaten/Kota keeps following."""
		name = f.complaint_at(f.KAB_A1).name
		values = {
			"external_agency": "Dinas Kesehatan Kabupaten",
			"external_reference": "440/123/2026",
			"external_date": "2026-12-01",
		}
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "follow up"):
			act(name, wf.ACTION_FORWARD_FOLLOW, **values)
		act(name, wf.ACTION_FORWARD_FOLLOW, external_follow_up_date="2027-02-26")
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual(doc.workflow_state, wf.IN_PROGRESS)
		self.assertFalse(doc.closed_at)
		self.assertEqual(str(doc.external_follow_up_date), "2027-02-26")
		forward = ledger(name, status="Forwarded", to_unit=("is", "not set"))
		self.assertEqual(forward[0].kind, "Disposition")
		# on the follow-up date the holding unit's officers are reminded, once a day
		from p3m_app.collaboration import remind_follow_ups

		reminded = {"for_user": f.OFFICER_A1, "subject": ("like", f"%due for follow-up%{name}%")}
		remind_follow_ups("2027-02-25")
		self.assertEqual(frappe.db.count("Notification Log", reminded), 0)
		remind_follow_ups("2027-02-26")
		self.assertEqual(frappe.db.count("Notification Log", reminded), 1)


def tracking_events(name):
	code = frappe.db.get_value("Complaint", name, "tracking_code")
	from p3m_app.core import public_view

	stamps = frappe.db.get_value("Complaint", name, ["received_at"], as_dict=True)
	return public_view.events(stamps, tracking.dispositions(name)) if code else []
