"""Duplicates and clusters: similar open complaints, marking a duplicate, and the payment rule.

The rules live in p3m_app.core.similarity; this module reads candidates through one index range
(``duplicate_key``, ``received_at``: the last 90 days, 200 most recent), within the user's read
scope, and compares reporters on the server only, for users who read identities and never through
a sealed (confidential) one. A duplicate
follows its master: when the master is answered or closed, one UPDATE gives its open duplicates
the same state and answer and finishes their clocks. Seed 004 lines 328-330 (the same complaint
at two levels) and 468-476 (two reporters, one post office: coordinate with PT Pos).
"""

import frappe
from frappe import _
from frappe.utils import add_days, now_datetime

from p3m_app.core import mail_rules, redaction, similarity, transition_effects
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.portal import notify
from p3m_app.utils import throw

WINDOW_DAYS = 90
MAX_CANDIDATES = 200
SUGGESTIONS = 10
FOLLOWED_STATES = (wf.ANSWERED, wf.CLOSED)
IDENTITY = ("reporter_phone", "reporter_email", "reporter_id_number")
TEXT = ("subject", "description", "chronology")


def on_doctype_update():
	# candidates: one key, newest first, state checked inside the index
	frappe.db.add_index("Complaint", ["duplicate_key", "received_at", "workflow_state"])
	frappe.db.add_index("Complaint", ["payment_point_key", "workflow_state"])
	frappe.db.add_index("Complaint", ["master_complaint", "workflow_state"])


# --- hooks (doc_events of Complaint) ---


def validate(doc, method=None):
	"""Keep the stored keys current and refuse a master the rules or the user's reach forbid."""
	doc.duplicate_key = similarity.duplicate_key(doc.category, doc.district, doc.province)
	doc.payment_point_key = similarity.payment_point_key(doc.category, doc.payment_point)
	if doc.master_complaint and (doc.is_new() or doc.has_value_changed("master_complaint")):
		check_master(doc)


def check_master(doc) -> None:
	master = frappe.db.get_value(
		"Complaint", doc.master_complaint, ["name", "workflow_state", "master_complaint"], as_dict=True
	)
	try:
		similarity.check_master(
			name=doc.name,
			master=doc.master_complaint,
			master_exists=bool(master),
			master_state=master and master.workflow_state,
			master_master=master and master.master_complaint,
			has_duplicates=bool(
				not doc.is_new() and frappe.db.exists("Complaint", {"master_complaint": doc.name})
			),
			final_states=wf.FINAL_STATES,
		)
	except RuleViolation as violation:
		throw(violation, title=_("Not a Duplicate"))
	if not doc.flags.ignore_permissions and not frappe.has_permission(
		"Complaint", "write", doc.master_complaint
	):
		frappe.throw(
			_("You can mark a duplicate only when you may edit both complaints."), frappe.PermissionError
		)


def on_update(doc, method=None):
	if doc.master_complaint and doc.has_value_changed("master_complaint"):
		joined(doc)
	if doc.workflow_state in FOLLOWED_STATES and doc.has_value_changed("workflow_state"):
		follow_master(doc.name)


# --- marking ---


@frappe.whitelist(methods=["POST"])
def mark_duplicate(complaint: str, master: str):
	"""Mark ``complaint`` as a duplicate of ``master`` (the user must be able to edit both)."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	if not frappe.db.exists("Complaint", master) or not frappe.has_permission("Complaint", "write", master):
		frappe.throw(
			_("You can mark a duplicate only when you may edit both complaints."), frappe.PermissionError
		)
	if doc.master_complaint == master:
		return {"master": master}
	if doc.workflow_state in wf.FINAL_STATES:
		frappe.throw(_("A closed complaint cannot be marked as a duplicate."), title=_("Not a Duplicate"))
	doc.master_complaint = master
	doc.save()
	return {"master": master}


def joined(doc) -> None:
	"""Both timelines and both reporters learn that the two reports are handled together."""
	master = frappe.get_doc("Complaint", doc.master_complaint)
	doc.add_comment(
		"Info", _("Marked as a duplicate of {0}: it follows that complaint's answer.").format(master.name)
	)
	master.add_comment("Info", _("{0} was marked as a duplicate of this complaint.").format(doc.name))
	inform(
		doc,
		_("Your report is handled together with a report on the same matter"),
		_(
			"<p>Your report is handled together with another report on the same matter.</p>"
			"<p>You will receive the answer to it here as soon as it is given.</p>"
		),
	)
	inform(
		master,
		_("Another report on the same matter"),
		_("<p>Another report on the same matter as yours was received; both are handled together.</p>"),
	)
	if master.workflow_state in FOLLOWED_STATES:
		follow_master(master.name, only=doc.name)


def inform(doc, subject: str, message: str) -> None:
	"""Mail the reporter when they can be reached (anonymous reports keep no address)."""
	email = notify.reporter_email(doc)
	if not email:
		return
	sent = notify.send(
		recipients=[email],
		subject=mail_rules.subject_with_code(subject, doc.tracking_code),
		message=message + '<p><a href="{0}">{0}</a></p>'.format(notify.track_url(doc.tracking_code)),
		reference_doctype="Complaint",
		reference_name=doc.name,
		delayed=True,
	)
	if sent:
		doc.add_comment("Info", _("The reporter was e-mailed that the report is handled with a duplicate."))


# --- following the master ---


def follow_master(master_name: str, only: str | None = None) -> list[str]:
	"""The master's state and answer go to its open duplicates in one UPDATE; their clocks finish."""
	filters = {"master_complaint": master_name, "workflow_state": ("not in", tuple(wf.FINAL_STATES))}
	if only:
		filters["name"] = only
	names = frappe.get_all("Complaint", filters=filters, pluck="name")
	if not names:
		return []
	master = frappe.db.get_value(
		"Complaint",
		master_name,
		["workflow_state", "response", "autoclose_at", "is_confidential"],
		as_dict=True,
	)
	now = now_datetime()
	state = master.workflow_state
	frappe.db.sql(
		"""update `tabComplaint` set workflow_state = %(state)s, response = %(response)s,
			answered_at = coalesce(answered_at, %(now)s), reporter_informed_at = %(now)s,
			first_response_at = coalesce(first_response_at, %(now)s),
			closed_at = if(%(state)s = %(closed)s, %(now)s, closed_at),
			autoclose_at = if(%(state)s = %(answered)s, %(autoclose)s, null),
			sla_status = if(sla_status = 'Breached', sla_status, 'Met'),
			sla_current_due = null, sla_due_soon_at = null,
			modified = %(now)s, modified_by = %(user)s
		where name in %(names)s""",
		{
			"state": state,
			"response": public_answer(master_name, master.response, master.is_confidential),
			"now": now,
			"closed": wf.CLOSED,
			"answered": wf.ANSWERED,
			"autoclose": master.autoclose_at,
			"user": frappe.session.user,
			"names": tuple(names),
		},
	)
	frappe.db.sql(
		"""update `tabComplaint SLA Milestone` set met_at = %(now)s
		where parenttype = 'Complaint' and parent in %(names)s and met_at is null""",
		{"now": now, "names": tuple(names)},
	)
	frappe.db.sql(
		"""update `tabDisposition` set status = %(answered)s, responded_at = %(now)s, responded_by = %(user)s
		where complaint in %(names)s and status in %(open)s""",
		{
			"answered": transition_effects.ANSWERED,
			"now": now,
			"user": frappe.session.user,
			"names": tuple(names),
			"open": transition_effects.OPEN_DISPOSITION_STATUSES,
		},
	)
	for name in names:
		duplicate = frappe.get_doc("Complaint", name)
		duplicate.add_comment("Info", _("{0} with its master complaint {1}.").format(_(state), master_name))
		if state == wf.ANSWERED:
			notify.send_answer(duplicate)
	return names


def public_answer(master_name: str, response: str | None, confidential: bool) -> str | None:
	"""The master's answer as the duplicate's reporter may read it: without the master reporter's identity."""
	if confidential or not response:
		return response  # a confidential master's answer is stored masked already
	known = frappe.db.get_value("Complaint", master_name, [*IDENTITY, "reporter_name"], as_dict=True)
	return redaction.redact(response, dict(known or {}), identifiers=True)


# --- suggestions ---


@frappe.whitelist()
def similar_complaints(complaint: str | None = None, values: str | dict | None = None):
	"""Open complaints like this one (saved: by name; on intake: the form's values) that the user may
	read, best first: name, subject, state, unit, received, score. Never an identity."""
	if complaint:
		doc = frappe.get_doc("Complaint", complaint)
		doc.check_permission("read")
		facts = doc.as_dict()
		facts.update(reporter_identity([doc.name]).get(doc.name, {}))
	else:
		if not frappe.has_permission("Complaint", "create"):
			frappe.throw(_("Not permitted"), frappe.PermissionError)
		facts = frappe._dict(frappe.parse_json(values or {}))
	return suggest(facts)


def suggest(facts, limit: int = SUGGESTIONS) -> list[dict]:
	key = similarity.duplicate_key(facts.get("category"), facts.get("district"), facts.get("province"))
	if not key:
		return []
	rows = frappe.get_list(
		"Complaint",
		filters={
			"duplicate_key": key,
			"received_at": (">=", add_days(now_datetime(), -WINDOW_DAYS)),
			"workflow_state": ("not in", tuple(wf.FINAL_STATES)),
			"name": ("!=", facts.get("name") or ""),
		},
		fields=["name", "subject", "description", "workflow_state", "current_unit", "received_at"],
		order_by="received_at desc",
		limit_page_length=MAX_CANDIDATES,
	)
	if not rows:
		return []
	# the same reporter is matched only where the user reads identities, and never through a sealed
	# one: a match would tie a confidential report to a named one, i.e. reveal who made it
	match_reporters = reads_identity() and not (facts.get("identity_sealed") or facts.get("is_confidential"))
	identities = reporter_identity([r.name for r in rows]) if match_reporters else {}
	candidates = [
		similarity.Candidate(
			r.name,
			similarity.words(f"{r.subject} {r.description}"),
			keys(identities.get(r.name, {})),
		)
		for r in rows
	]
	tokens = similarity.words(" ".join(str(facts.get(f) or "") for f in TEXT))
	ranked = similarity.rank(tokens, keys(facts) if match_reporters else frozenset(), candidates, limit=limit)
	by_name = {r.name: r for r in rows}
	return [
		{
			"name": name,
			"subject": by_name[name].subject,
			"workflow_state": by_name[name].workflow_state,
			"current_unit": by_name[name].current_unit,
			"received_at": by_name[name].received_at,
			"score": value,
		}
		for name, value in ranked
	]


def keys(identity: dict) -> frozenset:
	return similarity.reporter_keys(*(identity.get(f) for f in IDENTITY))


def reads_identity(user: str | None = None) -> bool:
	"""Whether the user reads the identity fields of complaints (field level 2)."""
	return 2 in frappe.get_meta("Complaint").get_permlevel_access("read", user=user or frappe.session.user)


def reporter_identity(names: list[str]) -> dict[str, dict]:
	"""Phone, e-mail and NIK per named complaint, read here, never returned; sealed (confidential)
	identities are left out."""
	if not names:
		return {}
	rows = frappe.get_all(
		"Complaint",
		filters={"name": ("in", names), "is_anonymous": 0, "identity_sealed": 0, "is_confidential": 0},
		fields=["name", *IDENTITY],
	)
	return {r.name: {f: r.get(f) for f in IDENTITY} for r in rows}


# --- the payment rule ---


def onload(doc, method=None):
	doc.set_onload("payment_coordination", payment_coordination(doc))


def payment_coordination(doc) -> dict | None:
	"""How many people reported an open payment problem at this payment point, and whether seed 004
	(lines 468-476) recommends that UPPKH Pusat coordinate with PT Pos. A count only: no names."""
	key = doc.get("payment_point_key")
	if not key or doc.workflow_state in wf.FINAL_STATES:
		return None
	names = frappe.get_all(
		"Complaint",
		filters={"payment_point_key": key, "workflow_state": ("not in", tuple(wf.FINAL_STATES))},
		pluck="name",
		order_by="received_at desc",
		limit=MAX_CANDIDATES,
	)
	identities = reporter_identity(names)
	key_sets = [keys(identities.get(name, {})) for name in names]
	return {
		"payment_point": doc.payment_point,
		"reporters": similarity.distinct_reporters(key_sets),
		"recommend": similarity.recommend_pos_coordination(doc.category, doc.payment_point, key_sets),
	}
