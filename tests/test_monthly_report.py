"""The monthly complaint report's shape (core.monthly_report), from grouped counts only."""

import inspect

from p3m_app.core import monthly_report as mr

ROWS = [
	# classification, category, province, district, count
	("Pengaduan", "Pembayaran", "Jawa Barat", "Bogor", 3),
	("Pengaduan", "Pembayaran", "JAWA  BARAT ", "bogor", 1),
	("Pengaduan", "Kepesertaan", "Jawa Barat", "Bekasi", 2),
	("Keluhan", "Pembayaran", None, None, 1),
	("Keluhan", None, "", " ", 1),
	("Whistleblowing", "Pembayaran", "Jawa Tengah", "Semarang", 1),
]


def test_total():
	assert mr.summarize(ROWS).total == 9
	assert mr.summarize([]).total == 0


def test_by_type_classification_then_category_largest_first():
	by_type = mr.summarize(ROWS).by_type
	assert [(g.key, g.count) for g in by_type] == [("Pengaduan", 6), ("Keluhan", 2), ("Whistleblowing", 1)]
	assert [(c.key, c.count) for c in by_type[0].children] == [("Pembayaran", 4), ("Kepesertaan", 2)]
	assert [(c.key, c.count) for c in by_type[1].children] == [("Pembayaran", 1), (None, 1)]


def test_by_location_merges_spellings_and_blank_is_not_stated():
	by_location = mr.summarize(ROWS).by_location
	assert [(g.key, g.count) for g in by_location] == [("Jawa Barat", 6), (None, 2), ("Jawa Tengah", 1)]
	assert [(c.key, c.count) for c in by_location[0].children] == [("Bogor", 4), ("Bekasi", 2)]
	assert [(c.key, c.count) for c in by_location[1].children] == [(None, 2)]


def test_frequency_includes_categories_seen_only_last_month():
	frequency = mr.summarize(ROWS, {"Pembayaran": 2, "Lainnya": 3}).frequency
	assert [(f.category, f.count, f.previous, f.change) for f in frequency] == [
		("Pembayaran", 6, 2, 4),
		("Kepesertaan", 2, 0, 2),
		(None, 1, 0, 1),
		("Lainnya", 0, 3, -3),
	]


def test_share():
	assert mr.share(3, 4) == 75.0
	assert mr.share(0, 0) is None


def test_nothing_about_reporters_goes_in():
	# the only input is counts per type and place: there is no way to key anything by reporter
	assert list(inspect.signature(mr.summarize).parameters) == ["rows", "previous"]
