"""Staff-side steps for the browser test (tests/e2e), called through the bench:

    bench --site SITE execute p3m_app.tests.e2e_support.answer --kwargs '{"code": "ABCD-EFGH-JKMN"}'

They change the site's data for real (commit), so use them on a test site only.
"""

import frappe

from p3m_app.core import tracking_code
from p3m_app.handling import act
from p3m_app.tests import factories

ANSWER = "Bantuan sudah ditransfer ke rekening Anda."


def complaint(code: str) -> str:
	name = frappe.db.get_value("Complaint", {"tracking_code": tracking_code.normalize(code)})
	if not name:
		frappe.throw(f"No complaint has the tracking code {code}")
	return name


def answer(code: str, response: str = ANSWER) -> str:
	"""Verify, handle directly and answer the complaint as Administrator; returns the new state."""
	frappe.set_user("Administrator")
	factories.make_world()
	name = complaint(code)
	category = frappe.db.get_value("Complaint", name, "category") or "T Pembayaran"
	act(name, "Verify", category=category)
	act(name, "Handle Directly")
	act(name, "Answer", response=response)
	frappe.db.commit()
	return state(code)


def state(code: str) -> str:
	return frappe.db.get_value("Complaint", complaint(code), "workflow_state")


def reporter_phone(code: str) -> str | None:
	"""The reporter's number as stored (E.164 whatever the citizen typed)."""
	return frappe.db.get_value("Complaint", complaint(code), "reporter_phone")


LETTER_PASSWORD = "P3m-E2e-Letters-2026!"


def letter_complaint() -> dict:
	"""An answered PKH complaint held by Kab A1, and passwords for its officer and for an officer of
	another unit, for the letter PDF test (tests/e2e/letters.spec.mjs)."""
	from frappe.utils.password import update_password

	frappe.set_user("Administrator")
	# the factories' outgoing mail account is checked against a live SMTP server outside tests
	frappe.flags.in_test = True
	factories.make_world()
	for user in (factories.OFFICER_A1, factories.OFFICER_B1):
		update_password(user, LETTER_PASSWORD)
	doc = factories.complaint_at(factories.KAB_A1, program="PKH")
	act(doc.name, "Answer", response=ANSWER)
	frappe.db.commit()
	return {
		"name": doc.name,
		"code": tracking_code.display(doc.tracking_code),
		"officer": factories.OFFICER_A1,
		"outsider": factories.OFFICER_B1,
		"password": LETTER_PASSWORD,
	}
