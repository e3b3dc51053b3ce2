"""Mail to the reporter: the tracking code once, and the answer when the unit gives it.

Sent with ``frappe.sendmail`` and a reference to the complaint, so a reply threads back onto
it; no Communication is written to the timeline, which would show a sealed address to staff.
"""

import frappe
from frappe import _
from frappe.utils import get_url, now_datetime

from p3m_app.core import mail_rules, tracking_code


def reporter_email(doc) -> str | None:
	"""The reporter's address, from the complaint or, when sealed, from its identity record."""
	if doc.is_anonymous:
		return None
	if doc.reporter_email:
		return doc.reporter_email
	if doc.identity_sealed:
		return frappe.db.get_value("Reporter Identity", doc.name, "reporter_email")
	return None


def track_url(code: str) -> str:
	return get_url(f"/pengaduan/lacak?code={tracking_code.display(code)}")


def acknowledge(doc, email: str, in_reply_to: str | None = None) -> None:
	"""The tracking code, once per complaint."""
	if doc.acknowledged_at or not email:
		return
	code = tracking_code.display(doc.tracking_code)
	sent = send(
		recipients=[email],
		subject=mail_rules.subject_with_code(_("Your report has been received"), doc.tracking_code),
		message=_(
			"<p>Thank you. Your report has been received.</p>"
			"<p>Tracking code: <b>{0}</b></p>"
			"<p>Keep this code: it is the only way to follow your report if you did not sign in. "
			'Follow it at <a href="{1}">{1}</a>.</p>'
		).format(code, track_url(doc.tracking_code)),
		reference_doctype="Complaint",
		reference_name=doc.name,
		in_reply_to=in_reply_to,
		delayed=True,
	)
	if not sent:
		return
	frappe.db.set_value("Complaint", doc.name, "acknowledged_at", now_datetime(), update_modified=False)
	doc.acknowledged_at = now_datetime()


def send_answer(doc) -> None:
	"""The unit's answer to the reporter, unless nobody can be reached (anonymous, no address)."""
	email = reporter_email(doc)
	if not email:
		return
	sent = send(
		recipients=[email],
		subject=mail_rules.subject_with_code(_("Answer to your report"), doc.tracking_code),
		message=_(
			"{0}<hr><p>If you are not satisfied with this answer you can object on the tracking page "
			'before the complaint is closed: <a href="{1}">{1}</a>.</p>'
		).format(frappe.utils.sanitize_html(doc.response or ""), track_url(doc.tracking_code)),
		reference_doctype="Complaint",
		reference_name=doc.name,
		delayed=True,
	)
	if sent:
		doc.add_comment("Info", _("The answer was e-mailed to the reporter."))


def send(**kwargs) -> bool:
	"""Queue a mail; a site without outgoing mail logs it instead of blocking the workflow.

	Frappe shows "Please setup default Email Account" as a server message when it refuses; that
	is for staff, so the message is taken back (a citizen would see it after their submission)
	and only the Error Log entry stays.
	"""
	shown = len(frappe.local.message_log)
	try:
		frappe.sendmail(**kwargs)
		return True
	except frappe.OutgoingEmailError:
		del frappe.local.message_log[shown:]
		# an explicit message: Frappe's default traceback carries the local variables, the
		# reporter's address among them, into the Error Log
		frappe.log_error(
			title=_("Reporter not informed: no outgoing e-mail account"),
			message=_("Set up a default outgoing e-mail account, then inform the reporter of {0}.").format(
				kwargs.get("reference_name")
			),
			reference_doctype=kwargs.get("reference_doctype"),
			reference_name=kwargs.get("reference_name"),
		)
		return False
