"""E-mail of a confidential complaint keeps the reporter sealed.

A Communication linked to a confidential complaint loses, before it is written, what would
show who the reporter is: the sender's address and name of a mail the reporter sent, the
recipients of a mail sent to them, the account and phone number, links to contacts, the whole
text of either (people sign their mail and introduce themselves; a reply greets them by name),
and any identity value or identifier in the subject. The originals go to the complaint's vault (Reporter Identity), which only
its readers open; the officers see that a message came and ask a Confidential Reader for it. The same happens to the mail already there when a complaint becomes
confidential. Replies still thread: Frappe threads by Message-ID headers, and the app matches
a tracking code in the subject against the sealed address, read server-side.
"""

import frappe
from frappe import _

from p3m_app.access import vault
from p3m_app.core import redaction

# fields holding the counterpart of a mail: the sender of what arrives, the recipients of what leaves
RECEIVED_FIELDS = ("sender", "sender_full_name", "phone_no", "user")
SENT_FIELDS = ("recipients", "cc", "bcc", "phone_no")
TEXT_FIELDS = ("subject", "content", "text_content")
# the text of a mail to or from the reporter is sealed whole, not only masked
MAIL_TEXT = ("content", "text_content")


def sealed_sender() -> str:
	return _("Confidential reporter")


def sealed_message(medium: str | None = "Email") -> str:
	"""What an officer reads instead of a sealed mail, or of a sealed SMS or WhatsApp message."""
	if medium == "Email":
		return _(
			"This e-mail of a confidential report is sealed with the reporter's identity; "
			"a Confidential Reader can read it in the Reporter Identity record."
		)
	return _(
		"This message of a confidential report is sealed with the reporter's identity; "
		"a Confidential Reader can read it in the Reporter Identity record."
	)


def is_sealed_text(value: str) -> bool:
	return value in (sealed_message("Email"), sealed_message(None))


def is_confidential_complaint(doctype: str | None, name: str | None) -> bool:
	return (
		doctype == "Complaint"
		and bool(name)
		and bool(frappe.db.get_value("Complaint", name, "is_confidential"))
	)


def seal_communication(doc, method=None) -> None:
	"""Communication ``validate`` hook: runs on every insert and save, before the row is written."""
	keep_on_complaint_timeline(doc)
	parent = getattr(doc, "parent_doc", None)  # mail intake hands over the complaint it just made
	if parent is not None and (parent.doctype, parent.name) == (doc.reference_doctype, doc.reference_name):
		if not parent.is_confidential:
			return
	elif not is_confidential_complaint(doc.reference_doctype, doc.reference_name):
		return
	if doc.is_new() and doc.sent_or_received != "Received":
		# a mail being sent needs its recipients and text until Frappe has queued it: sealed after insert
		return
	originals = seal_fields(doc, doc.reference_name)
	vault.keep_originals(doc.reference_name, originals)


def seal_sent_communication(doc, method=None) -> None:
	"""Communication ``after_insert``: the stored copy of a sent mail is sealed; the object Frappe
	sends from keeps its recipients."""
	if doc.sent_or_received != "Received":
		seal_stored(doc.name)


def seal_stored(name: str) -> None:
	"""Seal a stored Communication of a confidential complaint (written past the hooks)."""
	doctype, complaint = frappe.db.get_value("Communication", name, ["reference_doctype", "reference_name"])
	if not is_confidential_complaint(doctype, complaint):
		return
	stored = frappe.get_doc("Communication", name)
	originals = seal_fields(stored, complaint)
	if originals:
		vault.keep_originals(complaint, originals)
		stored.db_update()
		stored.update_children()


def seal_fields(doc, complaint: str) -> dict:
	"""Blank the counterpart fields and mask known identity values in the text; return the originals."""
	originals = {}
	counterpart = RECEIVED_FIELDS if doc.sent_or_received == "Received" else SENT_FIELDS
	identity = vault.identity_values(complaint)
	if doc.sent_or_received == "Received" and doc.sender:
		identity.setdefault("reporter_email", doc.sender)
		if doc.sender_full_name and doc.sender_full_name != sealed_sender():
			identity["sender_full_name"] = doc.sender_full_name
	for field in counterpart:
		value = doc.get(field)
		if value and value != sealed_sender():
			originals[(doc.doctype, doc.name, field)] = value
			doc.set(field, None)
	if doc.sent_or_received == "Received":
		doc.sender_full_name = sealed_sender()
	for field in MAIL_TEXT:
		value = doc.get(field)
		if value and not is_sealed_text(value):
			originals[(doc.doctype, doc.name, field)] = value
			doc.set(field, sealed_message(doc.communication_medium) if field == "content" else None)
	masked = redaction.redact_all({f: doc.get(f) for f in TEXT_FIELDS}, identity, identifiers=True)
	for field, text in masked.items():
		originals[(doc.doctype, doc.name, field)] = doc.get(field)
		doc.set(field, text)
	keep_on_complaint_timeline(doc)
	return originals


def keep_on_complaint_timeline(doc) -> None:
	"""A complaint's mail shows on the complaint's timeline only. Frappe links a mail to the Contact
	of each address in it and to that contact's Customer, Supplier or other linked documents: every
	desk user who may read one of those would read a citizen's complaint there, and the officers'
	replies to it, whether the complaint is confidential or not."""
	if doc.reference_doctype != "Complaint" or not doc.get("timeline_links"):
		return
	doc.set(
		"timeline_links",
		[
			row
			for row in doc.timeline_links
			if (row.link_doctype, row.link_name) == (doc.reference_doctype, doc.reference_name)
		],
	)


def drop_other_timeline_links(communication: str | None = None) -> None:
	"""keep_on_complaint_timeline for stored mail, past the hooks: one mail moved onto a complaint by
	Frappe's relink (plain SQL), or, without a name, every complaint's mail (patch)."""
	frappe.db.sql(
		f"""delete link from `tabCommunication Link` link
		join `tabCommunication` c on c.name = link.parent
		where c.reference_doctype = 'Complaint'
			and not (link.link_doctype = 'Complaint' and link.link_name = c.reference_name)
			{"and c.name = %(name)s" if communication else ""}""",
		{"name": communication},
	)


def seal_existing(complaint: str) -> int:
	"""Seal the mail already linked to a complaint that has just become confidential."""
	from p3m_app.intake import mail_rescue

	mail_rescue.move_raw_to_vault(complaint)
	names = frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Complaint", "reference_name": complaint},
		pluck="name",
	)
	if not names:
		return 0
	for name in names:
		seal_stored(name)
	# Contact links written as Dynamic Link rows of the communications
	frappe.db.delete(
		"Communication Link",
		{"parent": ("in", names), "link_doctype": ("!=", "Complaint")},
	)
	return len(names)
