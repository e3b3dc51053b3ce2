"""Guest and citizen submissions from the portal: validated, stored once, acknowledged by a job.

Only fields the portal rules allow reach the Complaint; owner, unit, state and identity flags
come from the server. Portal complaints are filed as Guest so the owner field (shown to staff)
never names a reporter; a logged-in citizen is linked through ``portal_user`` instead (sealed
with the rest of the identity when the report is confidential). Files of anonymous and
confidential reports lose their hidden details (photo location, author) before they are stored.
Assignment, workflow actions and the acknowledgement follow in a background job
(p3m_app.intake.followups), so the citizen gets the tracking code without waiting for them.
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from p3m_app.core import file_scrub, portal_rules, tracking_code
from p3m_app.core.errors import RuleViolation
from p3m_app.intake import doc_templates, followups
from p3m_app.portal.context import acting_as
from p3m_app.utils import throw


def submit(form: dict, files: list[tuple[str, bytes]], channel: str = "Web Portal") -> dict:
	"""``channel``: the portal's own form, or an app through the Open311 API (p3m_app.interop.open311)."""
	doc_templates.warm_meta("Complaint")
	try:
		values = portal_rules.clean_submission(form, getdate(today()))
		attachments = portal_rules.check_attachments(files)
		if file_scrub.needs_scrub(values):
			attachments = file_scrub.scrub_all(attachments)
	except portal_rules.HoneypotTripped:
		# looks accepted to the bot; nothing is stored
		return {"tracking_code": tracking_code.display(tracking_code.generate())}
	except RuleViolation as violation:
		throw(violation, title=_("Please check your report"))
	check_links(values)

	key = submission_key(form.get("submission_id"))
	if key:
		# plain SQL on the indexed key: every submission asks (the query engine costs about 1 ms)
		existing = frappe.db.sql(
			"select tracking_code from `tabComplaint` where submission_key = %s limit 1", key
		)
		existing = existing[0][0] if existing else None
		if existing:  # a replayed or double-clicked submission: the same report, not a second one
			return {"tracking_code": tracking_code.display(existing), "duplicate": True}

	user = frappe.session.user
	doc = frappe.get_doc(
		{
			"doctype": "Complaint",
			**values,
			"channel": channel,
			"received_at": now_datetime(),
			"submission_key": key,
			"portal_user": user if user != "Guest" and not values["is_anonymous"] else None,
		}
	)
	# the only links a citizen chooses (category, program) were checked above; the rest the server
	# set: Frappe's link check would query each again
	doc.flags.ignore_links = True
	# assignment, workflow actions and the acknowledgement run in a job once this is committed
	followups.defer(doc)
	with acting_as("Guest"):
		doc.insert(ignore_permissions=True)
		save_attachments(doc.name, attachments, scrubbed=True)
	followups.schedule(doc.name)
	return {"tracking_code": tracking_code.display(doc.tracking_code)}


def check_links(values: dict) -> None:
	"""Category and program come from pick lists; anything else is refused, not stored."""
	for fieldname, doctype, label in (
		("category", "Complaint Category", _("Category")),
		("program", "P3M Program", _("Program")),
	):
		if values.get(fieldname) and not frappe.db.exists(doctype, values[fieldname]):
			frappe.throw(
				_("{0} {1} does not exist.").format(label, values[fieldname]),
				title=_("Please check your report"),
			)


def submission_key(submission_id: str | None) -> str | None:
	"""A one-way key of the form's random id: replays are recognised, the id is never stored."""
	if not submission_id or len(submission_id) > 100:
		return None
	return hashlib.sha256(f"p3m-submission:{submission_id}".encode()).hexdigest()[:40]


def save_attachments(complaint: str, attachments: list[tuple[str, bytes]], scrubbed: bool = False) -> None:
	"""Private files on the complaint; unless the caller did so, scrubbed when its reporter is protected."""
	if not scrubbed:
		attachments = scrubbed_for(complaint, attachments)
	for filename, content in attachments:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": filename,
				"content": content,
				"is_private": 1,
				"attached_to_doctype": "Complaint",
				"attached_to_name": complaint,
			}
		).insert(ignore_permissions=True)


def scrubbed_for(complaint: str, attachments: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
	flags = frappe.db.get_value(
		"Complaint", complaint, ["is_anonymous", "is_confidential", "identity_sealed"], as_dict=True
	)
	if not attachments or not file_scrub.needs_scrub(flags or {}):
		return attachments
	try:
		return file_scrub.scrub_all(attachments)
	except RuleViolation as violation:
		throw(violation, title=_("Please check your attachments"))


def uploaded_files() -> list[tuple[str, bytes]]:
	"""The request's files; each is read at most one byte past the limit, so a huge upload stops early."""
	if not frappe.request or not frappe.request.files:
		return []
	files = []
	for storage in frappe.request.files.getlist("attachments"):
		if not storage or not storage.filename:
			continue
		files.append((storage.filename, storage.stream.read(portal_rules.MAX_FILE_BYTES + 1)))
	return files
