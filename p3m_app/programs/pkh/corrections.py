"""Master Database correction requests (Pedoman PKH, seed 004: lines 346-351 and Tabel 1, 402-444).

The Kabupaten/Kota holding a PKH complaint about participant data or commitment fulfilment
attaches the evidence and a recommendation and sends the request to UPPKH Pusat; the reporter is
told it may take up to 1 month; the Penanggung Jawab at Pusat approves or rejects it with a
reason; the decision goes back to the Kabupaten/Kota (its officers and pendamping), the reporter
and the named provider. Every step is a Version of the request (track_changes) and a comment on
the complaint's timeline. The rules are in p3m_app.core.correction_rules.

Letters: ``on_submitted`` and ``on_decided`` are the hook points. Besides their own work they
call the functions listed under the ``p3m_correction_submitted`` / ``p3m_correction_decided``
hooks with the request, so the letters (print formats and their log) can plug in there.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, format_date, getdate, now_datetime

from p3m_app import handling, identity, permissions
from p3m_app.core import correction_rules as rules
from p3m_app.core.errors import RuleViolation
from p3m_app.core.system_fields import normalise
from p3m_app.portal import notify as reporter_mail
from p3m_app.utils import throw

DOCTYPE = "Master Data Correction Request"
PUSAT_LEVEL = "Pusat"
# fields only this module writes; a save through the form or the API may not change them
SYSTEM_FIELDS = (
	"status",
	"requesting_unit",
	"target_unit",
	"due_date",
	"is_overdue",
	"submitted_by",
	"submitted_at",
	"evidence_files",
	"reporter_informed_at",
	"decision_reason",
	"basis_for_next_payment",
	"decided_by",
	"decided_at",
	"reporter_informed_of_decision_at",
	"overdue_alert_token",
)


def unit_roles(user: str, unit: str | None) -> set[str]:
	"""The user's roles in ``unit``'s officer table."""
	if not unit:
		return set()
	return set(
		frappe.get_all(
			"Unit Officer",
			filters={"parent": unit, "parenttype": "Unit", "user": user},
			pluck="role_in_unit",
		)
	)


def violation(error: RuleViolation, exc=frappe.ValidationError):
	frappe.throw(_(error.message).format(**error.params), exc, title=_("Not Allowed"))


# -- the controller's validate ---------------------------------------------------------------


def validate(doc) -> None:
	"""Every save made outside the actions below: a Draft, by the holding unit's officers."""
	if doc.flags.correction_action:
		return
	complaint = frappe.db.get_value(
		"Complaint", doc.complaint, ["name", "program", "category", "current_unit"], as_dict=True
	)
	if not complaint:
		frappe.throw(_("Complaint {0} does not exist.").format(doc.complaint), title=_("Not Allowed"))
	if doc.is_new():
		prepare_new(doc, complaint)
	else:
		check_draft_edit(doc)
	user = frappe.session.user
	try:
		rules.check_requester(
			unit_roles(user, doc.requesting_unit), permissions.is_unrestricted(user), doc.requesting_unit
		)
	except RuleViolation as error:
		violation(error, frappe.PermissionError)
	# a confidential reporter's known identity never reaches the request's text
	doc.recommendation = identity.masked_for(doc.complaint, doc.recommendation or "")


def prepare_new(doc, complaint) -> None:
	try:
		rules.check_eligible(complaint.program, complaint.category)
	except RuleViolation as error:
		throw(error)
	for fieldname in SYSTEM_FIELDS:
		doc.set(fieldname, None)
	doc.status = rules.DRAFT
	doc.is_overdue = doc.basis_for_next_payment = 0
	doc.requesting_unit = complaint.current_unit
	doc.target_unit = handling.ancestor_at_level(complaint.current_unit, PUSAT_LEVEL)
	if not doc.target_unit:
		frappe.throw(
			_("There is no active unit at level Pusat above {0} to send the request to.").format(
				complaint.current_unit
			),
			title=_("Not Allowed"),
		)
	open_request = frappe.db.exists(
		DOCTYPE, {"complaint": complaint.name, "status": ("in", sorted(rules.OPEN_STATUSES))}
	)
	if open_request:
		frappe.throw(
			_("Complaint {0} already has an open correction request: {1}.").format(
				complaint.name, open_request
			),
			title=_("Not Allowed"),
		)


def check_draft_edit(doc) -> None:
	before = doc.get_doc_before_save()
	if not before:
		return
	if before.status != rules.DRAFT:
		frappe.throw(_("A correction request that was sent cannot be changed."), title=_("Not Allowed"))
	changed = [f for f in SYSTEM_FIELDS if normalise(doc.get(f)) != normalise(before.get(f))]
	if changed:
		labels = ", ".join(_(doc.meta.get_label(f)) for f in changed)
		frappe.throw(
			_("{0} can only be changed by the system, not edited.").format(labels), title=_("Not Allowed")
		)


# -- actions ------------------------------------------------------------------------------------


def evidence_count(name: str) -> int:
	return frappe.db.count(
		"File", {"attached_to_doctype": DOCTYPE, "attached_to_name": name, "is_private": 1}
	)


@frappe.whitelist(methods=["POST"])
def submit(name: str):
	"""Send a Draft to UPPKH Pusat: the evidence and the recommendation are required."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("write")
	user = frappe.session.user
	files = evidence_count(doc.name)
	try:
		rules.check_requester(
			unit_roles(user, doc.requesting_unit), permissions.is_unrestricted(user), doc.requesting_unit
		)
	except RuleViolation as error:
		violation(error, frappe.PermissionError)
	try:
		status = rules.next_status(doc.status, rules.SUBMIT)
		rules.check_submission(doc.recommendation, files)
	except RuleViolation as error:
		violation(error)
	now = now_datetime()
	doc.update(
		{
			"status": status,
			"submitted_by": user,
			"submitted_at": now,
			"evidence_files": files,
			"due_date": rules.due_date(getdate(now)),
		}
	)
	save(doc)
	on_submitted(doc)
	return {"status": doc.status, "due_date": str(doc.due_date)}


@frappe.whitelist(methods=["POST"])
def approve(name: str, reason: str):
	return decide(name, rules.APPROVE, reason)


@frappe.whitelist(methods=["POST"])
def reject(name: str, reason: str):
	return decide(name, rules.REJECT, reason)


def decide(name: str, action: str, reason: str | None):
	"""The Penanggung Jawab of the target unit (or Admin Nasional) decides, with a reason."""
	doc = frappe.get_doc(DOCTYPE, name)
	doc.check_permission("read")
	user = frappe.session.user
	try:
		rules.check_decider(
			actor=user,
			submitted_by=doc.submitted_by,
			actor_unit_roles=unit_roles(user, doc.target_unit),
			actor_is_national=permissions.is_unrestricted(user),
			target_unit=doc.target_unit,
		)
	except RuleViolation as error:
		violation(error, frappe.PermissionError)
	try:
		status = rules.next_status(doc.status, action)
		rules.check_reason(reason)
	except RuleViolation as error:
		violation(error)
	doc.update(
		{
			"status": status,
			"decision_reason": identity.masked_for(doc.complaint, reason.strip()),
			"decided_by": user,
			"decided_at": now_datetime(),
			"basis_for_next_payment": int(status == rules.APPROVED),
			"is_overdue": 0,
		}
	)
	save(doc)
	on_decided(doc)
	return {"status": doc.status}


def save(doc) -> None:
	doc.flags.correction_action = True
	try:
		# each step is a Version, always (Frappe skips them in tests unless asked)
		doc.save(ignore_permissions=True, ignore_version=False)
	finally:
		doc.flags.correction_action = False


# -- effects: the hook points for letters ------------------------------------------------------


def on_submitted(doc) -> None:
	"""The request went to Pusat: the complaint's timeline, the reporter (told it may take up to
	1 month, 004 l. 409-411) and the target unit's Penanggung Jawab hear of it."""
	complaint = frappe.get_doc("Complaint", doc.complaint)
	due = format_date(doc.due_date)
	told = inform_reporter(
		complaint,
		_("Your report was sent to UPPKH Pusat"),
		_(
			"<p>Your statement and its evidence were sent to {0} with a recommendation to correct the "
			"PKH Master Database. Processing takes at most 1 month (until {1}); you will be told of the "
			"decision.</p>"
		).format(escape_html(doc.target_unit), due),
	)
	if told:
		frappe.db.set_value(DOCTYPE, doc.name, "reporter_informed_at", now_datetime(), update_modified=False)
	complaint.add_comment(
		"Info",
		_(
			"Master Database correction request {0} was sent to {1} with {2} evidence file(s); the decision "
			"is due by {3}. {4}"
		).format(doc.name, doc.target_unit, doc.evidence_files, due, reporter_note(told)),
	)
	notify(
		deciders(doc.target_unit),
		doc,
		_("Correction request {0} from {1} awaits your decision by {2}").format(
			doc.name, doc.requesting_unit, due
		),
	)
	run_hooks("p3m_correction_submitted", doc)


def on_decided(doc) -> None:
	"""Pusat decided: the requesting unit's officers and pendamping, the reporter and the named
	provider are told (004 l. 413-416); an approval is the basis of the next payment (l. 418-419)."""
	complaint = frappe.get_doc("Complaint", doc.complaint)
	approved = doc.status == rules.APPROVED
	# whole sentences per outcome, so each translates naturally
	if approved:
		letter = _("<p>{0} approved the correction of the PKH Master Database for your report: {1}</p>")
		entry = _("{0} approved Master Database correction request {1}: {2}")
		alert = _("Correction request {0} was approved by {1}")
	else:
		letter = _("<p>{0} rejected the correction of the PKH Master Database for your report: {1}</p>")
		entry = _("{0} rejected Master Database correction request {1}: {2}")
		alert = _("Correction request {0} was rejected by {1}")
	told = inform_reporter(
		complaint,
		_("Decision on the correction of your data"),
		letter.format(escape_html(doc.target_unit), escape_html(doc.decision_reason)),
	)
	if told:
		frappe.db.set_value(
			DOCTYPE, doc.name, "reporter_informed_of_decision_at", now_datetime(), update_modified=False
		)
	parts = [entry.format(doc.target_unit, doc.name, doc.decision_reason)]
	if approved:
		parts.append(_("The correction is to be the basis of the next payment."))
	if doc.provider:
		parts.append(_("Service provider to inform: {0}.").format(doc.provider))
	parts.append(reporter_note(told))
	complaint.add_comment("Info", " ".join(parts))
	users = [u for u in unit_users(doc.requesting_unit) if u != frappe.session.user]
	notify(users, doc, alert.format(doc.name, doc.target_unit))
	run_hooks("p3m_correction_decided", doc)


def reporter_note(told: bool) -> str:
	if told:
		return _("The reporter was informed by e-mail.")
	return _("The reporter has no e-mail address: inform them by letter.")


def inform_reporter(complaint, subject: str, message: str) -> bool:
	"""E-mail the reporter when they have an address (the letter log covers the others)."""
	email = reporter_mail.reporter_email(complaint)
	if not email:
		return False
	from p3m_app.core import mail_rules

	return reporter_mail.send(
		recipients=[email],
		subject=mail_rules.subject_with_code(subject, complaint.tracking_code),
		message=message,
		reference_doctype="Complaint",
		reference_name=complaint.name,
		delayed=True,
	)


def run_hooks(name: str, doc) -> None:
	for method in frappe.get_hooks(name):
		frappe.get_attr(method)(doc)


def unit_users(unit: str) -> list[str]:
	"""Everyone in the unit's officer table: officers, admins, pendamping."""
	return frappe.get_all(
		"Unit Officer", filters={"parent": unit, "parenttype": "Unit"}, pluck="user", distinct=True
	)


def deciders(unit: str) -> list[str]:
	return frappe.get_all(
		"Unit Officer",
		filters={"parent": unit, "parenttype": "Unit", "role_in_unit": rules.DECIDING_UNIT_ROLE},
		pluck="user",
		distinct=True,
	)


def notify(users: list[str], doc, subject: str) -> None:
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": DOCTYPE,
				"document_name": doc.name,
				"subject": subject[:140],
				"from_user": frappe.session.user,
			}
		).insert(ignore_permissions=True)
