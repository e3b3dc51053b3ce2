# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app.core import sla_policy as sla
from p3m_app.core.errors import RuleViolation
from p3m_app.sla import policies
from p3m_app.utils import throw


class SLAPolicy(Document):
	def validate(self):
		policy = policies.to_policy(self)
		try:
			sla.validate(policy)
			if self.enabled:
				others = [
					policies.to_policy(frappe.get_doc("SLA Policy", name))
					for name in frappe.get_all(
						"SLA Policy", filters={"enabled": 1, "name": ("!=", self.name)}, pluck="name"
					)
				]
				sla.check_conflicts(policy, others)
		except RuleViolation as violation:
			throw(violation, title=_("Invalid SLA Policy"))

	def on_update(self):
		policies.clear_cache()

	def on_trash(self):
		policies.clear_cache()
