"""For a benchmark's follow-up check only: an officer in each unit its complaints entered, and an
outgoing mail account that only queues.

A site with the 1M dataset has units without officers and no outgoing account. Follow-up jobs then
assign nobody and acknowledge nobody (the acknowledgement ends as an Error Log), and the check that
no complaint is assigned or mailed twice would count nothing. For the run, each unit gets one
benchmark officer, receiving assignments through the unit's own Assignment Rule, and the site a
default outgoing account on an unresolvable host: acknowledgements wait in the Email Queue, which
the run's cleanup deletes. Both are taken away again afterwards, whatever fails.
"""

from contextlib import contextmanager

import frappe

OFFICER = "p3m.bench.officer@p3m.test"
OUTGOING = "P3M Benchmark Outgoing"


@contextmanager
def staffed(units: set[str]):
	ensure_officer()
	added = [unit for unit in sorted(units) if add_officer(unit)]
	account = ensure_outgoing_account()
	frappe.db.commit()
	try:
		yield
	finally:
		for unit in added:
			doc = frappe.get_doc("Unit", unit)
			doc.set("officers", [row for row in doc.officers if row.user != OFFICER])
			doc.save(ignore_permissions=True)  # the unit's rule is disabled again when it has nobody
		if account:
			frappe.delete_doc("Email Account", account, ignore_permissions=True, force=True)
		frappe.db.commit()


def ensure_officer() -> None:
	if not frappe.db.exists("User", OFFICER):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": OFFICER,
				"first_name": "Benchmark Officer",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)


def add_officer(unit: str) -> bool:
	doc = frappe.get_doc("Unit", unit)
	if any(row.user == OFFICER for row in doc.officers):
		return False
	doc.append("officers", {"user": OFFICER, "role_in_unit": "Officer", "receives_assignments": 1})
	doc.save(ignore_permissions=True)
	return True


def ensure_outgoing_account() -> str | None:
	"""The account made for the run, or None when the site has a default outgoing account already."""
	if frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		return None
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": OUTGOING,
			"email_id": "noreply.bench@p3m.test",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.invalid",  # reserved: nothing is ever sent from a benchmark
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
	return OUTGOING
