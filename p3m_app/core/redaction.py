"""Take a sealed reporter's identity out of free text.

When a complaint is or becomes confidential, its identity moves to the vault; but the same
name, address, phone number, ID number or PKH participant number may also stand in the text the
reporter wrote (an e-mail that begins "Saya Budi Santoso, NIK ..."). Every known identity value,
and each part of the name, is replaced by a mask wherever it appears; phone numbers match whatever
separators and prefix (+62 or 0) they were written with. For a confidential report, any e-mail address,
phone number or NIK in its text is masked too, known or not. What cannot be recognised (a
reporter describing themself in other words) is left to the officer who reads the text.
"""

import re

MASK = "•••"
MIN_NAME_PART = 3
MIN_PHONE_DIGITS = 6

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def _digits(value: str) -> str:
	return re.sub(r"\D", "", value or "")


def national_number(phone: str) -> str:
	"""The digits after the country code or trunk prefix: +62 812..., 62812..., 0812... -> 812..."""
	digits = _digits(phone)
	if digits.startswith("62"):
		return digits[2:]
	if digits.startswith("0"):
		return digits[1:]
	return digits


def _digit_pattern(digits: str, prefix: str = "") -> str:
	separators = r"[\s.\-()/]*"
	return prefix + separators.join(re.escape(d) for d in digits)


# what identifies anyone, known or not: an e-mail address, an Indonesian mobile number or a
# landline written with its area code in brackets, and a 16-digit NIK (grouped or not)
IDENTIFIERS = (
	r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+",
	r"(?<![\d\w])(?:\+\s*62|62|0)[\s.\-]*8(?:[\s.\-]*\d){7,11}(?!\d)",
	r"\(\s*0\d{2,3}\s*\)[\s.\-]*\d{3,4}[\s.\-]?\d{3,5}(?!\d)",
	r"(?<!\d)\d{4}[\s.]?\d{4}[\s.]?\d{4}[\s.]?\d{4}(?!\d)",
)


def patterns(identity: dict, identifiers: bool = False) -> list[re.Pattern]:
	"""Case-insensitive patterns for every identity value in ``identity``, longest first; with
	``identifiers``, also any e-mail address, phone number or NIK, whoever's it is."""
	found: list[str] = list(IDENTIFIERS) if identifiers else []
	for field, value in identity.items():
		value = (value or "").strip()
		if not value:
			continue
		if field in ("reporter_phone", "caller_number"):
			number = national_number(value)
			if len(number) >= MIN_PHONE_DIGITS:
				found.append(
					r"(?<!\d)(?:(?:\+\s*)?62[\s.\-()]*|0[\s.\-()]*)?" + _digit_pattern(number) + r"(?!\d)"
				)
			continue
		if field in ("reporter_id_number", "participant_number"):
			digits = _digits(value)
			if digits:
				found.append(r"(?<!\d)" + _digit_pattern(digits) + r"(?!\d)")
			continue
		found.append(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in value.split()) + r"(?!\w)")
		if field == "reporter_name":
			found += [
				r"(?<!\w)" + re.escape(part) + r"(?!\w)"
				for part in _WORD.findall(value)
				if len(part) >= MIN_NAME_PART
			]
	unique = sorted(set(found), key=len, reverse=True)
	return [re.compile(p, re.IGNORECASE | re.UNICODE) for p in unique]


def redact(text: str | None, identity: dict, identifiers: bool = False) -> str | None:
	"""``text`` with every identity value masked; what is not text comes back unchanged."""
	if not isinstance(text, str) or not text:
		return text
	for pattern in patterns(identity, identifiers):
		text = pattern.sub(MASK, text)
	return text


def redact_all(values: dict, identity: dict, identifiers: bool = False) -> dict:
	"""The entries of ``values`` whose text changes once the identity is masked."""
	compiled = patterns(identity, identifiers)
	changed = {}
	for field, text in values.items():
		if not isinstance(text, str) or not text:
			continue
		masked = text
		for pattern in compiled:
			masked = pattern.sub(MASK, masked)
		if masked != text:
			changed[field] = masked
	return changed
