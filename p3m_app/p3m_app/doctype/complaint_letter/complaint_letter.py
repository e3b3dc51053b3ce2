# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintLetter(Document):
	"""One letter sent to the reporter; rows are added by p3m_app.programs.pkh.letters.record_letter."""
