"""Roll-up of complaint counts through the unit tree (core.recap)."""

from p3m_app.core import recap
from p3m_app.core import workflow_rules as wf
from p3m_app.core.recap import BELUM, PROSES, SELESAI, TOTAL, UnitNode

#   Pusat (1,14)
#   ├── Prov A (2,7)
#   │   ├── Kab A1 (3,4)
#   │   └── Kab A2 (5,6)
#   ├── Prov B (8,11)
#   │   └── Kab B1 (9,10)
#   └── Kab X (12,13)
TREE = [
	UnitNode("Kab B1", 9, 10),  # deliberately out of order
	UnitNode("Pusat", 1, 14),
	UnitNode("Prov A", 2, 7),
	UnitNode("Kab A1", 3, 4),
	UnitNode("Kab A2", 5, 6),
	UnitNode("Prov B", 8, 11),
	UnitNode("Kab X", 12, 13),
]

QUERY_ROWS = [
	("Pusat", wf.NEW, 2),
	("Prov A", wf.IN_PROGRESS, 1),
	("Kab A1", wf.DISPOSED, 3),
	("Kab A1", wf.ANSWERED, 1),
	("Kab A1", wf.CLOSED, 2),
	("Kab A2", wf.PENDING, 1),
	("Kab B1", wf.ARCHIVED, 4),
	("Kab B1", wf.REOPENED, 1),
]


def by_unit(rows):
	return {row.unit: row for row in rows}


def test_counts_by_unit_maps_states_to_groups():
	counts = recap.counts_by_unit(QUERY_ROWS)
	assert counts["Kab A1"] == {BELUM: 0, PROSES: 3, SELESAI: 3, TOTAL: 6}
	assert counts["Kab B1"] == {BELUM: 0, PROSES: 1, SELESAI: 4, TOTAL: 5}
	assert counts["Pusat"][BELUM] == 2


def test_every_workflow_state_has_a_group_and_unknown_is_belum():
	assert {recap.group_of(state) for state in wf.states()} <= set(recap.GROUPS)
	assert recap.group_of(None) == BELUM
	assert recap.group_of("Something New") == BELUM


def test_rows_come_in_tree_order_with_depth_and_parent():
	rows = recap.roll_up(TREE, recap.counts_by_unit(QUERY_ROWS))
	assert [(r.unit, r.depth, r.parent) for r in rows] == [
		("Pusat", 0, None),
		("Prov A", 1, "Pusat"),
		("Kab A1", 2, "Prov A"),
		("Kab A2", 2, "Prov A"),
		("Prov B", 1, "Pusat"),
		("Kab B1", 2, "Prov B"),
		("Kab X", 1, "Pusat"),
	]


def test_subtotal_is_own_plus_children():
	rows = recap.roll_up(TREE, recap.counts_by_unit(QUERY_ROWS))
	units = by_unit(rows)
	assert units["Prov A"].own == {BELUM: 0, PROSES: 1, SELESAI: 0, TOTAL: 1}
	assert units["Prov A"].subtotal == {BELUM: 1, PROSES: 4, SELESAI: 3, TOTAL: 8}
	assert units["Pusat"].subtotal == {BELUM: 3, PROSES: 5, SELESAI: 7, TOTAL: 15}
	assert units["Kab X"].subtotal[TOTAL] == 0
	for row in rows:
		children = [r for r in rows if r.parent == row.unit]
		for key in (*recap.GROUPS, TOTAL):
			assert row.subtotal[key] == row.own[key] + sum(c.subtotal[key] for c in children)
		assert row.subtotal[TOTAL] == sum(row.subtotal[g] for g in recap.GROUPS)


def test_grand_total_counts_everything_once():
	rows = recap.roll_up(TREE, recap.counts_by_unit(QUERY_ROWS))
	assert recap.grand_total(rows)[TOTAL] == sum(count for _unit, _state, count in QUERY_ROWS)


def test_a_partial_view_starts_at_its_own_top_units():
	# an officer of Kab A1 and Prov B: two unrelated subtrees, both top rows
	view = [n for n in TREE if n.name in ("Kab A1", "Prov B", "Kab B1")]
	rows = recap.roll_up(view, recap.counts_by_unit(QUERY_ROWS))
	assert [(r.unit, r.depth, r.parent) for r in rows] == [
		("Kab A1", 0, None),
		("Prov B", 0, None),
		("Kab B1", 1, "Prov B"),
	]
	assert [r.unit for r in recap.top_rows(rows)] == ["Kab A1", "Prov B"]
	assert recap.grand_total(rows)[TOTAL] == 6 + 5


def test_counts_of_units_outside_the_view_are_ignored():
	rows = recap.roll_up([UnitNode("Kab A2", 5, 6)], recap.counts_by_unit(QUERY_ROWS))
	assert recap.grand_total(rows) == {BELUM: 1, PROSES: 0, SELESAI: 0, TOTAL: 1}


def test_drop_empty_keeps_the_tree_consistent():
	counts = recap.counts_by_unit([("Kab A1", wf.NEW, 1)])
	rows = recap.roll_up(TREE, counts, drop_empty=True)
	assert [(r.unit, r.parent) for r in rows] == [("Pusat", None), ("Prov A", "Pusat"), ("Kab A1", "Prov A")]


def test_empty_inputs():
	assert recap.roll_up([], {}) == []
	assert recap.grand_total([]) == {BELUM: 0, PROSES: 0, SELESAI: 0, TOTAL: 0}
