# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class UnitOfficer(Document):
	pass


def on_doctype_update():
	# every permission check looks up the user's units
	frappe.db.add_index("Unit Officer", ["user"])
