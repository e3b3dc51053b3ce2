from datetime import date, datetime

import pytest

from p3m_app.core import lapor_export
from p3m_app.core import lapor_rules as lr
from p3m_app.core.errors import RuleViolation

TODAY = date(2026, 12, 1)
HEADERS = [
	"ID Tracking",
	"Tanggal Laporan",
	"Judul",
	"Isi Laporan",
	"Kategori",
	"Status",
	"Disposisi",
	"Anonim",
	"Rahasia",
	"Nama Pelapor",
	"No. Telepon",
	"Sumber",
]
LABELS = {meaning: header for header, meaning in lr.DEFAULT_COLUMNS}


def indexes(headers=HEADERS):
	return lr.column_indexes(headers, list(lr.DEFAULT_COLUMNS))


def row(**overrides):
	values = {
		"ID Tracking": "LAP-2026-0001",
		"Tanggal Laporan": "03/11/2026 10:15",
		"Judul": "Dana BOS terlambat",
		"Isi Laporan": "Dana BOS tahap dua belum diterima sekolah kami.",
		"Kategori": "Penyaluran Dana",
		"Status": "Didisposisikan",
		"Disposisi": "Kemendikbudristek > Ditjen PAUD Dikdasmen > Dinas Pendidikan Kab Bogor",
		"Anonim": "Tidak",
		"Rahasia": "Tidak",
		"Nama Pelapor": "Budi Santoso",
		"No. Telepon": "081234567890",
		"Sumber": "SMS 1708",
	}
	values.update(overrides)
	return lr.parse_row([values.get(h, "") for h in HEADERS], indexes(), LABELS, TODAY)


def test_headers_match_whatever_the_case_spacing_and_bom():
	found = indexes(["\ufeffid  TRACKING", "isi laporan", "Judul"])
	assert found == {lr.TRACKING_ID: 0, lr.CONTENT: 1, lr.TITLE: 2}


def test_a_file_without_the_tracking_id_column_is_refused_naming_it():
	with pytest.raises(RuleViolation) as raised:
		indexes(["Judul", "Isi Laporan"])
	assert '"ID Tracking"' in str(raised.value)


def test_a_changed_layout_is_a_changed_map():
	custom = [("Nomor Tiket", lr.TRACKING_ID), ("Uraian", lr.CONTENT)]
	assert lr.column_indexes(["Uraian", "Nomor Tiket"], custom) == {lr.CONTENT: 0, lr.TRACKING_ID: 1}


def test_a_named_row_is_read_with_its_identity_and_channel():
	parsed = row()
	assert parsed.tracking_id == "LAP-2026-0001"
	assert parsed.reported_at == datetime(2026, 11, 3, 10, 15)
	assert parsed.identity == {"reporter_name": "Budi Santoso", "reporter_phone": "081234567890"}
	assert (parsed.anonymous, parsed.confidential, parsed.channel) == (False, False, "SMS")


def test_an_anonymous_row_keeps_no_identity_and_is_not_confidential():
	parsed = row(Anonim="Ya", Rahasia="Ya")
	assert parsed.identity == {}
	assert (parsed.anonymous, parsed.confidential) == (True, False)


def test_a_confidential_row_keeps_identity_for_sealing():
	parsed = row(Rahasia="1")
	assert parsed.confidential and parsed.identity["reporter_name"] == "Budi Santoso"


@pytest.mark.parametrize(
	"overrides, fragment",
	[
		({"ID Tracking": ""}, "no LAPOR! tracking ID"),
		({"ID Tracking": "<script>"}, "is not a LAPOR! tracking ID"),
		({"Isi Laporan": "  "}, "no content"),
		({"Tanggal Laporan": "kemarin"}, "is not a date"),
		({"Tanggal Laporan": "2027-01-01"}, "in the future"),
		({"Anonim": "mungkin"}, "neither Ya nor Tidak"),
		({"Judul": "x" * 141}, "too long"),
	],
)
def test_bad_rows_are_refused_with_a_reason(overrides, fragment):
	with pytest.raises(RuleViolation) as raised:
		row(**overrides)
	assert fragment in str(raised.value)


def test_a_missing_title_is_taken_from_the_content():
	assert row(Judul="").title == "Dana BOS tahap dua belum diterima sekolah kami."


def test_dates_from_excel_cells_and_iso_text():
	assert lr.parse_date(date(2026, 1, 2)) == datetime(2026, 1, 2)
	assert lr.parse_date("2026-01-02") == datetime(2026, 1, 2)
	assert lr.parse_date("") is None


def test_the_same_row_has_the_same_digest_and_a_changed_one_not():
	assert row().digest() == row().digest()
	assert row().digest() != row(Status="Selesai").digest()


def test_csv_with_bom_and_semicolons():
	table = lr.read_csv("\ufeffID Tracking;Isi Laporan\nA-123;isi\n\n".encode())
	assert table == [["ID Tracking", "Isi Laporan"], ["A-123", "isi"]]
	assert lr.read_csv("ID Tracking,Isi\nA-1,é".encode("cp1252"))[1] == ["A-1", "é"]


def test_a_binary_or_empty_file_is_refused():
	with pytest.raises(RuleViolation):
		lr.read_csv(b"\x00\x01PK")
	with pytest.raises(RuleViolation):
		lr.split_table([["ID Tracking"]])


def test_disposition_path_names_the_handling_unit_first():
	assert lr.disposition_units("A > B > C") == ["C", "B", "A"]
	assert lr.disposition_units("") == []


def test_status_moves_only_a_complaint_still_new():
	status_in = lr.status_map(list(lr.DEFAULT_STATUS_IN))
	assert lr.mapped_state("didisposisikan ", status_in) == "Verifikasi"
	assert lr.move_from_new("Baru", "Verifikasi") == ("Verify", None)
	assert lr.move_from_new("Baru", "Diarsipkan") == ("Archive", "archive_reason")
	assert lr.move_from_new("Ditindaklanjuti", "Diarsipkan") is None
	assert lr.move_from_new("Baru", "Selesai") is None
	assert lr.move_from_new("Baru", None) is None


def test_an_update_keeps_the_agency_category_and_only_tightens_confidentiality():
	newer = row(Rahasia="Ya", Kategori="Lain")
	current = {"subject": "old", "description": "old", "category": "Agency's", "is_confidential": 0}
	changes = lr.update_values(newer, current)
	assert changes["description"] == newer.content and changes["is_confidential"] == 1
	assert "category" not in changes
	assert lr.update_values(row(), {"category": None})["category"] == "Penyaluran Dana"
	assert lr.identity_note(row(Anonim="Ya"), {"is_anonymous": 0})
	assert lr.identity_note(row(), {"is_confidential": 1})
	assert lr.identity_note(row(), {}) is None


def test_export_maps_the_state_back_and_carries_no_identity():
	status_out = lr.status_map(list(lr.DEFAULT_STATUS_OUT))
	complaint = {
		"lapor_tracking_id": "LAP-1",
		"workflow_state": "Dijawab",
		"received_at": datetime(2026, 11, 3, 10, 15),
		"current_unit": "Dinas",
		"reporter_name": "Budi",
	}
	line = lapor_export.export_row(complaint, status_out, "Sudah dicairkan.")
	assert line[:3] == ["LAP-1", "Selesai", "Sudah dicairkan."]
	assert "Budi" not in line
	data = lapor_export.write_csv([line, ["=cmd()", "x", "", "", "", "", ""]]).decode("utf-8-sig")
	assert data.splitlines()[0] == ",".join(lapor_export.EXPORT_HEADERS)
	assert "'=cmd()" in data
