"""Aggregate figures for the public transparency page: counts only, never a person.

One grouped query per table over an indexed date range, cached for an hour: the page is
public, so it must stay cheap however often it is opened.
"""

import frappe
from frappe.utils import add_months, getdate, today
from frappe.utils.caching import redis_cache

from p3m_app.core import public_stats
from p3m_app.core import workflow_rules as wf

MONTHS = 12
RESOLVED = (wf.ANSWERED, wf.CLOSED)

# answered, and answered with no deadline missed on the way
MEASURES = """count(*) as received,
	sum(c.answered_at is not null) as answered,
	sum(c.answered_at is not null and c.sla_status != 'Breached' and ifnull(c.sla_escalations, '') = '') as on_time"""


def since():
	return add_months(getdate(today()).replace(day=1), -(MONTHS - 1))


def grouped(group_sql: str, label: str) -> list[dict]:
	return frappe.db.sql(
		f"""select {group_sql} as {label}, {MEASURES}
		from `tabComplaint` c where c.received_at >= %(since)s
		group by {label} order by {label}""",
		{"since": since()},
		as_dict=True,
	)


def with_rates(rows: list[dict]) -> list[dict]:
	"""Counts as integers (MariaDB sums come back as decimals) and the on-time rate with its counts."""
	out = []
	for row in rows:
		counts = {k: int(row[k] or 0) for k in ("received", "answered", "on_time")}
		out.append(
			{**row, **counts, "on_time_rate": public_stats.rate(counts["on_time"], counts["answered"])}
		)
	return out


@redis_cache(ttl=3600)
def statistics() -> dict:
	totals = with_rates(grouped("'all'", "scope"))
	units = frappe.db.sql(
		f"""select u.unit_name as unit, {MEASURES}
		from `tabComplaint` c join `tabUnit` u on u.name = c.current_unit
		where c.received_at >= %(since)s group by u.unit_name""",
		{"since": since()},
		as_dict=True,
	)
	ranked, unranked = public_stats.league(
		[{"unit": r.unit, "answered": int(r.answered or 0), "on_time": int(r.on_time or 0)} for r in units]
	)
	return {
		"since": str(since()),
		"totals": totals[0] if totals else None,
		"by_month": with_rates(grouped("date_format(c.received_at, '%%Y-%%m')", "month")),
		"by_category": with_rates(grouped("ifnull(c.category, '')", "category")),
		"by_province": with_rates(grouped("ifnull(nullif(trim(c.province), ''), '')", "province")),
		"ranked_units": ranked,
		"unranked_units": unranked,
		"min_volume": public_stats.MIN_VOLUME_TO_RANK,
	}
