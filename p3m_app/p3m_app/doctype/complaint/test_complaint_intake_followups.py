"""Intake off the request path: a portal submission or a mail stores the complaint and queues, after
commit, one job that assigns it, writes its Workflow Action rows and acknowledges it - once."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime
from frappe.utils.background_jobs import get_job, get_queue

from p3m_app.benchmarks import baseline
from p3m_app.handling import act
from p3m_app.intake import deferred_hooks, followups
from p3m_app.p3m_app.doctype.complaint.test_complaint_email import addr, mail, make_inbox, receive
from p3m_app.p3m_app.doctype.complaint.test_complaint_portal import form, stored, submit_as
from p3m_app.tests import factories as f


def followups_of(name: str) -> dict:
	"""What the follow-ups leave on a complaint, counted."""
	email = frappe.db.get_value("Complaint", name, "reporter_email") or frappe.db.get_value(
		"Reporter Identity", name, "reporter_email"
	)
	acks = frappe.db.sql(
		"""select count(*) from `tabEmail Queue` q join `tabEmail Queue Recipient` r on r.parent = q.name
		where q.reference_doctype = 'Complaint' and q.reference_name = %s and r.recipient = %s""",
		(name, email or ""),
	)[0][0]
	return {
		"assignments": frappe.db.count(
			"ToDo", {"reference_type": "Complaint", "reference_name": name, "status": "Open"}
		),
		"workflow_actions": frappe.db.count(
			"Workflow Action", {"reference_doctype": "Complaint", "reference_name": name}
		),
		"acks": acks,
		"pending": bool(frappe.db.get_value("Complaint", name, followups.PENDING)),
	}


NOTHING_YET = {"assignments": 0, "workflow_actions": 0, "acks": 0, "pending": True}
ALL_ONCE = {"assignments": 1, "workflow_actions": 1, "acks": 1, "pending": False}


def all_once(name: str) -> dict:
	"""ALL_ONCE, except that a unit without officers to assign (a mail's root unit) assigns nobody."""
	unit = frappe.db.get_value("Complaint", name, "current_unit")
	rule = frappe.db.get_value("Unit", unit, "assignment_rule")
	assigns = bool(rule) and not frappe.db.get_value("Assignment Rule", rule, "disabled")
	return {**ALL_ONCE, "assignments": int(assigns)}


def clear_stale_jobs() -> None:
	"""Follow-up jobs an earlier run of this site left queued: a rolled-back complaint's name comes
	back, and a queued job of the same id would be taken for the one under test."""
	queue = get_queue("default")
	for job in queue.get_jobs():
		args = job.kwargs or {}
		if args.get("site") == frappe.local.site and args.get("method") == followups.JOB:
			queue.remove(job)
			job.delete()


def take_queued_job(name: str):
	"""Run what the transaction queued for after its commit (the real enqueue into RQ), and return
	the job it made for this complaint, removed from the queue so no worker runs it as well."""
	frappe.db.after_commit.run()
	job = get_job(followups.job_id(name))
	if job:
		job.delete()
	return job


class TestPortalIntakeFollowups(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.before = set(frappe.get_all("Complaint", pluck="name"))

	@classmethod
	def tearDownClass(cls):
		# the acknowledgement a job sends commits (Frappe mails at once in tests): remove what stayed
		frappe.db.rollback()
		f.purge_complaints({"name": ("not in", list(cls.before) or [""])})
		super().tearDownClass()

	def setUp(self):
		f.make_world()
		clear_stale_jobs()
		self.citizen = f.make_user(f"t.citizen.fu.{frappe.generate_hash(length=6)}@p3m.test")

	def test_submission_answers_before_any_follow_up_and_queues_the_job_after_commit(self):
		frappe.db.after_commit.reset()
		doc = stored(submit_as("Guest", form()))
		self.assertEqual(followups_of(doc.name), NOTHING_YET)
		self.assertIsNone(get_job(followups.job_id(doc.name)), "nothing is queued before the commit")
		job = take_queued_job(doc.name)
		self.assertIsNotNone(job)
		self.assertEqual(job.kwargs["method"], followups.JOB)
		self.assertEqual(job.kwargs["kwargs"]["complaint"], doc.name)

	def test_the_job_assigns_acts_and_acknowledges_once_as_the_portal_not_the_citizen(self):
		doc = stored(submit_as(self.citizen, form()))
		frappe.set_user(self.citizen)  # the worker runs the job as the user who queued it
		try:
			self.assertTrue(followups.run(doc.name))
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(followups_of(doc.name), ALL_ONCE)
		todo = frappe.get_doc("ToDo", {"reference_name": doc.name, "status": "Open"})
		self.assertEqual(todo.allocated_to, f.NASIONAL)  # Pusat's round robin, the category's unit
		self.assertEqual((todo.assigned_by, todo.owner), ("Guest", "Guest"))
		self.assertEqual(
			frappe.db.get_value("Workflow Action", {"reference_name": doc.name}, "workflow_state"), "Baru"
		)
		self.assertTrue(frappe.db.get_value("Complaint", doc.name, "acknowledged_at"))
		self.assertTrue(followups.run(doc.name))  # a retried job
		self.assertEqual(followups_of(doc.name), ALL_ONCE)

	def test_a_confidential_report_is_acknowledged_at_its_sealed_address(self):
		doc = stored(submit_as("Guest", form(is_confidential="1")))
		self.assertFalse(doc.reporter_email)
		followups.run(doc.name)
		self.assertEqual(followups_of(doc.name), ALL_ONCE)

	def test_an_officer_acting_before_the_job_keeps_one_assignment_and_no_stale_action(self):
		doc = stored(submit_as("Guest", form()))
		act(doc.name, "Verify")  # a desk save: Frappe's hooks run there and then
		self.assertEqual(followups_of(doc.name)["assignments"], 1)
		followups.run(doc.name)
		self.assertEqual(followups_of(doc.name), ALL_ONCE)
		states = frappe.get_all("Workflow Action", {"reference_name": doc.name}, pluck="workflow_state")
		self.assertEqual(states, ["Verifikasi"])

	def test_a_failing_job_is_logged_rolled_back_and_retried(self):
		doc = stored(submit_as("Guest", form()))
		title = f"P3M: intake follow-ups failed for complaint {doc.name}"
		with patch("p3m_app.portal.notify.acknowledge", side_effect=RuntimeError("mail server down")):
			self.assertFalse(followups.run(doc.name))
		self.assertEqual(followups_of(doc.name), NOTHING_YET)  # the assignment was rolled back too
		log = frappe.get_doc("Error Log", {"method": title})
		self.assertIn("mail server down", log.error)
		self.assertNotIn("siti.portal@example.org", log.error)
		self.assertEqual((log.reference_doctype, log.reference_name), ("Complaint", doc.name))

		frappe.db.after_commit.reset()
		self.assertNotIn(doc.name, followups.retry_pending())  # a job may still be on its way
		later = add_to_date(now_datetime(), minutes=followups.RETRY_AFTER_MINUTES + 1)
		with self.freeze_time(later):
			self.assertIn(doc.name, followups.retry_pending())
		self.assertEqual(take_queued_job(doc.name).kwargs["kwargs"]["complaint"], doc.name)
		self.assertTrue(followups.run(doc.name))
		self.assertEqual(followups_of(doc.name), ALL_ONCE)
		with self.freeze_time(later):
			self.assertNotIn(doc.name, followups.retry_pending())

	def test_desk_complaints_keep_the_synchronous_path(self):
		doc = f.make_complaint()
		self.assertFalse(doc.get(followups.PENDING))
		self.assertEqual(followups_of(doc.name)["assignments"], 1)
		self.assertEqual(followups_of(doc.name)["workflow_actions"], 1)

	def test_only_the_marked_save_passes_over_frappes_hooks(self):
		self.assertTrue(deferred_hooks.is_installed())
		doc = frappe.get_doc(f.complaint_values())
		followups.defer(doc)
		doc.insert()
		self.assertEqual(followups_of(doc.name)["assignments"], 0)
		self.assertEqual(followups_of(doc.name)["workflow_actions"], 0)
		again = frappe.get_doc("Complaint", doc.name)
		self.assertFalse(again.flags.get(deferred_hooks.FLAG))
		act(doc.name, "Verify")  # the next save of the same complaint runs Frappe's hooks
		self.assertEqual(followups_of(doc.name)["assignments"], 1)
		self.assertEqual(followups_of(doc.name)["workflow_actions"], 1)


class TestMailIntakeFollowups(FrappeTestCase):
	def setUp(self):
		f.make_world()
		clear_stale_jobs()
		self.account = make_inbox()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("Communication", {"sender": ("like", f"%{cls.__name__.lower()}%")})
		f.purge_complaints({"reporter_email": ("like", f"%{cls.__name__.lower()}%")})
		super().tearDownClass()

	def sender(self, local):
		return addr(f"{local}.{type(self).__name__.lower()}")

	def test_a_mail_is_stored_first_and_answered_by_its_job_once(self):
		sender = self.sender("fu")
		frappe.db.after_commit.reset()
		inbound, communication = receive(self.account, mail(sender=sender))
		name = communication.reference_name
		self.assertEqual(followups_of(name), NOTHING_YET)
		job = take_queued_job(name)
		self.assertEqual(job.kwargs["kwargs"]["in_reply_to"], inbound.message_id)
		self.assertTrue(followups.run(**job.kwargs["kwargs"]))
		self.assertEqual(followups_of(name), all_once(name))
		ack = frappe.get_all("Email Queue", {"reference_name": name}, pluck="message")[0]
		self.assertIn(inbound.message_id.strip("<>"), ack)  # threads under the reporter's mail
		self.assertTrue(followups.run(name))
		self.assertEqual(followups_of(name), all_once(name))

	def test_a_retried_mail_job_still_answers_the_mail_that_opened_it(self):
		inbound, communication = receive(self.account, mail(sender=self.sender("retry")))
		frappe.db.after_commit.reset()
		self.assertTrue(followups.run(communication.reference_name))  # as the retry queues it
		ack = frappe.get_all("Email Queue", {"reference_name": communication.reference_name}, pluck="message")
		self.assertEqual(len(ack), 1)
		self.assertIn(inbound.message_id.strip("<>"), ack[0])

	def test_a_re_delivered_mail_queues_nothing_new(self):
		message = mail(sender=self.sender("again"))
		_inbound, first = receive(self.account, message)
		followups.run(first.reference_name)
		frappe.db.after_commit.reset()
		_inbound, again = receive(self.account, message)
		self.assertEqual(again.reference_name, first.reference_name)
		self.assertIsNone(take_queued_job(first.reference_name))
		self.assertEqual(followups_of(first.reference_name), all_once(first.reference_name))

	def test_a_mail_read_leniently_is_followed_up_too(self):
		sender = self.sender("lenient")
		with patch("p3m_app.intake.email_inbox.new_complaint", side_effect=frappe.ValidationError("bad")):
			_inbound, communication = receive(self.account, mail(sender=sender))
		name = communication.reference_name
		self.assertEqual(followups_of(name), NOTHING_YET)
		self.assertTrue(followups.run(name))
		self.assertEqual(followups_of(name), all_once(name))


class TestIntakeBenchmarkBaseline(FrappeTestCase):
	"""The benchmark's ToDo endpoint answers only during a run, to the caller holding its token."""

	def tearDown(self):
		frappe.conf.pop(baseline.TOKEN_KEY, None)
		frappe.set_user("Administrator")

	def test_refused_without_the_run_token(self):
		frappe.set_user("Guest")
		before = frappe.db.count("ToDo")
		for configured, sent in ((None, None), (None, "x"), ("run-token", None), ("run-token", "wrong")):
			if configured:
				frappe.conf[baseline.TOKEN_KEY] = configured
			with self.assertRaises(frappe.PermissionError):
				baseline.insert_todo(token=sent, description="probe")
		self.assertEqual(frappe.db.count("ToDo"), before)

	def test_inserts_a_bare_todo_with_the_token(self):
		frappe.conf[baseline.TOKEN_KEY] = "run-token"
		frappe.set_user("Guest")
		name = baseline.insert_todo(token="run-token", description="baseline 1")["name"]
		self.assertEqual(frappe.db.get_value("ToDo", name, "description"), "baseline 1")
