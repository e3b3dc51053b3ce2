# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Rekapitulasi Pengaduan: BELUM / PROSES / SELESAI per unit, with subtotals up the unit tree.

One grouped query counts complaints per (unit, state); core.recap rolls the counts up the
tree, so the report costs the same whether a unit holds ten complaints or ten thousand.
"""

import frappe
from frappe import _
from frappe.utils import cint

from p3m_app.core import recap
from p3m_app.p3m_app.report import common

KEYS = {recap.BELUM: "belum", recap.PROSES: "proses", recap.SELESAI: "selesai", recap.TOTAL: "total"}
INDICATORS = {recap.BELUM: "Orange", recap.PROSES: "Blue", recap.SELESAI: "Green", recap.TOTAL: "Gray"}


def labels() -> dict[str, str]:
	"""Status group names, translated (the recap keys are the SP4N-LAPOR! terms)."""
	return {
		recap.BELUM: _("Belum"),
		recap.PROSES: _("Proses"),
		recap.SELESAI: _("Selesai"),
		recap.TOTAL: _("Total"),
	}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	_start, _end, received_from, received_before = common.period(filters)
	bounds = common.view_bounds(filters.unit)
	units = common.units_in_view(bounds)
	counts = recap.counts_by_unit(count_rows(filters, bounds, received_from, received_before))
	rows = recap.roll_up(
		[recap.UnitNode(u.name, u.lft, u.rgt) for u in units],
		counts,
		drop_empty=bool(cint(filters.hide_empty)),
	)
	levels = {u.name: u.unit_level for u in units}
	data = [to_row(row, levels.get(row.unit)) for row in rows]
	total = recap.grand_total(rows)
	return get_columns(), data, common.no_reach_message(bounds), chart(rows), summary(total)


def count_rows(filters, bounds, received_from, received_before) -> list[tuple]:
	"""(unit, workflow state, count) for the complaints in the period, the filters and the reach."""
	conditions, values = common.complaint_conditions(filters)
	conditions += common.scope_sql("c.current_unit", bounds)
	values.update(received_from=received_from, received_before=received_before)
	return frappe.db.sql(
		f"""
		select c.current_unit, c.workflow_state, count(*)
		from `tabComplaint` c
		where c.received_at >= %(received_from)s and c.received_at < %(received_before)s
			{conditions}
		group by c.current_unit, c.workflow_state
		""",
		values,
	)


def to_row(row: recap.RecapRow, unit_level: str | None) -> dict:
	out = {"unit": row.unit, "parent_unit": row.parent, "indent": row.depth, "unit_level": unit_level}
	for group, key in KEYS.items():
		out[f"own_{key}"] = row.own[group]
		out[f"sub_{key}"] = row.subtotal[group]
	return out


def get_columns() -> list[dict]:
	label = labels()
	columns = [
		common.column("unit", _("Unit"), "Link", "Unit", 260),
		common.column("unit_level", _("Unit Level"), "Link", "Unit Level", 120),
	]
	for group, key in KEYS.items():
		columns.append(common.column(f"own_{key}", _("{0} (This Unit)").format(label[group]), width=120))
	for group, key in KEYS.items():
		columns.append(
			common.column(f"sub_{key}", _("{0} (With Units Below)").format(label[group]), width=150)
		)
	columns.append(common.column("parent_unit", _("Parent Unit"), "Link", "Unit", 180))
	return columns


def chart(rows: list[recap.RecapRow]) -> dict | None:
	"""Status groups of the top rows: for a national viewer, the top of the whole tree."""
	top = recap.top_rows(rows)
	if not top:
		return None
	return {
		"data": {
			"labels": [row.unit for row in top],
			"datasets": [
				{"name": labels()[group], "values": [row.subtotal[group] for row in top]}
				for group in recap.GROUPS
			],
		},
		"type": "bar",
		"colors": ["#f59e0b", "#3b82f6", "#22c55e"],
	}


def summary(total: dict) -> list[dict]:
	label = labels()
	return [
		{"value": total[group], "label": label[group], "datatype": "Int", "indicator": INDICATORS[group]}
		for group in (*recap.GROUPS, recap.TOTAL)
	]
