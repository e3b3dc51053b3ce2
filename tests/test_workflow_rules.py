import pytest

from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation

AN, AI, OF = "P3M Admin Nasional", "P3M Admin Instansi", "P3M Officer"


def holder(**values):
	return {"actor_in_current_unit": True, "current_unit": "Kab A", **values}


def test_every_state_in_the_sop_is_in_the_workflow():
	assert set(wf.states()) == set(wf.STATE_STYLES)
	assert wf.states()[0] == wf.NEW, "Frappe gives new complaints the first state"


def test_every_state_is_reachable_from_new_and_every_open_state_can_move_on():
	reachable, frontier = {wf.NEW}, [wf.NEW]
	while frontier:
		state = frontier.pop()
		for t in wf.transitions().values():
			if t.from_state == state and t.to_state not in reachable:
				reachable.add(t.to_state)
				frontier.append(t.to_state)
	assert reachable == set(wf.states())
	for state in set(wf.states()) - wf.FINAL_STATES:
		assert any(frm == state for frm, _ in wf.transitions()), state


def test_only_forward_and_keep_following_returns_to_its_own_state():
	# Frappe's apply_workflow only sets the state field: a self-loop is seen by the guards only
	# through the action the app's apply_workflow remembers, so it is kept to this one action
	loops = {t.action for t in wf.transitions().values() if t.from_state == t.to_state}
	assert loops == {wf.ACTION_FORWARD_FOLLOW}


def test_closing_only_after_an_answer_archiving_or_an_external_forward():
	into_closed = {t.from_state: t.action for t in wf.transitions().values() if t.to_state == wf.CLOSED}
	assert into_closed == {
		wf.ANSWERED: wf.ACTION_CLOSE,
		wf.VERIFICATION: wf.ACTION_FORWARD,
		wf.RETURNED: wf.ACTION_FORWARD,
	}


def test_roles_per_action():
	by_action = {}
	for t in wf.transitions().values():
		by_action.setdefault(t.action, set()).update(t.roles)
	assert by_action[wf.ACTION_DISPOSE] == {AN, AI}
	assert by_action[wf.ACTION_CLOSE] == {AN, AI}
	assert OF in by_action[wf.ACTION_ANSWER]
	for roles in by_action.values():
		assert "P3M Pimpinan" not in roles and "P3M Inspektorat" not in roles


def test_an_undefined_transition_is_refused():
	with pytest.raises(RuleViolation, match="cannot move from Baru to Selesai"):
		wf.guard(wf.NEW, wf.CLOSED, {})


@pytest.mark.parametrize(
	"from_state,to_state,action,missing",
	[
		(wf.NEW, wf.VERIFICATION, None, "Classify"),
		(wf.VERIFICATION, wf.PENDING, None, "missing from the reporter"),
		(wf.VERIFICATION, wf.ARCHIVED, None, "reason for archiving"),
		(wf.VERIFICATION, wf.DISPOSED, wf.ACTION_DISPOSE, "unit to dispose"),
		(wf.IN_PROGRESS, wf.DISPOSED, wf.ACTION_REFER_UP, "reason for referring"),
		(wf.IN_PROGRESS, wf.ANSWERED, None, "response"),
		(wf.RETURNED, wf.CLOSED, None, "Name the agency"),
		(wf.IN_PROGRESS, wf.IN_PROGRESS, wf.ACTION_FORWARD_FOLLOW, "Name the agency"),
		(wf.ANSWERED, wf.REOPENED, None, "reopening"),
		(wf.DISPOSED, wf.RETURNED, None, "not your unit's authority"),
	],
)
def test_required_data_per_transition(from_state, to_state, action, missing):
	with pytest.raises(RuleViolation, match=missing):
		wf.guard(from_state, to_state, holder(has_open_disposition=True), action)


def test_keep_following_needs_a_follow_up_date():
	facts = holder(external_agency="Dinas Kesehatan", external_reference="S-1", external_date="2026-12-01")
	with pytest.raises(RuleViolation, match="follow up"):
		wf.guard(wf.IN_PROGRESS, wf.IN_PROGRESS, facts, wf.ACTION_FORWARD_FOLLOW)
	facts["external_follow_up_date"] = "2026-12-15"
	assert wf.guard(wf.IN_PROGRESS, wf.IN_PROGRESS, facts, wf.ACTION_FORWARD_FOLLOW).action


def test_two_actions_into_one_state_are_told_apart():
	"""Dispose (admins) and Refer Up (also officers) both end in Didisposisikan."""
	facts = holder(refer_reason="Tidak dapat diselesaikan di kabupaten", dispose_to_unit="Kab B")
	with pytest.raises(RuleViolation, match="Actions menu"):
		wf.guard(wf.IN_PROGRESS, wf.DISPOSED, {**facts, "actor_roles": frozenset({AI})})
	officer = {**facts, "actor_roles": frozenset({OF})}
	assert wf.guard(wf.IN_PROGRESS, wf.DISPOSED, officer).action == wf.ACTION_REFER_UP
	assert wf.guard(wf.IN_PROGRESS, wf.DISPOSED, facts, wf.ACTION_DISPOSE).action == wf.ACTION_DISPOSE
	with pytest.raises(RuleViolation, match="cannot move"):
		wf.guard(wf.IN_PROGRESS, wf.DISPOSED, facts, wf.ACTION_ANSWER)


def test_officers_refer_up_but_only_admins_dispose():
	by_action = {}
	for t in wf.transitions().values():
		by_action.setdefault(t.action, set()).update(t.roles)
	assert OF in by_action[wf.ACTION_REFER_UP]
	assert OF not in by_action[wf.ACTION_DISPOSE]


def test_an_editor_left_empty_is_not_a_response():
	with pytest.raises(RuleViolation, match="response"):
		wf.guard(wf.IN_PROGRESS, wf.ANSWERED, holder(response="<p><br></p>&nbsp;"))
	assert wf.guard(wf.IN_PROGRESS, wf.ANSWERED, holder(response="<p>Done</p>")).action == wf.ACTION_ANSWER


def test_only_the_holding_unit_accepts_answers_or_returns():
	outsider = {"current_unit": "Kab A", "actor_in_current_unit": False, "response": "ok"}
	for frm, to in [(wf.DISPOSED, wf.IN_PROGRESS), (wf.IN_PROGRESS, wf.ANSWERED)]:
		with pytest.raises(RuleViolation, match="Only officers of Kab A"):
			wf.guard(frm, to, outsider)
	assert wf.guard(wf.IN_PROGRESS, wf.ANSWERED, {**outsider, "actor_is_national": True})


def test_a_return_needs_a_disposition_to_return_along():
	facts = holder(return_reason="not ours", return_public_explanation="This is a matter for the city.")
	with pytest.raises(RuleViolation, match="no one to return it to"):
		wf.guard(wf.IN_PROGRESS, wf.RETURNED, facts)
	assert (
		wf.guard(wf.IN_PROGRESS, wf.RETURNED, {**facts, "has_open_disposition": True}).action
		== wf.ACTION_RETURN
	)


def test_status_groups_cover_every_state():
	assert set(wf.STATUS_GROUPS) == set(wf.states())
	assert set(wf.STATUS_GROUPS.values()) == {"Belum", "Proses", "Selesai"}
