# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class ReporterIdentitySealedText(Document):
	"""The original of a text taken out of a confidential complaint or one of its e-mails."""
