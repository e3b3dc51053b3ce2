"""Email-to-complaint on Frappe's own Email Account (``append_to`` = Complaint).

Frappe fetches, parses, de-duplicates by Message-ID and threads by In-Reply-To; this module
only decides, for mail appended to Complaint, what the SOP needs differently:
- a mail written by a machine (auto-reply, bounce, mailing list) never opens a complaint;
  it is still stored as a Communication, so nothing is lost;
- without thread headers, a mail joins an existing complaint only when its subject carries
  that complaint's tracking code and it comes from that complaint's reporter (Frappe's own
  subject matching would accept a document name from anyone);
- a new complaint is assigned and acknowledged once, with its tracking code, by a background job
  queued after the mail is committed (p3m_app.intake.followups);
- attachments pass the portal's checks file by file: a refused file is not stored, and an Info
  comment on the complaint (or on the mail, when it opened none) names it and says why; files of
  anonymous and confidential complaints lose their hidden details (photo location, author).
"""

import json

import frappe
from frappe import _
from frappe.core.doctype.communication.communication import (
	Communication,
	update_parent_document_on_communication,
)
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.receive import InboundMail, SentEmailInInboxError
from frappe.utils import escape_html, now_datetime
from frappe.utils.html_utils import sanitize_html

from p3m_app.core import file_scrub, intake_rules, mail_rules, mail_salvage, portal_rules
from p3m_app.core.errors import RuleViolation
from p3m_app.intake import doc_templates, followups, mailboxes
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
			if self.use_imap:
				# Frappe's UNSEEN sync flags a whole batch as seen while fetching it, before storing
				# it: a pull killed mid-batch lost the rest. ALL resumes after the last stored UID.
				self.email_sync_option = "ALL"
		super().validate()

	def get_inbound_mails(self) -> list[InboundMail]:
		# Frappe's own, except that one unreadable message (no From header...) no longer aborts the
		# whole batch: it is read leniently by UnreadableMail.process
		mails = []

		def process_mail(messages, append_to=None):
			for index, message in enumerate(messages.get("latest_messages", [])):
				uid = messages["uid_list"][index] if messages.get("uid_list") else None
				seen_status = messages.get("seen_status", {}).get(uid)
				if self.email_sync_option != "UNSEEN" or seen_status != "SEEN":
					mails.append(inbound_mail(message, self, frappe.safe_decode(uid), seen_status, append_to))

		if not self.enable_incoming:
			return []
		try:
			email_server = self.get_incoming_server(
				in_receive=True, email_sync_rule=self.build_email_sync_rule()
			)
			if self.use_imap:
				for folder in self.imap_folder:
					if email_server.select_imap_folder(folder.folder_name):
						email_server.settings["uid_validity"] = folder.uidvalidity
						messages = email_server.get_messages(folder=f'"{folder.folder_name}"') or {}
						process_mail(messages, folder.append_to)
			else:
				process_mail(email_server.get_messages() or {})
			email_server.logout()
		except Exception:
			self.log_error(title=_("Error while connecting to email account {0}").format(self.name))
			return []
		return mails


def inbound_mail(raw, account, uid=None, seen_status=None, append_to=None):
	"""A ComplaintMail, or an UnreadableMail when Frappe's parser raises on it."""
	try:
		mail = ComplaintMail(raw, account, uid, seen_status, append_to)
	except Exception as error:
		return UnreadableMail(raw, account, uid, append_to, error)
	if not mail.message_id:
		# without a Message-ID Frappe cannot tell a re-delivered copy: the content names it
		mail.message_id = f"p3m-{mail_salvage.digest(raw)[:32]}@no-message-id.invalid"
	return mail


def appends_to_complaints(account, append_to) -> bool:
	return (append_to if account.use_imap else account.append_to) == COMPLAINT


class UnreadableMail:
	"""A message Frappe's parser refused; in a complaint inbox it is read leniently instead."""

	def __init__(self, raw, account, uid, append_to, error):
		self.raw_message, self.email_account, self.uid = raw, account, uid or -1
		self.append_to, self.error, self.flags = append_to, error, frappe._dict()

	def process(self):
		if not appends_to_complaints(self.email_account, self.append_to):
			raise self.error
		from p3m_app.intake import mail_rescue

		return mail_rescue.rescue(self.raw_message, self.email_account, self.uid, repr(self.error))


class ComplaintMailCommunication(Communication):
	"""A mail arriving in a complaint inbox, as Frappe stores it, minus the timeline links to the
	Contacts of its addresses and their documents: a complaint's mail shows on the complaint only
	(mail_sealing.keep_on_complaint_timeline drops such links from every complaint's mail; this
	skips the seven queries that find them, a fifth of each mail's intake)."""

	def parse_email_for_timeline_links(self):
		pass

	def set_timeline_links(self):
		pass

	def on_update(self):
		if not (self.flags.p3m_opened_complaint and self.content):
			return super().on_update()
		# the mail made its complaint, so the complaint's comment list (the list view's count) is this
		# mail alone: written at once, where Frappe would read the list back and look up the doctype
		# first. Then the rest of Frappe's on_update, for a parent without on_communication_update.
		content = self.content if len(self.content) <= 100 else self.content[:97] + "..."
		comments = [{"comment": content, "by": self.sender or self.owner, "name": self.name}]
		frappe.db.sql(
			"update `tabComplaint` set `_comments`=%s where name=%s",
			(json.dumps(comments), self.reference_name),
		)
		update_parent_document_on_communication(self)


class ComplaintMail(InboundMail):
	def appends_to_complaints(self) -> bool:
		return appends_to_complaints(self.email_account, self.append_to)

	def process(self):
		frappe.db.savepoint("p3m_mail")
		try:
			communication = super().process()
		except SentEmailInInboxError:
			raise
		except Exception:
			if not self.appends_to_complaints():
				raise
			# Frappe could not store it: the lenient reader makes the complaint, else the queue
			frappe.db.rollback(save_point="p3m_mail")
			from p3m_app.intake import mail_rescue

			return mail_rescue.rescue(self.raw_message, self.email_account, self.uid, frappe.get_traceback())
		complaint = self.flags.get("p3m_new_complaint")
		if complaint and self.flags.is_new_communication:
			followups.schedule(complaint.name, in_reply_to=self.message_id)
		return communication

	def _build_communication_doc(self):
		"""Frappe's own, except for a complaint inbox's mail without attachments: Frappe inserts every
		mail, then saves it again once its attachments have a parent (all hooks twice, the complaint
		loaded twice); without attachments that second save only sanitises the content, so that is
		done before the insert, which also gets the complaint just made instead of loading it."""
		if self.attachments or not self.appends_to_complaints():
			return super()._build_communication_doc()
		data = self.as_dict()
		data["doctype"] = "Communication"
		data["content"] = sanitize_html(self.content)  # what Frappe's second save stores
		if self.parent_communication():
			data["in_reply_to"] = self.parent_communication().name
		if self.reference_document():
			data["reference_doctype"] = self.reference_document().doctype
			data["reference_name"] = self.reference_document().name
		else:
			reference_name = self._create_reference_document(COMPLAINT)
			if reference_name:
				data["reference_doctype"] = COMPLAINT
				data["reference_name"] = reference_name
		if self.is_notification():
			data["unread_notification_sent"] = 1
		if self.seen_status:
			data["_seen"] = json.dumps(self.get_users_linked_to_account(self.email_account))
		made = self.flags.get("p3m_new_complaint")
		if made and made.name == data.get("reference_name"):
			data["reference_owner"] = made.owner  # else Frappe reads it back from the row just written
		communication = ComplaintMailCommunication(data)
		if made and made.name == data.get("reference_name"):
			communication.parent_doc = made
			communication.flags.p3m_opened_complaint = True
		communication.flags.in_receive = True
		# every link is Frappe's own parse of the mail, this inbox, or the complaint just found or made
		communication.flags.ignore_links = True
		communication.insert(ignore_permissions=True)
		# no reload: sealing (a validate hook) changed this object before it was written, and no
		# after-insert hook rewrites a received mail's row
		communication._attachments = []
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
			# the error is in the Error Log; the lenient reader makes the complaint, else the queue
			frappe.db.rollback(save_point="p3m_mail_complaint")
			frappe.log_error(
				title=_("Could not make a complaint from an e-mail"), reference_doctype="Communication"
			)
			from p3m_app.intake import mail_rescue

			return mail_rescue.reference_after_failure(self, frappe.get_traceback())
		self.flags.p3m_new_complaint = doc
		# Frappe's Communication hooks read the new complaint through the document cache (the
		# comment count's "route" check, a full load of the complaint and its tables): they get
		# this copy instead. The insert has the entry dropped again at commit or rollback.
		frappe.cache.set_value(frappe.get_document_cache_key(COMPLAINT, doc.name), doc)
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
	if (mail.text_content or "").strip():
		body = portal_rules.strip_markup(mail.text_content)
	else:
		body = portal_rules.html_to_text(mail.html_content or "")
	return insert_complaint(mail.subject, body, mail.from_email, mail.from_real_name, mail.email_account)


def insert_complaint(subject: str, body: str, email: str | None, name: str | None, account=None):
	"""A complaint from a mail. A date its holiday calendar does not cover never stops it: the
	complaint is recorded with SLA status Not Computable and the inbox's admins are alerted.
	The inbox's program, category and unit, when it names them, are the complaint's."""
	limits = intake_rules.TEXT_LIMITS
	doc_templates.warm_meta(COMPLAINT)
	doc = frappe.get_doc(
		{
			"doctype": COMPLAINT,
			"channel": "Email",
			"classification": "Pengaduan",
			"subject": (subject or _("(no subject)"))[: limits["subject"]],
			"description": (body or "")[: limits["description"]] or _("(empty message)"),
			# the SOP clock starts when the agency receives the mail; the date the sender's machine
			# claims (kept as the Communication's date) may be years off
			"received_at": now_datetime(),
			"reporter_email": (email or "")[: limits["reporter_email"]] or None,
			"reporter_name": (name or "")[: limits["reporter_name"]] or None,
			**mailboxes.complaint_values(account),
		}
	)
	doc.flags.ignore_mandatory = True
	doc.flags.ignore_links = True  # every link is the inbox's settings or the server's own choice
	doc.flags.p3m_sla_may_be_uncomputable = True
	followups.defer(doc)  # the caller schedules the job once the mail is stored
	with acting_as("Guest"):
		doc.insert(ignore_permissions=True)
	if doc.flags.get("p3m_sla_uncomputable"):
		from p3m_app.intake import unhandled_mail

		unhandled_mail.alert_sla_not_computable(doc, doc.flags.p3m_sla_uncomputable)
	return doc
