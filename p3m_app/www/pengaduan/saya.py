"""A signed-in citizen's own reports."""

import frappe
from frappe import _

from p3m_app.portal.mine import my_complaints

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/pengaduan/saya"
		raise frappe.Redirect
	context.title = _("My Reports")
	context.complaints = my_complaints(frappe.session.user)
	return context
