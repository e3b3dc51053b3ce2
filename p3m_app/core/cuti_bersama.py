"""Cuti bersama shipped with the app, for the years the holidays library does not know yet.

The days come from the yearly joint decree (SKB 3 Menteri) and live in a data file,
``p3m_app/sla/data/cuti_bersama.json``, so a new year's decree is a data change, not a code change.
"""

import json
from datetime import date
from pathlib import Path

from p3m_app.core.errors import RuleViolation, _

DATA_FILE = Path(__file__).resolve().parent.parent / "sla" / "data" / "cuti_bersama.json"


def parse(data: dict) -> dict[date, str]:
	"""{day: name} from the file's structure; a day filed under the wrong year is refused."""
	days = {}
	for year, entry in (data.get("years") or {}).items():
		for item in entry.get("days") or ():
			day = date.fromisoformat(item["date"])
			if day.year != int(year):
				raise RuleViolation(
					_("Cuti bersama {day} is listed under the year {year}."), day=item["date"], year=year
				)
			days[day] = item["name"]
	return dict(sorted(days.items()))


def load(path: Path = DATA_FILE) -> dict[date, str]:
	return parse(json.loads(Path(path).read_text(encoding="utf-8")))


def for_years(years, path: Path = DATA_FILE) -> dict[date, str]:
	wanted = set(years)
	return {day: name for day, name in load(path).items() if day.year in wanted}


def merged(library_days: dict, years, path: Path = DATA_FILE) -> dict[date, str]:
	"""The library's holidays plus the shipped cuti bersama of ``years``. On a day both list, the
	decree's name wins: the library's entry there is an estimate (cuti bersama never falls on a
	public holiday), e.g. holidays 0.85 puts Idul Fitri 2026 "(perkiraan)" on 20 March."""
	return dict(sorted({**library_days, **for_years(years, path)}.items()))
