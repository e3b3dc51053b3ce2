"""Phone numbers as data: parsed with `phonenumbers` (region ID), stored E.164, shown nationally.

A number is the key that threads SMS and WhatsApp messages onto a complaint, so every phone field
(reporter, caller, channel sender) holds the same canonical form whatever the citizen typed:
``(021) 555-1234``, ``0812.3456.7890``, ``+62 812-3456-7890`` and ``62812 3456 7890`` all work.
"""

import phonenumbers

from p3m_app.core.errors import RuleViolation, _

DEFAULT_REGION = "ID"


def parse(raw: str | None, region: str = DEFAULT_REGION) -> phonenumbers.PhoneNumber | None:
	"""The number, or None when there is none or it cannot be a real number."""
	text = (raw or "").strip()
	if not text:
		return None
	# WhatsApp and most SMS gateways send the international digits without "+"
	if text.isdigit() and text.startswith("62") and len(text) > 10:
		text = "+" + text
	try:
		number = phonenumbers.parse(text, region)
	except phonenumbers.NumberParseException:
		return None
	if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
		return None
	return number


def normalise(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""E.164 (``+6281234567890``) for a valid number, None for an empty one; RuleViolation otherwise."""
	if not (raw or "").strip():
		return None
	number = parse(raw, region)
	if number is None:
		raise RuleViolation(_("Phone number {phone} is not valid."), phone=(raw or "").strip())
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str | None, region: str = DEFAULT_REGION) -> str:
	"""How staff read it: ``0812-3456-7890`` for Indonesian numbers, international form for others."""
	number = parse(e164, region)
	if number is None:
		return e164 or ""
	if phonenumbers.region_code_for_number(number) == region:
		return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_mobile(e164: str | None, region: str = DEFAULT_REGION) -> bool:
	"""Whether an SMS can reach it (Indonesian landlines cannot receive SMS)."""
	number = parse(e164, region)
	return number is not None and phonenumbers.number_type(number) in (
		phonenumbers.PhoneNumberType.MOBILE,
		phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
	)


def stored_form(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""What a number stored before numbers were parsed becomes: E.164 when it converts without loss,
	else the value as it was (never lost; the upgrade patch reports it). An extension (``ext. 12``)
	has no place in E.164, so a number that carries one is kept as written."""
	text = (raw or "").strip()
	if not text:
		return raw
	number = parse(text, region)
	if number is None or number.extension:
		return raw
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_changed(raw: str | None, stored: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""``normalise`` for a value being entered; a value left as it was stored is kept when it cannot be
	converted (see ``stored_form``), so an old record's work is never blocked by a number it always had."""
	text = (raw or "").strip()
	if text and text == (stored or "").strip():
		return stored_form(text, region)
	return normalise(raw, region)
