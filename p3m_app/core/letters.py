"""Letters to a PKH reporter and their log on the complaint (pure rules, no Frappe).

The PKH guideline (seed 004) has the unit write to the reporter at four moments:
- Receipt: the report was received, with its tracking code (the form's data, lines 31-38).
- In Process: the evidence went to UPPKH Pusat and may take up to 1 month (lines 409-411 and
  429-431), or the case needs longer than the set time (lines 338-342).
- Result: the result of the investigation and the follow-up taken (lines 482-483, 566-569).
- Forwarded: the problem is handled by the dinas concerned (lines 508-510).

Each letter sent is a row of the complaint's letter log. The letters that tell the reporter how
the case went (In Process, Result, Forwarded) are the "Menginformasikan kepada pelapor" step of
Tabel 2 (lines 598-605) and meet the SLA's Inform Reporter milestone; a receipt only acknowledges
the report, so it does not.
"""

from p3m_app.core.errors import RuleViolation, _
from p3m_app.core.system_fields import normalise

RECEIPT = "Receipt"
IN_PROCESS = "In Process"
RESULT = "Result"
FORWARDED = "Forwarded"
LETTER_TYPES = (RECEIPT, IN_PROCESS, RESULT, FORWARDED)
INFORMING = frozenset({IN_PROCESS, RESULT, FORWARDED})

CHANNELS = ("Post", "Email", "Fax", "Hand delivered")

# the print format of each letter (p3m_app/p3m_app/print_format/<scrubbed name>/)
PRINT_FORMATS = {
	RECEIPT: "Surat Tanda Terima Pengaduan",
	IN_PROCESS: "Surat Pengaduan Sedang Dalam Proses",
	RESULT: "Surat Hasil Penanganan Pengaduan",
	FORWARDED: "Surat Pengaduan Diteruskan ke Dinas",
}
FORM_PKH = "Formulir Pengaduan PKH"
FORM_C2 = "Formulir C-2"
FORMS = (FORM_PKH, FORM_C2)

REFERENCE_LIMIT = 140
# the columns of a letter log row; all of them are written by record_letter only
GUARDED = ("letter_type", "sent_on", "sent_by", "channel", "reference")
LOG_MESSAGE = _("The letter log is written by Send / Log Letter; its rows cannot be edited or removed.")


def check_letter(letter_type: str, channel: str, reference: str | None, facts: dict) -> str:
	"""Refuse a letter that cannot be sent; returns the cleaned reference number.

	``facts``: answered (the complaint has a response), forwarded_agency (the agency of its
	latest Forwarded disposition, if any)."""
	if letter_type not in LETTER_TYPES:
		raise RuleViolation(_("Unknown letter type: {letter_type}."), letter_type=letter_type or "")
	if channel not in CHANNELS:
		raise RuleViolation(_("Choose how the letter was sent: post, e-mail, fax or by hand."))
	reference = (reference or "").strip()
	if len(reference) > REFERENCE_LIMIT:
		raise RuleViolation(
			_("The reference number is too long: at most {limit} characters."), limit=REFERENCE_LIMIT
		)
	if letter_type == RESULT and not facts.get("answered"):
		raise RuleViolation(_("Write the response to the complaint before sending the result letter."))
	if letter_type == FORWARDED and not facts.get("forwarded_agency"):
		raise RuleViolation(_("The complaint has not been forwarded to another agency (a dinas)."))
	return reference


def informs_reporter(letter_type: str) -> bool:
	return letter_type in INFORMING


def informed_at(current, reopened_at, now):
	"""The reporter_informed_at a letter sent at ``now`` leaves: the first informing letter since
	the last reopen counts (a later one must not move a met milestone)."""
	if current and not (reopened_at and current <= reopened_at):
		return current
	return now


def _signature(row: dict) -> tuple:
	return tuple(normalise(row.get(f)) for f in GUARDED)


def check_rows_unchanged(stored: list[dict], incoming: list[dict]) -> None:
	"""A plain save keeps the letter log as stored: rows are only added by recording a letter."""
	if [_signature(r) for r in stored] != [_signature(r) for r in incoming]:
		raise RuleViolation(LOG_MESSAGE)


def recipient(identity: dict | None, tracking_code: str) -> dict:
	"""Who a letter is addressed to: the reporter's name and address when the printer may read
	them, else the tracking code alone (an envelope is then addressed by whoever may)."""
	identity = identity or {}
	name = (identity.get("reporter_name") or "").strip()
	if name:
		return {"name": name, "address": (identity.get("reporter_address") or "").strip(), "hidden": False}
	return {"name": "Pelapor dengan kode pelacakan " + tracking_code, "address": "", "hidden": True}


MONTHS = (
	"Januari",
	"Februari",
	"Maret",
	"April",
	"Mei",
	"Juni",
	"Juli",
	"Agustus",
	"September",
	"Oktober",
	"November",
	"Desember",
)


def tanggal(moment) -> str:
	"""A date as an Indonesian letter writes it: 1 Desember 2026."""
	if not moment:
		return ""
	return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
