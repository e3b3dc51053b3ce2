# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class LAPORColumnMap(Document):
	pass
