"""Rules for what a complaint may contain when it is recorded or edited."""

import re

from p3m_app.core import phone
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
# who reports (Pedoman PKH, seed 004: participants, non-participants with formulir C-2 (lines 160-161),
# pendamping, service providers (lines 222-239), officials, the public); not an identity
REPORTER_TYPES = (
	"Peserta PKH",
	"Bukan Peserta",
	"Pendamping",
	"Penyedia Layanan",
	"Aparat",
	"Masyarakat Umum",
)

IDENTITY_FIELDS = (
	"reporter_name",
	"reporter_email",
	"reporter_phone",
	"reporter_id_number",
	"reporter_address",
	"participant_number",
)
# what a confidential complaint seals away: the identity, the number or account it came from,
# and the portal account that filed it
SEALED_FIELDS = (*IDENTITY_FIELDS, "caller_number", "social_media_account", "portal_user")
# stored in E.164 (p3m_app.core.phone): the key that threads SMS and WhatsApp messages
PHONE_FIELDS = ("reporter_phone", "caller_number")

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
	"participant_number": 30,
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

_NIK = re.compile(r"^[0-9]{16}$")
# a PKH participant number (nomor peserta / ID PKH) is all digits; its length has changed over the
# years, so any plausible length is accepted, written with or without spaces, dots or dashes
_PARTICIPANT = re.compile(r"^[0-9](?:[ .\-]?[0-9]){5,24}$")
PARTICIPANT_DIGITS = (6, 20)


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


def check_identity(values: dict, stored: dict | None = None) -> None:
	"""An anonymous report keeps no identity; a named one keeps a plausible one. ``stored``: the
	record as saved, whose untouched old phone number is not checked again (see normalise_phones)."""
	reporter_type = values.get("reporter_type")
	if reporter_type and reporter_type not in REPORTER_TYPES:
		raise RuleViolation(_("Choose who is reporting from the list."))
	if values.get("is_anonymous"):
		if has_identity(values, SEALED_FIELDS):
			raise RuleViolation(
				_(
					"An anonymous complaint cannot carry the reporter's identity. Remove the name, contact and ID fields, or untick Anonymous."
				)
			)
		return
	normalise_phones({"reporter_phone": values.get("reporter_phone")}, stored)
	id_number = (values.get("reporter_id_number") or "").strip()
	if id_number and not _NIK.match(id_number):
		raise RuleViolation(_("The ID number (NIK) must be exactly 16 digits."))
	check_participant_number(values.get("participant_number"))


def normalise_phones(values: dict, stored: dict | None = None) -> dict:
	"""The phone fields present in ``values``, in E.164 (None when empty); RuleViolation for one that
	is not a number. With ``stored`` (the record as saved), a number left as it was is kept when it
	cannot be converted, so a record from before numbers were parsed is never blocked by it."""
	result = {}
	for fieldname in PHONE_FIELDS:
		if fieldname not in values:
			continue
		if stored is None:
			result[fieldname] = phone.normalise(values[fieldname])
		else:
			result[fieldname] = phone.normalise_changed(values[fieldname], stored.get(fieldname))
	return result


def check_participant_number(value: str | None) -> None:
	number = (value or "").strip()
	if not number:
		return
	digits = re.sub(r"\D", "", number)
	low, high = PARTICIPANT_DIGITS
	if not _PARTICIPANT.match(number) or not low <= len(digits) <= high:
		raise RuleViolation(
			_("The PKH participant number must be {low} to {high} digits."), low=low, high=high
		)


def check_channel_fields(values: dict, stored: dict | None = None) -> None:
	channel = values.get("channel")
	normalise_phones({"caller_number": values.get("caller_number")}, stored)
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
