"""PKH forms and letters to the reporter: what their print formats read, and the letter log.

The print formats (p3m_app/p3m_app/print_format/formulir_*, surat_*) are Jinja templates of the
Complaint. Frappe's print checks that the printer may read or print the complaint, but a custom
template sees every field of the document, whatever its permission level: the templates
therefore never read identity fields from ``doc``; they read ``p3m_letter(doc)``, which gives
the reporter's identity only to who may read it (see ``reporter_identity``).

Rules (which letter informs the reporter, the log guard) are in p3m_app.core.letters.
"""

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime, today

from p3m_app import permissions
from p3m_app.access import vault
from p3m_app.core import letters as rules
from p3m_app.core import phone, tracking_code
from p3m_app.core.errors import RuleViolation
from p3m_app.core.intake_rules import IDENTITY_FIELDS, PHONE_FIELDS
from p3m_app.utils import throw

CORRECTION_REQUEST = "Master Data Correction Request"
# reporter fields the forms print when the complaint has them (added by the PKH reporter fields)
EXTRA_IDENTITY = ("participant_number",)
EXTRA_FACTS = ("reporter_type",)
UNIT_FIELDS = (
	"name",
	"unit_name",
	"address",
	"province",
	"district",
	"contact_phone",
	"contact_email",
	"letter_head",
)


def letter_context(doc) -> dict:
	"""Everything a PKH form or letter prints besides the complaint's own non-identity fields
	(the Jinja method ``p3m_letter(doc)``)."""
	blank = is_blank(doc)
	identity = None if blank else national_phones(reporter_identity(doc), PHONE_FIELDS)
	code = tracking_code.display(doc.get("tracking_code") or "") if not blank else ""
	return frappe._dict(
		blank=blank,
		unit=national_phones(unit_kop(None if blank else doc.get("current_unit")), ("contact_phone",)),
		code=code,
		track_url=frappe.utils.get_url("/pengaduan/lacak"),
		today=rules.tanggal(get_datetime(today())),
		received_on=rules.tanggal(get_datetime(doc.received_at)) if doc.get("received_at") else "",
		identity=frappe._dict(identity or {}),
		identity_hidden=bool(not blank and not identity and not doc.get("is_anonymous")),
		recipient=frappe._dict(rules.recipient(identity, code)),
		reporter_type=doc.get("reporter_type") or "",
		correction=None if blank else latest_correction(doc.name),
		forwarded=None if blank else latest_forward(doc.name),
	)


def p3m_letter(doc) -> dict:
	"""The Jinja method of the print formats (hooks.py ``jenv``): ``p3m_letter(doc)``."""
	return letter_context(doc)


def national_phones(values: dict | None, fieldnames) -> dict | None:
	"""Stored numbers (E.164) printed the way a reader dials them: 0812-3456-7890, (021) 5551234."""
	if not values:
		return values
	values.update({f: phone.national(values[f]) for f in fieldnames if values.get(f)})
	return values


def is_blank(doc) -> bool:
	"""A blank form for paper: a new complaint, or any print asked with ``blank=1``."""
	return doc.is_new() or not doc.get("name") or bool(cint(frappe.form_dict.get("blank")))


def reporter_identity(doc) -> dict | None:
	"""The reporter's identity when the current user may read it, else None.

	Named report: the user needs Complaint permission level 2 (a PPID has none). Confidential
	report: the complaint row holds none; a Confidential Reader of a unit that reaches it, or an
	Admin Nasional, reads it from the vault, and the read is written to the Access Log like any
	other. Anonymous: nothing is kept."""
	if doc.get("is_anonymous"):
		return None
	fields = [*IDENTITY_FIELDS, *(f for f in EXTRA_IDENTITY if doc.meta.has_field(f))]
	user = frappe.session.user
	if doc.get("is_confidential") or doc.get("identity_sealed"):
		if not vault.may_read(doc.name, user):
			return None
		vault_meta = frappe.get_meta(vault.VAULT)
		row = frappe.db.get_value(
			vault.VAULT, doc.name, [f for f in fields if vault_meta.has_field(f)], as_dict=True
		)
		if not row:
			return None
		vault.record_read(doc.name, user, "print")
		return dict(row)
	if not doc.has_permlevel_access_to("reporter_name"):
		return None
	return {f: doc.get(f) for f in fields}


def unit_kop(unit: str | None) -> frappe._dict:
	"""The letterhead (kop surat) of the unit: its own, or the user's unit on a blank form."""
	if not unit:
		units = permissions.user_units(frappe.session.user)
		unit = units[0] if units else None
	if not unit:
		return frappe._dict()
	meta = frappe.get_meta("Unit")
	fields = [f for f in UNIT_FIELDS if f == "name" or meta.has_field(f)]
	return frappe._dict(frappe.db.get_value("Unit", unit, fields, as_dict=True) or {})


def latest_correction(complaint: str) -> frappe._dict | None:
	"""The complaint's latest Master Data Correction Request, when that doctype is installed."""
	if not frappe.db.exists("DocType", CORRECTION_REQUEST):
		return None
	meta = frappe.get_meta(CORRECTION_REQUEST)
	if not meta.has_field("complaint"):
		return None
	wanted = ["name", "creation", *(f for f in ("status", "due_date", "deadline") if meta.has_field(f))]
	rows = frappe.get_all(
		CORRECTION_REQUEST,
		filters={"complaint": complaint},
		fields=wanted,
		order_by="creation desc",
		limit=1,
		ignore_permissions=True,  # the print itself was checked against the complaint
	)
	if not rows:
		return None
	row = rows[0]
	due = row.get("due_date") or row.get("deadline")
	row["sent_on"] = rules.tanggal(get_datetime(row.creation))
	row["due_on"] = rules.tanggal(get_datetime(due)) if due else ""
	return row


def latest_forward(complaint: str) -> frappe._dict | None:
	"""The latest disposition that forwarded the complaint to an agency outside the tree."""
	rows = frappe.get_all(
		"Disposition",
		filters={"complaint": complaint, "status": "Forwarded", "external_agency": ("is", "set")},
		fields=["name", "external_agency", "external_reference", "external_date", "responded_at"],
		order_by="creation desc",
		limit=1,
		ignore_permissions=True,  # the print itself was checked against the complaint
	)
	if not rows:
		return None
	row = rows[0]
	row["forwarded_on"] = rules.tanggal(get_datetime(row.external_date or row.responded_at))
	return row


def before_print(doc) -> None:
	"""Frappe prints the Letter Head ``doc.letter_head`` names: the holding unit's own, if set."""
	if doc.get("current_unit") and frappe.get_meta("Unit").has_field("letter_head"):
		letter_head = frappe.db.get_value("Unit", doc.current_unit, "letter_head")
		if letter_head:
			doc.letter_head = letter_head


@frappe.whitelist(methods=["POST"])
def record_letter(complaint: str, letter_type: str, channel: str, reference: str | None = None) -> dict:
	"""Log a letter sent to the reporter (who and when are set here, never taken from the request).

	Only officers of the unit holding the complaint (or Admin Nasional) log its letters. A letter
	that informs the reporter of progress or the result sets reporter_informed_at through a normal
	save, so the SLA's Inform Reporter milestone is met (seed 004 Tabel 2, lines 598-605)."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	user = frappe.session.user
	if not (permissions.is_unrestricted(user) or permissions.is_member(user, doc.current_unit)):
		frappe.throw(
			_("Only officers of the unit holding the complaint can log its letters."), frappe.PermissionError
		)
	forward = latest_forward(doc.name)
	facts = {
		"answered": bool(frappe.utils.strip_html(doc.response or "").strip()),
		"forwarded_agency": forward.external_agency if forward else None,
	}
	try:
		reference = rules.check_letter(letter_type, channel, reference, facts)
	except RuleViolation as violation:
		throw(violation, title=_("Cannot Log Letter"))
	now = now_datetime()
	doc.append(
		"letters",
		{
			"letter_type": letter_type,
			"sent_on": now,
			"sent_by": user,
			"channel": channel,
			"reference": reference,
		},
	)
	doc.flags.letter_log_append = True
	if rules.informs_reporter(letter_type):
		doc.reporter_informed_at = rules.informed_at(
			get_datetime(doc.reporter_informed_at) if doc.reporter_informed_at else None,
			get_datetime(doc.reopened_at) if doc.reopened_at else None,
			now,
		)
		doc.flags.system_fields = {"reporter_informed_at"}
	doc.save()
	doc.add_comment(
		"Info",
		_("Letter to the reporter logged: {0} ({1})").format(_(letter_type), _(channel)),
	)
	return {
		"letter_type": letter_type,
		"sent_on": str(now),
		"reporter_informed_at": str(doc.reporter_informed_at or ""),
		"sla_status": doc.sla_status,
	}


def check_log(doc) -> None:
	"""Controller guard: the letter log changes only by record_letter appending one row."""
	before = doc.get_doc_before_save()
	if not before:
		if doc.get("letters"):
			throw(RuleViolation(rules.LOG_MESSAGE), title=_("Not Allowed"))
		return
	stored = [r.as_dict() for r in before.get("letters") or []]
	incoming = [r.as_dict() for r in doc.get("letters") or []]
	if doc.flags.letter_log_append:
		incoming = incoming[: len(stored)]
	try:
		rules.check_rows_unchanged(stored, incoming)
	except RuleViolation as violation:
		throw(violation, title=_("Not Allowed"))


@frappe.whitelist()
def blank_form(print_format: str) -> None:
	"""A blank PKH complaint form (Formulir Pengaduan PKH or Formulir C-2) as PDF, for paper use,
	under the letterhead of the user's unit."""
	if print_format not in rules.FORMS:
		frappe.throw(_("Unknown form: {0}").format(print_format), title=_("Not Allowed"))
	if not frappe.has_permission("Complaint", "print"):
		frappe.throw(_("You cannot print complaint forms."), frappe.PermissionError)
	doc = frappe.new_doc("Complaint")
	frappe.local.response.filename = frappe.scrub(print_format) + ".pdf"
	frappe.local.response.filecontent = frappe.get_print(
		"Complaint", None, print_format, doc=doc, as_pdf=True
	)
	frappe.local.response.type = "pdf"
