# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class UnitReportRecipient(Document):
	"""Who receives a unit's monthly report by mail (Pedoman PKH, seed 004 lines 360-363); the rows
	are checked when the unit is saved (p3m_app.report_dispatch.validate_unit)."""
