"""Complaint recap per unit, rolled up the unit tree (SP4N-LAPOR! BELUM / PROSES / SELESAI).

The report counts with one grouped query (unit, state); rolling those counts up the tree is
a single pass over the units in nested-set order, so its cost never depends on the number of
complaints and never needs a query per unit.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from p3m_app.core.workflow_rules import STATUS_GROUPS

BELUM, PROSES, SELESAI, TOTAL = "Belum", "Proses", "Selesai", "Total"
GROUPS = (BELUM, PROSES, SELESAI)


def group_of(state: str | None) -> str:
	"""A state the recap does not know (or none yet) has not been handled: Belum."""
	return STATUS_GROUPS.get(state or "", BELUM)


def empty_counts() -> dict[str, int]:
	return {group: 0 for group in (*GROUPS, TOTAL)}


def counts_by_unit(rows: Iterable[tuple[str, str | None, int]]) -> dict[str, dict[str, int]]:
	"""(unit, workflow state, count) rows of the grouped query -> counts per unit and group."""
	counts: dict[str, dict[str, int]] = {}
	for unit, state, count in rows:
		bucket = counts.setdefault(unit, empty_counts())
		bucket[group_of(state)] += int(count)
		bucket[TOTAL] += int(count)
	return counts


@dataclass(frozen=True)
class UnitNode:
	name: str
	lft: int
	rgt: int


@dataclass
class RecapRow:
	unit: str
	parent: str | None  # nearest enclosing unit shown in the recap (None for a top row)
	depth: int
	own: dict = field(default_factory=empty_counts)
	subtotal: dict = field(default_factory=empty_counts)


def roll_up(
	units: Iterable[UnitNode], counts: dict[str, dict[str, int]], drop_empty: bool = False
) -> list[RecapRow]:
	"""Rows in tree (nested-set) order: each unit's own counts and its subtree's subtotal.

	Parents come from nesting (lft/rgt), not from ``parent_unit``: a unit whose parent lies
	outside the viewer's reach becomes a top row. Counts of units not listed are ignored.
	With ``drop_empty``, units whose whole subtree has no complaint are left out.
	"""
	rows: list[RecapRow] = []
	stack: list[tuple[UnitNode, RecapRow]] = []
	for node in sorted(units, key=lambda n: n.lft):
		while stack and not (stack[-1][0].lft < node.lft and node.rgt <= stack[-1][0].rgt):
			stack.pop()
		parent = stack[-1][1] if stack else None
		row = RecapRow(node.name, parent.unit if parent else None, len(stack))
		row.own.update(counts.get(node.name, {}))
		rows.append(row)
		stack.append((node, row))

	by_name = {row.unit: row for row in rows}
	for row in reversed(rows):  # children come after their parent: add upwards in reverse
		for key, value in row.own.items():
			row.subtotal[key] += value
		if row.parent:
			for key, value in row.subtotal.items():
				by_name[row.parent].subtotal[key] += value

	if drop_empty:
		rows = [row for row in rows if row.subtotal[TOTAL]]
	return rows


def top_rows(rows: list[RecapRow]) -> list[RecapRow]:
	return [row for row in rows if row.parent is None]


def grand_total(rows: list[RecapRow]) -> dict[str, int]:
	"""Everything in the recap: the sum of the top rows' subtotals."""
	total = empty_counts()
	for row in top_rows(rows):
		for key, value in row.subtotal.items():
			total[key] += value
	return total
