# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintStepProgress(Document):
	"""A complaint's handling step; p3m_app.programs.pkh.checklist.tick_step is its only writer."""
