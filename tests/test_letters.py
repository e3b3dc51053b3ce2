"""Letters to a PKH reporter: which letters inform the reporter, the log guard (seed 004)."""

from datetime import datetime

import pytest

from p3m_app.core import letters
from p3m_app.core.errors import RuleViolation

NOW = datetime(2026, 12, 1, 10, 0)


def test_only_progress_and_result_letters_inform_the_reporter():
	assert not letters.informs_reporter(letters.RECEIPT)
	assert all(letters.informs_reporter(t) for t in (letters.IN_PROCESS, letters.RESULT, letters.FORWARDED))


def test_every_letter_has_a_print_format():
	assert set(letters.PRINT_FORMATS) == set(letters.LETTER_TYPES)


@pytest.mark.parametrize(
	"letter_type, channel, facts, message",
	[
		("Invitation", "Post", {}, "Unknown letter type"),
		(letters.RECEIPT, "Pigeon", {}, "Choose how"),
		(letters.RESULT, "Post", {"answered": False}, "response"),
		(letters.FORWARDED, "Fax", {"forwarded_agency": None}, "not been forwarded"),
	],
)
def test_refusals(letter_type, channel, facts, message):
	with pytest.raises(RuleViolation, match=message):
		letters.check_letter(letter_type, channel, "", facts)


def test_reference_is_trimmed_and_bounded():
	assert letters.check_letter(letters.RECEIPT, "Post", "  005/UPPKH/XII/2026 ", {}) == "005/UPPKH/XII/2026"
	with pytest.raises(RuleViolation, match="too long"):
		letters.check_letter(letters.RECEIPT, "Post", "x" * 141, {})
	assert letters.check_letter(letters.RESULT, "Email", None, {"answered": True}) == ""
	assert (
		letters.check_letter(letters.FORWARDED, "Hand delivered", None, {"forwarded_agency": "Dinas"}) == ""
	)


def test_first_informing_letter_since_the_last_reopen_counts():
	earlier = datetime(2026, 11, 20, 9, 0)
	assert letters.informed_at(None, None, NOW) == NOW
	assert letters.informed_at(earlier, None, NOW) == earlier
	assert letters.informed_at(earlier, datetime(2026, 11, 25), NOW) == NOW
	assert letters.informed_at(NOW, datetime(2026, 11, 25), datetime(2026, 12, 2)) == NOW


def test_log_rows_cannot_be_edited_removed_or_added_by_a_plain_save():
	row = {"letter_type": "Receipt", "sent_on": NOW, "sent_by": "a@x", "channel": "Post", "reference": "1"}
	letters.check_rows_unchanged([row], [dict(row, sent_on="2026-12-01 10:00:00.123")])
	for incoming in ([], [dict(row, channel="Fax")], [row, row], [dict(row, sent_by="b@x")]):
		with pytest.raises(RuleViolation, match="letter log"):
			letters.check_rows_unchanged([row], incoming)


def test_recipient_without_identity_is_the_tracking_code():
	hidden = letters.recipient(None, "ABCD-EFGH-JKMN")
	assert hidden["hidden"] and "ABCD-EFGH-JKMN" in hidden["name"] and not hidden["address"]
	shown = letters.recipient({"reporter_name": "Siti", "reporter_address": "Jl. Mawar 1"}, "X")
	assert shown == {"name": "Siti", "address": "Jl. Mawar 1", "hidden": False}


def test_tanggal():
	assert letters.tanggal(NOW) == "1 Desember 2026"
	assert letters.tanggal(None) == ""
