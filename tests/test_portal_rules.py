from datetime import date

import pytest

from p3m_app.core import portal_rules as pr
from p3m_app.core.errors import RuleViolation

TODAY = date(2026, 11, 23)


def form(**overrides):
	values = {
		"classification": "Pengaduan",
		"subject": "Bantuan tidak cair",
		"description": "Bantuan PKH bulan Oktober belum diterima.",
		"chronology": "Sejak Oktober saldo kosong.",
		"reporter_name": "Siti",
		"reporter_email": "siti@example.org",
	}
	values.update(overrides)
	return values


def test_forged_fields_are_dropped():
	values = pr.clean_submission(
		form(owner="admin@x", workflow_state="Selesai", current_unit="X", identity_sealed=1), TODAY
	)
	assert not {"owner", "workflow_state", "current_unit", "identity_sealed"} & set(values)


def test_markup_is_stripped_and_scripts_removed():
	values = pr.clean_submission(form(description="<b>Halo</b><script>alert(1)</script> dunia"), TODAY)
	assert values["description"] == "Halo dunia"


def test_honeypot_refuses_quietly():
	with pytest.raises(pr.HoneypotTripped):
		pr.clean_submission(form(website="http://spam"), TODAY)


@pytest.mark.parametrize(
	"classification,missing",
	[
		("Pengaduan", "chronology"),
		("Whistleblowing", "wb_how"),
		("Permintaan Informasi", "information_requested"),
	],
)
def test_each_classification_asks_for_its_fields(classification, missing):
	extra = {f: "x" for f in pr.WHISTLEBLOWING_FIELDS}
	extra.update(information_requested="Daftar penerima", information_format="Softcopy")
	extra[missing] = ""
	with pytest.raises(RuleViolation):
		pr.clean_submission(form(classification=classification, **extra), TODAY)


def test_aspiration_needs_no_chronology():
	values = pr.clean_submission(form(classification="Aspirasi", chronology=""), TODAY)
	assert "chronology" not in values


def test_whistleblowing_defaults_to_confidential():
	wb = {f: "detail" for f in pr.WHISTLEBLOWING_FIELDS}
	values = pr.clean_submission(form(classification="Whistleblowing", is_confidential="0", **wb), TODAY)
	assert values["is_confidential"] == 1


def test_anonymous_keeps_no_identity():
	values = pr.clean_submission(form(is_anonymous="1", reporter_phone="0812345678"), TODAY)
	assert not {"reporter_name", "reporter_email", "reporter_phone"} & set(values)
	assert values["is_anonymous"] == 1


def test_named_report_needs_a_contact():
	with pytest.raises(RuleViolation):
		pr.clean_submission(form(reporter_email=""), TODAY)


def test_oversize_and_future_dates_are_refused():
	with pytest.raises(RuleViolation):
		pr.clean_submission(form(subject="x" * 141), TODAY)
	with pytest.raises(RuleViolation):
		pr.clean_submission(form(incident_date="2026-12-01"), TODAY)
	with pytest.raises(RuleViolation):
		pr.clean_submission(form(incident_date="kemarin"), TODAY)


def test_attachments_match_their_content():
	assert pr.check_attachments([("bukti.pdf", b"%PDF-1.4 ...")]) == [("bukti.pdf", b"%PDF-1.4 ...")]
	for name, content in [
		("foto.png", b"<svg onload=alert(1)>"),
		("x.svg", b"<svg/>"),
		("page.html", b"<html>"),
		("run.js", b"alert(1)"),
		("notes.txt", b"<script>alert(1)</script>"),
	]:
		with pytest.raises(RuleViolation):
			pr.check_attachments([(name, content)])


def test_attachment_count_and_size_limits():
	with pytest.raises(RuleViolation):
		pr.check_attachments([("a.pdf", b"%PDF-")] * (pr.MAX_FILES + 1))
	with pytest.raises(RuleViolation):
		pr.check_attachments([("a.pdf", b"%PDF-" + b"0" * pr.MAX_FILE_BYTES)])


def test_filenames_lose_paths():
	assert pr.safe_filename("../../etc/passwd.pdf") == "passwd.pdf"
	assert pr.safe_filename("C:\\x\\y z.pdf") == "y z.pdf"


def test_free_text_answers_are_plain_and_bounded():
	assert pr.clean_text("<b>Foto</b> terlampir", "Info") == "Foto terlampir"
	assert pr.clean_text("", "Feedback", required=False) == ""
	with pytest.raises(RuleViolation):
		pr.clean_text("<script>x</script>", "Info")
	with pytest.raises(RuleViolation):
		pr.clean_text("x" * 4001, "Info")


def test_mail_attachments_are_judged_one_by_one():
	verdicts = pr.attachment_verdicts(
		[("bukti.pdf", b"%PDF-1.4"), ("halaman.xhtml", b"<html/>"), ("kosong.pdf", b""), ("a.svg", b"<svg/>")]
	)
	assert verdicts[0] is None
	assert [str(v) for v in verdicts[1:]] == [
		f"halaman.xhtml is not an allowed file type. Allowed: {', '.join(sorted(pr.SIGNATURES))}.",
		"kosong.pdf is empty.",
		f"a.svg is not an allowed file type. Allowed: {', '.join(sorted(pr.SIGNATURES))}.",
	]


def test_mail_attachments_keep_the_count_and_total_limits():
	verdicts = pr.attachment_verdicts([("a.pdf", b"%PDF-")] * (pr.MAX_FILES + 1))
	assert verdicts[: pr.MAX_FILES] == [None] * pr.MAX_FILES
	assert "At most" in str(verdicts[-1])
	big = b"%PDF-" + b"0" * (pr.MAX_FILE_BYTES - 10)
	verdicts = pr.attachment_verdicts([("a.pdf", big), ("b.pdf", big), ("c.pdf", big), ("d.pdf", big)])
	assert verdicts[:3] == [None, None, None] and "total" in str(verdicts[3])
