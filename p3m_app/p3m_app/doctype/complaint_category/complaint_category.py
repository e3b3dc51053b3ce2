# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from frappe.utils.nestedset import NestedSet


class ComplaintCategory(NestedSet):
	nsm_parent_field = "parent_complaint_category"
