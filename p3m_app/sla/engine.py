"""Recompute a complaint's deadlines when it is saved (adapter around core.sla_policy)."""

import frappe
from frappe.model.document import Document
from frappe.model.naming import make_autoname
from frappe.utils import get_datetime, now_datetime

from p3m_app.core import escalation_log
from p3m_app.core import sla_policy as sla
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.core.working_calendar import CalendarRangeError
from p3m_app.sla import calendars, policies
from p3m_app.utils import throw

SLA_FIELDS = ("sla_status", "sla_current_due", "sla_due_soon_at", "autoclose_at")
# a complaint whose dates its holiday calendar does not cover is still recorded (mail intake sets
# doc.flags.p3m_sla_may_be_uncomputable); the sweep leaves it alone until the calendar is extended
NOT_COMPUTABLE = "Not Computable"
MILESTONE_DOCTYPE = "Complaint SLA Milestone"
NEW_MILESTONES = "p3m_new_milestones"


def before_save(doc) -> None:
	now = now_datetime()
	try:
		calendar = calendars.calendar_for_unit(doc.current_unit)
		track_pause(doc, calendar, now)
		if not doc.level_arrived_at:
			doc.level_arrived_at = doc.received_at
		before = doc.get_doc_before_save()
		if before and before.current_unit != doc.current_unit:
			# escalation climbs the ladder above the unit holding the complaint
			doc.escalation_level, doc.escalated_to_unit, doc.escalated_to_national = 0, None, 0
			doc.escalated_to_admins = 0
		policy = sla.choose(policies.enabled_policies(), match_facts(doc))
		doc.sla_policy = policy.name if policy else None
		if not policy or doc.workflow_state in wf.FINAL_STATES:
			finish(doc, policy)
			return
		schedule = sla.schedule(policy, calendar, clock(doc), now)
	except CalendarRangeError as violation:
		if not doc.flags.get("p3m_sla_may_be_uncomputable"):
			throw(violation)
		doc.sla_status = NOT_COMPUTABLE
		doc.sla_current_due = doc.sla_due_soon_at = doc.autoclose_at = None
		doc.flags.p3m_sla_uncomputable = violation
		return
	except RuleViolation as violation:
		throw(violation)
	apply(doc, schedule)


def match_facts(doc) -> dict:
	facts = {f: doc.get(f) for f in sla.MATCH_FIELDS if f != "unit_level"}
	facts["unit_level"] = (
		frappe.get_cached_value("Unit", doc.current_unit, "unit_level") if doc.current_unit else None
	)
	return facts


def track_pause(doc, calendar, now) -> None:
	"""Pending waits for the reporter: the clock stops and the wait is added back later."""
	if doc.workflow_state == wf.PENDING and not doc.paused_since:
		doc.paused_since = now
	elif doc.workflow_state != wf.PENDING and doc.paused_since:
		doc.paused_days = (doc.paused_days or 0) + calendar.working_days_between(
			get_datetime(doc.paused_since), now
		)
		doc.paused_since = None


# the complaint columns the engine's clock reads (one query can load them for many complaints)
CLOCK_FIELDS = (
	"received_at",
	"level_arrived_at",
	"level_received_at",
	"verified_at",
	"disposed_at",
	"level_acted_at",
	"first_response_at",
	"follow_up_completed_at",
	"answered_at",
	"reporter_informed_at",
	"closed_at",
	"reopened_at",
	"paused_since",
)


def clock(doc) -> sla.Clock:
	# what the sweep already escalated is read from the stored rows, never from the request
	before = doc.get_doc_before_save()
	breached = swept_breaches(before) if before else set()
	if before and _moment(before.level_arrived_at) != _moment(doc.level_arrived_at):
		breached -= sla.LEVEL_MILESTONES  # a new level starts its own per-level clocks
	return clock_from_values(doc, breached)


def clock_from_values(values, breached=()) -> sla.Clock:
	"""The engine's clock from a complaint's column values (a document or a row dict)."""
	times = {f: get_datetime(values.get(f)) if values.get(f) else None for f in CLOCK_FIELDS}
	return sla.Clock(**times, paused_days=values.get("paused_days") or 0, breached=frozenset(breached))


def swept_breaches(before) -> set[str]:
	"""Milestones escalated at the deadline their stored row still holds: flagged by an earlier
	save, or logged by the sweep (which writes only the complaint row)."""
	logged = {(milestone, due) for milestone, due, _target in escalation_log.parse(before.sla_escalations)}
	return {
		row.milestone
		for row in before.sla_milestones
		if row.breached or (row.milestone, escalation_log.due_key(_moment(row.due_at))) in logged
	}


def _moment(value):
	return get_datetime(value) if value else None


def apply(doc, schedule: sla.Schedule) -> None:
	if isinstance(doc, Document) and doc.is_new():  # the recompute job passes plain rows
		# a new complaint's rows are written after its insert, in one statement (insert_new_milestones)
		doc.set("sla_milestones", [])
		doc.flags[NEW_MILESTONES] = [
			{"milestone": due.milestone, **milestone_row_values(due)} for due in schedule.milestones
		]
	else:
		# rows are updated in place, so an unchanged deadline writes nothing
		existing = {row.milestone: row for row in doc.sla_milestones}
		rows = []
		for due in schedule.milestones:
			row = existing.get(due.milestone) or doc.append("sla_milestones", {"milestone": due.milestone})
			row.update(milestone_row_values(due))
			rows.append(row)
		doc.set("sla_milestones", rows)
	doc.sla_status = schedule.status
	doc.sla_current_due = schedule.current_due
	doc.sla_due_soon_at = schedule.due_soon_at
	doc.autoclose_at = schedule.autoclose_at if doc.workflow_state == wf.ANSWERED else None


def insert_new_milestones(doc) -> None:
	"""After a new complaint's insert: its schedule's rows in one INSERT, then on the document as saved
	rows. Through the ORM each of the six rows is named, validated and inserted on its own, about a
	fifth of every intake request."""
	values = doc.flags.pop(NEW_MILESTONES, None)
	if not values:
		return
	stamp = {
		"owner": doc.owner,
		"creation": doc.creation,
		"modified": doc.modified,
		"modified_by": doc.modified_by,
		"docstatus": doc.docstatus,
	}
	rows = [
		doc.append("sla_milestones", {**value, **stamp, "name": make_autoname("hash")}) for value in values
	]
	stored = [row.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True) for row in rows]
	columns = list(stored[0])
	one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
	# written out as Frappe's own db_insert does: the query builder costs more than the insert here
	frappe.db.sql(
		f"insert into `tab{MILESTONE_DOCTYPE}` ({', '.join(f'`{c}`' for c in columns)})"
		f" values {', '.join([one_row] * len(stored))}",
		[row[c] for row in stored for c in columns],
	)


def milestone_row_values(due: sla.MilestoneDue) -> dict:
	"""A Complaint SLA Milestone row's stored values for one computed deadline."""
	return {
		"due_at": due.due_at,
		"due_soon_at": due.due_soon_at,
		"met_at": due.met_at,
		"escalate": due.escalate,
		"escalate_to": due.escalate_to,
		"breached": int(due.breached),
		"next_due_at": due.next_due_at,
		"next_due_soon_at": due.next_due_soon_at,
	}


def finish(doc, policy) -> None:
	"""Closed, archived, or under no policy: nothing left for the sweep to watch."""
	if doc.sla_status not in (sla.BREACHED,):
		doc.sla_status = sla.MET if policy else None
	doc.sla_current_due = doc.sla_due_soon_at = doc.autoclose_at = None
