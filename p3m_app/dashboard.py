"""Figures for the P3M workspace: every count goes through frappe.get_list, so unit scope applies."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from p3m_app import permissions
from p3m_app.core import workflow_rules as wf

WEEKS = 12
GROUPS = ("Belum", "Proses", "Selesai")


@frappe.whitelist()
def awaiting_my_unit(filters=None) -> int:
	"""Complaints disposed to one of the viewer's own units and not yet accepted there."""
	units = permissions.user_units(frappe.session.user)
	if not units:
		return 0
	return frappe.get_list(
		"Complaint",
		filters={"workflow_state": wf.DISPOSED, "current_unit": ("in", units)},
		fields=["count(*) as count"],
		as_list=True,
	)[0][0]


def intake_by_channel() -> dict:
	"""Complaints received per week over the last 12 weeks, one series per channel."""
	start = add_days(getdate(today()), -7 * WEEKS + 1)
	rows = frappe.get_list(
		"Complaint",
		filters={"received_at": (">=", start)},
		fields=["yearweek(received_at, 3) as week", "channel", "count(*) as count"],
		group_by="week, channel",
		order_by="week asc",
	)
	weeks = [add_days(start, 7 * i) for i in range(WEEKS)]
	keys = [int(f"{d.isocalendar()[0]}{d.isocalendar()[1]:02d}") for d in weeks]
	series = {}
	for row in rows:
		series.setdefault(row.channel or _("Other"), dict.fromkeys(keys, 0))[int(row.week)] = row.count
	return {
		"labels": [d.strftime("%d %b") for d in weeks],
		"datasets": [
			{"name": _(channel), "values": [counts.get(k, 0) for k in keys]}
			for channel, counts in sorted(series.items())
		],
	}


def status_by_unit(limit: int = 12) -> dict:
	"""Belum / Proses / Selesai per holding unit, the busiest units first."""
	rows = frappe.get_list(
		"Complaint",
		fields=["current_unit", "workflow_state", "count(*) as count"],
		group_by="current_unit, workflow_state",
	)
	per_unit = {}
	for row in rows:
		counts = per_unit.setdefault(row.current_unit or _("(none)"), dict.fromkeys(GROUPS, 0))
		counts[wf.STATUS_GROUPS.get(row.workflow_state, "Belum")] += row.count
	units = sorted(per_unit, key=lambda u: -sum(per_unit[u].values()))[:limit]
	return {
		"labels": units,
		"datasets": [{"name": _(group), "values": [per_unit[u][group] for u in units]} for group in GROUPS],
	}


def chart_endpoint(build):
	"""A Dashboard Chart Source ``get`` with Frappe's signature around one of the builders above."""

	def get(chart_name=None, chart=None, no_cache=None, filters=None, from_date=None, to_date=None, **kwargs):
		return build()

	return get
