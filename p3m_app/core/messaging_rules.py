"""Rules for SMS and WhatsApp messages: who sent them, where they belong, what goes back.

A request from a provider is believed only with a valid signature (WhatsApp: an HMAC-SHA256 of
the raw body with the app secret, ``X-Hub-Signature-256: sha256=<hex>``) or the channel's shared
secret (a generic SMS gateway); both compared in constant time. A message threads onto a
complaint when it carries that complaint's code and comes from the complaint's number, or when
its number has exactly one open complaint; with several open ones the reporter is asked for the
code (or starts with BARU for a new report). RAHASIA as the first word of a first message makes
the report confidential: the number is then sealed with the rest of the identity.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from p3m_app.core import portal_rules, tracking_code

SMS, WHATSAPP = "SMS", "WhatsApp"
GENERIC_SMS, WHATSAPP_CLOUD = "Generic SMS Gateway", "WhatsApp Cloud API"
CHANNEL_OF_PROVIDER = {GENERIC_SMS: SMS, WHATSAPP_CLOUD: WHATSAPP}
SIGNATURE_PREFIX = "sha256="

# what a reply may do, decided by thread()
THREAD, NEW, ASK_FOR_CODE = "thread", "new", "ask"
KEYWORD_NEW = "BARU"
KEYWORD_CONFIDENTIAL = "RAHASIA"

SUBJECT_LIMIT = 80
TEXT_LIMIT = 4000
# an SMS answer longer than three segments becomes a short text with the tracking link
SMS_ANSWER_LIMIT = 459
WHATSAPP_ANSWER_LIMIT = 1500
# WhatsApp accepts free text only within 24 hours of the reporter's last message
SESSION_WINDOW = timedelta(hours=24)
# minutes before each retry of an outbound message; the last failure is final
BACKOFF_MINUTES = (1, 5, 15, 60, 240)

_CODE = re.compile(
	rf"(?<![A-Z0-9])([{tracking_code.ALPHABET}]{{4}}[ \-.]?[{tracking_code.ALPHABET}]{{4}}[ \-.]?"
	rf"[{tracking_code.ALPHABET}]{{4}})(?![A-Z0-9])"
)
_FIRST_WORD = re.compile(r"^\s*([A-Za-z]+)\b[\s:,.\-]*")


def signature(secret: str, body: bytes) -> str:
	"""The ``sha256=<hex>`` value a provider sends for ``body``."""
	return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid_signature(header: str | None, body: bytes, secret: str | None) -> bool:
	"""Whether ``header`` is the HMAC of the raw body with ``secret``; no secret accepts nothing."""
	if not secret or not header:
		return False
	return hmac.compare_digest(header.strip().lower().encode(), signature(secret, body).encode())


def same_secret(given: str | None, expected: str | None) -> bool:
	if not given or not expected:
		return False
	return hmac.compare_digest(given.encode(), expected.encode())


def codes_in(text: str | None, limit: int = 3) -> list[str]:
	"""Tracking codes a reporter may have typed (any case, with dashes, spaces or none)."""
	found = []
	for match in _CODE.finditer((text or "").upper()):
		code = tracking_code.normalize(match.group(1))
		if tracking_code.is_well_formed(code) and code not in found:
			found.append(code)
		if len(found) == limit:
			break
	return found


def keyword(text: str | None) -> tuple[str | None, str]:
	"""(BARU or RAHASIA, the text after it) when the message starts with one, else (None, text)."""
	match = _FIRST_WORD.match(text or "")
	if match and match.group(1).upper() in (KEYWORD_NEW, KEYWORD_CONFIDENTIAL):
		return match.group(1).upper(), (text or "")[match.end() :].strip()
	return None, (text or "").strip()


@dataclass(frozen=True)
class Decision:
	action: str  # THREAD, NEW or ASK_FOR_CODE
	complaint: str | None = None
	reason: str = ""


def thread(
	code_complaint: str | None, code_from_reporter: bool, open_for_number: list[str], word: str | None
) -> Decision:
	"""Where a message goes.

	``code_complaint``: the complaint whose code the text carries, if any; ``code_from_reporter``:
	whether that complaint's number is the sender's (anyone else quoting a code is a new reporter,
	as with mail); ``open_for_number``: the open complaints of the sender's number.
	"""
	if code_complaint and code_from_reporter:
		return Decision(THREAD, code_complaint, "code")
	if word in (KEYWORD_NEW, KEYWORD_CONFIDENTIAL):
		return Decision(NEW, reason="keyword")
	if len(open_for_number) == 1:
		return Decision(THREAD, open_for_number[0], "only open complaint")
	if len(open_for_number) > 1:
		return Decision(ASK_FOR_CODE, reason="several open complaints")
	return Decision(NEW, reason="first message")


def complaint_fields(text: str) -> dict:
	"""Subject (the first line, cut at a word; None when there is no text) and description."""
	clean = portal_rules.strip_markup(text or "").strip()[:TEXT_LIMIT]
	first_line = clean.split("\n", 1)[0].strip()
	subject = first_line if len(first_line) <= SUBJECT_LIMIT else first_line[:SUBJECT_LIMIT].rsplit(" ", 1)[0]
	return {"subject": subject or None, "description": clean}


def shorten(text: str, limit: int, link: str) -> tuple[str, bool]:
	"""(plain text of the answer, False) when it fits in ``limit``, else (``link``, True): the caller
	then sends a short text with the tracking link."""
	plain = portal_rules.html_to_text(text or "").strip()
	if len(plain) <= limit:
		return plain, False
	return link, True


def needs_template(last_inbound_at: datetime | None, now: datetime) -> bool:
	"""WhatsApp refuses free text outside the 24-hour session opened by the reporter's message."""
	return last_inbound_at is None or now - last_inbound_at >= SESSION_WINDOW


def next_attempt(attempts: int, now: datetime) -> datetime | None:
	"""When to try again after ``attempts`` failures; None once the retries are spent."""
	if attempts >= len(BACKOFF_MINUTES):
		return None
	return now + timedelta(minutes=BACKOFF_MINUTES[max(attempts - 1, 0)])


def over_limit(count: int, limit: int | None) -> bool:
	"""A limit of 0 or none means no limit."""
	return bool(limit) and count > limit


def whatsapp_messages(payload: dict) -> tuple[list[dict], list[dict], set[str]]:
	"""(messages, statuses, phone-number ids) of a Cloud API webhook payload.

	Each message: {id, from, type, text, media_id, filename, timestamp}; each status:
	{id, status}. Anything not shaped like the documented payload is skipped.
	"""
	messages, statuses, numbers = [], [], set()
	if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
		return messages, statuses, numbers
	for entry in _dicts(payload.get("entry")):
		for change in _dicts(entry.get("changes")):
			value = change.get("value") if isinstance(change.get("value"), dict) else {}
			metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
			if metadata.get("phone_number_id"):
				numbers.add(str(metadata["phone_number_id"]))
			for message in _dicts(value.get("messages")):
				messages.append(_whatsapp_message(message))
			for status in _dicts(value.get("statuses")):
				if status.get("id") and status.get("status"):
					statuses.append({"id": str(status["id"]), "status": str(status["status"])})
	return [m for m in messages if m["id"] and m["from"]], statuses, numbers


def _whatsapp_message(message: dict) -> dict:
	kind = str(message.get("type") or "")
	body = message.get(kind) if isinstance(message.get(kind), dict) else {}
	text = body.get("body") if kind == "text" else body.get("caption")
	return {
		"id": str(message.get("id") or ""),
		"from": str(message.get("from") or ""),
		"type": kind,
		"text": str(text or ""),
		"media_id": str(body.get("id") or "") if kind != "text" else "",
		"filename": str(body.get("filename") or ""),
		"mime_type": str(body.get("mime_type") or ""),
	}


def _dicts(value) -> list[dict]:
	return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# provider status -> the stored delivery status; unknown ones are ignored
DELIVERY_STATUSES = {"sent": "Sent", "delivered": "Delivered", "read": "Read", "failed": "Failed"}
# a later status never goes back to an earlier one (callbacks arrive out of order)
STATUS_ORDER = ("Queued", "Sent", "Delivered", "Read")


def advanced_status(current: str | None, reported: str) -> str | None:
	"""The status to store after a provider callback, or None to leave it."""
	new = DELIVERY_STATUSES.get((reported or "").lower())
	if not new or new == current:
		return None
	if new == "Failed":
		return new if current in ("Queued", "Sent") else None
	if current in STATUS_ORDER and STATUS_ORDER.index(new) <= STATUS_ORDER.index(current):
		return None
	return new


def generic_sms(form: dict) -> dict | None:
	"""A generic gateway's POST as {id, from, text}: the common field names of Indonesian and
	international gateways are accepted; None when it lacks a sender or an id."""
	pick = lambda *names: next((str(form[n]) for n in names if form.get(n) not in (None, "")), "")  # noqa: E731
	message = {
		"id": pick("message_id", "messageId", "id", "sms_id", "MessageSid"),
		"from": pick("from", "sender", "msisdn", "phone", "From"),
		"text": pick("text", "message", "body", "content", "Body"),
	}
	return message if message["id"] and message["from"] else None
