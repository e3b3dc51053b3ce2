"""The coordination meetings' rhythm: reminders, draft agendas and missed meetings.

Pedoman PKH (seed 004): the Tim Koordinasi PKH Kabupaten/Kota meets at least every month (lines
248-250), the Tim Koordinasi Teknis Pusat at least every three months (line 370). The interval
is ``Unit Level.meeting_every_months`` (set at install for those two levels; 0 means none), the
rule is p3m_app.core.meeting_rhythm. A unit is due ``every`` months after its last Held meeting
(or after it was created). A few days before, the daily job drafts a Planned meeting whose agenda
recaps the unit's complaints of the last period (per type and state, as the monthly report counts
them) and lists its special cases by complaint ID and subject only, and tells the unit's Admins,
Officers and Pimpinan - once per due date. A unit whose due date passed shows on the workspace.
"""

import importlib

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, today

from p3m_app import permissions
from p3m_app.core import meeting_rhythm as rhythm
from p3m_app.core import monthly_report, unit_scope
from p3m_app.core import report_stats as stats
from p3m_app.core.report_period import datetime_range

MEETING = "Coordination Meeting"
PROGRAM = "PKH"
NOTIFIED_ROLES = ("Admin", "Officer", "Pimpinan")
MEETING_HOUR = "09:00:00"
_report = importlib.import_module(
	"p3m_app.p3m_app.report.monthly_complaint_report_(pkh).monthly_complaint_report_(pkh)"
)

# every active complaint unit whose level has a rhythm, with its next due day (MariaDB clamps
# "+ n month" to the end of a shorter month, as core.meeting_rhythm.add_months does)
DUE_UNITS = """select u.name as unit, u.unit_level as level, u.lft, u.rgt,
		l.meeting_every_months as every_months, coalesce(held.last_held, u.creation) as since,
		date_add(date(coalesce(held.last_held, u.creation)), interval l.meeting_every_months month) as due
	from `tabUnit` u
		join `tabUnit Level` l on l.name = u.unit_level and l.meeting_every_months > 0
		left join (
			select organising_unit, max(meeting_date) as last_held from `tabCoordination Meeting`
			where status = 'Held' group by organising_unit
		) held on held.organising_unit = u.name
	where u.is_active = 1 and u.unit_type = 'Complaint Unit'"""


def remind_due_meetings(day=None) -> list[str]:
	"""Daily: draft and announce the meeting of each unit due within the reminder window, once per
	due day (one query finds them; a unit that already has a draft or a planned meeting is left)."""
	day = getdate(day or today())
	horizon = frappe.utils.add_days(day, rhythm.REMIND_DAYS_BEFORE)
	units = frappe.db.sql(
		f"""select t.* from ({DUE_UNITS}) t
		where t.due <= %(horizon)s and not exists (
			select 1 from `tabCoordination Meeting` d where d.organising_unit = t.unit
				and (d.due_date = t.due or (d.status = 'Planned' and d.meeting_date > t.since)))
		order by t.lft""",
		{"horizon": horizon},
		as_dict=True,
	)
	drafted = []
	for unit in units:
		meeting = draft_meeting(unit, day)
		notify(unit, meeting)
		drafted.append(meeting.name)
	return drafted


def draft_meeting(unit, day):
	first, last = rhythm.recap_period(day, unit.every_months)
	recap = unit_recap((int(unit.lft), int(unit.rgt)), first, last)
	due = getdate(unit.due)
	return frappe.get_doc(
		{
			"doctype": MEETING,
			"title": _("Tim Koordinasi {0}: meeting due {1}").format(unit.unit, due.isoformat())[:140],
			"meeting_date": f"{due.isoformat()} {MEETING_HOUR}",
			"status": "Planned",
			"organising_unit": unit.unit,
			"level": unit.level,
			"due_date": due,
			"agenda": agenda_html(unit.unit, rhythm.period_label(first, last), recap),
			"complaints": [
				{"complaint": case.name, "subject": (case.subject or "")[:140], "note": ", ".join(case.flags)}
				for case in recap["cases"]
			],
		}
	).insert(ignore_permissions=True)


def unit_recap(bounds: tuple[int, int], first, last) -> dict:
	"""The unit's (and its subtree's) PKH complaints received in the period: by type as the
	monthly report groups them, by state, and the special cases (ID and subject only)."""
	start, before = datetime_range(first, last)
	where = (
		"c.received_at >= %(start)s and c.received_at < %(before)s and c.program = %(program)s and "
		+ unit_scope.sql_condition("c.current_unit", [bounds])
	)
	values = {
		"start": start,
		"before": before,
		"program": PROGRAM,
		"whistleblowing": stats.WHISTLEBLOWING,
		"breached": stats.BREACHED,
	}
	rows = frappe.db.sql(
		f"""select c.classification, c.category, c.province, c.district, count(*) from `tabComplaint` c
		where {where} group by c.classification, c.category, c.province, c.district""",
		values,
	)
	states = frappe.db.sql(
		f"""select c.workflow_state, count(*) as n from `tabComplaint` c where {where}
		group by c.workflow_state order by n desc, c.workflow_state""",
		values,
	)
	flagged = frappe.db.sql(
		f"""select c.name, c.subject, c.classification, c.escalated_to_national, c.reopen_count,
			c.sla_status, c.sla_escalations
		from `tabComplaint` c where {where} and {_report.FLAGGED} order by c.received_at, c.name""",
		values,
		as_dict=True,
	)
	cases = [frappe._dict(name=r.name, subject=r.subject, flags=stats.special_flags(r)) for r in flagged]
	return {"month": monthly_report.summarize(rows), "states": states, "cases": cases}


def agenda_html(unit: str, period: str, recap: dict) -> str:
	month, e = recap["month"], escape_html
	parts = [
		"<p>"
		+ e(
			_(
				"Draft agenda of the Tim Koordinasi of {0} (Pedoman PKH): the complaints received in {1} and "
				"how they are handled."
			).format(unit, period)
		)
		+ "</p>",
		f"<h4>{e(_('Recap'))}: {month.total} {e(_('complaints'))}</h4>",
		f"<p><b>{e(_('By Complaint Type (Classification, Category)'))}</b></p><ul>",
	]
	for group in month.by_type:
		inner = ", ".join(f"{e(_not_stated(child.key))} {child.count}" for child in group.children)
		parts.append(f"<li>{e(_not_stated(group.key))}: {group.count} ({inner})</li>")
	parts.append(f"</ul><p><b>{e(_('By Status'))}</b></p><ul>")
	parts += [
		f"<li>{e(_(state or '') or _not_stated(state))}: {count}</li>" for state, count in recap["states"]
	]
	parts.append(f"</ul><h4>{e(_('Special Cases'))}: {len(recap['cases'])}</h4><ul>")
	parts += [
		f"<li>{e(case.name)} - {e(case.subject or '')} ({e(', '.join(_(f) for f in case.flags))})</li>"
		for case in recap["cases"]
	]
	parts.append(f"</ul><h4>{e(_('Recommendations and follow-up'))}</h4><p></p>")
	return "".join(parts)


def _not_stated(value):
	return value if value else _("(Not stated)")


def notify(unit, meeting) -> None:
	users = frappe.get_all(
		"Unit Officer",
		filters={"parent": unit.unit, "parenttype": "Unit", "role_in_unit": ("in", NOTIFIED_ROLES)},
		pluck="user",
		distinct=True,
	)
	subject = _(
		"Tim Koordinasi {0}: the coordination meeting is due on {1}; a draft agenda is ready."
	).format(unit.unit, getdate(unit.due).isoformat())
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": MEETING,
				"document_name": meeting.name,
				"subject": subject[:140],
			}
		).insert(ignore_permissions=True)


@frappe.whitelist()
def missed_meetings(filters=None) -> int:
	"""Number card: units in the viewer's reach whose coordination meeting is overdue."""
	return len(missed_units())


def missed_units(user: str | None = None, day=None) -> list[str]:
	user = user or frappe.session.user
	scope = ""
	if not permissions.is_unrestricted(user):
		scope = " and " + unit_scope.sql_condition("t.unit", permissions.unit_bounds(user))
	return frappe.db.sql_list(
		f"select t.unit from ({DUE_UNITS}) t where t.due < %(day)s{scope} order by t.lft",
		{"day": getdate(day or today())},
	)


def validate_level(doc, method=None):
	"""Unit Level.validate (doc_events): the interval is 0 to 12 months."""
	from p3m_app.core.errors import RuleViolation
	from p3m_app.utils import throw

	try:
		doc.meeting_every_months = rhythm.check_interval(doc.get("meeting_every_months"))
	except RuleViolation as violation:
		throw(violation, title=_("Invalid Unit Level"))


def ensure_shipped_intervals():
	"""At install (and once on existing sites, by patch): the guideline's intervals on levels that
	have none yet. Not on every migrate, so an agency that sets 0 keeps it."""
	for level, months in rhythm.SHIPPED_INTERVALS.items():
		if frappe.db.exists("Unit Level", level) and not frappe.db.get_value(
			"Unit Level", level, "meeting_every_months"
		):
			frappe.db.set_value("Unit Level", level, "meeting_every_months", months)
