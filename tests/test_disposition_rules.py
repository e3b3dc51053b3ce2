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
