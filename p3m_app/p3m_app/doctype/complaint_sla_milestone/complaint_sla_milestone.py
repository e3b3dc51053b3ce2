# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class ComplaintSLAMilestone(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("Complaint SLA Milestone", ["breach_token"])
