"""Intake follow-ups off the request path: assignment, Workflow Action rows, acknowledgement.

A portal submission or a mail stores the complaint (its sealed identity and files included) and
answers at once; what follows for a new complaint runs in one background job, queued once the
intake is committed:
- the unit's Assignment Rule (Frappe's own ``apply``: ToDo, assignment comment, notification),
- the Workflow Action rows of its state (Frappe's ``process_workflow_actions``),
- the Energy Point Rules for a new document (Frappe's ``process_energy_points``),
- the acknowledgement with the tracking code (``notify.acknowledge``).
Each step looks at what is already there, so a job that runs twice, or after an officer already
moved the complaint, assigns, writes and mails once. ``intake_followups_pending_since`` stays set
until the job has run: a failed job rolls its steps back, leaves an Error Log titled "P3M: intake
follow-ups failed..." and the complaint pending, and ``retry_pending`` queues it again.

Every intake channel uses the same two calls around its insert:

    followups.defer(doc)
    doc.insert(ignore_permissions=True)
    followups.schedule(doc.name)
"""

import frappe
from frappe import _
from frappe.automation.doctype.assignment_rule import assignment_rule
from frappe.query_builder import DocType
from frappe.social.doctype.energy_point_rule import energy_point_rule
from frappe.utils import add_to_date, now_datetime
from frappe.workflow.doctype.workflow_action import workflow_action

from p3m_app.intake import deferred_hooks
from p3m_app.portal import notify
from p3m_app.portal.context import acting_as

COMPLAINT = "Complaint"
PENDING = "intake_followups_pending_since"
JOB = "p3m_app.intake.followups.run"
RETRY_AFTER_MINUTES = 10
RETRY_BATCH = 1000

deferred_hooks.install()


def defer(doc) -> None:
	"""Before a new complaint's insert: Frappe's assignment and workflow-action hooks pass over this
	save, and the complaint is pending until its follow-up job has run."""
	deferred_hooks.defer(doc)
	doc.set(PENDING, now_datetime())


def schedule(complaint: str, in_reply_to: str | None = None) -> None:
	"""Queue the follow-up job once the current transaction commits (never, if it rolls back)."""
	frappe.enqueue(
		JOB,
		queue="default",
		job_id=job_id(complaint),
		deduplicate=True,
		enqueue_after_commit=True,
		complaint=complaint,
		in_reply_to=in_reply_to,
	)


def job_id(complaint: str) -> str:
	return f"p3m-intake-followups::{complaint}"


def run(complaint: str, in_reply_to: str | None = None) -> bool:
	"""The job: True when the follow-ups are done (now or by an earlier run), False when they failed."""
	frappe.db.savepoint("p3m_intake_followups")
	try:
		# as the intake itself ran: the ToDo, comment and mail never name a signed-in reporter
		with acting_as("Guest"):
			follow_up(complaint, in_reply_to)
	except frappe.db.InternalError as error:
		if frappe.db.is_deadlocked(error) or frappe.db.is_timedout(error):
			raise  # the transaction is gone; Frappe's worker runs the job again
		return failed(complaint)
	except Exception:
		return failed(complaint)
	return True


def follow_up(complaint: str, in_reply_to: str | None) -> None:
	# the row lock makes a second run of the same job wait, then find nothing left to do
	pending = frappe.db.get_value(COMPLAINT, complaint, PENDING, for_update=True)
	if not pending:
		return  # done already, or the intake was rolled back
	doc = frappe.get_doc(COMPLAINT, complaint)
	if not assignment_rule.get_assignments(doc):
		assignment_rule.apply(doc)
	# Frappe's own check skips a state whose actions exist (an officer acted before the job ran)
	workflow_action.process_workflow_actions(doc, "on_update")
	# a freshly loaded copy has no "before save": its rules see a new document, as the insert would
	energy_point_rule.process_energy_points(doc, "on_change")
	email = notify.reporter_email(doc)
	if email and not doc.acknowledged_at:
		notify.acknowledge(doc, email, in_reply_to=in_reply_to or first_message_id(doc))
	# a new modified stamp: a form opened before the job ran is reloaded, not saved with the old mark
	frappe.db.set_value(COMPLAINT, complaint, PENDING, None)


def failed(complaint: str) -> bool:
	frappe.db.rollback(save_point="p3m_intake_followups")
	# an explicit message: Frappe's default traceback carries local variables (a reporter's
	# address) into the Error Log
	frappe.log_error(
		title=_("P3M: intake follow-ups failed for complaint {0}").format(complaint),
		message=frappe.get_traceback(),
		reference_doctype=COMPLAINT,
		reference_name=complaint,
	)
	return False


def first_message_id(doc) -> str | None:
	"""A retried mail complaint's acknowledgement still answers the mail that opened it."""
	if doc.channel != "Email":
		return None
	return frappe.db.get_value(
		"Communication",
		{"reference_doctype": COMPLAINT, "reference_name": doc.name, "sent_or_received": "Received"},
		"message_id",
		order_by="creation asc",
	)


def retry_pending() -> list[str]:
	"""Scheduled: queue again the complaints whose follow-ups are pending for too long (a failed or
	lost job). One range scan of the indexed column, which only pending complaints fill."""
	table = DocType(COMPLAINT)
	cutoff = add_to_date(now_datetime(), minutes=-RETRY_AFTER_MINUTES)
	names = (
		frappe.qb.from_(table)
		.select(table.name)
		.where(table[PENDING] < cutoff)
		.orderby(table[PENDING])
		.limit(RETRY_BATCH)
		.run(pluck=True)
	)
	for name in names:
		schedule(name)
	return names
