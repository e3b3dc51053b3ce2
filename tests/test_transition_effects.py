from datetime import datetime

from p3m_app.core import transition_effects as fx
from p3m_app.core import workflow_rules as wf

NOW = datetime(2026, 11, 23, 9, 0)


def test_dispose_moves_the_unit_and_passes_on_the_open_disposition():
	complaint = {"current_unit": "Prov A", "dispose_to_unit": "Kab A1", "disposition_instruction": "check"}
	result = fx.plan(wf.ACTION_DISPOSE, complaint, {"from_unit": "Pusat"}, NOW, "u@x")
	assert result.complaint_values == {
		"current_unit": "Kab A1",
		"disposed_at": NOW,
		"level_arrived_at": NOW,
		"level_acted_at": None,
		"level_received_at": None,
	}
	assert result.open_disposition.status == fx.FORWARDED
	assert (result.new_disposition.from_unit, result.new_disposition.to_unit) == ("Prov A", "Kab A1")
	assert result.new_disposition.values == {"instruction": "check"}
	assert "dispose_to_unit" in result.clear_fields


def test_second_dispose_keeps_the_first_disposed_at():
	complaint = {"current_unit": "Prov A", "dispose_to_unit": "Kab A1", "disposed_at": "earlier"}
	assert "disposed_at" not in fx.plan(wf.ACTION_DISPOSE, complaint, None, NOW, "u").complaint_values


def test_return_goes_back_to_the_disposing_unit_with_the_explanation():
	complaint = {"current_unit": "Kab A1", "return_reason": "r", "return_public_explanation": "e"}
	result = fx.plan(wf.ACTION_RETURN, complaint, {"from_unit": "Prov A"}, NOW, "u")
	assert result.complaint_values == {
		"current_unit": "Prov A",
		"level_arrived_at": NOW,
		"level_acted_at": None,
		"level_received_at": None,
	}
	assert result.open_disposition.status == fx.RETURNED
	assert result.open_disposition.values["public_explanation"] == "e"
	assert result.reactivate_disposition_to == "Prov A"


def test_answer_records_first_response_and_answer_times():
	result = fx.plan(wf.ACTION_ANSWER, {"response": "done"}, {"from_unit": "P"}, NOW, "u")
	assert result.complaint_values == {
		"first_response_at": NOW,
		"answered_at": NOW,
		"level_acted_at": NOW,
		"level_received_at": NOW,
		"reporter_informed_at": NOW,
	}
	assert result.open_disposition.status == fx.ANSWERED
	again = fx.plan(wf.ACTION_ANSWER, {"response": "x", "first_response_at": "t0"}, None, NOW, "u")
	assert "first_response_at" not in again.complaint_values
	assert again.open_disposition is None


def test_forward_outside_records_the_agency_and_closes():
	complaint = {
		"current_unit": "Pusat",
		"external_agency": "Kementerian X",
		"external_reference": "123/2026",
		"external_date": "2026-11-23",
	}
	result = fx.plan(wf.ACTION_FORWARD, complaint, None, NOW, "u")
	assert result.new_disposition.to_unit is None
	assert result.new_disposition.status == fx.FORWARDED
	assert result.new_disposition.values["external_agency"] == "Kementerian X"
	assert result.complaint_values["closed_at"] == NOW


def test_reopen_counts_and_clears_closed_at():
	result = fx.plan(wf.ACTION_REOPEN, {"reopen_count": 1}, None, NOW, "u")
	assert result.complaint_values == {"closed_at": None, "reopened_at": NOW, "reopen_count": 2}


def test_the_level_clock_stops_once_when_the_holder_acts():
	first = fx.plan(wf.ACTION_ACCEPT, {}, {"from_unit": "P"}, NOW, "u")
	assert first.complaint_values["level_acted_at"] == NOW
	again = fx.plan(wf.ACTION_ANSWER, {"response": "x", "level_acted_at": "t0"}, None, NOW, "u")
	assert "level_acted_at" not in again.complaint_values


def test_the_holding_level_receives_the_complaint_at_its_first_action():
	"""Seed 003 steps 1, 3, 6, 7, 9, 10: each level takes a report in hand within 60 minutes."""
	first = fx.plan(wf.ACTION_VERIFY, {}, None, NOW, "u")
	assert first.complaint_values["level_received_at"] == NOW
	again = fx.plan(wf.ACTION_ACCEPT, {"level_received_at": "t0"}, {"from_unit": "P"}, NOW, "u")
	assert "level_received_at" not in again.complaint_values
	assert "level_received_at" not in fx.plan(wf.ACTION_REOPEN, {}, None, NOW, "u").complaint_values
