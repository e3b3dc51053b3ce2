# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app import permissions
from p3m_app.core import correction_rules as rules
from p3m_app.programs.pkh import corrections


class MasterDataCorrectionRequest(Document):
	"""A request from a Kabupaten/Kota to UPPKH Pusat to correct the PKH Master Database.

	The rules and the actions (submit, approve, reject) are in p3m_app.programs.pkh.corrections;
	who reads it in p3m_app.programs.pkh.correction_access.
	"""

	def validate(self):
		corrections.validate(self)

	def after_insert(self):
		frappe.get_doc("Complaint", self.complaint).add_comment(
			"Info",
			_("{0} drafted Master Database correction request {1} for {2}.").format(
				self.requesting_unit, self.name, self.target_unit
			),
		)

	def on_trash(self):
		frappe.throw(
			_("Correction requests are never deleted: they are part of the audit trail."),
			frappe.PermissionError,
		)

	def onload(self):
		user = frappe.session.user
		national = permissions.is_unrestricted(user)
		self.set_onload(
			"may_submit",
			self.status == rules.DRAFT
			and (
				national
				or bool(corrections.unit_roles(user, self.requesting_unit) & rules.REQUESTING_UNIT_ROLES)
			),
		)
		self.set_onload(
			"may_decide",
			self.status == rules.SUBMITTED
			and rules.may_decide(
				user, self.submitted_by, corrections.unit_roles(user, self.target_unit), national
			),
		)
		self.set_onload("evidence_files", corrections.evidence_count(self.name))


def on_doctype_update():
	# the daily overdue check and the digest of what it flagged
	frappe.db.add_index("Master Data Correction Request", ["status", "due_date"])
	frappe.db.add_index("Master Data Correction Request", ["overdue_alert_token"])
