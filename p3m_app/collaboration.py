"""Working on a complaint across levels without disposing it down the tree.

- Ask for help: the holding unit asks a higher unit to join (PKH: "dapat segera meminta
  bantuan dari UPPKH-Pusat"); the complaint stays where it is.
- Take over: a higher unit handles an urgent case directly (BOS / BOP PAUD: "penanganan
  secara langsung ... mendesak dan penting"); the unit below is told and keeps reading.
- Copy to (tembusan): an Inspektorat, a PPID or a higher unit is informed and may read.

Each step is a row of the disposition ledger; ``reader_unit`` on it is what grants reading
(see p3m_app.permissions).
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from p3m_app import handling, permissions
from p3m_app.core import disposition_rules, transition_effects
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw

# states a higher unit may take a complaint over from
OPEN_STATES = frozenset(
	{wf.NEW, wf.VERIFICATION, wf.PENDING, wf.DISPOSED, wf.IN_PROGRESS, wf.RETURNED, wf.REOPENED}
)


@frappe.whitelist(methods=["POST"])
def ask_for_help(complaint: str, reason: str, unit: str | None = None):
	"""The holding unit asks a unit above it to help; the complaint does not move."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	user = frappe.session.user
	if not (permissions.is_unrestricted(user) or permissions.is_member(user, doc.current_unit)):
		frappe.throw(
			_("Only officers of {0}, which holds the complaint, can ask for help.").format(doc.current_unit),
			frappe.PermissionError,
		)
	unit = unit or frappe.db.get_value("Unit", doc.current_unit, "parent_unit")
	if not (reason or "").strip():
		frappe.throw(_("Say what help is needed."), title=_("Not Allowed"))
	if not unit or not handling.is_ancestor(unit, doc.current_unit):
		frappe.throw(
			_("Help is asked of a unit above the one holding the complaint."), title=_("Not Allowed")
		)
	if not frappe.db.get_value("Unit", unit, "is_active"):
		frappe.throw(_("Unit {0} is inactive.").format(unit), title=_("Not Allowed"))
	record(doc, transition_effects.HELP_REQUEST, doc.current_unit, unit, reason, reader_unit=unit)
	notify_unit(
		unit, doc, _("{0} asks {1} for help with complaint {2}").format(doc.current_unit, unit, doc.name)
	)
	return {"unit": unit}


@frappe.whitelist(methods=["POST"])
def take_over(complaint: str, reason: str, unit: str | None = None):
	"""A unit above the holder takes the complaint to handle it directly."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	user = frappe.session.user
	taker = unit or nearest_own_ancestor(user, doc.current_unit)
	if taker and not (
		handling.is_ancestor(taker, doc.current_unit)
		and (permissions.is_unrestricted(user) or permissions.is_member(user, taker))
	):
		taker = None
	try:
		disposition_rules.check_take_over(
			current_unit=doc.current_unit,
			taker=taker,
			reason=reason,
			state_is_open=doc.workflow_state in OPEN_STATES,
		)
	except RuleViolation as violation:
		throw(violation, title=_("Not Allowed"))
	previous = doc.current_unit
	opened = handling.open_disposition(doc.name, previous)
	if opened:
		handling.update_disposition(
			opened.name,
			{
				"status": transition_effects.FORWARDED,
				"responded_at": now_datetime(),
				"responded_by": user,
			},
		)
	arrival = {}
	transition_effects.arrive(arrival, now_datetime())  # the taker's own level clock starts
	doc.update(arrival)
	doc.current_unit = taker
	doc.flags.moved_by_take_over = True
	doc.flags.system_fields = set(arrival)
	doc.save()
	# the unit below keeps reading the case it held
	record(
		doc,
		transition_effects.TAKE_OVER,
		previous,
		taker,
		reason,
		reader_unit=previous,
		status=transition_effects.ACCEPTED,
	)
	notify_unit(previous, doc, _("{0} took over complaint {1}: {2}").format(taker, doc.name, reason))
	return {"unit": taker}


@frappe.whitelist(methods=["POST"])
def copy_to(complaint: str, unit: str, reason: str):
	"""Send a copy (tembusan) to an Inspektorat, a PPID or a higher unit: it may read and is told."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	target = frappe.db.get_value("Unit", unit, ["is_active", "unit_type"], as_dict=True)
	if not target:
		frappe.throw(_("Unit {0} does not exist.").format(unit), title=_("Not Allowed"))
	if not (reason or "").strip():
		frappe.throw(_("Give the reason for the copy."), title=_("Not Allowed"))
	try:
		disposition_rules.check_copy_target(
			current_unit=doc.current_unit,
			target=unit,
			target_is_active=bool(target.is_active),
			target_type=target.unit_type,
			target_is_ancestor=handling.is_ancestor(unit, doc.current_unit),
		)
	except RuleViolation as violation:
		throw(violation, title=_("Not Allowed"))
	record(doc, transition_effects.COPY, doc.current_unit, unit, reason, reader_unit=unit)
	notify_unit(
		unit, doc, _("Copy of complaint {0} from {1}: {2}").format(doc.name, doc.current_unit, reason)
	)
	return {"unit": unit}


def nearest_own_ancestor(user: str, unit_name: str) -> str | None:
	"""The user's own unit closest above ``unit_name`` (national admins: the parent)."""
	if permissions.is_unrestricted(user):
		return frappe.db.get_value("Unit", unit_name, "parent_unit")
	own = [u for u in permissions.user_units(user) if handling.is_ancestor(u, unit_name)]
	if not own:
		return None
	lefts = dict(frappe.get_all("Unit", filters={"name": ("in", own)}, fields=["name", "lft"], as_list=True))
	return max(own, key=lambda u: lefts.get(u) or 0)


def record(doc, kind, from_unit, to_unit, reason, reader_unit, status=transition_effects.INFORMED):
	frappe.get_doc(
		{
			"doctype": "Disposition",
			"complaint": doc.name,
			"kind": kind,
			"from_unit": from_unit,
			"to_unit": to_unit,
			"status": status,
			"instruction": reason,
			"reader_unit": reader_unit,
			"responded_by": frappe.session.user,
			"responded_at": now_datetime(),
		}
	).insert(ignore_permissions=True)
	doc.add_comment("Info", _("{0}: {1} → {2}. {3}").format(_(kind), from_unit, to_unit, reason))


def notify_unit(unit: str, doc, subject: str) -> None:
	"""An alert for each officer of the unit (no reporter data in the text)."""
	users = frappe.get_all(
		"Unit Officer", filters={"parent": unit, "parenttype": "Unit"}, pluck="user", distinct=True
	)
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Complaint",
				"document_name": doc.name,
				"subject": subject[:140],
			}
		).insert(ignore_permissions=True)


def remind_follow_ups(today=None) -> int:
	"""Daily: one alert per officer of the holding unit for the open complaints forwarded to another
	agency whose follow-up date has come (one indexed range read, whatever the number of complaints)."""
	today = today or frappe.utils.today()
	rows = frappe.db.sql(
		"""select o.user, count(distinct c.name), group_concat(distinct c.name order by c.name separator ', ')
		from `tabComplaint` c
			join `tabUnit Officer` o on o.parenttype = 'Unit' and o.parent = c.current_unit
		where c.external_follow_up_date = %(today)s and c.workflow_state not in %(final)s
		group by o.user""",
		{"today": today, "final": tuple(sorted(wf.FINAL_STATES))},
	)
	for user, count, names in rows:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Complaint",
				"subject": _(
					"{0} complaints forwarded to another agency are due for follow-up today: {1}"
				).format(count, names)[:140],
			}
		).insert(ignore_permissions=True)
	return len(rows)
