# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document

from p3m_app import phone_fields


class ReporterIdentity(Document):
	"""Sealed identity of a confidential complaint's reporter (see p3m_app.identity)."""

	def validate(self):
		phone_fields.identity_validate(self)

	def onload(self):
		phone_fields.identity_onload(self)


def on_doctype_update():
	frappe.db.add_index("Reporter Identity", ["portal_user"])
