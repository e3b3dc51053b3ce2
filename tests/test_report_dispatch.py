from datetime import date

import pytest

from p3m_app.core import report_dispatch as rd
from p3m_app.core.errors import RuleViolation

REPORT = "Monthly Complaint Report (PKH)"


@pytest.mark.parametrize(
	"today, month",
	[
		(date(2026, 12, 1), "2026-11"),
		(date(2027, 1, 1), "2026-12"),
		(date(2026, 3, 1), "2026-02"),
		(date(2026, 3, 17), "2026-02"),
	],
)
def test_the_report_covers_the_previous_month(today, month):
	assert rd.report_month(today) == month


def test_a_sent_dispatch_is_never_sent_again():
	assert not rd.should_send(rd.SENT)
	assert rd.should_send(None)
	assert rd.should_send(rd.PENDING)
	assert rd.should_send(rd.FAILED)


def test_recipients_name_a_user_or_an_address_once():
	rd.check_recipients(
		[
			{"user": "a@p3m.test", "report": REPORT},
			{"email": "tim.teknis@kemensos.example", "report": REPORT},
			{"email": "TIM.TEKNIS@kemensos.example", "report": "Other"},
		]
	)
	with pytest.raises(RuleViolation, match="row 2"):
		rd.check_recipients([{"user": "a@p3m.test"}, {"user": " ", "email": ""}])
	with pytest.raises(RuleViolation, match="not an e-mail"):
		rd.check_recipients([{"email": "tim teknis"}])
	with pytest.raises(RuleViolation, match="already listed"):
		rd.check_recipients(
			[
				{"email": "tim@kemensos.example", "report": REPORT},
				{"email": "Tim@Kemensos.example", "report": REPORT},
			]
		)


def test_addresses_of_active_rows_each_once():
	rows = [
		("a@p3m.test", None, 1),
		(None, "tim@kemensos.example", 1),
		("b@p3m.test", None, 0),
		("gone@p3m.test", None, 1),
		(None, "TIM@kemensos.example", 1),
		("a@p3m.test", "kepala@kab.example", 1),
	]
	emails = {"a@p3m.test": "a@p3m.test", "b@p3m.test": "b@p3m.test"}
	assert rd.addresses(rows, emails) == ["a@p3m.test", "tim@kemensos.example", "kepala@kab.example"]


def test_file_stem_is_safe():
	assert rd.file_stem(REPORT, "Kab A1 (T)", "2026-11") == "Monthly-Complaint-Report-PKH-Kab-A1-T-2026-11"
