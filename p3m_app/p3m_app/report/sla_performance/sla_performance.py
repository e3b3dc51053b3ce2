# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""SLA Performance: per unit, how many complaints met their time limits and how long they took.

One query reads each complaint's times and its First Response and Resolution deadlines;
core.sla_performance tallies them, counting working days on each unit's own calendar. A
deadline that has not passed yet is not counted either way, so open work does not lower a rate.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from p3m_app.core import report_stats as stats
from p3m_app.core import sla_performance
from p3m_app.core.sla_policy import FIRST_RESPONSE, FOLLOW_UP, RESOLUTION
from p3m_app.p3m_app.report import common


def execute(filters=None):
	filters = frappe._dict(filters or {})
	_start, _end, received_from, received_before = common.period(filters)
	bounds = common.view_bounds(filters.unit)
	rows = complaint_rows(filters, bounds, received_from, received_before)
	order = {}
	for row in rows:
		order.setdefault(row.current_unit, row.lft)
	tallied = sla_performance.tally(rows, common.WorkingDays(), now_datetime())
	units = sorted(tallied, key=lambda unit: order[unit])
	data = [to_row(unit, tallied[unit]) for unit in units]
	total = sla_performance.overall(tallied.values())
	return get_columns(), data, common.no_reach_message(bounds), chart(data), summary(total)


def complaint_rows(filters, bounds, received_from, received_before) -> list[dict]:
	"""One row per complaint: its times, deadlines and escalation log (no reporter fields)."""
	conditions, values = common.complaint_conditions(filters)
	conditions += common.scope_sql("c.current_unit", bounds)
	values.update(
		received_from=received_from,
		received_before=received_before,
		first_response=FIRST_RESPONSE,
		# PKH settles a case at its Follow-up milestone (Tabel 2: tindak lanjut); a policy has one of the two
		resolution=(RESOLUTION, FOLLOW_UP),
	)
	return frappe.db.sql(
		f"""
		select c.current_unit, u.lft, c.received_at, c.first_response_at, c.answered_at, c.closed_at,
			c.reopened_at, c.sla_status, c.sla_escalations,
			fr.due_at as response_due, res.due_at as resolution_due
		from `tabComplaint` c
		join `tabUnit` u on u.name = c.current_unit
		left join `tabComplaint SLA Milestone` fr on fr.parent = c.name and fr.parenttype = 'Complaint'
			and fr.parentfield = 'sla_milestones' and fr.milestone = %(first_response)s
		left join `tabComplaint SLA Milestone` res on res.parent = c.name and res.parenttype = 'Complaint'
			and res.parentfield = 'sla_milestones' and res.milestone in %(resolution)s
		where c.received_at >= %(received_from)s and c.received_at < %(received_before)s
			{conditions}
		""",
		values,
		as_dict=True,
	)


def to_row(unit: str, perf: sla_performance.Performance) -> dict:
	return {
		"unit": unit,
		"received": perf.received,
		"response_on_time": perf.response_on_time,
		"response_measured": perf.response_measured,
		"response_rate": stats.rate(perf.response_on_time, perf.response_measured),
		"resolution_on_time": perf.resolution_on_time,
		"resolution_measured": perf.resolution_measured,
		"resolution_rate": stats.rate(perf.resolution_on_time, perf.resolution_measured),
		"response_median": rounded(stats.median(perf.response_days)),
		"response_p90": rounded(stats.percentile(perf.response_days, 90)),
		"resolution_median": rounded(stats.median(perf.resolution_days)),
		"resolution_p90": rounded(stats.percentile(perf.resolution_days, 90)),
		"breaches": perf.breaches,
		"escalations": perf.escalations,
	}


def rounded(value: float | None) -> float | None:
	return None if value is None else round(value, 1)


def get_columns() -> list[dict]:
	col = common.column
	return [
		col("unit", _("Unit"), "Link", "Unit", 220),
		col("received", _("Received")),
		col("response_on_time", _("Responded On Time"), width=130),
		col("response_measured", _("First Responses Due"), width=130),
		col("response_rate", _("First Response On Time %"), "Percent", width=150),
		col("resolution_on_time", _("Resolved On Time"), width=130),
		col("resolution_measured", _("Resolutions Due"), width=120),
		col("resolution_rate", _("Resolution On Time %"), "Percent", width=150),
		col("response_median", _("Median Working Days to First Response"), "Float", width=150),
		col("response_p90", _("P90 Working Days to First Response"), "Float", width=150),
		col("resolution_median", _("Median Working Days to Resolution"), "Float", width=150),
		col("resolution_p90", _("P90 Working Days to Resolution"), "Float", width=150),
		col("breaches", _("Breaches")),
		col("escalations", _("Escalations")),
	]


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row["unit"] for row in data],
			"datasets": [
				{
					"name": _("First Response On Time %"),
					"values": [row["response_rate"] or 0 for row in data],
				},
				{"name": _("Resolution On Time %"), "values": [row["resolution_rate"] or 0 for row in data]},
			],
		},
		"type": "bar",
		"fieldtype": "Percent",
		"colors": ["#3b82f6", "#22c55e"],
	}


def summary(total: sla_performance.Performance) -> list[dict]:
	return [
		{"value": total.received, "label": _("Received"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": stats.rate_text(total.response_on_time, total.response_measured),
			"label": _("First Response On Time"),
			"datatype": "Data",
			"indicator": "Green",
		},
		{
			"value": stats.rate_text(total.resolution_on_time, total.resolution_measured),
			"label": _("Resolution On Time"),
			"datatype": "Data",
			"indicator": "Green",
		},
		{"value": total.breaches, "label": _("Breaches"), "datatype": "Int", "indicator": "Red"},
		{"value": total.escalations, "label": _("Escalations"), "datatype": "Int", "indicator": "Orange"},
	]
