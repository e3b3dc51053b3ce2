import pytest

from p3m_app.core import meeting_rules as mr
from p3m_app.core.errors import RuleViolation


def test_added_keeps_only_new_values_in_order():
	assert mr.added(["Prov A", "Kab A1"], ["Prov A", "Kab A2", None, "Kab B1", "Kab A1"]) == [
		"Kab A2",
		"Kab B1",
	]
	assert mr.added([], ["Kab A1"]) == ["Kab A1"]


def test_each_unit_is_listed_once():
	mr.check_participants("Prov A", ["Kab A1", "Kab A2"])
	with pytest.raises(RuleViolation, match="Kab A1 is listed twice"):
		mr.check_participants("Prov A", ["Kab A1", "Kab A1"])
	with pytest.raises(RuleViolation, match="listed twice"):
		mr.check_participants("Prov A", ["Prov A"])


def test_inactive_units_cannot_be_invited():
	mr.check_active(["Kab A1"], {"Kab Lama"})
	with pytest.raises(RuleViolation, match="Kab Lama is inactive"):
		mr.check_active(["Kab A1", "Kab Lama"], {"Kab Lama"})


def test_a_complaint_is_linked_once():
	mr.check_complaints(["P3M-1", "P3M-2"])
	with pytest.raises(RuleViolation, match="P3M-1 is linked twice"):
		mr.check_complaints(["P3M-1", "P3M-2", "P3M-1"])


def test_attendees_speak_for_a_unit_of_the_meeting_or_none():
	units = {"Prov A", "Kab A1"}
	mr.check_attendance([("Budi", "Prov A"), ("Ani", "Kab A1"), ("Narasumber", None)], units)
	with pytest.raises(RuleViolation, match="Tamu attends for Kab B1"):
		mr.check_attendance([("Budi", "Prov A"), ("Tamu", "Kab B1")], units)


def test_scope_condition_matches_organiser_or_participant_and_only_integers():
	sql = mr.scope_condition([(2, 9), (20, 21)])
	assert "`tabCoordination Meeting`.`organising_unit` in (select" in sql
	assert "exists (select 1 from `tabCoordination Meeting Unit` meeting_unit" in sql
	assert "meeting_unit.`parent` = `tabCoordination Meeting`.`name`" in sql
	assert sql.count("scope_unit.lft >= 2 and scope_unit.lft <= 9") == 2
	assert sql.count("scope_unit.lft >= 20 and scope_unit.lft <= 21") == 2


def test_no_reach_sees_no_meeting():
	assert mr.scope_condition([]) == "1=0"


def test_participants_may_only_read():
	assert {"read", "print"} <= mr.READ_PTYPES
	assert not {"write", "create", "delete", "share"} & mr.READ_PTYPES
