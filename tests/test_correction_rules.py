"""Master Database correction requests: seed 004 lines 346-351 and Tabel 1 (lines 402-444)."""

from datetime import date

import pytest

from p3m_app.core import correction_rules as cr
from p3m_app.core.errors import RuleViolation


def test_only_pkh_participant_data_and_commitment_complaints_qualify():
	assert cr.eligible("PKH", "Data Peserta")
	assert cr.eligible("PKH", "PKH - Data Kepesertaan")
	assert cr.eligible("PKH", "PKH - Pemenuhan Komitmen dan Verifikasi")
	assert not cr.eligible("PKH", "PKH - Pembayaran Bantuan")
	assert not cr.eligible("BOS", "Data Peserta")
	assert not cr.eligible("PKH", None)
	with pytest.raises(RuleViolation, match="participant data"):
		cr.check_eligible("PKH", "Ketersediaan Pelayanan")


def test_the_decision_is_due_one_calendar_month_after_sending():
	# "membutuhkan waktu maksimal 1 (satu) bulan" (lines 410-411, 430-431)
	assert cr.due_date(date(2026, 3, 10)) == date(2026, 4, 10)
	assert cr.due_date(date(2026, 1, 31)) == date(2026, 2, 28)
	assert cr.due_date(date(2028, 1, 31)) == date(2028, 2, 29)
	assert cr.due_date(date(2026, 12, 15)) == date(2027, 1, 15)


def test_overdue_only_while_awaiting_the_decision_and_after_the_due_day():
	due = date(2026, 4, 10)
	assert not cr.is_overdue(cr.SUBMITTED, due, date(2026, 4, 10))
	assert cr.is_overdue(cr.SUBMITTED, due, date(2026, 4, 11))
	assert not cr.is_overdue(cr.APPROVED, due, date(2026, 5, 1))
	assert not cr.is_overdue(cr.DRAFT, None, date(2026, 5, 1))


def test_transitions():
	assert cr.next_status(cr.DRAFT, cr.SUBMIT) == cr.SUBMITTED
	assert cr.next_status(cr.SUBMITTED, cr.APPROVE) == cr.APPROVED
	assert cr.next_status(cr.SUBMITTED, cr.REJECT) == cr.REJECTED
	for status, action in (
		(cr.DRAFT, cr.APPROVE),
		(cr.SUBMITTED, cr.SUBMIT),
		(cr.APPROVED, cr.REJECT),
		(cr.REJECTED, cr.APPROVE),
	):
		with pytest.raises(RuleViolation, match="cannot be given the action"):
			cr.next_status(status, action)
	with pytest.raises(RuleViolation, match="Unknown action"):
		cr.next_status(cr.DRAFT, "Delete")


def test_only_officers_and_admins_of_the_holding_unit_send():
	cr.check_requester({"Officer"}, False, "Kab A1")
	cr.check_requester({"Admin", "Pendamping"}, False, "Kab A1")
	cr.check_requester(set(), True, "Kab A1")
	for roles in (set(), {"Pendamping"}, {"Pimpinan"}):
		with pytest.raises(RuleViolation, match="Only officers and admins of Kab A1"):
			cr.check_requester(roles, False, "Kab A1")


def test_a_request_needs_a_recommendation_and_evidence():
	cr.check_submission("Perbaiki NIK anak kedua", 1)
	with pytest.raises(RuleViolation, match="without evidence"):
		cr.check_submission("Perbaiki NIK anak kedua", 0)
	with pytest.raises(RuleViolation, match="recommendation"):
		cr.check_submission("  ", 3)


def decider(**overrides):
	values = {
		"actor": "pj@pusat",
		"submitted_by": "officer@kab",
		"actor_unit_roles": {"Penanggung Jawab"},
		"actor_is_national": False,
		"target_unit": "UPPKH Pusat",
	}
	values.update(overrides)
	return values


def test_the_penanggung_jawab_of_pusat_or_admin_nasional_decides():
	# "Perubahan data Master Data Base dilakukan dengan persetujuan Penanggung Jawab UPPKH-Pusat" (350-351)
	cr.check_decider(**decider())
	cr.check_decider(**decider(actor="nasional@p3m", actor_unit_roles=set(), actor_is_national=True))
	with pytest.raises(RuleViolation, match="Only the Penanggung Jawab of UPPKH Pusat"):
		cr.check_decider(**decider(actor_unit_roles={"Officer", "Admin", "Pimpinan"}))


def test_nobody_decides_their_own_request():
	with pytest.raises(RuleViolation, match="someone else must decide"):
		cr.check_decider(**decider(actor="officer@kab"))
	with pytest.raises(RuleViolation, match="someone else must decide"):
		cr.check_decider(**decider(actor="nasional@p3m", submitted_by="nasional@p3m", actor_is_national=True))
	assert not cr.may_decide("nasional@p3m", "nasional@p3m", set(), True)
	assert cr.may_decide("pj@pusat", "officer@kab", {"Penanggung Jawab"}, False)


def test_a_decision_needs_a_reason():
	cr.check_reason("Bukti KK dan akta lahir sah")
	for reason in (None, "", "   "):
		with pytest.raises(RuleViolation, match="reason"):
			cr.check_reason(reason)
