# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class MessagingMessage(Document):
	"""Written only by p3m_app.channels: one SMS or WhatsApp message, without its text or number."""


def on_doctype_update():
	# threading and the outbound channel read a complaint's messages; delivery callbacks find theirs
	frappe.db.add_index("Messaging Message", ["complaint", "direction"])
	frappe.db.add_index("Messaging Message", ["channel", "provider_message_id"])
	frappe.db.add_index("Messaging Message", ["direction", "status", "next_attempt_at"])
