"""Nearest-level routing and the pendamping's recording screen (Pedoman PKH, seed 004).

Lines 80-83 and 170-173: a complaint is handled "pada tingkat yang terdekat"; lines 113-149: the
pendamping (UPPKH Kecamatan) hears complaints in group meetings and visits and records them.

    Pusat (T)
    └── Prov Jateng (R)            serves Jawa Tengah
        ├── UPPKH Brebes (R)       PKH; serves Kabupaten Brebes; officer
        │   └── Kec Bumiayu (R)    PKH; serves Brebes / Bumiayu; pendamping
        └── Tegal Inactive (R)     serves Tegal (inactive)
"""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import routing
from p3m_app.p3m_app.doctype.complaint.test_complaint_portal import form, stored, submit_as
from p3m_app.portal import pendamping
from p3m_app.tests import factories as f

PROV, KAB, KEC, TEGAL = "Prov Jateng (R)", "UPPKH Brebes (R)", "Kec Bumiayu (R)", "Tegal Inactive (R)"
OFFICER = "t.officer.brebes@p3m.test"
PENDAMPING = "t.pendamping.bumiayu@p3m.test"
PASSWORD = "Pendamping-Test-2026!"
KEYS = ("p|jawa tengah", "d|kabupaten|brebes", "d||brebes", "k||brebes|bumiayu", "d||tegal", "p|papua")


def area(province="", district="", kecamatan=""):
	return {"province": province, "district": district, "kecamatan": kecamatan}


def make_tree():
	f.make_world()
	f.make_user(OFFICER)
	f.make_user(PENDAMPING)
	units = (
		(PROV, "Provinsi", f.PUSAT, 1, 1, None, [], [area("Provinsi Jawa Tengah")]),
		(
			KAB,
			"Kabupaten/Kota",
			PROV,
			1,
			1,
			"PKH",
			[(OFFICER, "Officer")],
			[area("Jawa Tengah", "Kab. Brebes")],
		),
		(
			KEC,
			"Kecamatan",
			KAB,
			0,
			1,
			"PKH",
			[(PENDAMPING, "Pendamping")],
			[area("", "Brebes", "Kec. Bumiayu")],
		),
		(TEGAL, "Kabupaten/Kota", PROV, 0, 0, None, [], [area("Jawa Tengah", "Tegal")]),
	)
	for name, level, parent, is_group, is_active, program, officers, areas in units:
		if frappe.db.exists("Unit", name):
			continue
		f.make_unit(name, level, parent, is_group=is_group, is_active=is_active, officers=officers)
		unit = frappe.get_doc("Unit", name)
		unit.program = program
		unit.set("service_areas", areas)
		unit.save(ignore_permissions=True)


class TestNearestLevelRouting(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_tree()
		# other units of this site (a demo) may serve the same places; rolled back with the class
		frappe.db.delete("Unit Service Area", {"area_key": ("in", KEYS), "parent": ("not like", "%(R)")})

	def test_a_pkh_complaint_from_kabupaten_brebes_lands_at_its_unit(self):
		doc = stored(
			submit_as("Guest", form(program="PKH", province="Jawa Tengah", district="Kabupaten Brebes"))
		)
		self.assertEqual((doc.current_unit, doc.origin_unit), (KAB, KAB))
		# the category's program counts when the reporter named none; spelling does not matter
		doc = f.make_complaint(current_unit=None, program=None, district="  KAB brebes ")
		self.assertEqual(doc.current_unit, KAB)

	def test_kecamatan_beats_district(self):
		doc = f.make_complaint(current_unit=None, district="Kabupaten Brebes", kecamatan="Bumiayu")
		self.assertEqual(doc.current_unit, KEC)
		doc = f.make_complaint(current_unit=None, district="Kabupaten Brebes", kecamatan="Paguyangan")
		self.assertEqual(doc.current_unit, KAB)

	def test_an_inactive_unit_is_skipped_for_the_next_nearest(self):
		doc = f.make_complaint(current_unit=None, province="Jawa Tengah", district="Kabupaten Tegal")
		self.assertEqual(doc.current_unit, PROV)

	def test_a_program_unit_serves_only_its_program(self):
		bos = "T BOS Routing"
		if not frappe.db.exists("P3M Program", bos):
			frappe.get_doc({"doctype": "P3M Program", "program_name": bos}).insert(ignore_permissions=True)
		doc = f.make_complaint(
			current_unit=None, category=None, program=bos, province="Jawa Tengah", district="Brebes"
		)
		self.assertEqual(doc.current_unit, PROV)

	def test_no_match_falls_back_to_the_category_then_the_root(self):
		doc = f.make_complaint(current_unit=None, province="Papua", district="Kabupaten Jayapura")
		self.assertEqual(doc.current_unit, f.PUSAT)  # T Pembayaran's default unit
		doc = f.make_complaint(current_unit=None, category=None, province="Papua")
		root = frappe.db.get_value("Unit", {"parent_unit": ("is", "not set"), "is_active": 1})
		self.assertEqual(doc.current_unit, root)

	def test_an_officer_of_one_unit_still_records_at_it(self):
		frappe.set_user(f.OFFICER_A1)
		try:
			doc = f.make_complaint(current_unit=None, district="Kabupaten Brebes")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(doc.current_unit, f.KAB_A1)

	def test_service_areas_are_normalised_and_checked(self):
		rows = frappe.get_all(
			"Unit Service Area", filters={"parent": KAB}, fields=["area_key", "province_key"]
		)
		self.assertEqual(rows, [{"area_key": "d|kabupaten|brebes", "province_key": "jawa tengah"}])
		unit = frappe.get_doc("Unit", KEC)
		unit.append("service_areas", area("Jawa Tengah", "", "Bumiayu"))
		self.assertRaisesRegex(frappe.ValidationError, "needs its district", unit.save)
		unit.reload()
		unit.append("service_areas", area("", "brebes", "KECAMATAN  bumiayu"))
		self.assertRaisesRegex(frappe.ValidationError, "repeats", unit.save)

	def test_the_lookup_is_one_indexed_query(self):
		plan = frappe.db.sql(
			"explain select parent from `tabUnit Service Area` where area_key in ('d||brebes', 'p|x')",
			as_dict=True,
		)
		self.assertIn("area_key_index", plan[0]["possible_keys"] or "")
		queries = []
		original = frappe.db.sql

		def counting(query, *args, **kwargs):
			queries.append(str(query))
			return original(query, *args, **kwargs)

		frappe.db.sql = counting
		try:
			unit = routing.unit_for_location("Jawa Tengah", "Kab Brebes", "Bumiayu", "PKH")
		finally:
			frappe.db.sql = original
		self.assertEqual(unit, KEC)
		self.assertEqual(len(queries), 1)


class TestPendampingRecording(FrappeTestCase):
	"""What the recording screen stores and what the pendamping may read, in process."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_tree()

	def record_as(self, user, **values):
		frappe.set_user(user)
		try:
			return pendamping.save(
				{**form(), "recorded_via": "Group Meeting", **values}, [], pendamping.pendamping_units(user)
			)
		finally:
			frappe.set_user("Administrator")

	def test_a_pendamping_records_at_its_unit_with_the_identity_it_typed(self):
		result = self.record_as(
			PENDAMPING, reporter_email="", reporter_phone="", reporter_address="Dusun Kaliwadas RT 02"
		)
		doc = stored(result)
		self.assertEqual((doc.current_unit, doc.origin_unit), (KEC, KEC))
		self.assertEqual((doc.channel, doc.recorded_via), ("Walk-in", "Group Meeting"))
		self.assertEqual((doc.owner, doc.received_by), (PENDAMPING, PENDAMPING))
		self.assertEqual((doc.reporter_name, doc.reporter_address), ("Siti Portal", "Dusun Kaliwadas RT 02"))
		self.assertFalse(doc.portal_user)
		# the unit above sees it at once
		self.assertTrue(frappe.has_permission("Complaint", "read", doc, user=OFFICER))

	def test_the_same_intake_rules_as_the_portal(self):
		with self.assertRaisesRegex(frappe.ValidationError, "phone number, e-mail or address"):
			self.record_as(PENDAMPING, reporter_email="", reporter_phone="")
		with self.assertRaisesRegex(frappe.ValidationError, "where you heard"):
			self.record_as(PENDAMPING, recorded_via="Pasar")
		with self.assertRaises(frappe.PermissionError):
			self.record_as(PENDAMPING, unit=f.KAB_A1)
		doc = stored(self.record_as(PENDAMPING, description="<script>x()</script>Saldo kosong"))
		self.assertEqual(doc.description, "Saldo kosong")

	def test_the_pendamping_reads_only_its_unit_and_no_identity(self):
		own = stored(self.record_as(PENDAMPING))
		above = f.make_complaint(current_unit=KAB, reporter_name="Warga Lain")
		elsewhere = f.make_complaint(current_unit=f.KAB_A1, reporter_name="Warga Jauh")
		self.assertTrue(frappe.has_permission("Complaint", "read", own, user=PENDAMPING))
		for doc in (above, elsewhere):
			self.assertFalse(frappe.has_permission("Complaint", "read", doc, user=PENDAMPING))
		# it works what its unit holds (ticks steps, refers up), never beyond it
		self.assertTrue(frappe.has_permission("Complaint", "write", own, user=PENDAMPING))
		self.assertFalse(frappe.has_permission("Complaint", "write", above, user=PENDAMPING))
		frappe.set_user(PENDAMPING)
		try:
			listed = frappe.get_list("Complaint", pluck="name", limit_page_length=0)
			self.assertFalse(frappe.has_permission("Complaint", "create"))
			self.assertFalse(own.has_permlevel_access_to("reporter_name", permission_type="read"))
			shown = frappe.get_doc("Complaint", own.name)
			shown.apply_fieldlevel_read_permissions()
			self.assertFalse(shown.get("reporter_name"))
		finally:
			frappe.set_user("Administrator")
		self.assertIn(own.name, listed)
		self.assertNotIn(above.name, listed)
		self.assertNotIn(elsewhere.name, listed)

	def test_the_record_limit_is_per_pendamping(self):
		key = frappe.cache.make_key(f"rl:p3m_pendamping_record:{PENDAMPING}")
		frappe.cache.delete(key)
		frappe.conf.p3m_pendamping_record_limit = "2"
		try:
			pendamping.check_rate(PENDAMPING)
			pendamping.check_rate(PENDAMPING)
			self.assertRaises(frappe.RateLimitExceededError, pendamping.check_rate, PENDAMPING)
		finally:
			frappe.cache.delete(key)
			frappe.conf.pop("p3m_pendamping_record_limit", None)


HTTP_UNIT = "Kec Pendamping HTTP (R)"
HTTP_PENDAMPING = "t.pendamping.http@p3m.test"
HTTP_OFFICER = "t.officer.http@p3m.test"


class TestPendampingScreen(FrappeTestCase):
	"""Through Frappe's HTTP layer as a phone's browser does (session cookie, CSRF token). The
	requests see committed data only: a unit of its own (no service areas, so routing elsewhere is
	untouched) is committed here and removed afterwards, with what was recorded."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		for user in (HTTP_PENDAMPING, HTTP_OFFICER):
			f.make_user(user)
			frappe.utils.password.update_password(user, PASSWORD)
		f.make_unit(
			HTTP_UNIT,
			"Kecamatan",
			f.KAB_A1,
			officers=[(HTTP_PENDAMPING, "Pendamping"), (HTTP_OFFICER, "Officer")],
		)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		f.purge_complaints({"current_unit": HTTP_UNIT})
		frappe.delete_doc("Unit", HTTP_UNIT, force=True, ignore_permissions=True)
		frappe.delete_doc("Assignment Rule", f"P3M Unit: {HTTP_UNIT}", force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def request(self, client, method, path, **kwargs):
		from frappe.tests.test_api import make_request

		return make_request(
			target=getattr(client, method), args=(path,), kwargs=kwargs, site=frappe.local.site
		)

	def signed_in(self, user):
		from frappe.utils import get_test_client

		client = get_test_client(use_cookies=True)
		response = self.request(client, "post", "/api/method/login", data={"usr": user, "pwd": PASSWORD})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		return client

	def post_record(self, client, token, **values):
		data = {**form(subject="Rekaman lewat HTTP"), "recorded_via": "Home Visit", **values}
		headers = {"X-Frappe-CSRF-Token": token} if token else {}
		return self.request(
			client, "post", "/api/method/p3m_app.portal.pendamping.record", data=data, headers=headers
		)

	def test_a_pendamping_records_through_the_page(self):
		client = self.signed_in(HTTP_PENDAMPING)
		page = self.request(client, "get", "/pengaduan/pendamping")
		html = page.get_data(as_text=True)
		self.assertEqual(page.status_code, 200)
		self.assertIn('name="viewport"', html)
		self.assertIn(HTTP_UNIT, html)
		self.assertIn("p3m_app.portal.pendamping.record", html)  # the page's script
		token = re.search(r'csrf_token\s*=\s*"([^"]+)"', html).group(1)

		refused = self.post_record(client, None)
		self.assertEqual(refused.status_code, 400, "without the session's CSRF token nothing is recorded")
		response = self.post_record(client, token, submission_id=frappe.generate_hash())
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		code = response.get_json()["message"]["tracking_code"]
		doc = stored({"tracking_code": code})
		self.assertEqual(
			(doc.current_unit, doc.owner, doc.recorded_via), (HTTP_UNIT, HTTP_PENDAMPING, "Home Visit")
		)
		self.assertIn(
			doc.subject, self.request(client, "get", "/pengaduan/pendamping").get_data(as_text=True)
		)

	def test_anyone_else_is_refused(self):
		client = self.signed_in(HTTP_OFFICER)  # an officer of the same unit, not its pendamping
		page = self.request(client, "get", "/pengaduan/pendamping")
		self.assertEqual(page.status_code, 403)
		token = re.search(r'csrf_token\s*=\s*"([^"]+)"', page.get_data(as_text=True))
		response = self.post_record(client, token.group(1) if token else None)
		self.assertEqual(response.status_code, 403 if token else 400, response.get_data(as_text=True)[:300])
		from frappe.utils import get_test_client

		guest = self.post_record(get_test_client(use_cookies=False), None)
		self.assertEqual(guest.status_code, 403)
		self.assertFalse(
			frappe.db.exists("Complaint", {"subject": "Rekaman lewat HTTP", "owner": ("!=", HTTP_PENDAMPING)})
		)
