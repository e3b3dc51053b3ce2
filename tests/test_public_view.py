from datetime import datetime

from p3m_app.core import public_view as pv
from p3m_app.core import workflow_rules as wf


def test_every_state_has_a_public_status():
	assert set(pv.PUBLIC_STATUS) == {
		wf.NEW, wf.VERIFICATION, wf.PENDING, wf.DISPOSED, wf.IN_PROGRESS, wf.RETURNED,
		wf.REOPENED, wf.ANSWERED, wf.CLOSED, wf.ARCHIVED,
	}  # fmt: skip


def test_events_are_dated_and_carry_no_internal_text():
	rows = pv.events(
		{"received_at": datetime(2026, 11, 2, 9), "answered_at": datetime(2026, 11, 10, 9)},
		[
			{
				"status": "Returned",
				"from_unit": "Kab A",
				"to_unit": "Prov A",
				"creation": datetime(2026, 11, 3),
				"return_reason": "INTERNAL NOTE",
				"instruction": "INTERNAL INSTRUCTION",
				"public_explanation": "Urusan provinsi.",
			}
		],
	)
	assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
	text = repr(rows)
	assert "INTERNAL" not in text
	assert "Urusan provinsi." in text


def test_objection_window():
	now = datetime(2026, 11, 23, 12)
	assert pv.can_object(wf.ANSWERED, datetime(2026, 11, 30), now)
	assert not pv.can_object(wf.ANSWERED, datetime(2026, 11, 20), now)
	assert not pv.can_object(wf.CLOSED, None, now)
	assert pv.can_rate(wf.CLOSED, rated=False) and not pv.can_rate(wf.CLOSED, rated=True)
	assert pv.can_add_information(wf.PENDING) and not pv.can_add_information(wf.NEW)
