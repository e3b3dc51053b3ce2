# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class UnitServiceArea(Document):
	"""A place a unit serves; its keys are written by the Unit (p3m_app.routing.set_area_keys)."""


def on_doctype_update():
	# nearest-level routing: one indexed lookup of a complaint's few candidate keys per intake
	frappe.db.add_index("Unit Service Area", ["area_key"])
