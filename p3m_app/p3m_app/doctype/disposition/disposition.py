# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class Disposition(Document):
	"""One forwarding step of a complaint; written by the complaint's workflow, never by hand."""

	def on_trash(self):
		frappe.throw(_("Dispositions are never deleted."), frappe.PermissionError)


def on_doctype_update():
	frappe.db.add_index("Disposition", ["complaint", "to_unit", "status"])
	frappe.db.add_index("Disposition", ["to_unit", "status"])
	frappe.db.add_index("Disposition", ["from_unit", "status"])
	# the complaint scope's "units that keep reading" sub-select
	frappe.db.add_index("Disposition", ["reader_unit", "complaint"])
