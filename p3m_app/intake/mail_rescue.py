"""No mail falls through: what happens to a mail Frappe's own intake could not take.

A mail appended to Complaint that Frappe could not parse or store is read again by the lenient
reader (core.mail_salvage) and becomes a complaint with whatever could be read: the raw message
is attached to it as a private file (its name carries the message's digest, so a re-delivered
copy finds it instead of making a second complaint), every other part is kept as a private file
(a file the portal's checks refuse is kept under a ``.bin`` name, which is only ever downloaded).
Machine mail, and mail even this cannot store, goes to Frappe's *Unhandled Email* queue, which
the inbox's admins see (p3m_app.intake.unhandled_mail).
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import escape_html

from p3m_app.core import mail_rules, mail_salvage, portal_rules
from p3m_app.intake import followups

COMPLAINT = "Complaint"
UNHANDLED = "Unhandled Email"
RAW_PREFIX = "p3m-raw-mail-"


def raw_file_name(raw: bytes | str) -> str:
	return f"{RAW_PREFIX}{mail_salvage.digest(raw)[:24]}.eml"


def raw_bytes(raw: bytes | str) -> bytes:
	return raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")


def move_raw_to_vault(complaint: str) -> int:
	"""A complaint that became confidential: its raw messages (the sender's address and name in
	their headers) move to its Reporter Identity record, which only Confidential Readers read."""
	names = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": COMPLAINT,
			"attached_to_name": complaint,
			"file_name": ("like", f"{RAW_PREFIX}%"),
		},
		pluck="name",
	)
	for name in names:
		frappe.db.set_value(
			"File", name, {"attached_to_doctype": "Reporter Identity", "attached_to_name": complaint}
		)
	return len(names)


def existing_complaint(raw: bytes | str) -> str | None:
	"""The complaint already made from this very message, if any (by the stored file's content
	hash: Frappe renames a file whose name is taken on disk)."""
	return frappe.db.get_value(
		"File",
		{
			# a confidential complaint's raw message lives on its Reporter Identity (same name)
			"attached_to_doctype": ("in", (COMPLAINT, "Reporter Identity")),
			"file_name": ("like", f"{RAW_PREFIX}%"),
			"content_hash": hashlib.md5(raw_bytes(raw), usedforsecurity=False).hexdigest(),
		},
		"attached_to_name",
	)


def rescue(raw: bytes | str, account, uid=None, reason: str = "") -> None:
	"""After Frappe failed on a mail of a complaint inbox: a complaint, else the admins' queue."""
	frappe.log_error(title=_("P3M: an e-mail Frappe could not read"), message=reason)
	frappe.db.savepoint("p3m_mail_rescue")
	try:
		if complaint_from_raw(raw, account=account):
			return None
	except Exception:
		frappe.db.rollback(save_point="p3m_mail_rescue")
		reason = f"{reason}\n\n{frappe.get_traceback()}"
	store_unhandled(raw, account, uid, reason)
	return None


def reference_after_failure(mail, reason: str) -> str | None:
	"""The complaint for a mail whose Communication Frappe stores but whose complaint failed."""
	frappe.db.savepoint("p3m_mail_reference")
	try:
		return complaint_from_raw(mail.raw_message, account=mail.email_account)
	except Exception:
		frappe.db.rollback(save_point="p3m_mail_reference")
		store_unhandled(
			mail.raw_message, mail.email_account, mail.uid, f"{reason}\n\n{frappe.get_traceback()}"
		)
		return None


def complaint_from_raw(raw: bytes | str, include_machine_mail: bool = False, account=None) -> str | None:
	"""The complaint made from a raw message (an existing one on a re-delivery); None for machine
	mail unless ``include_machine_mail`` (an admin chose to make it a complaint). ``account``: the
	inbox it came to, whose program, category and unit the complaint takes."""
	name = existing_complaint(raw)
	if name:
		return name
	found = mail_salvage.salvage(raw)
	if not include_machine_mail and mail_rules.automated_reason(
		found.headers, found.from_email, found.subject
	):
		return None
	from p3m_app.intake.email_inbox import insert_complaint

	doc = insert_complaint(found.subject, found.text, found.from_email, found.from_name, account)
	store_file(doc.name, raw_file_name(raw), raw_bytes(raw))
	kept = keep_attachments(doc.name, found.attachments)
	doc.add_comment("Info", salvage_note(found, kept))
	followups.schedule(doc.name, in_reply_to=found.message_id or None)
	return doc.name


def keep_attachments(complaint: str, attachments: list) -> list[str]:
	from p3m_app.intake.email_inbox import checked_attachments

	files = [{"fname": name, "fcontent": content} for name, content, _kind in attachments]
	accepted, refused = checked_attachments(files, complaint) if files else ([], [])
	kept = [(name, content) for _a, name, content in accepted]
	# a file the checks refuse (or cannot read) is kept, only ever downloaded, never shown
	by_name = {a["fname"]: a["fcontent"] for a in files}
	originals = {portal_rules.safe_filename(n): c for n, c in by_name.items()}
	kept += [(f"{name}.bin", originals.get(name, b"")) for name, _violation in refused]
	stored = []
	for name, content in kept:
		# a file Frappe cannot store as it is (a corrupt image its EXIF step cannot open) is kept
		# under a .bin name; the raw message keeps it anyway
		for candidate in dict.fromkeys((name, f"{name}.bin")):
			frappe.db.savepoint("p3m_mail_file")
			try:
				store_file(complaint, candidate, content)
			except Exception:
				frappe.db.rollback(save_point="p3m_mail_file")
				continue
			stored.append(candidate)
			break
		else:
			frappe.log_error(title=_("P3M: an attachment of an e-mail could not be stored"))
	return stored


def store_file(complaint: str, name: str, content: bytes) -> None:
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": name,
			"attached_to_doctype": COMPLAINT,
			"attached_to_name": complaint,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)


def salvage_note(found, kept: list[str]) -> str:
	lines = [_("This complaint was made from an e-mail that could not be read in full.")]
	lines.append(_("The original message is attached as a private file."))
	if found.date_header:
		lines.append(_("The sender's mail claims it was sent on: {0}").format(escape_html(found.date_header)))
	if found.problems:
		lines.append(_("Problems found: {0}").format(escape_html("; ".join(found.problems[:20]))))
	if kept:
		lines.append(_("Attachments kept: {0}").format(escape_html(", ".join(kept))))
	return "<br>".join(lines)


def store_unhandled(raw: bytes | str, account, uid, reason: str) -> str:
	"""One Unhandled Email row per message and inbox (also for POP3, which Frappe skips)."""
	text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
	message_id = mail_salvage.salvage(raw).message_id
	filters = {"email_account": account.name}
	filters.update({"message_id": message_id} if message_id else {"raw": text})
	name = frappe.db.get_value(UNHANDLED, filters)
	if name:
		return name
	doc = frappe.get_doc(
		{
			"doctype": UNHANDLED,
			"email_account": account.name,
			"uid": uid if uid not in (None, -1) else None,
			"message_id": message_id or None,
			"raw": text,
			"reason": reason,
		}
	).insert(ignore_permissions=True)
	return doc.name
