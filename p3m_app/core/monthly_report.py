"""The monthly complaint report of the PKH guideline, shaped from grouped counts.

Complaints are counted by type (classification, then category), by location (province, then
district) and per category against the previous month. Nothing here ever sees a reporter:
the guideline's "frequency" is complaints per category, and repeat reporters must not be
identifiable from the report, so no count is ever keyed by who reported.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from p3m_app.core import report_stats as stats


@dataclass
class Group:
	key: str | None
	count: int = 0
	children: list = field(default_factory=list)


@dataclass
class Frequency:
	category: str | None
	count: int
	previous: int

	@property
	def change(self) -> int:
		return self.count - self.previous


@dataclass
class Monthly:
	total: int
	by_type: list  # Group(classification) -> Group(category)
	by_location: list  # Group(province) -> Group(district)
	frequency: list  # Frequency, most frequent first


def _norm(key):
	"""Free-text places ("Jawa Barat", "JAWA  BARAT ") count together; empty means not stated."""
	return " ".join(key.split()).casefold() if isinstance(key, str) and key.strip() else None


def _two_levels(pairs: Iterable[tuple]) -> list[Group]:
	"""((outer, inner), count) -> outer groups with their inner groups, largest first.
	Keys are compared without case or extra spaces; the first spelling seen is shown."""
	outer: dict = {}
	shown: dict = {}
	for (key, sub), count in pairs:
		okey, ikey = _norm(key), (_norm(key), _norm(sub))
		shown.setdefault(okey, key.strip() if okey else None)
		shown.setdefault(ikey, sub.strip() if ikey[1] else None)
		inner = outer.setdefault(okey, {})
		inner[ikey] = inner.get(ikey, 0) + count
	groups = []
	for okey, inner in outer.items():
		ranked = sorted(inner.items(), key=lambda item: (-item[1], item[0][1] is None, str(item[0][1])))
		children = [Group(shown[ikey], count) for ikey, count in ranked]
		groups.append(Group(shown[okey], sum(c.count for c in children), children))
	return sorted(groups, key=lambda g: (-g.count, g.key is None, str(g.key)))


def summarize(rows: Iterable[tuple], previous: dict | None = None) -> Monthly:
	"""``rows``: (classification, category, province, district, count) from one grouped query;
	``previous``: complaints per category in the month before."""
	rows = [(cls, cat, prov, dist, int(count)) for cls, cat, prov, dist, count in rows]
	previous = previous or {}
	per_category: dict = {}
	for _cls, cat, _prov, _dist, count in rows:
		per_category[cat] = per_category.get(cat, 0) + count
	for cat in previous:
		per_category.setdefault(cat, 0)
	frequency = [
		Frequency(cat, count, int(previous.get(cat, 0))) for cat, count in stats.ranked(per_category)
	]
	return Monthly(
		total=sum(r[4] for r in rows),
		by_type=_two_levels(((cls, cat), count) for cls, cat, _p, _d, count in rows),
		by_location=_two_levels(((prov, dist), count) for _c, _k, prov, dist, count in rows),
		frequency=frequency,
	)


def share(count: int, total: int) -> float | None:
	return stats.rate(count, total)
