"""The portal's endpoints. Guests are welcome and untrusted: every call is rate limited per IP."""

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import cint

from p3m_app.portal import submission, tracking
from p3m_app.portal.outage import refused_while_database_unavailable

HOUR = 60 * 60


# cint: `bench set-config KEY 100` stores the string "100", which rate_limit cannot compare
def submit_limit() -> int:
	return cint(frappe.conf.get("p3m_portal_submit_limit")) or 10


def track_limit() -> int:
	return cint(frappe.conf.get("p3m_portal_track_limit")) or 30


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=submit_limit, seconds=HOUR)
@refused_while_database_unavailable
def submit():
	form = {k: v for k, v in frappe.form_dict.items() if isinstance(v, str)}
	return submission.submit(form, submission.uploaded_files())


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=track_limit, seconds=HOUR)
@refused_while_database_unavailable
def track(code: str | None = None):
	return tracking.view(code)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=submit_limit, seconds=HOUR)
@refused_while_database_unavailable
def add_information(code: str | None = None, message: str | None = None):
	return tracking.add_information(code, message, submission.uploaded_files())


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=submit_limit, seconds=HOUR)
@refused_while_database_unavailable
def rate(code: str | None = None, rating: str | None = None, feedback: str | None = None):
	return tracking.rate(code, rating, feedback)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=submit_limit, seconds=HOUR)
@refused_while_database_unavailable
def object_to_answer(code: str | None = None, reason: str | None = None):
	return tracking.object_to_answer(code, reason)
