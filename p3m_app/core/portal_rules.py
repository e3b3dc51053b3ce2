"""What a citizen may send through the public portal, checked before anything is stored.

The portal accepts only the fields listed here; everything else in a request (owner, unit,
workflow state, identity flags set by staff) is dropped, so a forged field never reaches the
database. Text is stripped of markup; each classification asks for what its SOP needs.

Markup is removed by nh3 (the Ammonia HTML sanitiser, which parses HTML as a browser does), not by
a regular expression: the result is plain text for Text fields, with entities turned back into
characters. Because that turns ``&lt;img&gt;`` into ``<img>``, cleaning repeats until nothing
changes, so no tag survives or re-forms; input that does not settle within ``MAX_PASSES`` loses
every ``<``.
"""

import html
import re
from datetime import date

import nh3

from p3m_app.core import intake_rules
from p3m_app.core.errors import RuleViolation, _

PENGADUAN, KELUHAN, INFORMATION, ASPIRATION, WHISTLEBLOWING = intake_rules.CLASSIFICATIONS

WHISTLEBLOWING_FIELDS = ("wb_who", "wb_what", "wb_when", "wb_where", "wb_how")
INFORMATION_FORMATS = ("Softcopy", "Hardcopy", "View in person")

COMMON_FIELDS = (
	"classification",
	"category",
	"program",
	"subject",
	"description",
	"incident_date",
	"province",
	"district",
	"kecamatan",
	"location_detail",
	"is_anonymous",
	"is_confidential",
	"reporter_type",
	*intake_rules.IDENTITY_FIELDS,
)
FIELDS_BY_CLASSIFICATION = {
	PENGADUAN: ("chronology",),
	KELUHAN: ("chronology",),
	INFORMATION: ("information_requested", "information_format"),
	ASPIRATION: (),
	WHISTLEBLOWING: ("chronology", *WHISTLEBLOWING_FIELDS),
}
REQUIRED_BY_CLASSIFICATION = {
	PENGADUAN: ("subject", "description", "chronology"),
	KELUHAN: ("subject", "description", "chronology"),
	INFORMATION: ("subject", "description", "information_requested", "information_format"),
	ASPIRATION: ("subject", "description"),
	WHISTLEBLOWING: ("subject", "description", *WHISTLEBLOWING_FIELDS),
}
LABELS = {
	"subject": _("Subject"),
	"description": _("Description"),
	"chronology": _("Chronology"),
	"information_requested": _("Information requested"),
	"information_format": _("Form of the information"),
	"wb_who": _("Who was involved"),
	"wb_what": _("What happened"),
	"wb_when": _("When it happened"),
	"wb_where": _("Where it happened"),
	"wb_how": _("How it happened"),
	"reporter_name": _("Your name"),
	"participant_number": _("PKH participant number"),
}
# text of the portal-only fields, in characters (the rest are in intake_rules.TEXT_LIMITS)
PORTAL_TEXT_LIMITS = {
	"information_requested": 2000,
	"wb_who": 2000,
	"wb_what": 4000,
	"wb_when": 500,
	"wb_where": 1000,
	"wb_how": 4000,
	"province": 140,
	"district": 140,
	"kecamatan": 140,
	"category": 140,
	"program": 140,
}
HONEYPOT_FIELD = "website"

# elements whose content is code or hidden, not words: removed with what they hold
HIDDEN_CONTENT = frozenset(
	{"script", "style", "iframe", "object", "embed", "template", "noscript", "title", "noembed", "noframes"}
)
MAX_PASSES = 8
# where a mail's HTML starts a new line, marked before the tags go
_LINE_BREAKS = re.compile(r"<br\b|</(?:p|div|li|tr|h[1-6]|blockquote|pre|table)\s*>", re.I)
_BLANK_LINES = re.compile(r"\n[ \t\xa0]*(?:\n[ \t\xa0]*)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


class HoneypotTripped(Exception):
	"""A bot filled the hidden field: refuse quietly, telling it nothing."""


def strip_markup(text: str) -> str:
	"""Plain text only: scripts and their content go, other tags go, the words stay.

	"Tom &amp; Jerry" reads "Tom & Jerry" and "3 < 5" stays, but no tag comes out, however it
	was nested or encoded.
	"""
	text = _CONTROL.sub("", text or "")
	for _pass in range(MAX_PASSES):
		cleaned = _CONTROL.sub("", html.unescape(_without_tags(text)))
		if cleaned == text:
			break
		text = cleaned
	else:
		text = text.replace("<", "")
	return text.strip()


def _without_tags(text: str) -> str:
	return nh3.clean(text, tags=set(), clean_content_tags=set(HIDDEN_CONTENT), attributes={})


def html_to_text(markup: str) -> str:
	"""A mail's HTML as readable plain text: paragraphs and line breaks stay on their own lines."""
	marked = _LINE_BREAKS.sub(lambda m: "\n" + m.group(0), markup or "")
	lines = strip_markup(marked).replace("\r\n", "\n").split("\n")
	return _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in lines)).strip()


def clean_text(value: str | None, label: str, required: bool = True, limit: int = 4000) -> str:
	"""One free-text answer from the reporter (added information, feedback, objection)."""
	text = strip_markup(value or "")
	if required and not text:
		raise RuleViolation(_("{field} is required."), field=label)
	if len(text) > limit:
		raise RuleViolation(
			_("{field} is too long: {length} characters, at most {limit} allowed."),
			field=label,
			length=len(text),
			limit=limit,
		)
	return text


def clean_submission(form: dict, today: date, by_post: bool = False) -> dict:
	"""The values to store, from an untrusted form; raises RuleViolation with a clear message.

	``by_post``: the reporter may be answered by letter at their address (a pendamping records for
	participants who often have neither phone nor e-mail; seed 004 lines 548-556 answer by letter).
	"""
	if (form.get(HONEYPOT_FIELD) or "").strip():
		raise HoneypotTripped()
	classification = form.get("classification") or PENGADUAN
	if classification not in FIELDS_BY_CLASSIFICATION:
		raise RuleViolation(_("Choose what kind of report this is."))

	values = {}
	for fieldname in COMMON_FIELDS + FIELDS_BY_CLASSIFICATION[classification]:
		raw = form.get(fieldname)
		if fieldname in ("is_anonymous", "is_confidential"):
			values[fieldname] = 1 if str(raw).lower() in ("1", "true", "on", "yes") else 0
		elif raw is not None:
			values[fieldname] = strip_markup(str(raw))
	values["classification"] = classification

	check_limits(values)
	for fieldname in REQUIRED_BY_CLASSIFICATION[classification]:
		if not values.get(fieldname):
			raise RuleViolation(_("{field} is required."), field=LABELS[fieldname])
	if classification == INFORMATION and values["information_format"] not in INFORMATION_FORMATS:
		raise RuleViolation(_("Choose the form in which you want the information."))
	check_incident_date(values, today)
	apply_identity_choice(values, by_post)
	return {k: v for k, v in values.items() if v not in ("", None)}


def check_limits(values: dict) -> None:
	intake_rules.check_lengths(values, LABELS)
	for fieldname, limit in PORTAL_TEXT_LIMITS.items():
		value = values.get(fieldname) or ""
		if len(value) > limit:
			raise RuleViolation(
				_("{field} is too long: {length} characters, at most {limit} allowed."),
				field=LABELS.get(fieldname, fieldname),
				length=len(value),
				limit=limit,
			)


def check_incident_date(values: dict, today: date) -> None:
	raw = values.get("incident_date")
	if not raw:
		return
	try:
		incident = date.fromisoformat(raw)
	except ValueError:
		raise RuleViolation(_("The incident date is not a valid date.")) from None
	if incident > today:
		raise RuleViolation(_("The incident date cannot be in the future."))
	values["incident_date"] = incident.isoformat()


def apply_identity_choice(values: dict, by_post: bool = False) -> None:
	"""Anonymous keeps no identity at all; whistleblowing is confidential unless anonymous."""
	if values.get("reporter_type") and values["reporter_type"] not in intake_rules.REPORTER_TYPES:
		raise RuleViolation(_("Choose who is reporting from the list."))
	if values["is_anonymous"]:
		for fieldname in intake_rules.IDENTITY_FIELDS:
			values.pop(fieldname, None)
		values["is_confidential"] = 0
		return
	if values["classification"] == WHISTLEBLOWING:
		values["is_confidential"] = 1
	if not values.get("reporter_name"):
		raise RuleViolation(_("{field} is required."), field=LABELS["reporter_name"])
	if by_post and not (
		values.get("reporter_email") or values.get("reporter_phone") or values.get("reporter_address")
	):
		raise RuleViolation(
			_(
				"Give the reporter's phone number, e-mail or address so the answer reaches them, or record the report as anonymous."
			)
		)
	if not by_post and not (values.get("reporter_email") or values.get("reporter_phone")):
		raise RuleViolation(
			_("Give an e-mail address or a phone number so we can reply, or report anonymously.")
		)
	email = values.get("reporter_email")
	if email and not _EMAIL.match(email):
		raise RuleViolation(_("E-mail address {email} is not valid."), email=email)
	intake_rules.check_identity(values)
	values.update(intake_rules.normalise_phones(values))
	if values.get("participant_number"):
		# stored as digits only, however the reporter grouped them
		values["participant_number"] = re.sub(r"\D", "", values["participant_number"])


# -- attachments ---------------------------------------------------------------------------

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 15 * 1024 * 1024
ZIP, OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension -> the leading bytes its content must start with (checked, not trusted from the name)
SIGNATURES = {
	"pdf": (b"%PDF-",),
	"jpg": (b"\xff\xd8\xff",),
	"jpeg": (b"\xff\xd8\xff",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"webp": (b"RIFF",),
	"doc": OLE,
	"xls": OLE,
	"docx": ZIP,
	"xlsx": ZIP,
	"odt": ZIP,
	"mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
	"mp4": (),  # checked by its ftyp box below
	"txt": (),  # checked as text below
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()\-]+")


def check_attachments(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
	"""Allow-listed types whose content matches their name, within count and size limits."""
	if len(files) > MAX_FILES:
		raise RuleViolation(_("At most {limit} attachments are allowed."), limit=MAX_FILES)
	cleaned = []
	for filename, content in files:
		name = safe_filename(filename)
		check_file(name, content)
		cleaned.append((name, content))
	if sum(len(content) for _name, content in cleaned) > MAX_TOTAL_BYTES:
		raise RuleViolation(_("Attachments may total at most {limit} MB."), limit=MAX_TOTAL_BYTES // 2**20)
	return cleaned


def attachment_verdicts(files: list[tuple[str, bytes]]) -> list[RuleViolation | None]:
	"""The portal's checks file by file, for mail: None for a file to keep, else why it is refused.

	A mail cannot be sent back for correction, so a file that fails is left out, not the mail.
	"""
	verdicts, kept, total = [], 0, 0
	for filename, content in files:
		try:
			check_file(safe_filename(filename), content)
			if kept >= MAX_FILES:
				raise RuleViolation(_("At most {limit} attachments are allowed."), limit=MAX_FILES)
			if total + len(content) > MAX_TOTAL_BYTES:
				raise RuleViolation(
					_("Attachments may total at most {limit} MB."), limit=MAX_TOTAL_BYTES // 2**20
				)
		except RuleViolation as violation:
			verdicts.append(violation)
			continue
		kept += 1
		total += len(content)
		verdicts.append(None)
	return verdicts


def check_file(name: str, content: bytes) -> None:
	"""One file: not empty, not too large, an allowed type whose content matches its name."""
	if len(content) > MAX_FILE_BYTES:
		raise RuleViolation(
			_("{file} is too large: at most {limit} MB per file."),
			file=name,
			limit=MAX_FILE_BYTES // 2**20,
		)
	if not content:
		raise RuleViolation(_("{file} is empty."), file=name)
	if not content_matches(name, content):
		raise RuleViolation(
			_("{file} is not an allowed file type. Allowed: {types}."),
			file=name,
			types=", ".join(sorted(SIGNATURES)),
		)


def safe_filename(filename: str) -> str:
	base = re.split(r"[\\/]", filename or "")[-1]
	base = _SAFE_NAME.sub("_", base).strip(" .")
	return base[-120:] or "attachment"


def extension(filename: str) -> str:
	return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def content_matches(filename: str, content: bytes) -> bool:
	ext = extension(filename)
	if ext not in SIGNATURES:
		return False
	if ext == "txt":
		return is_plain_text(content)
	if ext == "mp4":
		return content[4:8] == b"ftyp"
	if ext == "webp":
		return content.startswith(b"RIFF") and content[8:12] == b"WEBP"
	return content.startswith(SIGNATURES[ext])


def is_plain_text(content: bytes) -> bool:
	try:
		text = content.decode("utf-8")
	except UnicodeDecodeError:
		return False
	head = text[:4096].lower()
	return "\x00" not in text and not any(tag in head for tag in ("<script", "<html", "<svg", "<?xml"))
