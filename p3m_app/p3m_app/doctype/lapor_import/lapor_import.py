# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app.interop.lapor import access


class LAPORImport(Document):
	"""An upload of the SP4N-LAPOR! export; p3m_app.interop.lapor.importer runs it."""

	def validate(self):
		if self.flags.p3m_import_run:
			return
		access.check_admin(self.unit)
		before = self.get_doc_before_save()
		if (
			before
			and before.status != "Draft"
			and (before.import_file != self.import_file or before.unit != self.unit)
		):
			frappe.throw(
				_("Start a new LAPOR Import for another file or unit; this one keeps its log."),
				title=_("Not Allowed"),
			)
		if before and (before.status, len(before.log or [])) != (self.status, len(self.log or [])):
			frappe.throw(_("Only the import itself writes its status and log."), title=_("Not Allowed"))
		if self.import_file and not self.import_file.startswith("/private/"):
			frappe.throw(
				_("Upload the LAPOR! export as a private file: it names reporters."),
				title=_("Invalid LAPOR! File"),
			)
		if not (self.import_file or "").lower().endswith((".csv", ".xlsx")):
			frappe.throw(_("The file is not a CSV or Excel (.xlsx) file."), title=_("Invalid LAPOR! File"))
