"""The public complaint form (guests welcome)."""

import frappe
from frappe import _

from p3m_app.core import intake_rules, portal_rules

no_cache = 1
sitemap = 1

DESCRIPTIONS = {
	"Pengaduan": _("Report a problem with a public service or a violation."),
	"Keluhan": _("Tell us about poor service you received."),
	"Permintaan Informasi": _("Ask for public information."),
	"Aspirasi": _("Share a suggestion or an idea."),
	"Whistleblowing": _("Report wrongdoing by an official. Your identity is kept confidential."),
}


def get_context(context):
	context.title = _("Submit a Report")
	context.classifications = [
		{"value": c, "label": _(c), "description": DESCRIPTIONS[c]} for c in intake_rules.CLASSIFICATIONS
	]
	context.categories = frappe.get_all(
		"Complaint Category",
		filters={"is_group": 0},
		fields=["name", "category_name"],
		order_by="lft asc",
		ignore_permissions=True,
	)
	context.programs = frappe.get_all(
		"P3M Program", pluck="name", order_by="name asc", ignore_permissions=True
	)
	context.reporter_types = [{"value": t, "label": _(t)} for t in intake_rules.REPORTER_TYPES]
	context.information_formats = [{"value": f, "label": _(f)} for f in portal_rules.INFORMATION_FORMATS]
	context.accept = ",".join("." + ext for ext in sorted(portal_rules.SIGNATURES))
	context.max_files = portal_rules.MAX_FILES
	context.max_file_mb = portal_rules.MAX_FILE_BYTES // 2**20
	context.signed_in = frappe.session.user != "Guest"
	return context
