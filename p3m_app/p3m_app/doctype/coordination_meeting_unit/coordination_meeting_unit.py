# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class CoordinationMeetingUnit(Document):
	"""A unit taking part in a coordination meeting; it may read the meeting."""
