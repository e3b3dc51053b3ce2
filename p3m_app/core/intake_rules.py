"""Rules for what a complaint may contain when it is recorded or edited."""

import re

from p3m_app.core.errors import RuleViolation, _

CHANNELS = (
	"Web Portal",
	"Email",
	"Phone",
	"SMS",
	"Letter",
	"Fax",
	"Walk-in",
	"Social Media",
	"Mobile App",
	"Audit Finding",
	"Other",
)
CLASSIFICATIONS = ("Pengaduan", "Keluhan", "Permintaan Informasi", "Aspirasi", "Whistleblowing")
AUDIT_SOURCES = ("BPK", "BPKP", "Itjen", "Other")

IDENTITY_FIELDS = (
	"reporter_name",
	"reporter_email",
	"reporter_phone",
	"reporter_id_number",
	"reporter_address",
)
# what a confidential complaint seals away: the identity, the number or account it came from,
# and the portal account that filed it
SEALED_FIELDS = (*IDENTITY_FIELDS, "caller_number", "social_media_account", "portal_user")

# Longest text a field may hold, in characters.
TEXT_LIMITS = {
	"subject": 140,
	"description": 20000,
	"chronology": 20000,
	"location_detail": 500,
	"reporter_name": 140,
	"reporter_email": 140,
	"reporter_phone": 30,
	"reporter_id_number": 16,
	"reporter_address": 1000,
	"pending_reason": 2000,
	"archive_reason": 2000,
	"disposition_instruction": 2000,
	"return_reason": 2000,
	"return_public_explanation": 4000,
	"response": 50000,
	"reopen_reason": 2000,
	"external_agency": 140,
	"external_reference": 140,
	"audit_report_reference": 140,
}

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,28}$")
_NIK = re.compile(r"^[0-9]{16}$")


def check_lengths(values: dict, labels: dict | None = None) -> None:
	labels = labels or {}
	for fieldname, limit in TEXT_LIMITS.items():
		value = values.get(fieldname)
		if isinstance(value, str) and len(value) > limit:
			raise RuleViolation(
				_("{field} is too long: {length} characters, at most {limit} allowed."),
				field=labels.get(fieldname, fieldname),
				length=len(value),
				limit=limit,
			)


def has_identity(values: dict, fields: tuple = IDENTITY_FIELDS) -> bool:
	return any((values.get(f) or "").strip() for f in fields)


def check_identity(values: dict) -> None:
	"""An anonymous report keeps no identity; a named one keeps a plausible one."""
	if values.get("is_anonymous"):
		if has_identity(values, SEALED_FIELDS):
			raise RuleViolation(
				_(
					"An anonymous complaint cannot carry the reporter's identity. Remove the name, contact and ID fields, or untick Anonymous."
				)
			)
		return
	phone = (values.get("reporter_phone") or "").strip()
	if phone and not _PHONE.match(phone):
		raise RuleViolation(_("Phone number {phone} is not valid."), phone=phone)
	id_number = (values.get("reporter_id_number") or "").strip()
	if id_number and not _NIK.match(id_number):
		raise RuleViolation(_("The ID number (NIK) must be exactly 16 digits."))


def check_channel_fields(values: dict) -> None:
	channel = values.get("channel")
	number = (values.get("caller_number") or "").strip()
	if number and not _PHONE.match(number):
		raise RuleViolation(_("Phone number {phone} is not valid."), phone=number)
	if (
		channel in ("Letter", "Fax")
		and values.get("is_new")
		and not (values.get("letter_number") or "").strip()
	):
		raise RuleViolation(_("A letter or fax needs its letter number."))
	if (
		channel == "Social Media"
		and values.get("is_new")
		and not (
			(values.get("social_media_account") or "").strip()
			or (values.get("social_media_url") or "").strip()
		)
	):
		raise RuleViolation(_("A social media report needs the account or the post URL."))
	url = (values.get("social_media_url") or "").strip()
	if url and not re.match(r"^https?://", url, re.I):
		raise RuleViolation(_("The post URL must start with http:// or https://."))
	if values.get("channel") == "Audit Finding":
		if not values.get("audit_source"):
			raise RuleViolation(_("An audit finding needs its auditor (BPK, BPKP, Itjen or other)."))
		if not (values.get("audit_report_reference") or "").strip():
			raise RuleViolation(_("An audit finding needs the audit report reference."))
