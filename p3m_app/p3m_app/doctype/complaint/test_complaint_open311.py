"""Open311 GeoReport v2 at /open311/v2/ through Frappe's HTTP layer, as an app or a partner calls it.

The requests run in threads of their own and see committed data only: the test world is committed,
what the requests store is committed by them and purged afterwards (found by this run's tag).
Every answer is checked against the OpenAPI description the app serves.
"""

import io
import json
import uuid
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.core import tracking_code
from p3m_app.interop.open311 import endpoints
from p3m_app.portal import api, tracking
from p3m_app.tests import factories as f
from p3m_app.tests import openapi_shape

BASE = "/open311/v2"
GROUP = "T Open311 Group"
NAME, EMAIL, PHONE = "Siti Openapp", "siti.openapp@example.org", "+62 812 5555 6666"
IDENTITY = (NAME, "Openapp", EMAIL, "81255556666", "812 5555 6666", "Jl. Rahasia 7")
PDF = b"%PDF-1.4 test evidence"


def fresh_ip() -> str:
	"""The limiter remembers an address for an hour: each test sends from one of its own."""
	return f"2001:db8::{frappe.generate_hash(length=4)}:{frappe.generate_hash(length=4)}"


def send(method, path, ip, data=None, json_body=None, query=None, headers=None):
	from frappe.tests.test_api import make_request
	from frappe.utils import get_test_client

	kwargs = {"headers": headers or {}, "environ_overrides": {"REMOTE_ADDR": ip}}
	if data is not None:
		kwargs["data"] = data
	if json_body is not None:
		kwargs["json"] = json_body
	if query is not None:
		kwargs["query_string"] = query
	client = get_test_client(use_cookies=False)
	response = make_request(
		target=getattr(client, method.lower()), args=(path,), kwargs=kwargs, site=frappe.local.site
	)
	response.text = response.get_data(as_text=True)
	frappe.db.rollback()  # a fresh snapshot: this thread reads what the request committed
	return response


class TestOpen311(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		if not frappe.db.exists("Complaint Category", GROUP):
			frappe.get_doc({"doctype": "Complaint Category", "category_name": GROUP, "is_group": 1}).insert(
				ignore_permissions=True
			)
		frappe.db.commit()
		cls.tag = f"o311-{frappe.generate_hash(length=8)}"
		cls.openapi = endpoints.openapi()

	@classmethod
	def tearDownClass(cls):
		names = frappe.get_all("Complaint", filters={"description": ("like", f"%{cls.tag}%")}, pluck="name")
		if names:
			frappe.db.delete("Reporter Identity Sealed Text", {"parent": ("in", names)})
			frappe.db.delete("Reporter Identity", {"name": ("in", names)})
			frappe.db.delete("File", {"attached_to_doctype": "Complaint", "attached_to_name": ("in", names)})
			frappe.db.delete(
				"Email Queue", {"reference_doctype": "Complaint", "reference_name": ("in", names)}
			)
			f.purge_complaints({"name": ("in", names)})
		frappe.delete_doc("Complaint Category", GROUP, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		self.ip = fresh_ip()
		self.tag = f"{type(self).tag}-{frappe.generate_hash(length=6)}"  # this test's reports

	# -- helpers ------------------------------------------------------------------------------

	def params(self, **overrides):
		values = {
			"service_code": "T Pembayaran",
			"description": f"Bantuan PKH bulan Oktober belum diterima. {self.tag}",
			"first_name": "Siti",
			"last_name": "Openapp",
			"email": EMAIL,
			"phone": PHONE,
			"address_string": "Desa Sukamaju, Brebes",
			"lat": "-6.87",
			"long": "109.04",
			"submission_id": str(uuid.uuid4()),
		}
		values.update(overrides)
		return {k: v for k, v in values.items() if v is not None}

	def post(self, **overrides):
		return send("POST", f"{BASE}/requests.json", self.ip, data=self.params(**overrides))

	def assertDocumented(self, response, path, method):
		schema = openapi_shape.response_schema(self.openapi, path, method, response.status_code)
		body = json.loads(response.text)
		self.assertEqual(openapi_shape.problems(body, schema, self.openapi), [], response.text)
		return body

	def assertRefused(self, response, status, path="/requests.json", method="POST"):
		self.assertEqual(response.status_code, status, response.text)
		body = self.assertDocumented(response, path, method) if path else json.loads(response.text)
		self.assertEqual(body[0]["code"], status)
		self.assertTrue(body[0]["description"])
		return body[0]["description"]

	def created(self, response) -> frappe._dict:
		self.assertEqual(response.status_code, 200, response.text)
		(answer,) = self.assertDocumented(response, "/requests.json", "POST")
		code = tracking_code.normalize(answer["service_request_id"])
		doc = frappe.db.get_value("Complaint", {"tracking_code": code}, "*", as_dict=True)
		self.assertTrue(doc, answer)
		doc.answer = answer
		return doc

	def assertNoIdentity(self, text):
		for value in IDENTITY:
			self.assertNotIn(value, text)

	def count(self):
		return frappe.db.count("Complaint", {"description": ("like", f"%{self.tag}%")})

	# -- services, discovery, description --------------------------------------------------------

	def test_services_are_the_active_categories(self):
		response = send("GET", f"{BASE}/services.json", self.ip)
		self.assertEqual(response.status_code, 200, response.text)
		services = self.assertDocumented(response, "/services.json", "GET")
		by_code = {s["service_code"]: s for s in services}
		self.assertEqual(by_code["T Pembayaran"]["group"], "PKH")
		self.assertEqual(by_code["T Pembayaran"]["type"], "realtime")
		self.assertNotIn(GROUP, by_code, "a group category is not a service")
		leaves = frappe.get_all("Complaint Category", filters={"is_group": 0}, pluck="name")
		self.assertEqual(set(by_code), set(leaves))

		definition = send("GET", f"{BASE}/services/T%20Pembayaran.json", self.ip)
		self.assertEqual(definition.status_code, 200, definition.text)
		self.assertEqual(self.assertDocumented(definition, "/services/{code}.json", "GET")["attributes"], [])
		unknown = send("GET", f"{BASE}/services/{GROUP}.json", self.ip)
		self.assertRefused(unknown, 404, "/services/{code}.json", "GET")

	def test_discovery_and_the_openapi_description_are_served(self):
		response = send("GET", f"{BASE}/discovery.json", self.ip)
		self.assertEqual(response.status_code, 200, response.text)
		discovery = self.assertDocumented(response, "/discovery.json", "GET")
		self.assertTrue(discovery["endpoints"][0]["url"].endswith("/open311/v2"))
		described = send("GET", f"{BASE}/openapi.json", self.ip)
		self.assertEqual(described.status_code, 200)
		self.assertEqual(described.headers["Content-Type"], "application/json")
		self.assertEqual(json.loads(described.text), self.openapi)

	def test_wrong_paths_methods_and_formats(self):
		self.assertRefused(send("GET", f"{BASE}/nothing.json", self.ip), 404, None)
		wrong = send("POST", f"{BASE}/services.json", self.ip, data={"x": "1"})
		self.assertRefused(wrong, 405, None)
		self.assertEqual(wrong.headers["Allow"], "GET")
		self.assertIn("JSON", self.assertRefused(send("GET", f"{BASE}/services.xml", self.ip), 400, None))

	# -- POST requests -----------------------------------------------------------------------------

	def test_a_request_is_stored_as_the_portal_stores_a_report(self):
		doc = self.created(self.post())
		self.assertEqual((doc.channel, doc.owner, doc.workflow_state), ("Mobile App", "Guest", "Baru"))
		self.assertEqual((doc.category, doc.program, doc.current_unit), ("T Pembayaran", "PKH", f.PUSAT))
		self.assertEqual((doc.reporter_name, doc.reporter_email), (NAME, EMAIL))
		self.assertEqual(doc.location_detail, "Desa Sukamaju, Brebes (-6.870000, 109.040000)")
		self.assertEqual(doc.chronology, doc.description)
		self.assertTrue(doc.subject.startswith("Bantuan PKH bulan Oktober"))
		self.assertFalse(doc.portal_user or doc.is_anonymous or doc.is_confidential)
		self.assertIn(doc.answer["service_request_id"], doc.answer["service_notice"])

		# the portal, given the same report, stores the same fields (only the channel differs)
		portal = send(
			"POST",
			"/api/method/p3m_app.portal.api.submit",
			fresh_ip(),
			data={
				"classification": "Pengaduan",
				"category": "T Pembayaran",
				"program": "PKH",
				"subject": doc.subject,
				"description": doc.description,
				"chronology": doc.chronology,
				"location_detail": doc.location_detail,
				"reporter_name": NAME,
				"reporter_email": EMAIL,
				"reporter_phone": PHONE,
			},
		)
		self.assertEqual(portal.status_code, 200, portal.text)
		code = tracking_code.normalize(json.loads(portal.text)["message"]["tracking_code"])
		twin = frappe.db.get_value("Complaint", {"tracking_code": code}, "*", as_dict=True)
		for fieldname in (
			"classification",
			"category",
			"program",
			"subject",
			"description",
			"chronology",
			"location_detail",
			"current_unit",
			"workflow_state",
			"owner",
			"reporter_name",
			"reporter_email",
			"reporter_phone",
			"portal_user",
			"is_anonymous",
			"is_confidential",
			"identity_sealed",
		):
			self.assertEqual(doc[fieldname], twin[fieldname], fieldname)
		self.assertEqual(twin.channel, "Web Portal")

	def test_a_json_body_and_a_signed_in_caller_are_taken_as_a_guest_report(self):
		token = frappe.generate_hash(length=10)
		user = frappe.get_doc("User", f.OFFICER_A1)
		user.api_key, secret = f"o311{token}", frappe.generate_hash(length=15)
		user.api_secret = secret
		user.save(ignore_permissions=True)
		frappe.db.commit()
		self.addCleanup(
			lambda: (frappe.db.set_value("User", f.OFFICER_A1, "api_key", None), frappe.db.commit())
		)
		auth = {"Authorization": f"token {user.api_key}:{secret}"}
		body = {**self.params(), "lat": -6.2, "long": 106.8}
		doc = self.created(send("POST", f"{BASE}/requests.json", self.ip, json_body=body, headers=auth))
		self.assertEqual(doc.location_detail, "Desa Sukamaju, Brebes (-6.200000, 106.800000)")
		self.assertEqual((doc.owner, doc.reporter_name), ("Guest", NAME))
		self.assertFalse(doc.portal_user or doc.received_by, "the calling account is not the reporter")
		body = {**self.params(), "is_anonymous": True}
		anonymous = self.created(send("POST", f"{BASE}/requests.json", self.ip, json_body=body, headers=auth))
		self.assertTrue(anonymous.is_anonymous, "JSON true is a yes")
		self.assertFalse(anonymous.reporter_name or anonymous.reporter_email)

	def test_anonymous_keeps_no_identity_and_confidential_is_sealed(self):
		anonymous = self.created(self.post(is_anonymous="1"))
		for fieldname in ("reporter_name", "reporter_email", "reporter_phone", "portal_user"):
			self.assertFalse(anonymous[fieldname], fieldname)
		self.assertFalse(frappe.db.exists("Reporter Identity", anonymous.name))

		confidential = self.created(self.post(is_confidential="true", reporter_address="Jl. Rahasia 7"))
		self.assertTrue(confidential.identity_sealed)
		self.assertFalse(
			confidential.reporter_name or confidential.reporter_email or confidential.reporter_address
		)
		vault = frappe.get_doc("Reporter Identity", confidential.name)
		self.assertEqual((vault.reporter_name, vault.reporter_email), (NAME, EMAIL))

		for doc in (anonymous, confidential):
			code = doc.answer["service_request_id"]
			response = send("GET", f"{BASE}/requests/{code}.json", self.ip)
			self.assertEqual(response.status_code, 200, response.text)
			self.assertDocumented(response, "/requests/{code}.json", "GET")
			self.assertNoIdentity(response.text)

	def test_a_retry_with_the_same_key_gets_the_same_code(self):
		params = self.params()
		first = self.created(send("POST", f"{BASE}/requests.json", self.ip, data=params))
		again = self.created(send("POST", f"{BASE}/requests.json", self.ip, data=params))
		self.assertEqual(first.name, again.name)
		key = params.pop("submission_id")
		by_header = send(
			"POST", f"{BASE}/requests.json", self.ip, data=params, headers={"Idempotency-Key": key}
		)
		self.assertEqual(self.created(by_header).name, first.name)
		other_text = self.created(self.post(submission_id=key, description=f"Laporan lain {self.tag}"))
		self.assertNotEqual(other_text.name, first.name, "a known key with other content finds nothing")
		self.assertEqual(self.count(), 2)

	def test_refusals_store_nothing(self):
		cases = [
			({"service_code": "No Such Service"}, "No Such Service"),
			({"service_code": GROUP}, GROUP),
			({"service_code": None}, "service_code"),
			({"description": None}, "description"),
			({"submission_id": None}, "submission_id"),
			({"submission_id": "short"}, "submission_id"),
			({"email": "not-an-address"}, "not-an-address"),
			({"phone": "call me maybe"}, "call me maybe"),
			({"email": None, "phone": None}, "phone"),
			({"first_name": None, "last_name": None}, None),
			({"lat": "95"}, "lat"),
			({"classification": "Permintaan Informasi"}, None),
		]
		for overrides, mentioned in cases:
			self.ip = fresh_ip()  # more cases than the hourly limit allows one address
			with self.subTest(overrides=overrides):
				description = self.assertRefused(self.post(**overrides), 400)
				if mentioned:
					self.assertIn(mentioned, description)
		bad_file = send(
			"POST",
			f"{BASE}/requests.json",
			self.ip,
			data={**self.params(), "media": [(io.BytesIO(b"<svg onload=alert(1)/>"), "x.svg")]},
		)
		self.assertRefused(bad_file, 400)
		self.assertEqual(self.count(), 0)

	def test_refusals_are_translated(self):
		response = send(
			"POST",
			f"{BASE}/requests.json",
			self.ip,
			data=self.params(service_code=None),
			headers={"Accept-Language": "id"},
		)
		self.assertEqual(self.assertRefused(response, 400), "service_code wajib diisi.")

	def test_media_is_checked_and_kept_private_and_urls_are_not_fetched(self):
		response = send(
			"POST",
			f"{BASE}/requests.json",
			self.ip,
			data={
				**self.params(media_url="http://127.0.0.1:1/secret.jpg"),
				"media": [(io.BytesIO(PDF), "bukti.pdf")],
			},
		)
		doc = self.created(response)
		files = frappe.get_all(
			"File", filters={"attached_to_name": doc.name}, fields=["file_name", "is_private"]
		)
		self.assertEqual(len(files), 1)
		self.assertTrue(files[0].is_private)
		# bukti.pdf, or bukti<hash>.pdf when the name is taken on disk
		self.assertRegex(files[0].file_name, r"^bukti\w*\.pdf$")
		self.assertIn("media_url", doc.answer["service_notice"])
		self.assertNotIn("secret.jpg", json.dumps(doc, default=str))

	def test_the_honeypot_answers_like_success_and_stores_nothing(self):
		response = self.post(website="http://spam.example")
		self.assertEqual(response.status_code, 200, response.text)
		(answer,) = self.assertDocumented(response, "/requests.json", "POST")
		self.assertEqual(self.count(), 0)
		lookup = send("GET", f"{BASE}/requests/{answer['service_request_id']}.json", self.ip)
		self.assertRefused(lookup, 404, "/requests/{code}.json", "GET")

	# -- rate limits -------------------------------------------------------------------------------

	def test_submissions_share_the_portals_limit(self):
		limit = api.submit_limit()
		for _i in range(limit):  # refused requests count too, as on the portal
			self.assertRefused(self.post(service_code=None), 400)
		self.assertRefused(self.post(), 429)
		portal = send("POST", "/api/method/p3m_app.portal.api.submit", self.ip, data={"subject": "x"})
		self.assertEqual(portal.status_code, 429, "the API and the portal count together")
		self.assertRefused(send("POST", f"{BASE}/requests.json", fresh_ip(), data={}), 400)
		self.assertEqual(self.count(), 0)

	def test_each_code_looked_up_counts_against_the_tracking_limit(self):
		limit = api.track_limit()
		codes = [f"ZZZZ-ZZZZ-{i:04d}" for i in range(10)]
		spent = 0
		while spent + 10 <= limit:
			listed = send(
				"GET", f"{BASE}/requests.json", self.ip, query={"service_request_id": ",".join(codes)}
			)
			self.assertEqual(json.loads(listed.text), [], listed.text)
			spent += 10
		for _i in range(limit - spent):
			self.assertRefused(send("GET", f"{BASE}/requests/ZZZZ-ZZZZ-ZZZZ.json", self.ip), 404, None)
		self.assertRefused(send("GET", f"{BASE}/requests/ZZZZ-ZZZZ-ZZZZ.json", self.ip), 429, None)
		portal = send(
			"POST", "/api/method/p3m_app.portal.api.track", self.ip, data={"code": "ZZZZ-ZZZZ-ZZZZ"}
		)
		self.assertEqual(portal.status_code, 429)

	# -- GET requests ----------------------------------------------------------------------------

	def test_a_request_shows_what_the_tracking_page_shows_and_never_identity(self):
		doc = self.created(self.post(reporter_address="Jl. Rahasia 7"))
		code = doc.answer["service_request_id"]
		response = send("GET", f"{BASE}/requests/{code}.json", self.ip)
		self.assertEqual(response.status_code, 200, response.text)
		(request,) = self.assertDocumented(response, "/requests/{code}.json", "GET")
		self.assertEqual(request["service_request_id"], code)
		self.assertEqual((request["status"], request["service_code"]), ("open", "T Pembayaran"))
		self.assertEqual(request["description"], doc.subject)
		view = tracking.view(code)
		view.pop("found")
		self.assertEqual(request["p3m_tracking"], json.loads(json.dumps(view, default=str)))
		self.assertNoIdentity(response.text)
		self.assertNotIn("Sukamaju", response.text, "the location is not on the tracking page")
		self.assertNotIn(doc.name, response.text, "nor the internal name")

		listed = send(
			"GET", f"{BASE}/requests.json", self.ip, query={"service_request_id": f"{code},ABCD-EFGH-JKMN"}
		)
		self.assertEqual(listed.status_code, 200, listed.text)
		self.assertEqual(self.assertDocumented(listed, "/requests.json", "GET"), [request])

	def test_unknown_codes_and_listing_without_codes_are_refused(self):
		answers = set()
		for code in ("ABCD-EFGH-JKMN", "x' OR 1=1 --", "A" * 300):
			response = send("GET", f"{BASE}/requests/{quote(code)}.json", self.ip)
			answers.add(self.assertRefused(response, 404, "/requests/{code}.json", "GET"))
		self.assertEqual(len(answers), 1, "wrong and malformed codes answer alike")
		for query in ({}, {"service_code": "T Pembayaran"}, {"status": "open"}):
			response = send("GET", f"{BASE}/requests.json", self.ip, query=query)
			self.assertRefused(response, 400, "/requests.json", "GET")
		too_many = ",".join(f"ZZZZ-ZZZZ-{i:04d}" for i in range(11))
		response = send("GET", f"{BASE}/requests.json", self.ip, query={"service_request_id": too_many})
		self.assertRefused(response, 400, "/requests.json", "GET")
