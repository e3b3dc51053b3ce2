# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintHandlingStep(Document):
	"""One step of a Complaint Category's handling checklist (p3m_app.core.checklist)."""
