# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe import _
from frappe.utils.nestedset import NestedSet

from p3m_app.core import checklist
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw


class ComplaintCategory(NestedSet):
	nsm_parent_field = "parent_complaint_category"

	def validate(self):
		try:
			checklist.check_steps([row.as_dict() for row in self.get("handling_steps") or []])
		except RuleViolation as violation:
			throw(violation, title=_("Invalid Handling Steps"))
