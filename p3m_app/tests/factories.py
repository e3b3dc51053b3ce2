"""Factories for the integration tests: one small unit tree with a user per role.

    Pusat (T)                       admin nasional; pimpinan; confidential reader
    ├── Prov A (T)                  admin instansi
    │   ├── Kab A1 (T)              officer
    │   └── Kab A2 (T)              officer
    ├── Prov B (T)
    │   └── Kab B1 (T)              officer
    ├── Kab Inactive (T)            (inactive)
    └── Inspektorat (T)             inspektorat
Everything is created inside the test's transaction, which FrappeTestCase rolls back.
"""

import frappe

from p3m_app import roles
from p3m_app.handling import act

PUSAT, PROV_A, KAB_A1, KAB_A2 = "Pusat (T)", "Prov A (T)", "Kab A1 (T)", "Kab A2 (T)"
PROV_B, KAB_B1, INACTIVE, INSPEKTORAT = "Prov B (T)", "Kab B1 (T)", "Kab Inactive (T)", "Inspektorat (T)"

NASIONAL = "t.nasional@p3m.test"
ADMIN_A = "t.admin.prova@p3m.test"
OFFICER_A1 = "t.officer.kaba1@p3m.test"
OFFICER_A2 = "t.officer.kaba2@p3m.test"
OFFICER_B1 = "t.officer.kabb1@p3m.test"
PIMPINAN = "t.pimpinan@p3m.test"
AUDITOR = "t.inspektorat@p3m.test"
READER = "t.reader@p3m.test"
NO_UNIT = "t.nounit@p3m.test"


def make_user(email: str, *role_names: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	# Frappe mails a desk notification at once in tests, and sending commits the test's data
	if frappe.db.exists("Notification Settings", email):
		frappe.db.set_value("Notification Settings", email, "enable_email_notifications", 0)
	if role_names:
		frappe.get_doc("User", email).add_roles(*role_names)
	return email


def make_unit(
	name,
	level="Kabupaten/Kota",
	parent=None,
	is_group=0,
	is_active=1,
	unit_type="Complaint Unit",
	officers=(),
):
	if frappe.db.exists("Unit", name):
		return frappe.get_doc("Unit", name)
	unit = frappe.get_doc(
		{
			"doctype": "Unit",
			"unit_name": name,
			"unit_level": level,
			"parent_unit": parent,
			"is_group": is_group,
			"is_active": is_active,
			"unit_type": unit_type,
			"officers": [{"user": user, "role_in_unit": role} for user, role in officers],
		}
	)
	return unit.insert(ignore_permissions=True)


def make_outgoing_mail_account() -> None:
	"""Mail is queued, never sent, in tests; Frappe needs a default outgoing account to queue it."""
	if not frappe.db.exists("Email Account", {"default_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "P3M Test Outgoing",
				"email_id": "noreply@p3m.test",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def make_world() -> None:
	"""Build the tree above (idempotent)."""
	make_outgoing_mail_account()
	make_user(NASIONAL, roles.ADMIN_NASIONAL)
	for email in (ADMIN_A, OFFICER_A1, OFFICER_A2, OFFICER_B1, PIMPINAN, AUDITOR):
		make_user(email)
	make_user(READER)
	make_user(NO_UNIT, roles.OFFICER)
	make_unit(
		PUSAT,
		"Pusat",
		is_group=1,
		officers=[(NASIONAL, "Admin"), (PIMPINAN, "Pimpinan"), (READER, "Confidential Reader")],
	)
	make_unit(PROV_A, "Provinsi", PUSAT, is_group=1, officers=[(ADMIN_A, "Admin")])
	make_unit(KAB_A1, parent=PROV_A, officers=[(OFFICER_A1, "Officer")])
	make_unit(KAB_A2, parent=PROV_A, officers=[(OFFICER_A2, "Officer")])
	make_unit(PROV_B, "Provinsi", PUSAT, is_group=1)
	make_unit(KAB_B1, parent=PROV_B, officers=[(OFFICER_B1, "Officer")])
	make_unit(INACTIVE, parent=PUSAT, is_active=0)
	make_unit(INSPEKTORAT, "Pusat", PUSAT, unit_type="Inspektorat", officers=[(AUDITOR, "Inspektorat")])
	if not frappe.db.exists("Complaint Category", "T Pembayaran"):
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": "T Pembayaran",
				"program": "PKH",
				"default_unit": PUSAT,
			}
		).insert(ignore_permissions=True)


def complaint_values(**overrides) -> dict:
	values = {
		"doctype": "Complaint",
		"subject": "Bantuan PKH belum cair",
		"description": "Bantuan tahap tiga belum diterima.",
		"channel": "Phone",
		"classification": "Pengaduan",
		"category": "T Pembayaran",
		"program": "PKH",
		"current_unit": PUSAT,
		"reporter_name": "Siti Aminah",
		"reporter_phone": "+62 812 1111 2222",
		"reporter_email": "siti@example.org",
	}
	values.update(overrides)
	return values


def make_complaint(**overrides):
	return frappe.get_doc(complaint_values(**overrides)).insert()


def dispose(name: str, to_unit: str, instruction: str = "Mohon ditindaklanjuti"):
	return act(name, "Dispose", dispose_to_unit=to_unit, disposition_instruction=instruction)


def complaint_at(unit: str, *, via=(PROV_A,), **overrides):
	"""A verified complaint disposed down from Pusat through ``via`` to ``unit`` and accepted there."""
	doc = make_complaint(**overrides)
	act(doc.name, "Verify")
	for step in (*via, unit) if unit not in via else via:
		dispose(doc.name, step)
		act(doc.name, "Accept")
	return frappe.get_doc("Complaint", doc.name)


def purge_complaints(filters: dict) -> None:
	"""Delete committed complaints and what hangs off them (tests of code that commits on its own:
	mail intake, data import); the app itself never deletes a complaint."""
	names = frappe.get_all("Complaint", filters=filters, pluck="name")
	if names:
		for doctype, field in (
			("Complaint SLA Milestone", "parent"),
			("Disposition", "complaint"),
			("ToDo", "reference_name"),
			("Communication", "reference_name"),
			("Complaint", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", names)})
	frappe.db.commit()
