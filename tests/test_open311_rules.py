"""Open311 GeoReport v2 mapping: routes, services, a POST as a portal form, a tracking view as a request."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from p3m_app.core import open311_rules as o311
from p3m_app.core import portal_rules
from p3m_app.core.errors import RuleViolation
from p3m_app.tests import openapi_shape

OPENAPI = Path(__file__).resolve().parent.parent / "p3m_app" / "interop" / "open311" / "openapi.json"
CATEGORY = {
	"name": "Pembayaran",
	"category_name": "Pembayaran",
	"description": "Bantuan belum diterima",
	"program": "PKH",
	"parent_complaint_category": "PKH (semua)",
	"default_classification": "Keluhan",
}
KEY = "3f2b8c1e-6a4d-4f7e-9b1a-2c3d4e5f6a7b"


def post(**overrides):
	params = {
		"service_code": "Pembayaran",
		"description": "Bantuan PKH bulan Oktober belum diterima.",
		"first_name": "Siti",
		"last_name": "Aplikasi",
		"email": "siti.app@example.org",
		"phone": "+62 812 3333 4444",
	}
	params.update(overrides)
	return {k: v for k, v in params.items() if v is not None}


def form(**overrides):
	return o311.submission_form(post(**overrides), CATEGORY, KEY)


def document():
	return json.loads(OPENAPI.read_text(encoding="utf-8"))


# -- routes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"path, method, expected",
	[
		("/open311/v2/discovery.json", "GET", ("discovery", None)),
		("/open311/v2/services.json", "GET", ("services", None)),
		("/open311/v2/services/Data%20Peserta.json", "GET", ("service", "Data%20Peserta")),
		("/open311/v2/requests.json", "POST", ("requests", None)),
		("/open311/v2/requests.json", "GET", ("requests", None)),
		("open311/v2/requests/ABCD-EFGH-JKMN.json", "GET", ("request", "ABCD-EFGH-JKMN")),
		("/open311/v2/openapi.json", "GET", ("openapi", None)),
	],
)
def test_routes(path, method, expected):
	assert o311.match_route(path, method) == expected


def test_unknown_paths_wrong_methods_and_xml_are_refused():
	for path in ("/open311/v2/", "/open311/v2/requests/a/b.json", "/open311/v3/services.json", "/pengaduan"):
		with pytest.raises(o311.RouteNotFound):
			o311.match_route(path, "GET")
	with pytest.raises(o311.MethodNotAllowed) as refused:
		o311.match_route("/open311/v2/services.json", "POST")
	assert refused.value.allowed == ("GET",)
	with pytest.raises(o311.MethodNotAllowed):
		o311.match_route("/open311/v2/requests/ABCD.json", "DELETE")
	with pytest.raises(RuleViolation, match="JSON"):
		o311.match_route("/open311/v2/services.xml", "GET")


# -- services -----------------------------------------------------------------------------------


def test_a_category_is_a_realtime_service_grouped_by_program():
	assert o311.service(CATEGORY) == {
		"service_code": "Pembayaran",
		"service_name": "Pembayaran",
		"description": "Bantuan belum diterima",
		"metadata": False,
		"type": "realtime",
		"keywords": "PKH, PKH (semua)",
		"group": "PKH",
	}
	bare = o311.service({"name": "Lainnya"})
	assert (bare["service_name"], bare["group"], bare["keywords"], bare["description"]) == (
		"Lainnya",
		"",
		"",
		"",
	)


# -- POST requests as a portal form ---------------------------------------------------------------


def test_georeport_fields_map_onto_the_portal_form():
	values = form(address_string="Jl. Merdeka 1, Brebes", lat="-6.87", long="109.04", owner="x@y")
	assert values["reporter_name"] == "Siti Aplikasi"
	assert values["reporter_email"] == "siti.app@example.org"
	assert values["reporter_phone"] == "+62 812 3333 4444"
	assert values["category"] == "Pembayaran" and values["program"] == "PKH"
	assert values["classification"] == "Keluhan"  # the category's default
	assert values["location_detail"] == "Jl. Merdeka 1, Brebes (-6.870000, 109.040000)"
	assert values["subject"] == values["description"] == values["chronology"]
	assert values["submission_id"].startswith("open311:")
	assert "owner" not in values


def test_only_named_fields_pass_and_the_portal_rules_decide_the_rest():
	values = form(
		reporter_name="Forged", portal_user="a@b", current_unit="X", channel="Email", is_anonymous=None
	)
	assert values["reporter_name"] == "Siti Aplikasi"
	assert not {"portal_user", "current_unit", "channel"} & set(values)
	cleaned = portal_rules.clean_submission(values, date(2026, 12, 1))
	assert cleaned["reporter_email"] == "siti.app@example.org" and not cleaned["is_anonymous"]


def test_anonymous_and_confidential_flags_from_forms_and_json():
	for flag in ("1", "true", True):
		cleaned = portal_rules.clean_submission(form(is_anonymous=flag), date(2026, 12, 1))
		assert cleaned["is_anonymous"] == 1
		assert not {"reporter_name", "reporter_email", "reporter_phone"} & set(cleaned)
	assert form(is_confidential=True)["is_confidential"] == "1"
	assert "is_anonymous" not in form(is_anonymous=False)


def test_the_portals_checks_refuse_bad_identity():
	for bad in (
		{"email": "not-an-address"},
		{"email": None, "phone": None},  # neither contact: reply impossible
		{"first_name": None, "last_name": None},
	):
		with pytest.raises(RuleViolation):
			portal_rules.clean_submission(form(**bad), date(2026, 12, 1))


def test_what_georeport_itself_needs():
	with pytest.raises(RuleViolation, match="service_code is required"):
		o311.submission_form(post(service_code=""), None, KEY)
	with pytest.raises(RuleViolation, match="Service Nope does not exist"):
		o311.submission_form(post(service_code="Nope"), None, KEY)
	with pytest.raises(RuleViolation, match="description is required"):
		form(description="  ")
	with pytest.raises(RuleViolation, match="submission_id is required"):
		o311.submission_form(post(), CATEGORY, None)
	for bad in ("short", "x" * 101, "3f2b8c1e 6a4d 4f7e 9b1a", "<script>alert(1)</script>xx"):
		with pytest.raises(RuleViolation, match="submission_id must be"):
			o311.submission_form(post(), CATEGORY, bad)


def test_coordinates_are_checked():
	assert form(lat=-6.2, long=106.8)["location_detail"] == "-6.200000, 106.800000"
	for lat, lon in (("91", "0"), ("0", "181"), ("abc", "1"), ("-6.2", None), ("nan", "nan"), ("inf", "0")):
		with pytest.raises(RuleViolation, match="lat and long"):
			form(lat=lat, long=lon)


def test_the_idempotency_key_is_bound_to_what_was_sent():
	assert form()["submission_id"] == form()["submission_id"]
	assert form()["submission_id"] != form(description="Lain kali")["submission_id"]
	other = o311.submission_form(post(), CATEGORY, "a" * 16)["submission_id"]
	assert other != form()["submission_id"]
	assert len(form()["submission_id"]) <= 100  # the portal keeps keys of up to 100 characters


def test_the_honeypot_passes_through_and_media_url_is_not_a_field():
	values = form(website="http://spam.example", media_url="http://internal/secret.jpg")
	assert values["website"] == "http://spam.example"
	assert "media_url" not in values and "internal" not in json.dumps(values)
	with pytest.raises(portal_rules.HoneypotTripped):
		portal_rules.clean_submission(values, date(2026, 12, 1))


def test_subject_is_cut_at_a_word():
	long_text = "Bantuan " * 30
	subject = o311.subject_from(long_text)
	assert len(subject) <= o311.SUBJECT_WORDS_LIMIT + 1 and subject.endswith("Bantuan…")
	assert o311.subject_from("Jalan rusak\nsejak bulan lalu") == "Jalan rusak"
	assert o311.subject_from("<b>Jalan</b> rusak") == "Jalan rusak"


def test_whistleblowing_fields_pass_and_stay_confidential():
	wb = {f: "detail" for f in portal_rules.WHISTLEBLOWING_FIELDS}
	cleaned = portal_rules.clean_submission(form(classification="Whistleblowing", **wb), date(2026, 12, 1))
	assert cleaned["is_confidential"] == 1 and cleaned["wb_how"] == "detail"


# -- GET requests -------------------------------------------------------------------------------


def test_codes_are_needed_and_limited():
	assert o311.codes_from("AAAA-BBBB-CCCC, DDDD-EEEE-FFFF,AAAA-BBBB-CCCC") == [
		"AAAA-BBBB-CCCC",
		"DDDD-EEEE-FFFF",
	]
	for value in (None, "", " , "):
		with pytest.raises(RuleViolation, match="service_request_id is required"):
			o311.codes_from(value)
	with pytest.raises(RuleViolation, match="at most 10"):
		o311.codes_from(",".join(f"C{i}" for i in range(11)))


def tracking_view(**overrides):
	view = {
		"found": True,
		"tracking_code": "ABCD-EFGH-JKMN",
		"subject": "Bantuan tidak cair",
		"classification": "Pengaduan",
		"category": "Pembayaran",
		"channel": "Mobile App",
		"status": "Being handled",
		"unit": "UPPKH Kabupaten Brebes",
		"information_needed": None,
		"answer": None,
		"events": [
			{"at": "2026-12-01 09:00:00", "text": "Report received"},
			{"at": "2026-12-02 10:30:15.123456", "text": "Forwarded to UPPKH Kabupaten Brebes"},
		],
		"deadlines": [{"milestone": "Verification", "due": "2026-12-08", "met": False}],
		"handling_steps": None,
		"can_add_information": False,
		"can_rate": False,
		"can_object": False,
		"object_until": None,
		"rating": None,
	}
	view.update(overrides)
	return view


def test_a_tracking_view_becomes_a_service_request():
	received = datetime(2026, 12, 1, 9, 0, 0, 654321)
	request = o311.service_request(tracking_view(), "Didisposisikan", received, "Asia/Jakarta")
	assert request["service_request_id"] == "ABCD-EFGH-JKMN"
	assert request["status"] == "open"
	assert (request["service_code"], request["service_name"]) == ("Pembayaran", "Pembayaran")
	assert request["description"] == "Bantuan tidak cair"
	assert request["agency_responsible"] == "UPPKH Kabupaten Brebes"
	assert request["requested_datetime"] == "2026-12-01T09:00:00+07:00"
	assert request["updated_datetime"] == "2026-12-02T10:30:15+07:00"
	assert request["p3m_tracking"] == {k: v for k, v in tracking_view().items() if k != "found"}
	assert "found" not in request["p3m_tracking"]


def test_status_and_notes():
	received = datetime(2026, 12, 1, 9, 0)
	for state in ("Selesai", "Diarsipkan"):
		assert o311.service_request(tracking_view(), state, received, "Asia/Jakarta")["status"] == "closed"
	for state in ("Baru", "Pending", "Dijawab", "Dibuka Kembali", "Dikembalikan"):
		assert o311.service_request(tracking_view(), state, received, "Asia/Jakarta")["status"] == "open"
	pending = tracking_view(status="Waiting for your information", information_needed="Kirim foto KKS")
	notes = o311.service_request(pending, "Pending", received, "Asia/Jakarta")["status_notes"]
	assert notes == "Waiting for your information: Kirim foto KKS"


# -- the OpenAPI description -----------------------------------------------------------------------


def test_the_openapi_document_is_valid():
	validator = pytest.importorskip("openapi_spec_validator")
	validator.validate(document())


def test_the_openapi_document_describes_every_route():
	doc = document()
	assert doc["openapi"].startswith("3.0") and doc["servers"] == [{"url": "/open311/v2"}]
	documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
	routes = {
		"discovery": "/discovery.json",
		"services": "/services.json",
		"service": "/services/{code}.json",
		"requests": "/requests.json",
		"request": "/requests/{code}.json",
		"openapi": "/openapi.json",
	}
	assert documented == {(routes[e], m) for e, methods in o311.ROUTES.items() for m in methods}
	for path, ops in doc["paths"].items():
		for method, op in ops.items():
			assert op["operationId"] and op["responses"], (path, method)
			for status, response in op["responses"].items():
				schema = response["content"]["application/json"]["schema"]
				assert openapi_shape.resolve(schema, doc), (path, method, status)
			if "{code}" in path:
				assert [p["name"] for p in op["parameters"] if p["in"] == "path"] == ["code"]
	body = doc["components"]["schemas"]["NewRequest"]
	assert set(body["required"]) == {"service_code", "description", "submission_id"}
	for field in (
		*o311.GEOREPORT_FIELDS,
		*o311.EXTENSION_FIELDS,
		*o311.FLAGS,
		"first_name",
		"lat",
		"media_url",
	):
		assert field in body["properties"], field


def test_the_mappings_give_the_documented_shapes():
	doc = document()
	request = o311.service_request(tracking_view(), "Baru", datetime(2026, 12, 1, 9), "Asia/Jakarta")
	schema = openapi_shape.response_schema(doc, "/requests/{code}.json", "GET", 200)
	assert openapi_shape.problems([request], schema, doc) == []
	steps = {"summary": "1 of 2", "steps": [{"step": "Verifikasi", "status": "done", "done": True}]}
	full = tracking_view(
		handling_steps=steps, rating=4, answer="<p>Sudah cair</p>", object_until="2026-12-20"
	)
	assert (
		openapi_shape.problems(
			[o311.service_request(full, "Dijawab", datetime(2026, 12, 1), "UTC")], schema, doc
		)
		== []
	)
	services = openapi_shape.response_schema(doc, "/services.json", "GET", 200)
	assert openapi_shape.problems([o311.service(CATEGORY)], services, doc) == []
	errors = openapi_shape.response_schema(doc, "/requests.json", "POST", 400)
	assert openapi_shape.problems(o311.error(400, "x"), errors, doc) == []
	discovery = openapi_shape.response_schema(doc, "/discovery.json", "GET", 200)
	assert (
		openapi_shape.problems(
			o311.discovery("https://x/open311/v2", o311.CHANGESET, "a@b", "k"), discovery, doc
		)
		== []
	)


def test_an_undocumented_field_is_a_problem():
	doc = document()
	schema = openapi_shape.response_schema(doc, "/requests/{code}.json", "GET", 200)
	request = o311.service_request(tracking_view(), "Baru", datetime(2026, 12, 1, 9), "Asia/Jakarta")
	leaky = {**request, "p3m_tracking": {**request["p3m_tracking"], "reporter_email": "a@b.c"}}
	assert openapi_shape.problems([leaky], schema, doc) == [
		"$[0].p3m_tracking: reporter_email is not documented"
	]
	assert openapi_shape.problems([{**request, "status": None}], schema, doc) == [
		"$[0].status: null is not allowed"
	]
	assert openapi_shape.problems([{**request, "status": "pending"}], schema, doc)
	assert openapi_shape.problems([], schema, doc) == ["$: 0 items"]
	assert openapi_shape.problems(
		[{**request, "p3m_tracking": {**request["p3m_tracking"], "can_rate": 1}}], schema, doc
	)


def test_a_report_without_a_receipt_time_dates_from_its_first_event():
	request = o311.service_request(tracking_view(), "Baru", None, "Asia/Jakarta")
	assert request["requested_datetime"] == "2026-12-01T09:00:00+07:00"
	bare = o311.service_request(tracking_view(events=[]), "Baru", None, "UTC")
	assert (bare["requested_datetime"], bare["updated_datetime"]) == ("", "")
