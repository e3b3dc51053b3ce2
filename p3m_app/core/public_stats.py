"""Public statistics: rates always with their counts, and no ranking on too few cases.

A unit that handled two complaints on time shows 100%, and would top a league table by
luck; units below a minimum volume are listed but not ranked.
"""

MIN_VOLUME_TO_RANK = 20


def rate(part: int, whole: int) -> dict:
	"""{"part", "whole", "percent"}; percent is None when there is nothing to divide."""
	return {
		"part": part,
		"whole": whole,
		"percent": round(100 * part / whole, 1) if whole else None,
	}


def league(rows: list[dict], min_volume: int = MIN_VOLUME_TO_RANK) -> tuple[list[dict], list[dict]]:
	"""Split units into a ranked table (by on-time rate, then volume) and an unranked list.

	``rows`` carry ``unit``, ``answered`` and ``on_time``.
	"""
	ranked, unranked = [], []
	for row in rows:
		entry = {**row, "on_time_rate": rate(row["on_time"], row["answered"])}
		(ranked if row["answered"] >= min_volume else unranked).append(entry)
	ranked.sort(key=lambda r: (-(r["on_time_rate"]["percent"] or 0), -r["answered"], r["unit"]))
	for position, row in enumerate(ranked, start=1):
		row["rank"] = position
	unranked.sort(key=lambda r: r["unit"])
	return ranked, unranked
