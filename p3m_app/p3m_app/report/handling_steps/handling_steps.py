# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Handling Steps: the open steps of the open complaints' checklists, per holding unit and
category, and for whom they wait (Pedoman PKH Tabel 1, seed 004 lines 391-567: pendamping,
UPPKH Kabupaten/Kota, Tim Koordinasi, UPPKH Pusat, dinas teknis, PT Pos).

One grouped query over the complaints the viewer's units hold (the Rekapitulasi's scope); a
finished or archived complaint's steps are no longer open work.
"""

import frappe
from frappe import _

from p3m_app.core import checklist
from p3m_app.core import workflow_rules as wf
from p3m_app.p3m_app.report import common

FINISHED = (wf.CLOSED, wf.ARCHIVED)


def actor_key(actor: str) -> str:
	return "open_" + "".join(ch if ch.isalnum() else "_" for ch in actor.lower())


def execute(filters=None):
	filters = frappe._dict(filters or {})
	bounds = common.view_bounds(filters.unit)
	data = rows(filters, bounds)
	return get_columns(), data, common.no_reach_message(bounds), None, summary(data)


def rows(filters, bounds) -> list[dict]:
	if bounds is not None and not bounds:
		return []
	conditions, values = common.complaint_conditions(filters, fields=("program", "category", "from_lapor"))
	conditions += common.scope_sql("c.current_unit", bounds)
	values["finished"] = FINISHED
	per_actor = []
	for i, actor in enumerate(checklist.ACTORS):
		values[f"actor_{i}"] = actor
		per_actor.append(
			f"sum(case when s.done = 0 and s.actor = %(actor_{i})s then 1 else 0 end) as `{actor_key(actor)}`"
		)
	return frappe.db.sql(
		f"""
		select c.current_unit as unit, c.category,
			count(distinct c.name) as complaints,
			count(distinct case when s.done = 0 then c.name end) as complaints_open,
			count(*) as steps,
			sum(s.done) as steps_done,
			sum(1 - s.done) as steps_open,
			sum(case when s.done = 0 and s.closes_case = 1 then 1 else 0 end) as closing_open,
			{", ".join(per_actor)}
		from `tabComplaint` c
		join `tabComplaint Step Progress` s
			on s.parent = c.name and s.parenttype = 'Complaint' and s.parentfield = 'handling_steps'
		join `tabUnit` u on u.name = c.current_unit
		where c.workflow_state not in %(finished)s {conditions}
		group by u.lft, c.current_unit, c.category
		order by u.lft, c.category
		""",
		values,
		as_dict=True,
	)


def get_columns() -> list[dict]:
	col = common.column
	return [
		col("unit", _("Unit"), "Link", "Unit", 200),
		col("category", _("Category"), "Link", "Complaint Category", 200),
		col("complaints", _("Open Complaints")),
		col("complaints_open", _("With Open Steps")),
		col("steps", _("Steps")),
		col("steps_done", _("Steps Done")),
		col("steps_open", _("Open Steps")),
		col("closing_open", _("Closing Steps Open")),
		*[col(actor_key(actor), _("Open: {0}").format(_(actor)), width=130) for actor in checklist.ACTORS],
	]


def summary(data: list[dict]) -> list[dict]:
	open_steps = sum(int(r.steps_open or 0) for r in data)
	done = sum(int(r.steps_done or 0) for r in data)
	return [
		{"label": _("Open Steps"), "value": open_steps, "indicator": "orange" if open_steps else "green"},
		{"label": _("Steps Done"), "value": done, "indicator": "blue"},
	]
