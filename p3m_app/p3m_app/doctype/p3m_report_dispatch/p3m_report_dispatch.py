# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class P3MReportDispatch(Document):
	"""Written only by p3m_app.report_dispatch; read within the reader's units
	(p3m_app.report_dispatch.query_conditions / has_permission)."""


def on_doctype_update():
	# one dispatch per unit, report and month: a rerun finds it instead of mailing twice
	frappe.db.add_unique("P3M Report Dispatch", ["unit", "report", "period"], "unit_report_period")
	frappe.db.add_index("P3M Report Dispatch", ["period", "status"])
