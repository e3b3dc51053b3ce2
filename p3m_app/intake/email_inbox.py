"""Email-to-complaint on Frappe's own Email Account (``append_to`` = Complaint).

Frappe fetches, parses, de-duplicates by Message-ID and threads by In-Reply-To; this module
only decides, for mail appended to Complaint, what the SOP needs differently:
- a mail written by a machine (auto-reply, bounce, mailing list) never opens a complaint;
  it is still stored as a Communication, so nothing is lost;
- without thread headers, a mail joins an existing complaint only when its subject carries
  that complaint's tracking code and it comes from that complaint's reporter (Frappe's own
  subject matching would accept a document name from anyone);
- a new complaint is acknowledged once, with its tracking code;
- attachments pass the portal's checks file by file: a refused file is not stored, and an Info
  comment on the complaint (or on the mail, when it opened none) names it and says why; files of
  anonymous and confidential complaints lose their hidden details (photo location, author).
"""

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.receive import InboundMail
from frappe.utils import escape_html, now_datetime

from p3m_app.core import file_scrub, intake_rules, mail_rules, portal_rules
from p3m_app.core.errors import RuleViolation
from p3m_app.portal import notify
from p3m_app.portal.context import acting_as

COMPLAINT = "Complaint"


class ComplaintInboxAccount(EmailAccount):
	def validate(self):
		if self.append_to == COMPLAINT or any(f.append_to == COMPLAINT for f in self.imap_folder or []):
			# the acknowledgement carries the tracking code instead of Frappe's generic auto-reply;
			# contacts made from senders would show reporters' identities to every desk user
			self.enable_auto_reply = 0
			self.create_contact = 0
		super().validate()

	def get_inbound_mails(self) -> list[InboundMail]:
		mails = super().get_inbound_mails()
		for mail in mails:
			if type(mail) is InboundMail:
				mail.__class__ = ComplaintMail
		return mails


class ComplaintMail(InboundMail):
	def appends_to_complaints(self) -> bool:
		target = self.append_to if self.email_account.use_imap else self.email_account.append_to
		return target == COMPLAINT

	def process(self):
		communication = super().process()
		complaint = self.flags.get("p3m_new_complaint")
		if complaint and self.flags.is_new_communication:
			notify.acknowledge(complaint, complaint.reporter_email, in_reply_to=self.message_id)
		return communication

	def match_record_by_subject_and_sender(self, doctype):
		if doctype != COMPLAINT:
			return super().match_record_by_subject_and_sender(doctype)
		code = mail_rules.tracking_code_in(self.subject)
		name = code and frappe.db.get_value(COMPLAINT, {"tracking_code": code})
		if not name:
			return None
		doc = frappe.get_doc(COMPLAINT, name)
		return doc if mail_rules.same_sender(self.from_email, notify.reporter_email(doc)) else None

	def save_attachments_in_doc(self, doc):
		if not (self.appends_to_complaints() or doc.get("reference_doctype") == COMPLAINT):
			return super().save_attachments_in_doc(doc)
		complaint = doc.reference_name if doc.get("reference_doctype") == COMPLAINT else None
		accepted, refused = checked_attachments(self.attachments, complaint)
		original, cids = self.attachments, self.cid_map
		self.attachments = [
			{**attachment, "fname": name, "fcontent": content} for attachment, name, content in accepted
		]
		self.cid_map = {name: cids[a["fname"]] for a, name, _c in accepted if a["fname"] in cids}
		try:
			saved = super().save_attachments_in_doc(doc)
		finally:
			self.attachments, self.cid_map = original, {**cids, **self.cid_map}
		if refused:
			note_refused(doc, complaint, refused)
		return saved

	def _create_reference_document(self, doctype):
		if doctype != COMPLAINT:
			return super()._create_reference_document(doctype)
		headers = {k.lower(): str(v) for k, v in self.mail.items()}
		reason = mail_rules.automated_reason(headers, self.from_email, self.subject)
		if reason:
			self.flags.p3m_automated = reason
			return None
		frappe.db.savepoint("p3m_mail_complaint")
		try:
			doc = new_complaint(self)
		except Exception:
			# the mail stays as an unlinked Communication; the error is in the Error Log
			frappe.db.rollback(save_point="p3m_mail_complaint")
			frappe.log_error(
				title=_("Could not make a complaint from an e-mail"), reference_doctype="Communication"
			)
			return None
		self.flags.p3m_new_complaint = doc
		return doc.name


def checked_attachments(attachments: list[dict], complaint: str | None) -> tuple[list, list]:
	"""(attachment, safe name, content) for the files to keep; (name, reason) for the rest."""
	verdicts = portal_rules.attachment_verdicts([(a["fname"], a["fcontent"]) for a in attachments])
	scrub = bool(complaint) and file_scrub.needs_scrub(
		frappe.db.get_value(
			COMPLAINT, complaint, ["is_anonymous", "is_confidential", "identity_sealed"], as_dict=True
		)
		or {}
	)
	accepted, refused = [], []
	for attachment, verdict in zip(attachments, verdicts, strict=True):
		name = portal_rules.safe_filename(attachment["fname"])
		try:
			if verdict:
				raise verdict
			content = file_scrub.scrub(name, attachment["fcontent"]) if scrub else attachment["fcontent"]
		except RuleViolation as violation:
			refused.append((name, violation))
			continue
		accepted.append((attachment, name, content))
	return accepted, refused


def note_refused(doc, complaint: str | None, refused: list[tuple[str, RuleViolation]]) -> None:
	"""Nothing disappears silently: staff read which files were left out, and why."""
	reasons = "".join(f"<li>{escape_html(_(v.message).format(**v.params))}</li>" for _name, v in refused)
	target = frappe.get_doc(COMPLAINT, complaint) if complaint else doc
	target.add_comment("Info", _("These attachments of an e-mail were not stored:") + f"<ul>{reasons}</ul>")


def new_complaint(mail: InboundMail):
	limits = intake_rules.TEXT_LIMITS
	if (mail.text_content or "").strip():
		body = portal_rules.strip_markup(mail.text_content)
	else:
		body = portal_rules.html_to_text(mail.html_content or "")
	doc = frappe.get_doc(
		{
			"doctype": COMPLAINT,
			"channel": "Email",
			"classification": "Pengaduan",
			"subject": (mail.subject or _("(no subject)"))[: limits["subject"]],
			"description": body[: limits["description"]] or _("(empty message)"),
			# the SOP clock starts when the agency receives the mail; the date the sender's machine
			# claims (kept as the Communication's date) may be years off
			"received_at": now_datetime(),
			"reporter_email": (mail.from_email or "")[: limits["reporter_email"]] or None,
			"reporter_name": (mail.from_real_name or "")[: limits["reporter_name"]] or None,
		}
	)
	doc.flags.ignore_mandatory = True
	with acting_as("Guest"):
		doc.insert(ignore_permissions=True)
	return doc
