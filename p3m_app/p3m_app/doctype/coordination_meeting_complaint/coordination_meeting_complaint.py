# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.model.document import Document


class CoordinationMeetingComplaint(Document):
	"""A complaint discussed in the meeting; only its name and subject are shown, never the reporter."""
