# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class P3MProgramReferral(Document):
	"""Where Refer Up sends a program's complaints from one level when no unit is chosen."""
