# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""PKH forms and letters (seed 004): each print format renders its Indonesian text; identity
reaches a print only for who may read it; the letter log meets the Inform Reporter milestone."""

from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import roles
from p3m_app.core import letters as rules
from p3m_app.core import sla_policy as sla
from p3m_app.core import tracking_code
from p3m_app.handling import act
from p3m_app.programs.pkh import letters
from p3m_app.tests import factories as f

PPID = "t.ppid.letters@p3m.test"
ADDRESS = "Jl. Mawar No. 7, Desa Sukamaju"
NOW = datetime(2026, 11, 10, 10, 0)


def render(name, print_format, doc=None) -> str:
	return frappe.get_print("Complaint", name, print_format, doc=doc, no_letterhead=1)


class TestComplaintLetters(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		f.make_user(PPID, roles.PPID)
		pusat = frappe.get_doc("Unit", f.PUSAT)
		if not any(r.user == PPID for r in pusat.officers):
			pusat.append("officers", {"user": PPID, "role_in_unit": "PPID"})
			pusat.save(ignore_permissions=True)
		frappe.db.set_value(
			"Unit", f.KAB_A1, {"address": "Jl. P. Diponegoro No. 150", "contact_phone": "(0283) 6177495"}
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.form_dict.pop("blank", None)

	def at_kab_a1(self, **values) -> str:
		values.setdefault("reporter_address", ADDRESS)
		return f.complaint_at(f.KAB_A1, program="PKH", **values).name

	def code(self, name) -> str:
		return tracking_code.display(frappe.db.get_value("Complaint", name, "tracking_code"))

	def test_each_letter_renders_its_indonesian_text_with_kop_and_code(self):
		name = self.at_kab_a1()
		act(name, "Answer", response="<p>Bantuan tahap tiga sudah dibayarkan.</p>")
		expected = {
			rules.RECEIPT: "Tanda Terima Pengaduan",
			rules.IN_PROCESS: "sedang dalam proses",
			rules.RESULT: "Bantuan tahap tiga sudah dibayarkan.",
			rules.FORWARDED: "belum diteruskan kepada dinas",
		}
		for letter_type, text in expected.items():
			html = render(name, rules.PRINT_FORMATS[letter_type])
			self.assertIn(text, html, letter_type)
			self.assertIn(self.code(name), html)
			self.assertIn("Jl. P. Diponegoro No. 150", html)  # the holding unit's kop
			self.assertIn("Siti Aminah", html)  # Administrator may read the identity
			self.assertIn(ADDRESS, html)
		self.assertIn("1 (satu) bulan", render(name, rules.PRINT_FORMATS[rules.IN_PROCESS]))

	def test_forwarded_letter_names_the_dinas_of_the_forward(self):
		name = f.make_complaint().name
		act(name, "Verify")
		act(
			name,
			"Forward and Keep Following",
			external_agency="Dinas Kesehatan Kabupaten Brebes",
			external_reference="S-21/2026",
			external_date="2026-11-20",
			external_follow_up_date="2027-01-20",
		)
		html = render(name, rules.PRINT_FORMATS[rules.FORWARDED])
		self.assertIn("Dinas Kesehatan Kabupaten Brebes", html)
		self.assertIn("S-21/2026", html)
		self.assertIn("20 November 2026", html)

	def test_forms_filled_and_blank(self):
		name = self.at_kab_a1(reporter_id_number="3329010101010001")
		pkh = render(name, rules.FORM_PKH)
		self.assertIn("Formulir Pengaduan Program Keluarga Harapan (PKH)", pkh)
		self.assertIn("3329010101010001", pkh)
		self.assertIn("Bantuan PKH belum cair", pkh)
		c2 = render(name, rules.FORM_C2)
		self.assertIn("Formulir C-2", c2)
		self.assertIn("exclusion error", c2)
		frappe.set_user(f.OFFICER_A1)
		for print_format in rules.FORMS:
			blank = render(None, print_format, doc=frappe.new_doc("Complaint"))
			self.assertIn("Data Pelapor", blank)
			self.assertIn(f.KAB_A1, blank)  # the kop of the printing officer's unit
			self.assertNotIn("Siti Aminah", blank)
		frappe.form_dict.blank = 1  # a filled complaint printed blank
		body = render(name, rules.FORM_PKH).split("<body>", 1)[1]  # the page title names the subject
		self.assertNotIn("Bantuan PKH belum cair", body)

	def test_ppid_print_carries_no_identity(self):
		name = self.at_kab_a1()
		frappe.set_user(PPID)
		for print_format in (*rules.FORMS, rules.PRINT_FORMATS[rules.RECEIPT]):
			html = render(name, print_format)
			self.assertIn(self.code(name), html)
			for value in ("Siti Aminah", ADDRESS, "siti@example.org", "1111 2222"):
				self.assertNotIn(value, html, print_format)

	def test_confidential_identity_only_for_the_confidential_reader(self):
		name = self.at_kab_a1(is_confidential=1)
		frappe.set_user(f.OFFICER_A1)  # the holder reads the case, not the sealed identity
		html = render(name, rules.PRINT_FORMATS[rules.RECEIPT])
		self.assertIn("Pelapor dengan kode pelacakan " + self.code(name), html)
		self.assertIn("Identitas pelapor dirahasiakan", html)
		self.assertNotIn("Siti Aminah", html)
		self.assertIn("(dirahasiakan)", render(name, rules.FORM_PKH))
		frappe.set_user(f.READER)  # a Confidential Reader of Pusat: reads it, and the read is logged
		before = frappe.db.count("Access Log", {"reference_document": name, "user": f.READER})
		html = render(name, rules.PRINT_FORMATS[rules.RECEIPT])
		self.assertIn("Siti Aminah", html)
		self.assertIn(ADDRESS, html)
		self.assertGreater(
			frappe.db.count("Access Log", {"reference_document": name, "user": f.READER}), before
		)

	def test_outsider_cannot_print_or_log(self):
		name = self.at_kab_a1()
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			render(name, rules.PRINT_FORMATS[rules.RECEIPT])
		for user in (f.OFFICER_B1, f.ADMIN_A, PPID):  # another unit, the unit above, a PPID
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				letters.record_letter(name, rules.RECEIPT, "Post", "1")
		frappe.set_user("Administrator")
		self.assertFalse(frappe.get_doc("Complaint", name).letters)

	def test_record_letter_informs_the_reporter_and_meets_the_milestone(self):
		with self.freeze_time(NOW):
			name = self.at_kab_a1()
		frappe.set_user(f.OFFICER_A1)
		with self.freeze_time(NOW):
			out = letters.record_letter(name, rules.RECEIPT, "Post", " 001/UPPKH/XI/2026 ")
		self.assertEqual(out["reporter_informed_at"], "")  # a receipt informs of nothing yet
		with self.assertRaises(frappe.ValidationError):  # no response yet
			letters.record_letter(name, rules.RESULT, "Post", "")
		with self.assertRaises(frappe.ValidationError):  # not forwarded
			letters.record_letter(name, rules.FORWARDED, "Fax", "")
		later = datetime(2026, 11, 12, 11, 0)
		with self.freeze_time(later):
			letters.record_letter(name, rules.IN_PROCESS, "Hand delivered", "002/UPPKH/XI/2026")
		with self.freeze_time(datetime(2026, 11, 13, 9, 0)):
			letters.record_letter(name, rules.IN_PROCESS, "Email", "")
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual(
			[(r.letter_type, r.channel, r.reference, r.sent_by) for r in doc.letters],
			[
				(rules.RECEIPT, "Post", "001/UPPKH/XI/2026", f.OFFICER_A1),
				(rules.IN_PROCESS, "Hand delivered", "002/UPPKH/XI/2026", f.OFFICER_A1),
				(rules.IN_PROCESS, "Email", "", f.OFFICER_A1),
			],
		)
		self.assertEqual(doc.reporter_informed_at, later)  # the first informing letter counts
		milestone = {r.milestone: r for r in doc.sla_milestones}[sla.INFORM_REPORTER]
		self.assertEqual(milestone.met_at, later)
		self.assertIn("002/UPPKH/XI/2026", render(name, rules.PRINT_FORMATS[rules.IN_PROCESS]))

	def test_letter_log_is_system_managed(self):
		name = self.at_kab_a1()
		letters.record_letter(name, rules.RECEIPT, "Post", "001")
		doc = frappe.get_doc("Complaint", name)
		doc.letters[0].reference = "999"
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		doc = frappe.get_doc("Complaint", name)
		doc.append("letters", {"letter_type": rules.RESULT, "channel": "Post", "sent_by": f.NASIONAL})
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		doc = frappe.get_doc("Complaint", name)
		doc.set("letters", [])
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		doc = frappe.get_doc("Complaint", name)
		doc.reporter_informed_at = NOW
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		with self.assertRaises(frappe.ValidationError):
			f.make_complaint(letters=[{"letter_type": rules.RESULT, "channel": "Post"}])
