"""Whatever can be read from a raw e-mail, however malformed (no Frappe import).

Frappe's own parser stops at the first surprise (no From header, an undecodable charset, a
part that is not what its header says). A citizen's mail must still become a complaint, so
this reader never raises: every step that fails leaves its field empty and notes a problem,
and every part that is not the text is kept as an attachment, decoded or as it came.
"""

import email
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime

from p3m_app.core.portal_rules import html_to_text, strip_markup

ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
MAX_HEADER = 1000
MAX_NAME = 120


@dataclass
class Salvaged:
	subject: str = ""
	from_email: str = ""
	from_name: str = ""
	text: str = ""
	message_id: str = ""
	date_header: str = ""
	sent_at: object = None  # the sender's claimed date (aware datetime), information only
	attachments: list = field(default_factory=list)  # (file name, bytes, content type)
	problems: list = field(default_factory=list)
	headers: dict = field(default_factory=dict)  # lower-case name -> text


def digest(raw: bytes | str) -> str:
	"""A stable key of the raw message: a re-delivered copy has the same one."""
	return hashlib.sha256(raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")).hexdigest()


def salvage(raw: bytes | str) -> Salvaged:
	out = Salvaged()
	data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")
	try:
		message = email.message_from_bytes(data, policy=policy.compat32)
	except Exception as error:  # the stdlib parser is lenient; this is a last resort
		out.problems.append(f"unparsable message: {error}")
		out.text = data.decode("utf-8", "replace")
		return out
	out.headers = _headers(message, out.problems)
	out.subject = out.headers.get("subject", "")[:MAX_HEADER]
	out.message_id = out.headers.get("message-id", "").strip().strip("<>")[:MAX_HEADER]
	out.from_email, out.from_name = _sender(out.headers, out.problems)
	out.date_header = out.headers.get("date", "")[:MAX_HEADER]
	if out.date_header:
		try:
			out.sent_at = parsedate_to_datetime(out.date_header)
		except Exception:
			out.problems.append("unreadable Date header")
	_walk(message, out)
	return out


def _headers(message, problems: list) -> dict:
	headers = {}
	try:
		items = message.items()
	except Exception as error:
		problems.append(f"unreadable headers: {error}")
		return headers
	for name, value in items:
		key = str(name).lower()
		if key not in headers:
			headers[key] = _decoded_header(value, problems)
	return headers


def _decoded_header(value, problems: list) -> str:
	try:
		text = str(make_header(decode_header(str(value))))
	except Exception:
		problems.append("undecodable header")
		text = str(value)
	return " ".join(text.replace("\x00", "").split())


def _sender(headers: dict, problems: list) -> tuple[str, str]:
	raw = headers.get("from", "")
	if not raw:
		problems.append("no From header")
		return "", ""
	try:
		pairs = getaddresses([raw])
	except Exception:
		pairs = []
	for name, address in pairs:
		address = address.strip().lower()
		if ADDRESS.match(address):
			return address[:140], strip_markup(name)[:MAX_NAME]
	problems.append("no valid sender address")
	return "", strip_markup(raw)[:MAX_NAME]


def _walk(message, out: Salvaged) -> None:
	texts, htmls = [], []
	try:
		parts = list(message.walk())
	except Exception as error:
		out.problems.append(f"broken MIME structure: {error}")
		parts = [message]
	for index, part in enumerate(parts):
		try:
			if part.is_multipart():
				continue
			kind = (part.get_content_type() or "text/plain").lower()
			filename = _filename(part, out.problems)
			payload = _payload(part, out.problems)
			if kind == "text/plain" and not filename:
				texts.append(_text(part, payload, out.problems))
			elif kind == "text/html" and not filename:
				htmls.append(_text(part, payload, out.problems))
			elif payload:
				out.attachments.append((filename or f"part-{index}{_extension(kind)}", payload, kind))
		except Exception as error:
			out.problems.append(f"unreadable part {index}: {error}")
	text = "\n".join(t for t in texts if t.strip())
	if text.strip():
		out.text = strip_markup(text)
	else:
		out.text = html_to_text("\n".join(htmls))


def _filename(part, problems: list) -> str:
	try:
		name = part.get_filename() or ""
	except Exception:
		problems.append("undecodable attachment name")
		return ""
	return _decoded_header(name, problems)[:140] if name else ""


def _payload(part, problems: list) -> bytes:
	try:
		payload = part.get_payload(decode=True)
	except Exception:
		payload = None
	if payload is None:
		problems.append("undecodable part kept as it came")
		body = part.get_payload()
		payload = body.encode("utf-8", "replace") if isinstance(body, str) else b""
	return payload


def _text(part, payload: bytes, problems: list) -> str:
	charset = part.get_content_charset() or "utf-8"
	try:
		return payload.decode(charset)
	except (LookupError, UnicodeDecodeError):
		problems.append(f"undecodable charset {charset!r}")
		return payload.decode("utf-8", "replace")


def _extension(kind: str) -> str:
	known = {
		"image/jpeg": ".jpg",
		"image/png": ".png",
		"image/gif": ".gif",
		"application/pdf": ".pdf",
		"text/plain": ".txt",
		"text/html": ".html",
		"message/rfc822": ".eml",
	}
	return known.get(kind, ".bin")
