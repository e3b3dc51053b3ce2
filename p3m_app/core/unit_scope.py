"""Which units a user may see: their own units and every unit below them.

Units form a nested set (lft/rgt), so a user's reach is a few integer ranges and
"is this unit in reach" is an index range check, never a tree walk.
"""

Bounds = tuple[int, int]


def merge_bounds(bounds: list[Bounds]) -> list[Bounds]:
	"""Drop ranges nested inside others; a subtree already covers its descendants."""
	merged: list[Bounds] = []
	for lft, rgt in sorted(bounds):
		if merged and lft >= merged[-1][0] and rgt <= merged[-1][1]:
			continue
		merged.append((lft, rgt))
	return merged


def contains(bounds: list[Bounds], lft: int | None) -> bool:
	return lft is not None and any(low <= lft <= high for low, high in bounds)


def sql_condition(column: str, bounds: list[Bounds], unit_table: str = "`tabUnit`") -> str:
	"""SQL that keeps rows whose ``column`` names a unit inside ``bounds``.

	Only integers reach the SQL text. With no bounds nothing matches.
	"""
	if not bounds:
		return "1=0"
	ranges = " or ".join(
		f"(scope_unit.lft >= {int(lft)} and scope_unit.lft <= {int(rgt)})" for lft, rgt in bounds
	)
	return f"{column} in (select scope_unit.name from {unit_table} scope_unit where {ranges})"
