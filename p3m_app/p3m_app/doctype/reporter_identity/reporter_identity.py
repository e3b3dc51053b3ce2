# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class ReporterIdentity(Document):
	"""Sealed identity of a confidential complaint's reporter (see p3m_app.identity)."""


def on_doctype_update():
	frappe.db.add_index("Reporter Identity", ["portal_user"])
