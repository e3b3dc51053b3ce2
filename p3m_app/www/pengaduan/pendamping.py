"""The pendamping's recording screen: complaints heard in group meetings and visits, from a phone."""

import frappe
from frappe import _
from frappe.sessions import get_csrf_token

from p3m_app.core import portal_rules, public_view, tracking_code
from p3m_app.portal import pendamping

no_cache = 1

RECORDED_VIA_LABELS = {
	"Group Meeting": _("Group meeting (pertemuan kelompok)"),
	"Home Visit": _("Home visit (kunjungan rumah)"),
	"Service Provider Visit": _("Visit to a school or puskesmas"),
	"Village Officials": _("Village or kecamatan officials"),
}
CLASSIFICATIONS = ("Pengaduan", "Keluhan", "Aspirasi")


def get_context(context):
	user = frappe.session.user
	if user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/pengaduan/pendamping"
		raise frappe.Redirect
	units = pendamping.pendamping_units(user)
	if not units:
		frappe.throw(_("Only a pendamping listed in an active unit may record here."), frappe.PermissionError)
	# Frappe checks the CSRF token of a session only once it has one, and only the desk makes it
	get_csrf_token()
	context.title = _("Record a Complaint (Pendamping)")
	context.units = units
	context.recorded_via = [{"value": v, "label": RECORDED_VIA_LABELS[v]} for v in pendamping.RECORDED_VIA]
	context.classifications = [{"value": c, "label": _(c)} for c in CLASSIFICATIONS]
	context.categories = frappe.get_all(
		"Complaint Category", fields=["name", "category_name"], order_by="lft asc", ignore_permissions=True
	)
	context.programs = frappe.get_all(
		"P3M Program", pluck="name", order_by="name asc", ignore_permissions=True
	)
	context.default_program = "PKH" if "PKH" in context.programs else ""
	context.accept = ",".join("." + ext for ext in sorted(portal_rules.SIGNATURES))
	context.max_files = portal_rules.MAX_FILES
	context.recent = [
		{
			"tracking_code": tracking_code.display(row.tracking_code),
			"subject": row.subject,
			"status": public_view.PUBLIC_STATUS.get(row.workflow_state, row.workflow_state),
		}
		for row in pendamping.recent(user)
	]
	return context
