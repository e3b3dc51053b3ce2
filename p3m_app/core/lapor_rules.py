"""SP4N-LAPOR! exchange by file: reading an agency's LAPOR! export, and what goes back.

LAPOR! lets an agency download the detail of its reports as a spreadsheet (seed 002 slides 9, 16:
"Mengunduh data detail pengaduan dalam format excel"). Which column holds what is data (the
LAPOR Settings column map), so a changed layout needs no code change; this module only turns a
table of cells into checked rows, and decides what an import may change on a complaint.

Rules an import follows (README "SP4N-LAPOR! exchange by file"):
- a report is known by its LAPOR! tracking ID: importing it again updates, never duplicates;
- LAPOR! owns the reporter's words (title, content) and its own status; the agency owns its
  handling: a re-import changes the title and content, fills a category the complaint lacks, and
  moves the workflow only while the complaint is still Baru;
- identity follows the flags: anonymous keeps none, confidential is sealed (the app's identity
  path); a later file may make a report confidential, never public or anonymous again.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from p3m_app.core.errors import RuleViolation, _

# what a LAPOR! column can mean
TRACKING_ID = "Tracking ID"
REPORTED_AT = "Date Reported"
TITLE = "Title"
CONTENT = "Content"
CATEGORY = "Category"
STATUS = "Status"
DISPOSITION = "Disposition Path"
ANONYMOUS = "Anonymous Flag"
CONFIDENTIAL = "Confidential Flag"
SOURCE = "Source Channel"
REPORTER_NAME = "Reporter Name"
REPORTER_PHONE = "Reporter Phone"
REPORTER_EMAIL = "Reporter Email"
LOCATION = "Location"
MEANINGS = (
	TRACKING_ID,
	REPORTED_AT,
	TITLE,
	CONTENT,
	CATEGORY,
	STATUS,
	DISPOSITION,
	ANONYMOUS,
	CONFIDENTIAL,
	SOURCE,
	REPORTER_NAME,
	REPORTER_PHONE,
	REPORTER_EMAIL,
	LOCATION,
)
REQUIRED = (TRACKING_ID, CONTENT)

# the agency export of LAPOR! as far as the seeds describe it (002: tracking ID, dates, title,
# content, category, status, disposition; anonymity and confidentiality, slide 7 item 04)
DEFAULT_COLUMNS = (
	("ID Tracking", TRACKING_ID),
	("Tanggal Laporan", REPORTED_AT),
	("Judul", TITLE),
	("Isi Laporan", CONTENT),
	("Kategori", CATEGORY),
	("Status", STATUS),
	("Disposisi", DISPOSITION),
	("Anonim", ANONYMOUS),
	("Rahasia", CONFIDENTIAL),
	("Sumber", SOURCE),
	("Nama Pelapor", REPORTER_NAME),
	("No. Telepon", REPORTER_PHONE),
	("Email", REPORTER_EMAIL),
	("Lokasi", LOCATION),
)

# LAPOR! status -> workflow state (seed 002 slides 16-26: verify, dispose, pending, archive,
# bukan wewenang; monitoring groups Belum / Proses / Selesai)
DEFAULT_STATUS_IN = (
	("Belum Terverifikasi", "Baru"),
	("Terverifikasi", "Verifikasi"),
	("Didisposisikan", "Verifikasi"),
	("Proses", "Verifikasi"),
	("Pending", "Pending"),
	("Diarsipkan", "Diarsipkan"),
	("Selesai", "Verifikasi"),
)
# workflow state -> the LAPOR! status an agency reports back
DEFAULT_STATUS_OUT = (
	("Baru", "Didisposisikan"),
	("Verifikasi", "Didisposisikan"),
	("Pending", "Pending"),
	("Didisposisikan", "Didisposisikan"),
	("Ditindaklanjuti", "Proses"),
	("Dikembalikan", "Bukan Wewenang"),
	("Dibuka Kembali", "Proses"),
	("Dijawab", "Selesai"),
	("Selesai", "Selesai"),
	("Diarsipkan", "Diarsipkan"),
)

# from Baru, the moves an import may make for the agency (each needs no officer's judgement):
# the action, and the field it needs filled
MOVES_FROM_NEW = {
	"Verifikasi": ("Verify", None),
	"Pending": ("Mark Pending", "pending_reason"),
	"Diarsipkan": ("Archive", "archive_reason"),
}
NEW_STATE = "Baru"

# LAPOR! "Sumber" -> the app's channel
SOURCE_CHANNELS = (
	("sms", "SMS"),
	("website", "Web Portal"),
	("web", "Web Portal"),
	("android", "Mobile App"),
	("ios", "Mobile App"),
	("mobile", "Mobile App"),
	("aplikasi", "Mobile App"),
	("twitter", "Social Media"),
	("facebook", "Social Media"),
	("instagram", "Social Media"),
	("youtube", "Social Media"),
	("whatsapp", "Social Media"),
	("surat", "Letter"),
	("telepon", "Phone"),
	("email", "Email"),
	("tatap muka", "Walk-in"),
)
DEFAULT_CHANNEL = "Other"

YES = frozenset({"ya", "y", "yes", "1", "true", "x", "v", "benar", "anonim", "rahasia"})
NO = frozenset({"", "tidak", "t", "no", "n", "0", "false", "-", "bukan"})
DATE_FORMATS = (
	"%Y-%m-%d %H:%M:%S",
	"%Y-%m-%d %H:%M",
	"%Y-%m-%d",
	"%d/%m/%Y %H:%M:%S",
	"%d/%m/%Y %H:%M",
	"%d/%m/%Y",
	"%d-%m-%Y %H:%M:%S",
	"%d-%m-%Y %H:%M",
	"%d-%m-%Y",
)
_TRACKING_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{2,59}$")
MAX_ROWS = 20000
LIMITS = {TITLE: 140, CONTENT: 20000, CATEGORY: 140, STATUS: 140, DISPOSITION: 1000, LOCATION: 500}
IDENTITY_LIMITS = {REPORTER_NAME: 140, REPORTER_PHONE: 30, REPORTER_EMAIL: 140}


@dataclass
class LaporRow:
	tracking_id: str
	content: str
	title: str = ""
	reported_at: datetime | None = None
	category: str = ""
	status: str = ""
	disposition: str = ""
	anonymous: bool = False
	confidential: bool = False
	channel: str = DEFAULT_CHANNEL
	location: str = ""
	identity: dict = field(default_factory=dict)  # complaint field -> value; empty when anonymous

	def digest(self) -> str:
		"""Names this version of the report: an unchanged row in a later file is skipped."""
		values = asdict(self)
		values["reported_at"] = str(self.reported_at or "")
		return hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def normal_header(text) -> str:
	return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


def column_indexes(headers: list, column_map: list[tuple[str, str]]) -> dict[str, int]:
	"""meaning -> column position; refuses a file without the columns every row needs."""
	positions = {normal_header(h): i for i, h in reversed(list(enumerate(headers))) if normal_header(h)}
	found = {}
	for header, meaning in column_map:
		if meaning in MEANINGS and meaning not in found and normal_header(header) in positions:
			found[meaning] = positions[normal_header(header)]
	missing = [m for m in REQUIRED if m not in found]
	if missing:
		names = [h for h, m in column_map if m in missing] or list(missing)
		raise RuleViolation(
			_("The file has no column {columns}; check the LAPOR! column map in LAPOR Settings."),
			columns=", ".join(f'"{n}"' for n in names),
		)
	return found


def read_csv(content: bytes) -> list[list[str]]:
	"""Rows of a CSV export (UTF-8 with or without BOM, else Windows-1252; comma or semicolon)."""
	try:
		text = content.decode("utf-8-sig")
	except UnicodeDecodeError:
		text = content.decode("cp1252", "replace")
	if "\x00" in text:
		raise RuleViolation(_("The file is not a CSV or Excel (.xlsx) file."))
	sample = text[:4096]
	delimiter = ";" if sample.count(";") > sample.count(",") else ","
	try:
		return [
			row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)
		]
	except csv.Error as error:
		raise RuleViolation(_("The CSV file cannot be read: {error}"), error=str(error)) from error


def split_table(rows: list[list]) -> tuple[list, list[list]]:
	"""(header row, data rows); refuses an empty file or one too large for one import."""
	rows = [r for r in rows if any(str(c if c is not None else "").strip() for c in r)]
	if len(rows) < 2:
		raise RuleViolation(_("The file has no reports: it needs a header row and at least one row."))
	if len(rows) - 1 > MAX_ROWS:
		raise RuleViolation(
			_("The file has {count} reports; import at most {limit} at a time."),
			count=len(rows) - 1,
			limit=MAX_ROWS,
		)
	return list(rows[0]), [list(r) for r in rows[1:]]


def cell_text(value) -> str:
	if value is None:
		return ""
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	return str(value).replace("\x00", "").strip()


def parse_flag(value, label: str) -> bool:
	if isinstance(value, bool):
		return value
	text = cell_text(value).casefold()
	if text in YES:
		return True
	if text in NO:
		return False
	raise RuleViolation(
		_('Column {column}: "{value}" is neither Ya nor Tidak.'), column=label, value=text[:40]
	)


def parse_date(value, label: str = REPORTED_AT) -> datetime | None:
	if isinstance(value, datetime):
		return value.replace(tzinfo=None)
	if isinstance(value, date):
		return datetime(value.year, value.month, value.day)
	text = cell_text(value)
	if not text:
		return None
	for fmt in DATE_FORMATS:
		try:
			return datetime.strptime(text, fmt)
		except ValueError:
			continue
	raise RuleViolation(
		_('Column {column}: "{value}" is not a date (write it as 2026-11-03 or 03/11/2026).'),
		column=label,
		value=text[:40],
	)


def channel_for(source: str) -> str:
	text = source.casefold()
	for key, channel in SOURCE_CHANNELS:
		if key in text:
			return channel
	return DEFAULT_CHANNEL


def parse_row(cells: list, indexes: dict[str, int], labels: dict[str, str], today: date) -> LaporRow:
	"""One data row, checked; ``labels`` names each meaning's column in messages."""

	def raw(meaning):
		position = indexes.get(meaning)
		return cells[position] if position is not None and position < len(cells) else None

	def text(meaning):
		value = cell_text(raw(meaning))
		limit = LIMITS.get(meaning) or IDENTITY_LIMITS.get(meaning)
		if limit and len(value) > limit:
			raise RuleViolation(
				_("Column {column} is too long: {length} characters, at most {limit} allowed."),
				column=labels.get(meaning, meaning),
				length=len(value),
				limit=limit,
			)
		return value

	tracking_id = text(TRACKING_ID)
	if not tracking_id:
		raise RuleViolation(_("The row has no LAPOR! tracking ID."))
	if not _TRACKING_ID.match(tracking_id):
		raise RuleViolation(_('"{value}" is not a LAPOR! tracking ID.'), value=tracking_id[:60])
	content = text(CONTENT)
	if not content:
		raise RuleViolation(_("The report has no content."))
	reported_at = parse_date(raw(REPORTED_AT), labels.get(REPORTED_AT, REPORTED_AT))
	if reported_at and reported_at.date() > today:
		raise RuleViolation(
			_("The report date {value} lies in the future."), value=reported_at.date().isoformat()
		)
	anonymous = parse_flag(raw(ANONYMOUS), labels.get(ANONYMOUS, ANONYMOUS))
	confidential = parse_flag(raw(CONFIDENTIAL), labels.get(CONFIDENTIAL, CONFIDENTIAL))
	identity = {}
	if not anonymous:
		identity = {
			field: value
			for field, value in (
				("reporter_name", text(REPORTER_NAME)),
				("reporter_phone", text(REPORTER_PHONE)),
				("reporter_email", text(REPORTER_EMAIL)),
			)
			if value
		}
	title = text(TITLE) or first_words(content)
	return LaporRow(
		tracking_id=tracking_id,
		content=content,
		title=title,
		reported_at=reported_at,
		category=text(CATEGORY),
		status=text(STATUS),
		disposition=text(DISPOSITION),
		anonymous=anonymous,
		confidential=confidential and not anonymous,
		channel=channel_for(cell_text(raw(SOURCE))),
		location=text(LOCATION),
		identity=identity,
	)


def first_words(content: str, limit: int = 80) -> str:
	line = " ".join(content.split())
	return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def disposition_units(path: str) -> list[str]:
	"""The units a LAPOR! disposition path names, last (the one handling it) first."""
	parts = [p.strip() for p in re.split(r"\s*(?:>|→|->|»|\|)\s*", path or "") if p.strip()]
	return list(reversed(parts))


def status_map(rows: list[tuple[str, str]]) -> dict[str, str]:
	return {normal_header(k): v for k, v in rows if k and v}


def mapped_state(lapor_status: str, status_in: dict[str, str]) -> str | None:
	return status_in.get(normal_header(lapor_status))


def move_from_new(current_state: str, target_state: str | None) -> tuple[str, str | None] | None:
	"""(workflow action, field it needs) when an import moves a complaint; only from Baru, the
	agency's own handling is never overridden by LAPOR!'s status."""
	if current_state != NEW_STATE or not target_state or target_state == NEW_STATE:
		return None
	return MOVES_FROM_NEW.get(target_state)


def update_values(row: LaporRow, current: dict) -> dict:
	"""What a newer version of a known report changes on its complaint."""
	changes = {"subject": row.title, "description": row.content, "lapor_status": row.status}
	if row.disposition:
		changes["lapor_disposition_path"] = row.disposition
	if row.category and not current.get("category"):
		changes["category"] = row.category
	if row.confidential and not current.get("is_confidential") and not current.get("is_anonymous"):
		changes["is_confidential"] = 1
	return {k: v for k, v in changes.items() if current.get(k) != v}


def identity_note(row: LaporRow, current: dict) -> str | None:
	"""Why a flag of a newer file was not applied (identity never comes back once sealed or gone)."""
	if row.anonymous and not current.get("is_anonymous"):
		return _("LAPOR! now marks the report anonymous; the identity already recorded was kept.")
	if not row.confidential and current.get("is_confidential"):
		return _("LAPOR! no longer marks the report confidential; it stays confidential here.")
	return None
