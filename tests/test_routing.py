"""Nearest-level routing (Pedoman PKH, seed 004 lines 80-83, 170-173): normal forms and the choice."""

import pytest

from p3m_app.core import routing as r
from p3m_app.core.errors import RuleViolation


@pytest.mark.parametrize(
	"typed",
	["Kabupaten Brebes", "kab. brebes", "KAB BREBES", "  Kab.Brebes ", "Kabupaten  Brebes\n"],
)
def test_district_prefixes_spacing_and_case_do_not_matter(typed):
	assert r.normalise_district(typed) == (r.KABUPATEN, "brebes")


def test_kota_and_kabupaten_of_one_name_stay_apart():
	assert r.normalise_district("Kota Bogor") == (r.KOTA, "bogor")
	assert r.normalise_district("Kotamadya Bogor") == (r.KOTA, "bogor")
	assert r.normalise_district("Kota Madya Bandung") == (r.KOTA, "bandung")
	assert r.normalise_district("Kota Administrasi Jakarta Selatan") == (r.KOTA, "jakarta selatan")
	assert r.normalise_district("Kab. Bogor") == (r.KABUPATEN, "bogor")
	assert r.normalise_district("Bogor") == ("", "bogor")
	# a district whose name starts like a prefix keeps its name
	assert r.normalise_district("Kotabaru") == ("", "kotabaru")
	assert r.normalise_district("Kab. Kotabaru") == (r.KABUPATEN, "kotabaru")
	assert r.normalise_district("Kota") == ("", "kota")
	assert r.normalise_district(None) == ("", "")


def test_province_and_kecamatan_prefixes_and_aliases():
	assert r.normalise_province(" Prov. Jawa  TENGAH ") == "jawa tengah"
	assert r.normalise_province("Provinsi Jawa Tengah") == "jawa tengah"
	assert r.normalise_province("DKI Jakarta") == r.normalise_province("Jakarta") == "dki jakarta"
	assert r.normalise_province("D.I. Yogyakarta") == r.normalise_province("DIY") == "di yogyakarta"
	assert r.normalise_kecamatan("Kec. Bumiayu") == r.normalise_kecamatan("KECAMATAN bumiayu") == "bumiayu"
	assert r.normalise_kecamatan("Distrik Abepura") == "abepura"


def test_area_rows_carry_their_key_and_specificity():
	assert r.area_row("Jawa Tengah", "Kab. Brebes", "Kec. Bumiayu") == {
		"area_key": "k|kabupaten|brebes|bumiayu",
		"province_key": "jawa tengah",
		"specificity": r.KECAMATAN,
	}
	assert r.area_row("", "Brebes", "")["area_key"] == "d||brebes"
	assert r.area_row("Prov. Jawa Tengah", None, None)["area_key"] == "p|jawa tengah"
	with pytest.raises(RuleViolation, match="needs its district"):
		r.area_row("Jawa Tengah", "", "Bumiayu")
	with pytest.raises(RuleViolation, match="needs a province"):
		r.area_row(" ", ".", "")


def test_candidate_keys_are_nearest_first():
	assert r.candidate_keys("Jawa Tengah", "Kabupaten Brebes", "Bumiayu") == [
		"k|kabupaten|brebes|bumiayu",
		"k||brebes|bumiayu",
		"d|kabupaten|brebes",
		"d||brebes",
		"p|jawa tengah",
	]
	# a district without its prefix may be either kind
	assert r.candidate_keys("", "Brebes", "") == ["d||brebes", "d|kabupaten|brebes", "d|kota|brebes"]
	# a kecamatan without its district cannot be placed
	assert r.candidate_keys("Jawa Tengah", "", "Bumiayu") == ["p|jawa tengah"]
	assert r.candidate_keys(None, None, None) == []


def row(unit, province, district, kecamatan="", program="", size=1):
	return {"unit": unit, "program": program, "size": size, **r.area_row(province, district, kecamatan)}


ROWS = [
	row("UPPKH Jawa Tengah", "Jawa Tengah", "", size=9),
	row("UPPKH Kabupaten Brebes", "Jawa Tengah", "Kabupaten Brebes", program="PKH", size=3),
	row("Pemkab Brebes", "", "Brebes", size=3),
	row("UPPKH Kecamatan Bumiayu", "Jawa Tengah", "Brebes", "Bumiayu", program="PKH"),
	row("UPPKH Kota Bogor", "Jawa Barat", "Kota Bogor", program="PKH"),
]


def choose(province, district, kecamatan="", program="PKH", rows=ROWS):
	return r.choose_unit(rows, r.candidate_keys(province, district, kecamatan), province, program)


def test_kecamatan_beats_district_beats_province():
	assert choose("Jawa Tengah", "Kab. Brebes", "Kec. Bumiayu") == "UPPKH Kecamatan Bumiayu"
	assert choose("Jawa Tengah", "Kabupaten Brebes", "Paguyangan") == "UPPKH Kabupaten Brebes"
	assert choose("jawa tengah", "Kota Semarang") == "UPPKH Jawa Tengah"


def test_a_program_unit_is_preferred_and_serves_only_its_program():
	assert choose("Jawa Tengah", "Brebes") == "UPPKH Kabupaten Brebes"
	# a BOS complaint from the same kecamatan skips the PKH units, down to the untagged one
	assert choose("Jawa Tengah", "Brebes", "Bumiayu", program="BOS") == "Pemkab Brebes"
	assert choose("Jawa Tengah", "Brebes", "Bumiayu", program=None) == "Pemkab Brebes"


def test_another_province_or_kind_does_not_match():
	assert choose("Jawa Barat", "Kabupaten Brebes", program="BOS") == "Pemkab Brebes"  # names no province
	assert choose("Jawa Barat", "Kabupaten Brebes") == "Pemkab Brebes"  # the PKH row names Jawa Tengah
	assert choose("Jawa Barat", "Kabupaten Bogor") is None
	assert choose("", "Bogor") == "UPPKH Kota Bogor"
	assert choose("Papua", "Jayapura") is None
	assert choose("", "", "") is None


def test_a_deeper_unit_wins_a_tie():
	rows = [row("Wide", "", "Brebes", size=7), row("Narrow", "", "Brebes", size=1)]
	assert choose("", "Brebes", rows=rows) == "Narrow"
