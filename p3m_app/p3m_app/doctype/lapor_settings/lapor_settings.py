# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app.core import lapor_rules


class LAPORSettings(Document):
	"""The column map and status maps of the SP4N-LAPOR! exchange (p3m_app.interop.lapor)."""

	def validate(self):
		seen = {}
		for row in self.columns:
			if row.meaning in seen:
				frappe.throw(
					_("Columns row {0}: {1} is already read from column {2}.").format(
						row.idx, _(row.meaning), seen[row.meaning]
					),
					title=_("Invalid LAPOR Settings"),
				)
			seen[row.meaning] = row.lapor_header
		missing = [_(m) for m in lapor_rules.REQUIRED if m not in seen]
		if missing:
			frappe.throw(
				_("Name the column of: {0}.").format(", ".join(missing)), title=_("Invalid LAPOR Settings")
			)
