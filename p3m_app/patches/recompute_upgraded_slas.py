"""Complaints recorded before the SLA engine knew office-time limits, the Receipt, Handler Identified,
Follow-up and Intervention milestones and named escalation targets get their deadlines under the
shipped policies, in the migrate that brings the new engine (not later, by a worker that may not run).

1. The Receipt milestone is met when the holding level first acted (``level_received_at``, a new
   column): an open complaint its level already verified, answered, put on hold or acted on gets
   the earliest of those moments, so an upgrade does not report every old complaint as unreceived.
2. Patches run before after_migrate: the shipped SLA policies are replaced by this release's
   (until now a fixture reset them on every migrate, so no agency edit is lost) and
   the default calendar given the shipped cuti bersama first (both idempotent), so the recompute
   uses the policies and holidays of this release.
3. Every open complaint is recomputed with p3m_app.sla.recompute (set-based, 5,000 per batch):
   milestone rows, the current deadline and status.
"""

import frappe

from p3m_app.setup.install import ensure_default_calendar, ensure_sla_policies
from p3m_app.sla import recompute


class AllOpen(recompute._Job):
	"""The recompute job over every open complaint (no changed record to scope it)."""

	def __init__(self, now=None):
		super().__init__("Patch", "recompute_upgraded_slas", now or frappe.utils.now_datetime())

	def scope(self):
		return "1", {}

	def summarise(self):
		if self.errors:
			frappe.log_error(
				title=f"P3M SLA upgrade: {len(self.errors)} complaints outside the calendar",
				message="\n".join(self.errors[:200]),
			)


def execute():
	backfill_level_received()
	ensure_sla_policies(replace=True)
	ensure_default_calendar()
	# earlier patches wrote calendars in SQL; the cached documents may predate them
	recompute.policies.clear_cache()
	for doctype in ("SLA Policy", "Holiday Calendar"):
		frappe.clear_document_cache(doctype)
	recompute_open()


def backfill_level_received():
	"""Set-based: the earliest recorded action of the holding level after the complaint arrived."""
	never = "timestamp('9999-12-31')"
	arrived = "coalesce(level_arrived_at, received_at)"
	moments = ("level_acted_at", "verified_at", "first_response_at", "answered_at", "paused_since")
	earliest = ", ".join(f"if(`{m}` >= {arrived}, `{m}`, {never})" for m in moments)
	frappe.db.sql(
		f"""update `tabComplaint` set level_received_at = nullif(least({earliest}), {never})
		where level_received_at is null and workflow_state not in %(final)s""",
		{"final": recompute.FINAL},
	)


def recompute_open(batch: int = recompute.BATCH) -> dict:
	job = AllOpen()
	after = ""
	while rows := job.select(after, batch):
		job.process(rows)
		after = rows[-1].name
	job.summarise()
	return job.counts


def stale_open(now=None) -> dict:
	"""What a recompute would still change (read only): open complaints whose stored milestones or
	current deadline differ from what the engine computes now. Used by the upgrade test."""
	job = AllOpen(now)
	enabled = recompute.policies.enabled_policies()
	counts = {"open": 0, "with_policy": 0, "stale": 0, "range_errors": 0}
	after = ""
	while rows := job.select(after, recompute.BATCH):
		stored = job.milestones([r.name for r in rows])
		for row in rows:
			counts["open"] += 1
			doc = recompute._Complaint(row, [frappe._dict(m) for m in stored.get(row.name, [])])
			before = _deadlines(doc)
			try:
				job.evaluate(doc, enabled)
			except recompute.RuleViolation:
				counts["range_errors"] += 1
				continue
			counts["with_policy"] += int(bool(doc.sla_policy))
			counts["stale"] += int(_deadlines(doc) != before or doc.sla_policy != row.sla_policy)
		after = rows[-1].name
	frappe.db.rollback()  # select ... for update took row locks
	return counts


def _deadlines(doc):
	rows = sorted(
		(m.milestone, str(m.get("due_at")), m.get("escalate"), m.get("escalate_to"))
		for m in doc.sla_milestones
	)
	return rows, str(doc.get("sla_current_due"))
