"""An SMS or WhatsApp message becomes a complaint, or threads onto one.

Both providers' webhooks end here with an ``Inbound`` message already authenticated. Each
message is stored once (its provider id is a unique key: a retry finds the first copy), as a
Communication on its complaint, so the complaint's readers read it and a confidential complaint
seals it like its mail (p3m_app.access.mail_sealing). The number is the reporter's identity:
it is written to the complaint's reporter_phone and nowhere else in clear (the Messaging Message
log keeps neither number nor text). See core.messaging_rules for where a message goes.
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime

from p3m_app import handling
from p3m_app.core import intake_rules, messaging_rules, phone
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.portal.context import acting_as

COMPLAINT, LOG = "Complaint", "Messaging Message"
MEDIUM = {messaging_rules.SMS: "SMS", messaging_rules.WHATSAPP: "Chat"}


@dataclass
class Inbound:
	provider_id: str
	sender: str  # as the provider sent it; normalised to E.164 here
	text: str = ""
	media: list[tuple[str, bytes]] = field(default_factory=list)


def channel_kind(channel) -> str:
	return messaging_rules.CHANNEL_OF_PROVIDER[channel.provider]


def receive(channel, message: Inbound) -> str:
	"""Store one authenticated message; what happened: created, threaded, asked, duplicate, invalid."""
	try:
		number = phone.normalise(message.sender)
	except RuleViolation:
		number = None
	if not number:
		log_refusal(channel, _("A message without a valid sender number was ignored."))
		return "invalid"
	key = f"{channel.name}:{message.provider_id}"[:140]
	if frappe.db.exists(LOG, {"message_key": key}):
		return "duplicate"
	frappe.db.savepoint("p3m_message")
	try:
		log = new_log(channel, key, message.provider_id)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		# the same message delivered twice at once: the first insert won
		frappe.db.rollback(save_point="p3m_message")
		frappe.clear_messages()
		return "duplicate"
	word, text = messaging_rules.keyword(message.text)
	decision = decide(text, number, word)
	if decision.action == messaging_rules.ASK_FOR_CODE:
		from p3m_app.channels import outbound

		log.db_set("event", "Ask for Code")
		outbound.queue(open_complaints(number)[0], "Ask for Code", channel.name)
		return "asked"
	if decision.action == messaging_rules.NEW:
		complaint = new_complaint(
			channel, text, number, confidential=word == messaging_rules.KEYWORD_CONFIDENTIAL
		)
	else:
		complaint = frappe.get_doc(COMPLAINT, decision.complaint)
	communication = store_message(channel, complaint.name, text, number)
	log.db_set({"complaint": complaint.name, "communication": communication})
	save_media(complaint.name, message.media)
	if decision.action == messaging_rules.NEW:
		after_new_complaint(complaint, channel)
		return "created"
	if complaint.workflow_state == wf.PENDING:
		# the reporter answers the question asked: back to verification, as on the tracking page
		with acting_as("Administrator"):
			handling.act(complaint.name, wf.ACTION_RESUME)
	return "threaded"


def new_log(channel, key: str, provider_id: str):
	return frappe.get_doc(
		{
			"doctype": LOG,
			"channel": channel.name,
			"direction": "Inbound",
			"event": "Message",
			"status": "Received",
			"message_key": key,
			"provider_message_id": (provider_id or "")[:140],
		}
	).insert(ignore_permissions=True)


def decide(text: str, number: str, word: str | None) -> messaging_rules.Decision:
	code_complaint, from_reporter = None, False
	for code in messaging_rules.codes_in(text):
		code_complaint = frappe.db.get_value(COMPLAINT, {"tracking_code": code})
		if code_complaint:
			from_reporter = reporter_number(frappe.get_doc(COMPLAINT, code_complaint)) == number
			break
	return messaging_rules.thread(code_complaint, from_reporter, open_complaints(number), word)


def open_complaints(number: str) -> list[str]:
	"""Open complaints whose reporter (or caller) number is ``number``, sealed ones included."""
	names = set()
	for fieldname in ("reporter_phone", "caller_number"):
		names.update(frappe.get_all(COMPLAINT, filters={fieldname: number}, pluck="name"))
		names.update(frappe.get_all("Reporter Identity", filters={fieldname: number}, pluck="name"))
	if not names:
		return []
	return frappe.get_all(
		COMPLAINT,
		filters={"name": ("in", list(names)), "workflow_state": ("not in", list(wf.FINAL_STATES))},
		pluck="name",
		order_by="creation asc",
	)


def reporter_number(doc) -> str | None:
	"""The reporter's number, from the complaint or, when sealed, from its identity record."""
	if doc.is_anonymous:
		return None
	if doc.reporter_phone or doc.caller_number:
		return doc.reporter_phone or doc.caller_number
	if doc.identity_sealed:
		values = frappe.db.get_value("Reporter Identity", doc.name, ["reporter_phone", "caller_number"])
		return values and (values[0] or values[1])
	return None


def new_complaint(channel, text: str, number: str, confidential: bool = False):
	fields = messaging_rules.complaint_fields(text)
	limits = intake_rules.TEXT_LIMITS
	doc = frappe.get_doc(
		{
			"doctype": COMPLAINT,
			"channel": channel_kind(channel),
			"classification": channel.classification or "Pengaduan",
			"program": channel.program,
			"category": channel.category,
			"current_unit": channel.unit,
			"subject": (fields["subject"] or _("(message without text)"))[: limits["subject"]],
			"description": fields["description"] or _("(message without text)"),
			"received_at": now_datetime(),
			# a message is never anonymous: its number is the only way to answer it
			"reporter_phone": number,
			"is_confidential": int(confidential),
		}
	)
	doc.flags.ignore_mandatory = True
	doc.flags.ignore_permissions = True
	doc.flags.p3m_sla_may_be_uncomputable = True
	doc.flags.p3m_messaging_intake = True
	followups = intake_followups()
	if followups:
		followups.defer(doc)
	with acting_as("Guest"):
		doc.insert(ignore_permissions=True)
	return doc


def intake_followups():
	"""p3m_app.intake.followups (assignment and workflow actions in a job), where it exists."""
	try:
		from p3m_app.intake import followups
	except ImportError:
		return None
	return followups if hasattr(followups, "defer") and hasattr(followups, "schedule") else None


def after_new_complaint(complaint, channel) -> None:
	"""Assignment and the desk's follow-ups where the intake job exists; the code goes back."""
	from p3m_app.channels import outbound

	followups = intake_followups()
	if followups:
		followups.schedule(complaint.name)
	outbound.queue(complaint.name, "Acknowledgement", channel.name)


def store_message(channel, complaint: str, text: str, number: str) -> str:
	"""The message as a received Communication on the complaint (sealed when it is confidential)."""
	content = escape_html(text or "").replace("\n", "<br>") or _("(message without text)")
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": MEDIUM[channel_kind(channel)],
			"sent_or_received": "Received",
			"subject": _("{0} message").format(_(channel_kind(channel))),
			"content": content,
			"phone_no": number,
			"sender_full_name": phone.national(number),
			"reference_doctype": COMPLAINT,
			"reference_name": complaint,
		}
	)
	with acting_as("Guest"):
		communication.insert(ignore_permissions=True)
	return communication.name


def save_media(complaint: str, media: list[tuple[str, bytes]]) -> None:
	"""Each file through the mail intake's checks (the portal's content rules, scrubbed for
	protected reporters), private; a refused file is named with its reason in a comment."""
	if not media:
		return
	from p3m_app.intake.email_inbox import checked_attachments
	from p3m_app.portal import submission

	accepted, refused = checked_attachments([{"fname": n, "fcontent": c} for n, c in media], complaint)
	with acting_as("Guest"):
		submission.save_attachments(
			complaint, [(name, content) for _a, name, content in accepted], scrubbed=True
		)
	if refused:
		reasons = "".join(f"<li>{escape_html(_(v.message).format(**v.params))}</li>" for _n, v in refused)
		frappe.get_doc(COMPLAINT, complaint).add_comment(
			"Info", _("These attachments of a message were not stored:") + f"<ul>{reasons}</ul>"
		)


def log_refusal(channel, reason: str) -> None:
	"""An Error Log naming the channel and the reason only: never a number or a message text."""
	frappe.log_error(
		title=_("P3M messaging: request refused"),
		message=_("Channel {0}: {1}").format(getattr(channel, "name", channel) or "?", reason),
		reference_doctype="Messaging Channel" if getattr(channel, "name", None) else None,
		reference_name=getattr(channel, "name", None),
	)
