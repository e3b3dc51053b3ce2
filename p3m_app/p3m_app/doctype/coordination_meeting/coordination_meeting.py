# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app.core import meeting_rules
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw


class CoordinationMeeting(Document):
	"""A coordination meeting (rapat koordinasi) between units about some complaints.

	Who may read or change it is decided in ``p3m_app.meetings``; the rules are in
	``p3m_app.core.meeting_rules``. A save checks only the units and complaints it adds, so older
	meetings stay editable after a unit closes or a complaint moves out of the user's reach.
	"""

	def validate(self):
		if not self.title:
			self.title = _("Coordination Meeting {0}").format(self.organising_unit)
		before = self.get_doc_before_save()
		units = [row.unit for row in self.participating_units]
		complaints = [row.complaint for row in self.complaints]
		new_units = meeting_rules.added(unit_names(before), [self.organising_unit, *units])
		try:
			meeting_rules.check_participants(self.organising_unit, units)
			meeting_rules.check_active(new_units, inactive_units(new_units))
			meeting_rules.check_complaints(complaints)
			meeting_rules.check_attendance(
				[(row.person, row.unit) for row in self.attendance], {self.organising_unit, *units}
			)
		except RuleViolation as violation:
			throw(violation, title=_("Invalid Coordination Meeting"))
		self.check_complaints_readable(meeting_rules.added(complaint_names(before), complaints))

	def check_complaints_readable(self, complaints: list[str]):
		"""A user links only complaints they may read: the meeting must not leak others' subjects."""
		user = frappe.session.user
		for complaint in complaints:
			if frappe.db.exists("Complaint", complaint) and not frappe.has_permission(
				"Complaint", "read", doc=complaint, user=user
			):
				frappe.throw(
					_("You cannot link complaint {0}: it is outside your units.").format(complaint),
					frappe.PermissionError,
					title=_("Invalid Coordination Meeting"),
				)


def unit_names(doc) -> list[str]:
	if not doc:
		return []
	return [doc.organising_unit, *[row.unit for row in doc.participating_units]]


def complaint_names(doc) -> list[str]:
	return [row.complaint for row in doc.complaints] if doc else []


def inactive_units(units: list[str]) -> set[str]:
	if not units:
		return set()
	return set(frappe.get_all("Unit", filters={"name": ("in", units), "is_active": 0}, pluck="name"))


def on_doctype_update():
	# the meeting rhythm reads each unit's last held meeting and its drafts (p3m_app.meeting_rhythm)
	frappe.db.add_index("Coordination Meeting", ["organising_unit", "status", "meeting_date"])
	frappe.db.add_index("Coordination Meeting", ["organising_unit", "due_date"])
