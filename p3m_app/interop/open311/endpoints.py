"""What each Open311 endpoint answers; the portal's own code does the work.

Submissions go through ``p3m_app.portal.submission.submit`` (validation, honeypot, replay key,
identity rules, attachment checks) as a guest, so the calling app's account is never taken for the
reporter. Look-ups go through ``p3m_app.portal.tracking`` and show what the tracking page shows.
Both spend the portal's own per-IP limits (Frappe's rate limiter, the same buckets), so using
the API and the portal in turn gives a client no more tries than the portal alone.
"""

import json
from pathlib import Path

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import get_system_timezone, get_url

from p3m_app.core import open311_rules, portal_rules
from p3m_app.portal import api, submission, tracking
from p3m_app.portal.context import acting_as

CHANNEL = "Mobile App"
SUBMIT_BUCKET, TRACK_BUCKET = "p3m_app.portal.api.submit", "p3m_app.portal.api.track"
OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
CATEGORY_FIELDS = [
	"name",
	"category_name",
	"description",
	"program",
	"parent_complaint_category",
	"default_classification",
]


class NotFound(Exception):
	"""An unknown service or tracking code: GeoReport's 404."""


def discovery(_code=None) -> dict:
	return open311_rules.discovery(
		get_url("/open311/v2"),
		changeset=open311_rules.CHANGESET,
		contact=frappe.get_hooks("app_email", app_name="p3m_app")[0],
		key_service=_(open311_rules.KEY_SERVICE),
	)


def services(_code=None) -> list[dict]:
	rows = frappe.get_all(
		"Complaint Category",
		filters={"is_group": 0},
		fields=CATEGORY_FIELDS,
		order_by="lft asc",
		ignore_permissions=True,
	)
	return [open311_rules.service(row) for row in rows]


def service(code: str) -> dict:
	if not active_category(code):
		raise NotFound(_("Service {0} does not exist. GET services.json lists them.").format(code))
	return open311_rules.service_definition(code)


def create_request(_code=None) -> list[dict]:
	spend(SUBMIT_BUCKET, api.submit_limit)
	params = dict(frappe.form_dict)
	key = params.get("submission_id") or frappe.get_request_header("Idempotency-Key")
	form = open311_rules.submission_form(params, active_category(params.get("service_code")), key)
	with acting_as("Guest"):
		result = submission.submit(form, uploaded_media(), channel=CHANNEL)
	code = result["tracking_code"]
	notices = [_(open311_rules.FOLLOW_NOTICE).format(code=code, url=get_url("/pengaduan/lacak"))]
	if open311_rules.text(params.get("media_url")):
		notices.append(_(open311_rules.MEDIA_URL_NOT_FETCHED))
	return [{"service_request_id": code, "service_notice": " ".join(notices), "account_id": None}]


def get_requests(_code=None) -> list[dict]:
	"""Only the codes asked for, never a list of complaints; unknown codes are left out."""
	codes = open311_rules.codes_from(frappe.form_dict.get("service_request_id"))
	return [found for found in map(lookup, codes) if found]


def get_request(code: str) -> list[dict]:
	found = lookup(code)
	if not found:
		raise NotFound(_(tracking.NOT_FOUND))
	return [found]


def openapi(_code=None) -> dict:
	return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


def lookup(code: str) -> dict | None:
	"""One tracking code, counted against the portal's tracking limit like a look-up there."""
	spend(TRACK_BUCKET, api.track_limit)
	row = tracking.find(code)
	if not row:
		return None
	return open311_rules.service_request(
		tracking.view(code), row.workflow_state, row.received_at, get_system_timezone()
	)


def active_category(code) -> dict | None:
	"""A leaf category, as the portal offers them; groups are not services."""
	code = open311_rules.text(code)
	if not code or len(code) > 140:
		return None
	return frappe.db.get_value(
		"Complaint Category", {"name": code, "is_group": 0}, CATEGORY_FIELDS, as_dict=True
	)


def spend(bucket: str, limit) -> None:
	"""One call against the per-IP limit Frappe's rate limiter keeps for ``bucket`` (a portal method).

	The limiter keys its counter by the request's method name; this door has none, so it names the
	portal method whose counter it shares for the moment of the check.
	"""
	previous = frappe.form_dict.get("cmd")
	frappe.form_dict.cmd = bucket
	try:
		rate_limit(limit=limit, seconds=api.HOUR)(lambda: None)()
	finally:
		if previous is None:
			frappe.form_dict.pop("cmd", None)
		else:
			frappe.form_dict.cmd = previous


def uploaded_media() -> list[tuple[str, bytes]]:
	"""Multipart ``media`` files, each read at most one byte past the portal's limit."""
	if not frappe.request or not frappe.request.files:
		return []
	return [
		(storage.filename, storage.stream.read(portal_rules.MAX_FILE_BYTES + 1))
		for storage in frappe.request.files.getlist("media")
		if storage and storage.filename
	]
