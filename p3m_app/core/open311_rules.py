"""Open311 GeoReport v2 on top of the portal's rules: routes, services, and the two mappings.

A GeoReport request becomes a portal form (``portal_rules.clean_submission`` then checks it as it
checks the portal's), and a tracking view (what ``/pengaduan/lacak`` shows for a code) becomes a
GeoReport service request. Nothing else reaches either side: no identity, no location and no
staff internals are ever read back. JSON only; ``.xml`` is answered with an error.
"""

import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from p3m_app.core import portal_rules
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation, _

PREFIX = "open311/v2/"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+07:00"  # when this API's description last changed
# the endpoint each path and method reach; {code} is a service code or a tracking code
ROUTES = {
	"discovery": ("GET",),
	"services": ("GET",),
	"service": ("GET",),
	"requests": ("GET", "POST"),
	"request": ("GET",),
	"openapi": ("GET",),
}
_PATHS = (
	(re.compile(r"^discovery\.(\w+)$"), "discovery"),
	(re.compile(r"^services\.(\w+)$"), "services"),
	(re.compile(r"^services/([^/]+)\.(\w+)$"), "service"),
	(re.compile(r"^requests\.(\w+)$"), "requests"),
	(re.compile(r"^requests/([^/]+)\.(\w+)$"), "request"),
	(re.compile(r"^openapi\.(\w+)$"), "openapi"),
)
CLOSED_STATES = frozenset({wf.CLOSED, wf.ARCHIVED})
MAX_CODES = 10  # tracking codes in one GET requests.json; each counts against the per-IP limit
ID_CHARS = re.compile(r"^[A-Za-z0-9._:\-]{16,100}$")
SUBJECT_WORDS_LIMIT = 80

# GeoReport's own parameters and where the portal keeps them
GEOREPORT_FIELDS = {"description": "description", "email": "reporter_email", "phone": "reporter_phone"}
# p3m extensions, named as the portal names them (identity flags, classification, what the SOPs ask)
EXTENSION_FIELDS = (
	"classification",
	"subject",
	"chronology",
	"incident_date",
	"province",
	"district",
	"kecamatan",
	"reporter_type",
	"reporter_id_number",
	"reporter_address",
	"participant_number",
	"information_requested",
	"information_format",
	*portal_rules.WHISTLEBLOWING_FIELDS,
)
FLAGS = ("is_anonymous", "is_confidential")

MEDIA_URL_NOT_FETCHED = _(
	"media_url was not fetched: the server does not download files from other sites. Send the file "
	"itself as the multipart field media."
)
FOLLOW_NOTICE = _("Keep the code {code} to follow your report at {url}.")
KEY_SERVICE = _("No API key is needed; submissions and look-ups are rate limited per address.")


class RouteNotFound(Exception):
	pass


class MethodNotAllowed(Exception):
	def __init__(self, allowed: tuple[str, ...]):
		super().__init__(", ".join(allowed))
		self.allowed = allowed


def match_route(path: str, method: str) -> tuple[str, str | None]:
	"""(endpoint, code) for a path under /open311/v2/; RuleViolation for a format other than JSON."""
	rest = path.strip("/ ")
	if not rest.startswith(PREFIX):
		raise RouteNotFound(path)
	rest = rest[len(PREFIX) :]
	for pattern, endpoint in _PATHS:
		match = pattern.match(rest)
		if not match:
			continue
		*code, fmt = match.groups()
		if method.upper() not in ROUTES[endpoint]:
			raise MethodNotAllowed(ROUTES[endpoint])
		if fmt.lower() != "json":
			raise RuleViolation(_("Only the JSON format is offered: use .json."))
		return endpoint, code[0] if code else None
	raise RouteNotFound(path)


# -- services ---------------------------------------------------------------------------------


def service(category: dict) -> dict:
	"""A leaf Complaint Category as a GeoReport service; its program is the group."""
	keywords = [k for k in (category.get("program"), category.get("parent_complaint_category")) if k]
	return {
		"service_code": category["name"],
		"service_name": category.get("category_name") or category["name"],
		"description": category.get("description") or "",
		"metadata": False,
		"type": "realtime",
		"keywords": ", ".join(keywords),
		"group": category.get("program") or "",
	}


def service_definition(service_code: str) -> dict:
	"""No service asks for attributes beyond the GeoReport fields (metadata is false for all)."""
	return {"service_code": service_code, "attributes": []}


def discovery(base_url: str, changeset: str, contact: str, key_service: str) -> dict:
	return {
		"changeset": changeset,
		"contact": contact,
		"key_service": key_service,
		"endpoints": [
			{
				"specification": SPECIFICATION,
				"url": base_url,
				"changeset": changeset,
				"type": "production",
				"formats": ["application/json"],
			}
		],
	}


# -- POST requests ---------------------------------------------------------------------------


def submission_form(params: dict, category: dict | None, idempotency_key: str | None) -> dict:
	"""The portal form for a GeoReport POST; raises RuleViolation for what GeoReport itself needs.

	The portal's rules (required text, identity choice, e-mail and phone, lengths) run afterwards on
	the result, so nothing here decides what a complaint may hold.
	"""
	code = text(params.get("service_code"))
	if not code:
		raise RuleViolation(_("{field} is required."), field="service_code")
	if category is None:
		raise RuleViolation(_("Service {code} does not exist. GET services.json lists them."), code=code)
	form = {portal: text(params.get(name)) for name, portal in GEOREPORT_FIELDS.items()}
	if not form["description"]:
		raise RuleViolation(_("{field} is required."), field="description")
	form.update({name: text(params.get(name)) for name in EXTENSION_FIELDS})
	form.update({flag: text(params.get(flag)) for flag in FLAGS})
	form["reporter_name"] = " ".join(
		p for p in (text(params.get("first_name")), text(params.get("last_name"))) if p
	)
	form["category"] = category["name"]
	form["program"] = category.get("program") or ""
	form["classification"] = form["classification"] or category.get("default_classification") or "Pengaduan"
	form["location_detail"] = location(params)
	if not form["subject"]:
		form["subject"] = subject_from(form["description"])
	if not form["chronology"]:
		# GeoReport has one text: it tells what happened and how, which the portal asks as two
		form["chronology"] = form["description"]
	# the portal's hidden field: a bot replaying the portal form gets the same quiet answer
	form[portal_rules.HONEYPOT_FIELD] = text(params.get(portal_rules.HONEYPOT_FIELD))
	form["submission_id"] = submission_id(idempotency_key, form)
	return {k: v for k, v in form.items() if v}


def submission_id(idempotency_key: str | None, form: dict) -> str:
	"""The client's key bound to what it sent: a retry finds its report, a guessed key finds none.

	A key alone would hand whoever guesses another client's key that report's tracking code.
	"""
	key = text(idempotency_key)
	if not key:
		raise RuleViolation(
			_("{field} is required: a random id per report (a UUID), sent again unchanged on a retry."),
			field="submission_id",
		)
	if not ID_CHARS.match(key):
		raise RuleViolation(
			_("{field} must be 16 to 100 letters, digits or - _ . : (a UUID fits)."), field="submission_id"
		)
	content = "\x00".join(f"{k}={form.get(k) or ''}" for k in sorted(form) if k != "submission_id")
	return "open311:" + hashlib.sha256(f"{key}\x00{content}".encode()).hexdigest()


def location(params: dict) -> str:
	"""Where it happened: the address as written, then the coordinates (the complaint has no map)."""
	address = text(params.get("address_string"))
	lat, lon = text(params.get("lat")), text(params.get("long"))
	if not (lat or lon):
		return address
	try:
		latitude, longitude = float(lat), float(lon)
	except ValueError:
		latitude = longitude = float("nan")
	if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
		raise RuleViolation(
			_("lat and long must both be numbers: latitude from -90 to 90, longitude from -180 to 180.")
		)
	point = f"{latitude:.6f}, {longitude:.6f}"
	return f"{address} ({point})" if address else point


def subject_from(description: str) -> str:
	"""GeoReport has no subject: the description's first words, cut at a word."""
	first = portal_rules.strip_markup(description or "").split("\n", 1)[0].strip()
	if len(first) <= SUBJECT_WORDS_LIMIT:
		return first
	cut = first[:SUBJECT_WORDS_LIMIT].rsplit(" ", 1)[0]
	return cut + "…"


def text(value) -> str:
	"""A parameter as text, whether it came as a form field or as JSON (true, 1, -6.2)."""
	if isinstance(value, bool):
		return "1" if value else ""
	if isinstance(value, int | float):
		return str(value)
	return value.strip() if isinstance(value, str) else ""


# -- GET requests ----------------------------------------------------------------------------


def codes_from(value) -> list[str]:
	"""The tracking codes of ``service_request_id`` (comma separated); listing without them is refused."""
	codes = [c.strip() for c in text(value).split(",") if c.strip()]
	if not codes:
		raise RuleViolation(
			_("{field} is required: give the tracking codes to look up, separated by commas."),
			field="service_request_id",
		)
	if len(codes) > MAX_CODES:
		raise RuleViolation(_("Look up at most {limit} tracking codes at once."), limit=MAX_CODES)
	return list(dict.fromkeys(codes))


def service_request(view: dict, state: str, received_at: datetime | None, timezone: str) -> dict:
	"""A tracking view as a GeoReport service request: only what the tracking page shows."""
	tracking = {k: v for k, v in view.items() if k != "found"}
	moments = sorted(parse(m) for m in (received_at, *(e["at"] for e in view.get("events") or [])) if m)
	requested = parse(received_at) if received_at else moments[0] if moments else None
	notes = view["status"]
	if view.get("information_needed"):
		notes = f"{notes}: {view['information_needed']}"
	return {
		"service_request_id": view["tracking_code"],
		"status": "closed" if state in CLOSED_STATES else "open",
		"status_notes": notes,
		"service_name": view.get("category") or "",
		"service_code": view.get("category") or "",
		"description": view.get("subject") or "",
		"agency_responsible": view.get("unit") or "",
		"service_notice": "",
		"requested_datetime": w3c(requested, timezone) if requested else "",
		"updated_datetime": w3c(moments[-1], timezone) if moments else "",
		"p3m_tracking": tracking,
	}


def parse(value) -> datetime:
	return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def w3c(moment: datetime, timezone: str) -> str:
	"""A stored (naive, system-time) moment as GeoReport writes dates: ISO 8601 with its offset."""
	return parse(moment).replace(microsecond=0, tzinfo=ZoneInfo(timezone)).isoformat()


def error(code: int, description: str) -> list[dict]:
	"""GeoReport's error body."""
	return [{"code": code, "description": description}]
