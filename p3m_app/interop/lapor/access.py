"""Who may exchange files with SP4N-LAPOR!: Admin Nasional anywhere, an Admin Instansi for its
units. A LAPOR Import (its log names complaints and tracking IDs) is read within the units in the
reader's reach, like the complaints it made."""

import frappe
from frappe import _

from p3m_app import permissions, roles

DOCTYPE = "LAPOR Import"
ADMIN_ROLES = (roles.ADMIN_NASIONAL, roles.ADMIN_INSTANSI)


sees_all = permissions.sees_all_units


def check_admin(unit: str | None = None, user: str | None = None) -> None:
	"""Refuse anyone but the admins, and an Admin Instansi a unit outside its reach."""
	user = user or frappe.session.user
	if sees_all(user):
		return
	if not set(ADMIN_ROLES) & set(frappe.get_roles(user)):
		frappe.throw(
			_("Only P3M Admin Nasional and P3M Admin Instansi exchange files with SP4N-LAPOR!."),
			frappe.PermissionError,
		)
	if unit and not permissions.unit_in_reach(unit, user):
		frappe.throw(
			_(
				"Unit {0} is outside the units you can see; choose one of your units or a unit below them."
			).format(unit),
			frappe.PermissionError,
		)


def query_conditions(user: str | None = None) -> str:
	return permissions.unit_field_conditions(DOCTYPE, user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.is_new() and not doc.get("unit"):
		return True  # the controller checks the unit it is given
	return permissions.unit_field_permission(doc, user)
