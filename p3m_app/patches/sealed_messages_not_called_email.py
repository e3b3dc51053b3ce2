"""A sealed SMS or WhatsApp message of a confidential report said "This e-mail ...": stored ones now
read "This message ...", in each language they may have been sealed in."""

import frappe

from p3m_app.access.mail_sealing import sealed_message


def execute():
	previous = frappe.local.lang
	try:
		for lang in {"en", "id", frappe.db.get_default("lang") or "en"}:
			frappe.local.lang = lang
			frappe.db.sql(
				"""update `tabCommunication` set content = %(new)s
				where reference_doctype = 'Complaint' and ifnull(communication_medium, '') != 'Email'
					and content = %(old)s""",
				{"new": sealed_message(None), "old": sealed_message("Email")},
			)
	finally:
		frappe.local.lang = previous
