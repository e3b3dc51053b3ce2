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
