import pytest

from p3m_app.core import disposition_rules as dr
from p3m_app.core.errors import RuleViolation


def check(**overrides):
	args = dict(
		current_unit="Prov A",
		target="Kab A1",
		target_is_active=True,
		target_in_current_subtree=True,
		chain_units=set(),
		actor_is_national=False,
	)
	args.update(overrides)
	dr.check_target(**args)


def test_a_disposition_down_the_branch_is_allowed():
	check()


@pytest.mark.parametrize(
	"overrides,message",
	[
		({"target": "Prov A"}, "already holds it"),
		({"target_is_active": False}, "inactive"),
		({"chain_units": {"Kab A1"}}, "cycle"),
		({"target_in_current_subtree": False}, "not below"),
	],
)
def test_bad_targets_are_refused(overrides, message):
	with pytest.raises(RuleViolation, match=message):
		check(**overrides)


def test_national_admins_may_dispose_across_branches_but_not_in_cycles():
	check(target_in_current_subtree=False, actor_is_national=True)
	with pytest.raises(RuleViolation, match="cycle"):
		check(target_in_current_subtree=False, actor_is_national=True, chain_units={"Kab A1"})


def test_chain_ignores_returned_and_answered_steps():
	rows = [
		{"from_unit": "Pusat", "to_unit": "Prov A", "status": "Forwarded"},
		{"from_unit": "Prov A", "to_unit": "Kab A1", "status": "Returned"},
		{"from_unit": "Prov A", "to_unit": "Kab A2", "status": "Sent"},
		{"from_unit": "Prov B", "to_unit": "Kab B1", "status": "Answered"},
		{"from_unit": "Pusat", "to_unit": None, "status": "Forwarded"},
	]
	assert dr.open_chain_units(rows) == {"Pusat", "Prov A", "Kab A2"}


REFERRAL = dict(
	current_unit="Kab A",
	target="Pusat",
	target_is_active=True,
	target_is_ancestor=True,
	target_is_complaint_unit=True,
	referred_before=set(),
)


def test_a_referral_climbs_to_an_active_complaint_unit_above():
	dr.check_referral_target(**REFERRAL)
	for change, message in (
		({"target": None}, "no unit above"),
		({"target": "Kab A"}, "already holds"),
		({"target_is_active": False}, "inactive"),
		({"target_is_complaint_unit": False}, "Copy To"),
		({"target_is_ancestor": False}, "goes up the tree"),
		({"referred_before": {"Pusat"}}, "cycle"),
	):
		with pytest.raises(RuleViolation, match=message):
			dr.check_referral_target(**{**REFERRAL, **change})


def test_a_take_over_needs_a_unit_above_an_open_complaint_and_a_reason():
	ok = dict(current_unit="Kab A", taker="Prov A", reason="Mendesak", state_is_open=True)
	dr.check_take_over(**ok)
	for change, message in (
		({"taker": None}, "unit above"),
		({"reason": "  "}, "reason"),
		({"state_is_open": False}, "open complaint"),
	):
		with pytest.raises(RuleViolation, match=message):
			dr.check_take_over(**{**ok, **change})


def test_a_copy_goes_to_an_inspektorat_a_ppid_or_a_unit_above():
	base = dict(current_unit="Kab A", target_is_active=True, target_is_ancestor=False)
	dr.check_copy_target(**base, target="Itjen", target_type="Inspektorat")
	dr.check_copy_target(**base, target="PPID", target_type="PPID")
	dr.check_copy_target(
		**{**base, "target_is_ancestor": True}, target="Prov A", target_type="Complaint Unit"
	)
	with pytest.raises(RuleViolation, match="none of these"):
		dr.check_copy_target(**base, target="Kab B", target_type="Complaint Unit")
