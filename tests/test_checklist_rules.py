"""Handling checklists (p3m_app.core.checklist) and the PKH reporter fields (intake, portal)."""

from datetime import date, datetime

import pytest

from p3m_app.core import checklist as cl
from p3m_app.core import intake_rules as ir
from p3m_app.core import portal_rules as pr
from p3m_app.core import redaction
from p3m_app.core.errors import RuleViolation

STEPS = [
	{
		"step": "Kirim ke UPPKH Pusat",
		"actor": "UPPKH Kabupaten/Kota",
		"conditional": 1,
		"seed_reference": "004",
	},
	{"step": "Beri tahu peserta", "actor": "UPPKH Kabupaten/Kota"},
	{"step": "Pusat memutuskan", "actor": "UPPKH Pusat", "closes_case": 1},
]
NOW = datetime(2026, 12, 1, 10, 30)


def rows():
	return cl.rows_from_steps(STEPS)


def test_rows_copy_the_steps_in_order_none_done():
	made = rows()
	assert [r["step"] for r in made] == ["Kirim ke UPPKH Pusat", "Beri tahu peserta", "Pusat memutuskan"]
	assert [r["closes_case"] for r in made] == [0, 0, 1]
	assert made[0]["conditional"] == 1 and made[0]["seed_reference"] == "004"
	assert not any(r["done"] or r["done_on"] or r["done_by"] or r["note"] for r in made)
	assert cl.rows_from_steps([]) == []


def test_category_steps_need_text_and_a_known_actor():
	cl.check_steps(STEPS)
	with pytest.raises(RuleViolation, match="step 2 needs its text"):
		cl.check_steps([STEPS[0], {"step": "  ", "actor": "PT Pos"}])
	with pytest.raises(RuleViolation, match="Camat is not one of the actors"):
		cl.check_steps([{"step": "x", "actor": "Camat"}])


def test_tick_sets_done_when_and_by_whom():
	values = cl.tick(rows(), 2, "  Surat dikirim  ", "officer@x", NOW)
	assert values == {"done": 1, "done_on": NOW, "done_by": "officer@x", "note": "Surat dikirim"}


@pytest.mark.parametrize(
	("number", "note", "match"),
	[
		(0, "x", "no handling step 0"),
		(4, "x", "no handling step 4"),
		("2", "x", "no handling step 2"),
		(2, "   ", "Write a note"),
		(2, "x" * (cl.NOTE_LIMIT + 1), "too long"),
	],
)
def test_tick_refuses_bad_input(number, note, match):
	with pytest.raises(RuleViolation, match=match):
		cl.tick(rows(), number, note, "u", NOW)


def test_a_step_is_ticked_once_and_only_when_there_are_steps():
	made = rows()
	made[0].update(cl.tick(made, 1, "ok", "u", NOW))
	with pytest.raises(RuleViolation, match="already done"):
		cl.tick(made, 1, "again", "u", NOW)
	with pytest.raises(RuleViolation, match="no handling steps"):
		cl.tick([], 1, "x", "u", NOW)


def test_plain_save_cannot_change_steps_or_ticks():
	stored = rows()
	cl.check_unchanged(stored, [dict(r) for r in stored])
	# what the desk sends back: strings for dates, "0" for unticked boxes
	stored[0].update(done=1, done_on=NOW, done_by="u", note="ok")
	echoed = [dict(r) for r in stored]
	echoed[0]["done_on"] = "2026-12-01 10:30:00.000000"
	echoed[1]["done"] = "0"
	cl.check_unchanged(stored, echoed)
	for change in (
		{"done": 1},
		{"done_on": "2026-12-02 00:00:00"},
		{"done_by": "someone@else"},
		{"note": "edited"},
		{"step": "another text"},
		{"actor": "PT Pos"},
		{"closes_case": 1},
	):
		forged = [dict(r) for r in stored]
		forged[1].update(change)
		with pytest.raises(RuleViolation, match="Tick button"):
			cl.check_unchanged(stored, forged)
	with pytest.raises(RuleViolation, match="Tick button"):
		cl.check_unchanged(stored, stored[:2])
	with pytest.raises(RuleViolation, match="Tick button"):
		cl.check_unchanged(stored, [*stored, cl.rows_from_steps([{"step": "extra"}])[0]])
	with pytest.raises(RuleViolation, match="Tick button"):
		cl.check_unchanged(stored, list(reversed(stored)))


def test_category_change_refused_once_a_step_is_done():
	made = rows()
	cl.check_category_change(made)
	cl.check_category_change([])
	made[2]["done"] = 1
	with pytest.raises(RuleViolation, match="1 of its handling steps are already done"):
		cl.check_category_change(made)


def test_progress_counts_and_the_closing_step():
	made = rows()
	assert cl.progress(made) == {"done": 0, "total": 3, "open": 3, "closing_done": False}
	made[2]["done"] = 1
	assert cl.progress(made) == {"done": 1, "total": 3, "open": 2, "closing_done": True}
	assert cl.progress([]) == {"done": 0, "total": 0, "open": 0, "closing_done": False}


def test_tick_message_in_plain_words():
	made = rows()
	made[2].update(cl.tick(made, 3, "Surat keputusan dikirim", "u", NOW))
	entry = cl.tick_message(3, made)
	text = entry["message"].format(**entry["params"])
	assert text.startswith("Handling step 3 of 3 done (UPPKH Pusat): Pusat memutuskan.")
	assert "Surat keputusan dikirim" in text and text.endswith("This step closes the case.")


def test_public_steps_carry_text_and_date_only():
	made = rows()
	made[0].update(cl.tick(made, 1, "catatan internal", "officer@x", NOW))
	public = cl.public_steps(made)
	assert public[0] == {"step": "Kirim ke UPPKH Pusat", "done_on": "2026-12-01"}
	assert public[1] == {"step": "Beri tahu peserta", "done_on": None}
	assert "catatan internal" not in repr(public) and "officer@x" not in repr(public)
	assert (
		cl.public_steps([{"step": "s", "done": 1, "done_on": "2026-12-03 08:00:00"}])[0]["done_on"]
		== "2026-12-03"
	)


# -- reporter fields -------------------------------------------------------------------------


def test_participant_number_is_identity_and_checked_leniently():
	assert "participant_number" in ir.IDENTITY_FIELDS and "participant_number" in ir.SEALED_FIELDS
	assert "reporter_type" not in ir.SEALED_FIELDS
	for number in ("3329010001234", "3329 0100 0123 4567", "123-456", "12345678901234567890"):
		ir.check_identity({"participant_number": number})
	ir.check_identity({"participant_number": " 1234567 "})
	for number in ("12345", "PKH12345678", "123456789012345678901", "12--3456"):
		with pytest.raises(RuleViolation, match="participant number must be 6 to 20 digits"):
			ir.check_identity({"participant_number": number})
	with pytest.raises(RuleViolation, match="anonymous complaint cannot carry"):
		ir.check_identity({"is_anonymous": 1, "participant_number": "3329010001234"})


def test_reporter_type_from_the_list():
	for kind in ir.REPORTER_TYPES:
		ir.check_identity({"reporter_type": kind})
	with pytest.raises(RuleViolation, match="who is reporting"):
		ir.check_identity({"reporter_type": "Camat"})
	with pytest.raises(RuleViolation, match="who is reporting"):
		ir.check_identity({"is_anonymous": 1, "reporter_type": "Camat"})


def form(**extra):
	values = {
		"classification": "Pengaduan",
		"subject": "Bantuan belum cair",
		"description": "Bantuan tahap tiga belum diterima.",
		"chronology": "Sejak Oktober.",
		"reporter_name": "Siti",
		"reporter_phone": "081234567890",
	}
	values.update(extra)
	return values


def test_portal_accepts_reporter_type_and_participant_number():
	cleaned = pr.clean_submission(
		form(reporter_type="Peserta PKH", participant_number="3329 0100 0123"), date(2026, 12, 1)
	)
	assert cleaned["reporter_type"] == "Peserta PKH"
	assert cleaned["participant_number"] == "332901000123"
	with pytest.raises(RuleViolation, match="participant number"):
		pr.clean_submission(form(participant_number="abc"), date(2026, 12, 1))
	with pytest.raises(RuleViolation, match="who is reporting"):
		pr.clean_submission(form(reporter_type="Bupati"), date(2026, 12, 1))
	anonymous = pr.clean_submission(
		form(is_anonymous="1", reporter_type="Peserta PKH", participant_number="3329010001234"),
		date(2026, 12, 1),
	)
	assert "participant_number" not in anonymous and anonymous["reporter_type"] == "Peserta PKH"


def test_known_participant_number_is_masked_in_text():
	text = "Nomor peserta saya 3329-0100-01234, mohon dicek."
	masked = redaction.redact(text, {"participant_number": "3329010001234"})
	assert "3329" not in masked and redaction.MASK in masked
