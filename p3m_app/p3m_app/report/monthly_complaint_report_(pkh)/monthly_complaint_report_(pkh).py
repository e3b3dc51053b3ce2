# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Monthly Complaint Report (PKH): the month's complaints by type, location and frequency,
and the special cases a head of unit must see by name.

Three set-based queries (the month grouped, the previous month per category, the flagged
complaints); core.monthly_report shapes them. Complaints are those received in the month
within the viewer's units. Reporters are never selected, counted or grouped.
"""

import frappe
from frappe import _

from p3m_app.core import monthly_report
from p3m_app.core import report_stats as stats
from p3m_app.core.report_period import datetime_range, previous_month
from p3m_app.p3m_app.report import common

# whistleblowing, escalated to national, reopened, or breached (stats.special_flags says which)
FLAGGED = """(c.classification = %(whistleblowing)s or c.escalated_to_national = 1 or c.reopen_count > 0
	or c.sla_status = %(breached)s or coalesce(c.sla_escalations, '') != '')"""


def execute(filters=None):
	filters = frappe._dict(filters or {})
	first, _last, month_from, month_before = common.month(filters)
	bounds = common.view_bounds(filters.unit)
	conditions, values = common.complaint_conditions(filters, fields=("program",))
	conditions += common.scope_sql("c.current_unit", bounds)

	summary_rows = frappe.db.sql(
		f"""select c.classification, c.category, c.province, c.district, count(*)
		from `tabComplaint` c
		where c.received_at >= %(month_from)s and c.received_at < %(month_before)s {conditions}
		group by c.classification, c.category, c.province, c.district""",
		{**values, "month_from": month_from, "month_before": month_before},
	)
	prev_from, prev_before = datetime_range(*previous_month(first))
	previous = frappe.db.sql(
		f"""select c.category, count(*) from `tabComplaint` c
		where c.received_at >= %(month_from)s and c.received_at < %(month_before)s {conditions}
		group by c.category""",
		{**values, "month_from": prev_from, "month_before": prev_before},
	)
	flagged = frappe.db.sql(
		f"""select c.name, c.subject, c.category, c.current_unit, c.workflow_state, c.classification,
			c.escalated_to_national, c.reopen_count, c.sla_status, c.sla_escalations
		from `tabComplaint` c
		where c.received_at >= %(month_from)s and c.received_at < %(month_before)s {conditions}
			and {FLAGGED}
		order by c.received_at, c.name""",
		{
			**values,
			"month_from": month_from,
			"month_before": month_before,
			"whistleblowing": stats.WHISTLEBLOWING,
			"breached": stats.BREACHED,
		},
		as_dict=True,
	)

	month = monthly_report.summarize(summary_rows, dict(previous))
	cases = [frappe._dict(row, flags=stats.special_flags(row)) for row in flagged]
	data = type_rows(month) + location_rows(month) + frequency_rows(month) + case_rows(cases)
	message = common.no_reach_message(bounds)
	return get_columns(), data, message, chart(month), summary(month, cases)


def section(key: str, label: str, count: int, total: int) -> dict:
	return {
		"row_id": key,
		"parent_id": None,
		"indent": 0,
		"label": label,
		"count": count,
		"share": share(count, total),
	}


def share(count: int, total: int):
	return monthly_report.share(count, total)


def two_level_rows(key: str, label: str, groups: list, total: int) -> list[dict]:
	rows = [section(key, label, total, total)]
	for i, group in enumerate(groups):
		group_id = f"{key}:{i}"
		rows.append(
			{
				"row_id": group_id,
				"parent_id": key,
				"indent": 1,
				"label": common.not_stated(group.key),
				"count": group.count,
				"share": share(group.count, total),
			}
		)
		rows += [
			{
				"row_id": f"{group_id}:{j}",
				"parent_id": group_id,
				"indent": 2,
				"label": common.not_stated(child.key),
				"count": child.count,
				"share": share(child.count, total),
			}
			for j, child in enumerate(group.children)
		]
	return rows


def type_rows(month: monthly_report.Monthly) -> list[dict]:
	return two_level_rows(
		"type", _("By Complaint Type (Classification, Category)"), month.by_type, month.total
	)


def location_rows(month: monthly_report.Monthly) -> list[dict]:
	return two_level_rows("location", _("By Location (Province, District)"), month.by_location, month.total)


def frequency_rows(month: monthly_report.Monthly) -> list[dict]:
	rows = [section("frequency", _("Frequency per Category"), month.total, month.total)]
	rows[0]["previous"] = sum(f.previous for f in month.frequency)
	rows += [
		{
			"row_id": f"frequency:{i}",
			"parent_id": "frequency",
			"indent": 1,
			"label": common.not_stated(freq.category),
			"category": freq.category,
			"count": freq.count,
			"share": share(freq.count, month.total),
			"previous": freq.previous,
			"change": freq.change,
		}
		for i, freq in enumerate(month.frequency)
	]
	return rows


def case_rows(cases: list[dict]) -> list[dict]:
	rows = [
		{"row_id": "cases", "parent_id": None, "indent": 0, "label": _("Special Cases"), "count": len(cases)}
	]
	rows += [
		{
			"row_id": f"cases:{case.name}",
			"parent_id": "cases",
			"indent": 1,
			"label": case.subject,
			"complaint": case.name,
			"category": case.category,
			"unit": case.current_unit,
			"state": _(case.workflow_state) if case.workflow_state else None,
			"flags": ", ".join(_(flag) for flag in case.flags),
		}
		for case in cases
	]
	return rows


def get_columns() -> list[dict]:
	col = common.column
	return [
		col("label", _("Item"), "Data", width=320),
		col("count", _("Complaints")),
		col("share", _("Share of the Month"), "Percent", width=130),
		col("previous", _("Previous Month"), width=120),
		col("change", _("Change"), width=90),
		col("complaint", _("Complaint"), "Link", "Complaint", 170),
		col("category", _("Category"), "Link", "Complaint Category", 160),
		col("unit", _("Unit"), "Link", "Unit", 160),
		col("state", _("Status"), "Data", width=130),
		col("flags", _("Why Flagged"), "Data", width=280),
	]


def chart(month: monthly_report.Monthly) -> dict | None:
	top = month.frequency[:10]
	if not top:
		return None
	return {
		"data": {
			"labels": [common.not_stated(f.category) for f in top],
			"datasets": [
				{"name": _("This Month"), "values": [f.count for f in top]},
				{"name": _("Previous Month"), "values": [f.previous for f in top]},
			],
		},
		"type": "bar",
		"colors": ["#3b82f6", "#94a3b8"],
	}


def summary(month: monthly_report.Monthly, cases: list[dict]) -> list[dict]:
	def flagged(flag: str) -> int:
		return sum(1 for case in cases if flag in case["flags"])

	return [
		{"value": month.total, "label": _("Complaints This Month"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": sum(f.previous for f in month.frequency),
			"label": _("Previous Month"),
			"datatype": "Int",
			"indicator": "Gray",
		},
		{
			"value": flagged(stats.FLAG_WHISTLEBLOWING),
			"label": _("Whistleblowing"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"value": flagged(stats.FLAG_NATIONAL),
			"label": _("Escalated to Admin Nasional"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"value": flagged(stats.FLAG_REOPENED),
			"label": _("Reopened"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"value": flagged(stats.FLAG_BREACHED),
			"label": _("Time limit breached"),
			"datatype": "Int",
			"indicator": "Orange",
		},
	]
