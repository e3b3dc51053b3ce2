# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Disposition Aging: open dispositions (Sent or Accepted) per receiving unit, by working days
waiting since they were sent, so a unit sitting on its complaints shows at a glance.

One query lists the open dispositions within the viewer's units; waits are counted on the
receiving unit's own holiday calendar (one calendar per unit, built once per run).
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from p3m_app.core import report_stats as stats
from p3m_app.core.transition_effects import OPEN_DISPOSITION_STATUSES
from p3m_app.p3m_app.report import common

BUCKET_KEYS = {"0-3": "bucket_0_3", "4-5": "bucket_4_5", "6-10": "bucket_6_10", ">10": "bucket_over_10"}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	bounds = common.view_bounds(filters.unit)
	now = now_datetime()
	working_days = common.WorkingDays()
	by_unit: dict[str, list] = {}  # insertion follows the query's tree order
	for row in open_dispositions(filters, bounds):
		row.days = working_days(row.to_unit, row.creation, now)
		by_unit.setdefault(row.to_unit, []).append(row)

	data, totals = [], {"open": 0, **{label: 0 for label in BUCKET_KEYS}}
	for unit, items in by_unit.items():
		buckets = stats.bucket_counts(item.days for item in items)
		totals["open"] += len(items)
		for label, count in buckets.items():
			totals[label] += count
		data.append(unit_row(unit, items, buckets))
		data += [disposition_row(unit, item) for item in items]
	return get_columns(), data, common.no_reach_message(bounds), chart(data), summary(totals)


def open_dispositions(filters, bounds) -> list[dict]:
	conditions, values = common.complaint_conditions(filters, fields=("program", "from_lapor"))
	conditions += common.scope_sql("d.to_unit", bounds)
	values["statuses"] = OPEN_DISPOSITION_STATUSES
	return frappe.db.sql(
		f"""
		select d.name, d.complaint, d.from_unit, d.to_unit, d.status, d.creation
		from `tabDisposition` d
		join `tabUnit` u on u.name = d.to_unit
		join `tabComplaint` c on c.name = d.complaint
		where d.status in %(statuses)s {conditions}
		order by u.lft, d.creation, d.name
		""",
		values,
		as_dict=True,
	)


def unit_row(unit: str, items: list, buckets: dict) -> dict:
	known = [item.days for item in items if item.days is not None]
	row = {
		"row_id": unit,
		"parent_id": None,
		"indent": 0,
		"label": unit,
		"unit": unit,
		"open_count": len(items),
		"days_waiting": max(known) if known else None,
	}
	row.update({BUCKET_KEYS[label]: count for label, count in buckets.items()})
	return row


def disposition_row(unit: str, item) -> dict:
	return {
		"row_id": item.name,
		"parent_id": unit,
		"indent": 1,
		"label": item.complaint,
		"unit": unit,
		"complaint": item.complaint,
		"disposition": item.name,
		"from_unit": item.from_unit,
		"status": _(item.status),
		"sent_on": item.creation,
		"days_waiting": item.days,
		"bucket": stats.aging_bucket(item.days) if item.days is not None else None,
	}


def get_columns() -> list[dict]:
	col = common.column
	return [
		col("label", _("Receiving Unit / Complaint"), "Data", width=240),
		col("open_count", _("Open Dispositions"), width=130),
		col("bucket_0_3", _("0-3 Working Days"), width=120),
		col("bucket_4_5", _("4-5 Working Days"), width=120),
		col("bucket_6_10", _("6-10 Working Days"), width=120),
		col("bucket_over_10", _("Over 10 Working Days"), width=130),
		col("days_waiting", _("Working Days Waiting"), width=140),
		col("bucket", _("Aging"), "Data", width=90),
		col("complaint", _("Complaint"), "Link", "Complaint", 170),
		col("disposition", _("Disposition"), "Link", "Disposition", 170),
		col("from_unit", _("From Unit"), "Link", "Unit", 160),
		col("status", _("Disposition Status"), "Data", width=130),
		col("sent_on", _("Sent On"), "Datetime", width=160),
		col("unit", _("Unit"), "Link", "Unit", 160),
	]


def chart(data: list[dict]) -> dict | None:
	units = [row for row in data if row["indent"] == 0]
	if not units:
		return None
	return {
		"data": {
			"labels": [row["unit"] for row in units],
			"datasets": [
				{"name": bucket_label(label), "values": [row[key] for row in units]}
				for label, key in BUCKET_KEYS.items()
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#22c55e", "#eab308", "#f97316", "#ef4444"],
	}


def bucket_label(label: str) -> str:
	return {
		"0-3": _("0-3 Working Days"),
		"4-5": _("4-5 Working Days"),
		"6-10": _("6-10 Working Days"),
		">10": _("Over 10 Working Days"),
	}[label]


def summary(totals: dict) -> list[dict]:
	indicators = {"0-3": "Green", "4-5": "Yellow", "6-10": "Orange", ">10": "Red"}
	return [
		{"value": totals["open"], "label": _("Open Dispositions"), "datatype": "Int", "indicator": "Blue"},
		*(
			{
				"value": totals[label],
				"label": bucket_label(label),
				"datatype": "Int",
				"indicator": indicators[label],
			}
			for label in BUCKET_KEYS
		),
	]
