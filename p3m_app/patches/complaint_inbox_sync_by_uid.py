"""Complaint inboxes pull by UID (sync option ALL): with Frappe's default UNSEEN a pull killed
mid-batch lost the mails it had fetched but not stored. The next pull resumes after the highest UID
stored; a mail it sees again is recognised by its Message-ID and stored once."""

import frappe


def execute():
	folders = frappe.get_all("IMAP Folder", filters={"append_to": "Complaint"}, pluck="parent")
	accounts = frappe.get_all("Email Account", filters={"append_to": "Complaint"}, pluck="name")
	for name in set(folders + accounts):
		if frappe.db.get_value("Email Account", name, "use_imap"):
			frappe.db.set_value("Email Account", name, "email_sync_option", "ALL", update_modified=False)
