# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Duplicates and clusters: suggestions within the user's reach, marking a duplicate, following the
master, and the PKH payment rule (seed 004 lines 328-330 and 468-476)."""

import frappe
from frappe.desk.form.load import run_onload
from frappe.tests.utils import FrappeTestCase

from p3m_app import duplicates
from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act
from p3m_app.tests import factories as f

SIMILAR = "Bantuan PKH tahap tiga belum cair di kantor pos, antrian sangat panjang"
OTHER = "Pendamping tidak pernah hadir di pertemuan kelompok bulanan"


def person(n: int) -> dict:
	return {
		"reporter_name": f"Pelapor Nomor {n}",
		"reporter_phone": f"+62 812 7000 {n:04d}",
		"reporter_email": f"pelapor{n}@example.org",
	}


def at(unit: str, text: str, n: int, via=(f.PROV_A,), **values):
	"""A complaint at ``unit``; each test passes its own district (the class shares one transaction)."""
	fields = {"subject": text[:60], "description": text, "province": "Jawa Tengah", **person(n), **values}
	return f.complaint_at(unit, via=via, **fields)


def comments(name: str, words: str) -> int:
	return frappe.db.count(
		"Comment",
		{"reference_doctype": "Complaint", "reference_name": name, "content": ("like", f"%{words}%")},
	)


def mails(name: str, words: str) -> int:
	return frappe.db.count("Email Queue", {"reference_name": name, "message": ("like", f"%{words}%")})


class TestComplaintDuplicates(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def tearDown(self):
		frappe.set_user("Administrator")

	def refused(self, user, complaint, master, error=frappe.ValidationError, words=None):
		frappe.set_user(user)
		try:
			with self.assertRaises(error) as raised:
				duplicates.mark_duplicate(complaint, master)
		finally:
			frappe.set_user("Administrator")
		if words:
			self.assertIn(words, str(raised.exception))
		self.assertFalse(frappe.db.get_value("Complaint", complaint, "master_complaint"))

	def test_suggestions_find_the_similar_one_within_the_users_reach(self):
		similar = at(f.KAB_A1, SIMILAR + " Brebes", 1, district="Kab. Brebes").name
		other = at(f.KAB_A1, OTHER, 2, district="Kab. Brebes").name
		out_of_reach = at(f.KAB_B1, SIMILAR, 3, district="Kab. Brebes", via=(f.PROV_B,)).name
		elsewhere = at(f.KAB_A1, SIMILAR, 4, district="Kab. Tegal").name
		new = at(f.KAB_A1, SIMILAR, 5, district="Kab. Brebes").name
		frappe.set_user(f.OFFICER_A1)
		names = [row["name"] for row in duplicates.similar_complaints(complaint=new)]
		self.assertIn(similar, names)
		self.assertNotIn(other, names)
		self.assertNotIn(out_of_reach, names)  # another province's unit: not even named
		self.assertNotIn(elsewhere, names)
		self.assertNotIn(new, names)
		row = next(r for r in duplicates.similar_complaints(complaint=new) if r["name"] == similar)
		self.assertEqual(
			set(row), {"name", "subject", "workflow_state", "current_unit", "received_at", "score"}
		)
		# on intake: the values typed so far, "KAB BREBES" as the same district
		typed = {"category": "T Pembayaran", "district": "KABUPATEN BREBES", "description": SIMILAR}
		self.assertIn(similar, [r["name"] for r in duplicates.similar_complaints(values=typed)])
		# an officer of the other province sees its own, never this one
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			duplicates.similar_complaints(complaint=new)
		names = [r["name"] for r in duplicates.similar_complaints(values=typed)]
		self.assertEqual(names, [out_of_reach])
		frappe.set_user("Administrator")
		self.assertIn(out_of_reach, [r["name"] for r in duplicates.similar_complaints(complaint=new)])

	def test_the_same_reporter_is_suggested_even_in_other_words(self):
		first = at(f.KAB_A1, OTHER, 6, district="Kab. Pemalang").name
		new = at(f.KAB_A1, SIMILAR, 6, district="Kab. Pemalang").name
		frappe.set_user(f.OFFICER_A1)
		rows = duplicates.similar_complaints(complaint=new)
		self.assertEqual([r["name"] for r in rows], [first])
		self.assertNotIn("Pelapor", frappe.as_json(rows))

	def test_a_confidential_reporter_is_never_matched(self):
		"""A match would tie the confidential report to a named one, i.e. reveal who made it."""
		sealed = at(f.KAB_A1, OTHER, 12, district="Kab. Tegal", is_confidential=1).name
		new = at(f.KAB_A1, SIMILAR, 12, district="Kab. Tegal").name
		frappe.set_user(f.OFFICER_A1)
		self.assertNotIn(sealed, [r["name"] for r in duplicates.similar_complaints(complaint=new)])
		self.assertNotIn(new, [r["name"] for r in duplicates.similar_complaints(complaint=sealed)])

	def test_marking_refused_for_a_closed_master_itself_a_chain_and_an_outsider(self):
		master = at(f.KAB_A1, SIMILAR, 7, district="Kab. Batang").name
		dup = at(f.KAB_A1, SIMILAR, 8, district="Kab. Batang").name
		third = at(f.KAB_A1, SIMILAR, 9, district="Kab. Batang").name
		closed = at(f.KAB_A1, SIMILAR, 10, district="Kab. Batang").name
		frappe.db.set_value("Complaint", closed, "workflow_state", wf.CLOSED)
		self.refused(f.OFFICER_A1, dup, closed, words="closed master")
		self.refused(f.OFFICER_A1, dup, dup, words="itself")
		frappe.set_user(f.OFFICER_A1)
		duplicates.mark_duplicate(dup, master)
		self.refused(f.OFFICER_A1, third, dup, words="itself a duplicate")  # no chains
		self.refused(f.OFFICER_A1, master, third, words="cannot become a duplicate")  # no cycles
		# outsiders: another province's officer, and a master the officer cannot edit
		self.refused(f.OFFICER_B1, third, master, frappe.PermissionError)
		elsewhere = at(f.KAB_B1, SIMILAR, 11, district="Kab. Batang", via=(f.PROV_B,)).name
		self.refused(f.OFFICER_A1, third, elsewhere, frappe.PermissionError)
		# and through a plain save of the field, the same rules
		doc = frappe.get_doc("Complaint", third)
		doc.master_complaint = closed
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_both_reporters_are_informed_and_the_duplicate_follows_the_answer(self):
		master = at(f.KAB_A1, SIMILAR, 12, district="Kab. Kendal").name
		dup = at(f.KAB_A1, SIMILAR, 13, district="Kab. Kendal").name
		frappe.set_user(f.OFFICER_A1)
		duplicates.mark_duplicate(dup, master)
		self.assertEqual(frappe.db.get_value("Complaint", dup, "master_complaint"), master)
		self.assertEqual(comments(dup, f"duplicate of {master}"), 1)
		self.assertEqual(comments(master, f"{dup} was marked"), 1)
		self.assertEqual(mails(dup, "handled together"), 1)
		self.assertEqual(mails(master, "same matter"), 1)
		# the master is answered; its answer names its own reporter, which the other must not read
		act(master, wf.ACTION_ANSWER, response="<p>Bantuan Pelapor Nomor 12 (0812 7000 0012) sudah cair.</p>")
		frappe.set_user("Administrator")
		row = frappe.db.get_value(
			"Complaint",
			dup,
			["workflow_state", "response", "answered_at", "sla_current_due", "sla_status"],
			as_dict=True,
		)
		self.assertEqual(row.workflow_state, wf.ANSWERED)
		self.assertIn("sudah cair", row.response)
		self.assertNotIn("Pelapor Nomor 12", row.response)
		self.assertNotIn("7000 0012", row.response)
		self.assertTrue(row.answered_at)
		self.assertIsNone(row.sla_current_due)
		self.assertIn(row.sla_status, ("Met", "Breached"))
		self.assertEqual(mails(dup, "sudah cair"), 1)  # the duplicate's reporter gets the answer
		self.assertEqual(comments(dup, f"with its master complaint {master}"), 1)
		# closing the master closes the duplicate
		frappe.set_user("Administrator")
		act(master, wf.ACTION_CLOSE)
		self.assertEqual(frappe.db.get_value("Complaint", dup, "workflow_state"), wf.CLOSED)

	def test_a_duplicate_of_an_answered_master_is_answered_at_once(self):
		master = at(f.KAB_A1, SIMILAR, 14, district="Kab. Demak").name
		frappe.set_user(f.OFFICER_A1)
		act(master, wf.ACTION_ANSWER, response="<p>Sudah disalurkan.</p>")
		frappe.set_user("Administrator")
		dup = at(f.KAB_A1, SIMILAR, 15, district="Kab. Demak").name
		frappe.set_user(f.OFFICER_A1)
		duplicates.mark_duplicate(dup, master)
		self.assertEqual(
			frappe.db.get_value("Complaint", dup, ["workflow_state", "response"]),
			(wf.ANSWERED, "<p>Sudah disalurkan.</p>"),
		)

	def test_two_reporters_at_one_post_office_suggest_coordination_with_pt_pos(self):
		"""004 lines 468-476: "dilaporkan oleh minimal 2 (dua) orang" -> UPPKH Pusat and PT Pos."""
		first = at(f.KAB_A1, SIMILAR, 16, district="Kab. Cilacap", payment_point="Kantor Pos Brebes").name
		self.assertEqual(frappe.db.get_value("Complaint", first, "payment_point_key"), "brebes")
		self.assertFalse(advice(first)["recommend"])
		again = at(
			f.KAB_A1, "Antrian panjang lagi", 16, district="Kab. Cilacap", payment_point="KP BREBES"
		).name  # same person
		self.assertFalse(advice(again)["recommend"])
		other = at(
			f.KAB_A1, "Uang kurang", 17, district="Kab. Cilacap", payment_point="kantor pos  brebes"
		).name
		result = advice(other)
		self.assertEqual((result["reporters"], result["recommend"]), (2, True))
		self.assertTrue(advice(first)["recommend"])
		# the onload carries it to the form (a count, never a name)
		self.assertEqual(onloaded(first).get("payment_coordination")["reporters"], 2)
		# not a payment category: no key, no advice
		if not frappe.db.exists("Complaint Category", "T Data Peserta"):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": "T Data Peserta", "program": "PKH"}
			).insert(ignore_permissions=True)
		data = at(
			f.KAB_A1,
			"Nama salah",
			18,
			district="Kab. Cilacap",
			category="T Data Peserta",
			payment_point="Kantor Pos Brebes",
		).name
		self.assertIsNone(frappe.db.get_value("Complaint", data, "payment_point_key"))
		self.assertIsNone(advice(data))


def advice(name: str) -> dict:
	return duplicates.payment_coordination(frappe.get_doc("Complaint", name))


def onloaded(name: str) -> dict:
	doc = frappe.get_doc("Complaint", name)
	run_onload(doc)  # as the desk's getdoc does
	return doc.get_onload()
