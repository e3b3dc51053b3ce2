"""Fields of a complaint that only the app itself writes.

The desk shows them read-only, but read-only in a form is not read-only on the server: a
``frappe.client.set_value`` or REST ``PUT`` can send any field. The controller compares what a
save brings with what is stored and refuses a change to any of these, whatever the API.
"""

from datetime import date, datetime
from decimal import Decimal

from p3m_app.core.errors import RuleViolation, _

SYSTEM_MANAGED = frozenset(
	{
		# identity of the record and of its intake
		"tracking_code",
		"origin_unit",
		"received_by",
		"identity_sealed",
		"portal_user",
		"submission_key",
		"inspektorat_reason",
		# what a LAPOR Import wrote (p3m_app.interop.lapor)
		"from_lapor",
		"lapor_tracking_id",
		"lapor_status",
		"lapor_disposition_path",
		"lapor_digest",
		"intake_followups_pending_since",
		# what the reporter said about the answer (the portal writes it)
		"reporter_rating",
		"rated_at",
		"reporter_feedback",
		# the SLA clock and its escalation log (the engine and the sweep write them)
		"sla_status",
		"sla_current_due",
		"sla_due_soon_at",
		"autoclose_at",
		"sla_policy",
		"escalation_level",
		"escalated_to_unit",
		"escalated_to_national",
		"escalated_to_admins",
		"paused_days",
		"paused_since",
		"level_arrived_at",
		"level_acted_at",
		"level_received_at",
		"reopened_at",
		"sla_sweep_token",
		"sla_escalations",
		# the workflow's own timestamps and counters
		"verified_at",
		"disposed_at",
		"first_response_at",
		"answered_at",
		"reporter_informed_at",
		# the follow-up record (p3m_app.sla.api.complete_follow_up writes it)
		"follow_up_completed_at",
		"follow_up_note",
		"closed_at",
		"reopen_count",
	}
)


def normalise(value):
	"""Equal values from a form, an API call and the database compare equal."""
	if value in (None, "", 0, 0.0, "0"):
		return None
	if isinstance(value, datetime):
		return value.replace(microsecond=0).isoformat(sep=" ")
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
		return float(value)
	text = str(value).strip()
	if len(text) >= 19 and text[4:5] == "-" and text[10:11] in (" ", "T"):
		# a datetime as text, with or without microseconds
		return text[:19].replace("T", " ")
	try:
		return float(text)
	except ValueError:
		return text


def changed_fields(stored: dict, incoming: dict, allowed: frozenset = frozenset()) -> list[str]:
	"""The system-managed fields whose incoming value differs from the stored one."""
	return sorted(
		field
		for field in SYSTEM_MANAGED - set(allowed)
		if field in incoming and normalise(incoming.get(field)) != normalise(stored.get(field))
	)


def check_unchanged(stored: dict, incoming: dict, labels: dict, allowed: frozenset = frozenset()) -> None:
	changed = changed_fields(stored, incoming, allowed)
	if changed:
		raise RuleViolation(
			_("{fields} can only be changed by the system, not edited."),
			fields=", ".join(labels.get(f, f) for f in changed),
		)
