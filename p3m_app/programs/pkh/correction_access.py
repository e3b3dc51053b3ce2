"""Who reads a Master Data Correction Request and its evidence.

A request follows its complaint's scope (whoever reads the complaint reads its requests), and
the officers of the unit it is addressed to (UPPKH Pusat) read the requests sent to them. Only
the requesting side writes a Draft; decisions go through p3m_app.programs.pkh.corrections.
"""

import frappe

from p3m_app import permissions
from p3m_app.core import unit_scope

DOCTYPE = "Master Data Correction Request"
TABLE = f"`tab{DOCTYPE}`"
READ_PTYPES = frozenset({"read", "select", "print", "email", "export", "report"})


def query_conditions(user: str | None = None) -> str:
	from p3m_app.access import linked_records

	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	bounds = permissions.unit_bounds(user)
	if not bounds:
		return "1=0"
	readers = unit_scope.sql_condition("reader.reader_unit", bounds)
	target = unit_scope.sql_condition(f"{TABLE}.`target_unit`", bounds)
	return f"""({TABLE}.`complaint` in ({linked_records.readable_complaints(user)})
		or {TABLE}.`complaint` in (select reader.complaint from `tabDisposition` reader where {readers})
		or {target})"""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return True
	complaint = doc.get("complaint")
	if doc.is_new():
		# creating: the complaint's holding unit must be in reach (the controller then requires an
		# officer or admin of that very unit)
		if not complaint:
			return True
		return permissions.unit_in_reach(frappe.db.get_value("Complaint", complaint, "current_unit"), user)
	if (ptype or "read") in READ_PTYPES:
		return permissions.complaint_in_reach(complaint, user) or permissions.unit_in_reach(
			doc.get("target_unit"), user
		)
	return permissions.unit_in_reach(doc.get("requesting_unit"), user)


def may_read(name: str | None, user: str | None = None) -> bool:
	"""For evidence files: whether ``user`` may read the request a file is attached to."""
	if not name:
		return False
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return True
	values = frappe.db.get_value(DOCTYPE, name, ["complaint", "target_unit"], as_dict=True)
	if not values:
		return False
	return permissions.complaint_in_reach(values.complaint, user) or permissions.unit_in_reach(
		values.target_unit, user
	)


def file_condition(user: str) -> str:
	"""SQL for File rows attached to requests ``user`` may read (ORed into the File scope)."""
	return f"""(`tabFile`.`attached_to_doctype` = '{DOCTYPE}' and `tabFile`.`attached_to_name` in (
		select {TABLE}.name from {TABLE} where {query_conditions(user) or "1=1"}))"""
