"""SLA policies from the database, as the pure engine's Policy objects."""

import frappe

from p3m_app.core import sla_policy as sla
from p3m_app.utils import drop_cached

CACHE_KEY = "p3m_sla_policy_objects"  # the engine's Policy objects (the older key held names)


def to_policy(doc) -> sla.Policy:
	return sla.Policy(
		name=doc.name,
		priority=doc.priority or 0,
		match={f: doc.get(f) for f in sla.MATCH_FIELDS if doc.get(f)},
		milestones=tuple(
			sla.Milestone(
				milestone=row.milestone,
				amount=row.working_days,  # the stored field keeps its first name; it holds any unit
				starts_from=row.starts_from,
				pauses=bool(row.pauses_when_pending),
				escalate=row.escalate or sla.ESCALATE_UP,
				due_soon_days=row.due_soon_days or 0,
				time_unit=row.time_unit or sla.WORKING_DAYS,
				escalate_to=escalate_to(row),
			)
			for row in doc.milestones
		),
	)


def escalate_to(row) -> str | None:
	if row.escalate == sla.ESCALATE_LEVEL:
		return row.escalate_to_level
	if row.escalate == sla.ESCALATE_UNIT:
		return row.escalate_to_unit
	return None


def enabled_policies() -> list[sla.Policy]:
	"""Every save asks: the engine's policies are cached as one value, not rebuilt from each document."""
	found = frappe.cache.get_value(CACHE_KEY)
	if found is None:
		names = frappe.get_all("SLA Policy", filters={"enabled": 1}, pluck="name", order_by="name")
		found = [to_policy(frappe.get_doc("SLA Policy", name)) for name in names]
		frappe.cache.set_value(CACHE_KEY, found)
	return found


def clear_cache() -> None:
	drop_cached(CACHE_KEY)
