"""Nearest-level routing: which unit a new complaint starts at, from where it happened.

Pedoman PKH (seed 004) lines 80-83: "penanganan pengaduan diupayakan penyelesaiannya pada tingkat
yang terdekat", and lines 170-173 repeat it for UPPKH Kabupaten/Kota; reporters go to "Kantor UPPKH
Kabupaten/Kota terdekat" (lines 17-18). So a complaint whose location is known starts at the most
specific unit that declares it serves that place: a kecamatan match beats a district (kabupaten/kota)
match, which beats a province match.

Place names are typed by people, so they are compared in a normal form: case, spacing and
punctuation do not matter, "Kab." / "Kab" / "Kabupaten" are one prefix, "Kota" / "Kotamadya" /
"Kodya" another, and "Provinsi", "Kecamatan" / "Kec." / "Distrik" prefixes are dropped. A district
written without its prefix ("Brebes") matches either kind; "Kota Bogor" and "Kabupaten Bogor" stay
apart, as they are different places.

A service-area row becomes one *area key* (stored, indexed) and a complaint becomes the few keys
it could match, so finding the unit is one indexed lookup, whatever the number of units.
"""

import re

from p3m_app.core.errors import RuleViolation, _

KABUPATEN, KOTA = "kabupaten", "kota"
PROVINCE, DISTRICT, KECAMATAN = 1, 2, 3  # specificity: the higher, the nearer

_PUNCTUATION = re.compile(r"[^\w]+|_")
_DISTRICT_PREFIXES = {
	"kabupaten": KABUPATEN,
	"kab": KABUPATEN,
	"kota": KOTA,
	"kotamadya": KOTA,
	"kodya": KOTA,
}
_PROVINCE_PREFIXES = ("provinsi", "propinsi", "prov")
_KECAMATAN_PREFIXES = ("kecamatan", "kec", "distrik")
# the two provinces people name in several ways
_PROVINCE_ALIASES = {
	"jakarta": "dki jakarta",
	"daerah khusus ibukota jakarta": "dki jakarta",
	"daerah khusus jakarta": "dki jakarta",
	"d k i jakarta": "dki jakarta",
	"yogyakarta": "di yogyakarta",
	"diy": "di yogyakarta",
	"d i yogyakarta": "di yogyakarta",
	"daerah istimewa yogyakarta": "di yogyakarta",
}


def _words(text: str | None) -> list[str]:
	return _PUNCTUATION.sub(" ", (text or "").casefold()).split()


def normalise_province(text: str | None) -> str:
	"""'  Prov. Jawa  TENGAH ' -> 'jawa tengah'."""
	words = _words(text)
	if len(words) > 1 and words[0] in _PROVINCE_PREFIXES:
		words = words[1:]
	name = " ".join(words)
	return _PROVINCE_ALIASES.get(name, name)


def normalise_district(text: str | None) -> tuple[str, str]:
	"""(kind, name): 'Kab. Brebes' -> ('kabupaten', 'brebes'), 'Brebes' -> ('', 'brebes')."""
	words = _words(text)
	kind = ""
	if len(words) > 1 and words[0] in _DISTRICT_PREFIXES:
		kind = _DISTRICT_PREFIXES[words[0]]
		words = words[1:]
		if len(words) > 1 and words[0] == "madya" and kind == KOTA:  # "Kota Madya Bandung"
			words = words[1:]
		if len(words) > 1 and words[0] == "administrasi":  # DKI's "Kota Administrasi ..."
			words = words[1:]
	return kind, " ".join(words)


def normalise_kecamatan(text: str | None) -> str:
	"""'Kec. Bumiayu' -> 'bumiayu'."""
	words = _words(text)
	if len(words) > 1 and words[0] in _KECAMATAN_PREFIXES:
		words = words[1:]
	return " ".join(words)


def area_row(province: str | None, district: str | None, kecamatan: str | None) -> dict:
	"""The stored form of one service-area row: its key, its province and how specific it is.

	A kecamatan needs its district (kecamatan names repeat across districts); an empty row, or a
	kecamatan without a district, is refused.
	"""
	prov = normalise_province(province)
	kind, name = normalise_district(district)
	kec = normalise_kecamatan(kecamatan)
	if kec and not name:
		raise RuleViolation(_("A served kecamatan needs its district (kabupaten/kota)."))
	if kec:
		return {"area_key": _key("k", kind, name, kec), "province_key": prov, "specificity": KECAMATAN}
	if name:
		return {"area_key": _key("d", kind, name), "province_key": prov, "specificity": DISTRICT}
	if prov:
		return {"area_key": _key("p", prov), "province_key": prov, "specificity": PROVINCE}
	raise RuleViolation(_("A service area needs a province, a district or a kecamatan."))


def candidate_keys(province: str | None, district: str | None, kecamatan: str | None) -> list[str]:
	"""The area keys a complaint's location may match, nearest first (an exact kind before a
	district named without one)."""
	prov = normalise_province(province)
	kind, name = normalise_district(district)
	kec = normalise_kecamatan(kecamatan)
	kinds = [kind, ""] if kind else ["", KABUPATEN, KOTA]
	keys = []
	if name and kec:
		keys += [_key("k", k, name, kec) for k in kinds]
	if name:
		keys += [_key("d", k, name) for k in kinds]
	if prov:
		keys.append(_key("p", prov))
	return keys


def choose_unit(
	rows: list[dict], keys: list[str], province: str | None = None, program: str | None = None
) -> str | None:
	"""The unit to start at, from the service-area rows found for ``keys``; None when none fits.

	Each row: unit, area_key, province_key, specificity, program (the unit's, may be empty),
	size (rgt - lft: a smaller subtree is a deeper unit). Rows of inactive or non-complaint units
	are left out by the caller. A row naming another province than the complaint is skipped; a unit
	tagged with a program serves only that program's complaints, and is preferred to an untagged
	unit serving the same area.
	"""
	prov = normalise_province(province)
	order = {key: index for index, key in enumerate(keys)}
	fitting = [
		row
		for row in rows
		if row["area_key"] in order
		and not (prov and row.get("province_key") and row["province_key"] != prov)
		and not (row.get("program") and row["program"] != program)
	]
	if not fitting:
		return None
	best = min(
		fitting,
		key=lambda row: (
			-row["specificity"],
			0 if program and row.get("program") == program else 1,
			order[row["area_key"]],
			row.get("size") or 0,
			row["unit"],
		),
	)
	return best["unit"]


def _key(*parts: str) -> str:
	return "|".join(parts)
