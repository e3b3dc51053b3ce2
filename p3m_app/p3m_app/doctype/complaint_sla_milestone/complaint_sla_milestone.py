# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintSLAMilestone(Document):
	"""A complaint's deadline for one milestone; the SLA sweep flags it when it passes."""
