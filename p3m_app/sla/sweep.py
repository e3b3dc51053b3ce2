"""The scheduled SLA sweep: a few set-based statements, whatever the number of complaints.

1. complaints past a deadline are marked Breached and escalated to the target their milestone
   names (one level up the unit's ladder, the unit at a named level, a named unit, the nearest
   Admin Instansi, or Admin Nasional), each escalation logged on the complaint for its timeline;
2. open complaints whose deadline is near become Due Soon;
3. answered complaints whose objection window has passed are closed.
Every statement keys on an indexed timestamp and only matches rows not yet handled (a late
complaint moves on to its next deadline in the statement that escalates it),
so a rerun, a concurrent run or a run after a crash never acts on a row twice; the run commits
once, at the end, under a database lock. Notifications are one digest per officer per run.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from p3m_app import roles
from p3m_app.core import escalation_log
from p3m_app.core import sla_policy as sla
from p3m_app.core import workflow_rules as wf

LOCK = "p3m_sla_sweep"
JOB_ID = "p3m-sla-sweep"
FINAL = tuple(sorted(wf.FINAL_STATES))


def enqueue_sweep():
	frappe.enqueue("p3m_app.sla.sweep.run", queue="long", job_id=JOB_ID, deduplicate=True)


def run(now=None) -> dict:
	"""The scheduled job: one sweep in one transaction, never two at once."""
	if not frappe.db.sql("select get_lock(%s, 0)", LOCK)[0][0]:
		return {"skipped": "another sweep is running"}
	try:
		counts = sweep(now)
		frappe.db.commit()
		return counts
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title="P3M SLA sweep failed")
		raise
	finally:
		frappe.db.sql("select release_lock(%s)", LOCK)


def sweep(now=None) -> dict:
	"""The sweep's statements, inside the caller's transaction; returns rows changed per step."""
	now = now or now_datetime()
	token = frappe.generate_hash(length=12)
	counts = {"breached": escalate_breaches(now, token)}
	if counts["breached"]:
		notify(token)  # before auto-close re-tags the complaints it closes
	# after the breaches, so overdue rows are no longer read as "due soon"
	counts["due_soon"] = mark_due_soon(now)
	counts["auto_closed"] = auto_close(now, token + "c")
	return counts


def mark_due_soon(now) -> int:
	frappe.db.sql(
		"""update `tabComplaint` set sla_status = %(due_soon)s, modified = %(now)s
		where sla_status = %(on_track)s and sla_due_soon_at <= %(now)s and sla_current_due > %(now)s""",
		{"due_soon": sla.DUE_SOON, "on_track": sla.ON_TRACK, "now": now},
	)
	return frappe.db._cursor.rowcount


def escalate_breaches(now, token) -> int:
	"""Escalate every deadline that has passed; a complaint late on two milestones climbs twice."""
	total = 0
	for _step in range(len(sla.MILESTONES)):
		changed = escalate_once(now, token)
		total += changed
		if not changed:
			break
	return total


# rows a pass acts on: late, not paused, not closed, joined to the milestone they wait on, to
# the unit they would climb from (u) and to the unit holding them (h)
LATE_JOIN = """`tabComplaint` c
	straight_join `tabComplaint SLA Milestone` m on m.parent = c.name and m.parenttype = 'Complaint'
		and m.due_at = c.sla_current_due and m.met_at is null and m.breached = 0
	join `tabUnit` u on u.name = coalesce(c.escalated_to_unit, c.current_unit)
	join `tabUnit` h on h.name = c.current_unit"""
LATE_WHERE = (
	"c.sla_current_due < %(now)s and c.sla_status != %(paused)s and c.workflow_state not in %(final)s"
)
# the nearest ancestor-or-self of the holding unit that ... (a range on the nested set)
_NEAREST = """(select a.name from `tabUnit` a where a.lft <= h.lft and a.rgt >= h.rgt and {condition}
	order by a.lft desc limit 1)"""
_HAS_ADMIN = """exists (select 1 from `tabUnit Officer` o
	where o.parenttype = 'Unit' and o.parent = a.name and o.role_in_unit = 'Admin')"""
# the unit a breach goes to, or null for Admin Nasional and None (p3m_app.core.escalation_target)
TARGET = f"""(case m.escalate
	when 'Next Level Up' then nullif(u.parent_unit, '')
	when 'Named Unit' then nullif(m.escalate_to, '')
	when 'Unit Level' then {_NEAREST.format(condition="a.unit_level = m.escalate_to")}
	when 'Admin Instansi' then {_NEAREST.format(condition=_HAS_ADMIN)}
end)"""
TO_NATIONAL = f"(m.escalate != 'None' and {TARGET} is null)"


def escalate_once(now, token) -> int:
	"""One statement moves each late complaint to the target its milestone names and on to the
	deadline the engine stored as following, appends the escalation (naming the target) to its
	log (the timeline entry, see p3m_app.sla.timeline) and tags it for the digest. Only the
	complaint row is written; the milestone, unit and officer rows are read. Assignments read
	only columns the statement leaves alone or sets later in the list (MariaDB applies a single
	table's assignments left to right)."""
	frappe.db.sql(
		f"""update {LATE_JOIN}
		set
			c.sla_escalations = concat(ifnull(c.sla_escalations, ''), m.milestone, %(sep)s,
				date_format(m.due_at, %(due_format)s), %(sep)s,
				if(m.escalate = 'None', '', coalesce({TARGET}, %(national)s)), '\n'),
			c.sla_status = %(breached)s,
			c.sla_sweep_token = %(token)s,
			c.escalation_level = c.escalation_level + (m.escalate != 'None'),
			c.escalated_to_national = if({TO_NATIONAL}, 1, c.escalated_to_national),
			c.escalated_to_admins = if({TARGET} is null, c.escalated_to_admins, m.escalate = 'Admin Instansi'),
			c.escalated_to_unit = coalesce({TARGET}, c.escalated_to_unit),
			c.sla_current_due = m.next_due_at,
			c.sla_due_soon_at = m.next_due_soon_at,
			c.modified = %(now)s
		where {LATE_WHERE}""",
		{
			"now": now,
			"token": token,
			"paused": sla.PAUSED,
			"breached": sla.BREACHED,
			"final": FINAL,
			"national": roles.ADMIN_NASIONAL,
			"sep": escalation_log.SEPARATOR,
			"due_format": escalation_log.SQL_DUE_FORMAT,
		},
	)
	return frappe.db._cursor.rowcount


def auto_close(now, token) -> int:
	params = {
		"now": now,
		"token": token,
		"answered": wf.ANSWERED,
		"closed": wf.CLOSED,
		"met": sla.MET,
		"breached": sla.BREACHED,
	}
	frappe.db.sql(
		"""update `tabComplaint` set sla_sweep_token = %(token)s, workflow_state = %(closed)s, closed_at = %(now)s,
			autoclose_at = null, sla_current_due = null, sla_due_soon_at = null,
			sla_status = if(sla_status = %(breached)s, %(breached)s, %(met)s), modified = %(now)s
		where workflow_state = %(answered)s and autoclose_at <= %(now)s""",
		params,
	)
	changed = frappe.db._cursor.rowcount
	if not changed:
		return 0
	frappe.db.sql(
		"""update `tabComplaint SLA Milestone` m join `tabComplaint` c on m.parent = c.name
		set m.met_at = %(now)s where c.sla_sweep_token = %(token)s and m.milestone = 'Auto Close'""",
		params,
	)
	frappe.db.sql(
		"""update `tabToDo` t join `tabComplaint` c on t.reference_name = c.name
		set t.status = 'Closed' where t.reference_type = 'Complaint' and t.status = 'Open' and c.sla_sweep_token = %(token)s""",
		params,
	)
	add_timeline(
		token,
		"%(text)s",
		{"text": _("Closed automatically: the reporter did not object within the time limit.")},
	)
	return changed


def add_timeline(token: str, content_sql: str, params: dict) -> None:
	"""One Info comment per complaint the run tagged, in one statement."""
	frappe.db.sql(
		f"""insert into `tabComment` (name, creation, modified, owner, modified_by, comment_type,
			reference_doctype, reference_name, comment_email, content, docstatus)
		select concat('sla-', %(token)s, '-', c.name), %(now)s, %(now)s, 'Administrator', 'Administrator', 'Info',
			'Complaint', c.name, 'Administrator', {content_sql}, 0
		from `tabComplaint` c where c.sla_sweep_token = %(token)s""",
		{**params, "token": token, "now": now_datetime()},
	)


def notify(token: str) -> None:
	"""One digest per officer of the holding or escalation unit (only its Admin officers when the
	breach went to the Admin Instansi), and per national admin when escalated nationally."""
	rows = frappe.db.sql(
		"""select o.user, count(distinct c.name), group_concat(distinct c.name order by c.name separator ', ')
		from `tabComplaint` c
			join `tabUnit Officer` o on o.parenttype = 'Unit' and (o.parent = c.current_unit
				or (o.parent = c.escalated_to_unit and (c.escalated_to_admins = 0 or o.role_in_unit = 'Admin')))
		where c.sla_sweep_token = %(token)s group by o.user
		union
		select r.parent, count(distinct c.name), group_concat(distinct c.name order by c.name separator ', ')
		from `tabComplaint` c join `tabHas Role` r on r.role = %(national)s and r.parenttype = 'User'
		where c.sla_sweep_token = %(token)s and c.escalated_to_national = 1 group by r.parent""",
		{"token": token, "national": roles.ADMIN_NASIONAL},
	)
	for user, count, names in rows:
		try:
			subject = _("{0} complaints passed their time limit").format(count)
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"for_user": user,
					"type": "Alert",
					"document_type": "Complaint",
					"subject": subject,
				}
			).insert(ignore_permissions=True)
			frappe.sendmail(
				recipients=[user], subject=subject, message=_("Complaints: {0}").format(names[:4000])
			)
		except Exception:
			frappe.log_error(title=f"P3M SLA notification to {user} failed")
