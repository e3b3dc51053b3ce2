"""Existing open complaints get the keys similar-complaint suggestions and the payment rule read
(p3m_app.duplicates): 5,000 rows a batch, one UPDATE per distinct key value."""

from collections import defaultdict

import frappe

BATCH = 5000


def execute():
	from p3m_app.core import similarity
	from p3m_app.core import workflow_rules as wf

	last = ""
	while True:
		rows = frappe.db.sql(
			"""select name, category, district, province, payment_point from `tabComplaint`
			where name > %(last)s and category is not null and workflow_state not in %(final)s
			order by name limit %(batch)s""",
			{"last": last, "final": tuple(sorted(wf.FINAL_STATES)), "batch": BATCH},
			as_dict=True,
		)
		if not rows:
			return
		last = rows[-1].name
		for field, compute in (
			("duplicate_key", lambda r: similarity.duplicate_key(r.category, r.district, r.province)),
			("payment_point_key", lambda r: similarity.payment_point_key(r.category, r.payment_point)),
		):
			by_value = defaultdict(list)
			for row in rows:
				by_value[compute(row)].append(row.name)
			for value, names in by_value.items():
				if value:
					frappe.db.sql(
						f"update `tabComplaint` set `{field}` = %(value)s where name in %(names)s",
						{"value": value, "names": tuple(names)},
					)
