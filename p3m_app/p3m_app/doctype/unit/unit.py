# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from p3m_app import assignment, phone_fields, routing


class Unit(NestedSet):
	nsm_parent_field = "parent_unit"

	def validate(self):
		if self.parent_unit == self.name:
			frappe.throw(_("A unit cannot be its own parent."))
		seen = set()
		for row in self.officers:
			if row.user in seen:
				frappe.throw(_("{0} is listed twice among the officers of {1}.").format(row.user, self.name))
			seen.add(row.user)
		routing.set_area_keys(self)
		phone_fields.unit_validate(self)

	def onload(self):
		phone_fields.unit_onload(self)

	def on_update(self):
		super().on_update()
		assignment.grant_unit_roles(self)
		assignment.sync_assignment_rule(self)
