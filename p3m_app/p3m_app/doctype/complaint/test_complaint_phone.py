"""Phone numbers as data: every channel stores E.164, staff read the national format, old rows convert.

The portal and desk submissions go through Frappe's HTTP layer (a guest's form post, an officer's
REST insert with an API key), so they see committed data only: the test world is committed in
setUpClass and what the requests stored is removed in tearDownClass.
"""

import json
import random

import frappe
from frappe.desk.form.load import getdoc
from frappe.tests.utils import FrappeTestCase

from p3m_app.handling import act
from p3m_app.patches import normalise_phone_numbers
from p3m_app.tests import factories as f

SUBJECT = "Nomor telepon uji"
PPID = "t.ppid.phone@p3m.test"
LANDLINE, MOBILE = "+62215551234", "+6281234567890"


def request(client, method, path, **kwargs):
	from frappe.tests.test_api import make_request

	return make_request(target=getattr(client, method), args=(path,), kwargs=kwargs, site=frappe.local.site)


def server_messages(response) -> str:
	body = response.get_json() or {}
	return " ".join(json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages", "[]")))


def portal_form(**overrides):
	return {
		"classification": "Pengaduan",
		"subject": SUBJECT,
		"description": "Bantuan PKH bulan Oktober belum diterima.",
		"chronology": "Sejak Oktober saldo kosong.",
		"category": "T Pembayaran",
		"reporter_name": "Warga Telepon",
		**overrides,
	}


class TestPhoneIntakeOverHttp(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		from frappe.core.doctype.user.user import generate_keys

		secret = generate_keys(f.OFFICER_A1)["api_secret"]
		key = frappe.db.get_value("User", f.OFFICER_A1, "api_key")
		cls.officer_auth = {"Authorization": f"token {key}:{secret}"}
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		# a confidential report's subject shows the reporter's name words masked ("Nomor ••• uji")
		first, last = SUBJECT.split()[0], SUBJECT.split()[-1]
		names = frappe.get_all("Complaint", filters={"subject": ("like", f"{first}%{last}%")}, pluck="name")
		frappe.db.delete("Reporter Identity", {"name": ("in", names or [""])})
		f.purge_complaints({"name": ("in", names or [""])})
		super().tearDownClass()

	def guest_submits(self, **overrides):
		from frappe.utils import get_test_client

		return request(
			get_test_client(use_cookies=False),
			"post",
			"/api/method/p3m_app.portal.api.submit?_lang=id",
			data=portal_form(**overrides),
			# a fresh address per request: the portal's per-address limit is not what is tested here
			environ_overrides={"REMOTE_ADDR": f"198.51.100.{random.randint(1, 254)}"},
		)

	def officer_records(self, **values):
		from frappe.utils import get_test_client

		data = f.complaint_values(subject=SUBJECT + " desk", current_unit=f.KAB_A1, **values)
		return request(
			get_test_client(use_cookies=False),
			"post",
			"/api/resource/Complaint",
			json=data,
			# the desk's language comes with the request, as from the officer's browser
			headers={**self.officer_auth, "Accept-Language": "id"},
		)

	def count(self) -> int:
		frappe.db.rollback()  # a fresh snapshot: the request committed in its own connection
		return frappe.db.count("Complaint")

	def stored(self, response) -> dict:
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		frappe.db.rollback()
		message = response.get_json().get("message") or response.get_json().get("data")
		if "tracking_code" in message and "name" not in message:
			from p3m_app.core import tracking_code

			code = tracking_code.normalize(message["tracking_code"])
			return frappe.db.get_value("Complaint", {"tracking_code": code}, "*", as_dict=True)
		return frappe.db.get_value("Complaint", message["name"], "*", as_dict=True)

	def test_the_portal_accepts_common_forms_and_stores_e164(self):
		for written, e164 in (("(021) 555-1234", LANDLINE), ("0812.3456.7890", MOBILE)):
			row = self.stored(self.guest_submits(reporter_phone=written))
			self.assertEqual(row.reporter_phone, e164, written)

	def test_a_confidential_reporters_number_is_sealed_in_e164(self):
		row = self.stored(self.guest_submits(reporter_phone="0812.3456.7890", is_confidential="1"))
		self.assertFalse(row.reporter_phone)
		self.assertEqual(frappe.db.get_value("Reporter Identity", row.name, "reporter_phone"), MOBILE)

	def test_the_portal_refuses_what_is_not_a_number_in_the_readers_language(self):
		before = self.count()
		response = self.guest_submits(reporter_phone="telepon saya", subject=SUBJECT + " ditolak")
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:500])
		self.assertIn("Nomor telepon telepon saya tidak valid.", server_messages(response))
		self.assertEqual(self.count(), before)

	def test_the_desk_accepts_common_forms_and_stores_e164(self):
		row = self.stored(
			self.officer_records(reporter_phone="(021) 555-1234", caller_number="0812.3456.7890")
		)
		self.assertEqual((row.reporter_phone, row.caller_number), (LANDLINE, MOBILE))
		self.assertEqual(row.current_unit, f.KAB_A1)

	def test_the_desk_refuses_what_is_not_a_number_in_the_officers_language(self):
		before = self.count()
		response = self.officer_records(caller_number="12345")
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:500])
		self.assertIn("Nomor telepon 12345 tidak valid.", server_messages(response))
		self.assertEqual(self.count(), before)


class TestPhoneDisplayAndUpgrade(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		f.make_user(PPID)
		unit = frappe.get_doc("Unit", f.PROV_A)
		if not any(row.user == PPID for row in unit.officers):
			unit.append("officers", {"user": PPID, "role_in_unit": "PPID"})
			unit.save(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")

	def onload_as(self, user, doctype, name) -> dict:
		frappe.set_user(user)
		getdoc(doctype, name)
		doc = frappe.response.docs[-1]
		frappe.set_user("Administrator")
		return doc.get("__onload", {}).get("phones_national")

	def test_staff_read_the_national_format_and_a_ppid_reads_no_number(self):
		doc = f.complaint_at(f.KAB_A1, reporter_phone="0812.3456.7890")
		self.assertEqual(doc.reporter_phone, MOBILE)
		self.assertEqual(self.onload_as(f.OFFICER_A1, "Complaint", doc.name), {MOBILE: "0812-3456-7890"})
		self.assertEqual(self.onload_as(PPID, "Complaint", doc.name), {})

	def test_a_units_contact_number_is_stored_e164_and_printed_nationally(self):
		unit = frappe.get_doc("Unit", f.KAB_A1)
		unit.contact_phone = "(0283) 617-7495"
		unit.save(ignore_permissions=True)
		self.assertEqual(unit.contact_phone, "+622836177495")
		unit.contact_phone = "kantor"
		with self.assertRaisesRegex(frappe.ValidationError, "kantor"):
			unit.save(ignore_permissions=True)
		from p3m_app.programs.pkh.letters import letter_context

		doc = f.complaint_at(f.KAB_A1)
		frappe.set_user(f.OFFICER_A1)
		context = letter_context(frappe.get_doc("Complaint", doc.name))
		self.assertEqual(context.unit.contact_phone, "(0283) 6177495")
		self.assertEqual(context.identity.reporter_phone, "0812-1111-2222")

	def test_the_upgrade_patch_converts_old_rows_and_keeps_what_it_cannot_read(self):
		named = f.make_complaint()
		unreadable = f.make_complaint(channel="Phone")
		secret = f.make_complaint(is_confidential=1)
		old = {
			(named.name, "reporter_phone"): "0812.3456.7890",
			(named.name, "caller_number"): "(021) 555-1234",
			(unreadable.name, "reporter_phone"): "telepon kantor desa",
		}
		for (name, field), value in old.items():
			frappe.db.set_value("Complaint", name, field, value, update_modified=False)
		frappe.db.set_value("Reporter Identity", secret.name, "reporter_phone", "0811 9999 0000")
		frappe.db.set_value("Unit", f.KAB_A2, "contact_phone", "021-5551234")
		logs = frappe.db.count("Error Log", {"method": "P3M phone numbers kept as written"})

		normalise_phone_numbers.execute()

		self.assertEqual(
			frappe.db.get_value("Complaint", named.name, ["reporter_phone", "caller_number"]),
			(MOBILE, LANDLINE),
		)
		self.assertEqual(
			frappe.db.get_value("Complaint", unreadable.name, "reporter_phone"), "telepon kantor desa"
		)
		self.assertEqual(
			frappe.db.get_value("Reporter Identity", secret.name, "reporter_phone"), "+6281199990000"
		)
		self.assertEqual(frappe.db.get_value("Unit", f.KAB_A2, "contact_phone"), LANDLINE)
		log = frappe.get_last_doc("Error Log", {"method": "P3M phone numbers kept as written"})
		self.assertEqual(
			frappe.db.count("Error Log", {"method": "P3M phone numbers kept as written"}), logs + 1
		)
		self.assertIn(f"Complaint {unreadable.name}: reporter_phone", log.error)
		self.assertNotIn("telepon kantor desa", log.error)  # a reporter's number never leaves its record

		# the number it kept does not block the complaint's handling; a new one is checked
		act(unreadable.name, "Verify")
		self.assertEqual(
			frappe.db.get_value("Complaint", unreadable.name, "reporter_phone"), "telepon kantor desa"
		)
		doc = frappe.get_doc("Complaint", unreadable.name)
		doc.reporter_phone = "telepon rumah"
		with self.assertRaisesRegex(frappe.ValidationError, "telepon rumah"):
			doc.save()
