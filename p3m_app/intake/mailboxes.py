"""A mailbox per program or unit: an Email Account appending to Complaint may name a program, a
category and a unit, and the complaints it creates take them (BOS duties list their own
``bos@`` next to the general ``pengaduan@``; issue 14).

The three fields are custom fields of Frappe's Email Account, shown only for complaint inboxes.
The unit becomes the complaint's first unit; without one, the category's default unit or the
nearest-level routing decides, as for every other intake.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

COMPLAINT_INBOX = (
	"eval:doc.append_to=='Complaint' || (doc.imap_folder || []).some(f => f.append_to=='Complaint')"
)
BOS_INBOX = "P3M BOS Inbox"


def ensure_fields() -> None:
	"""after_migrate: the custom fields (idempotent; create_custom_fields updates them in place)."""
	create_custom_fields(
		{
			"Email Account": [
				{
					"fieldname": "p3m_section",
					"fieldtype": "Section Break",
					"label": "P3M Complaints",
					"insert_after": "append_to",
					"depends_on": COMPLAINT_INBOX,
				},
				{
					"fieldname": "p3m_program",
					"fieldtype": "Link",
					"options": "P3M Program",
					"label": "Complaint Program",
					"insert_after": "p3m_section",
					"depends_on": COMPLAINT_INBOX,
					"description": "Complaints this inbox creates get this program.",
				},
				{
					"fieldname": "p3m_category",
					"fieldtype": "Link",
					"options": "Complaint Category",
					"label": "Complaint Category",
					"insert_after": "p3m_program",
					"depends_on": COMPLAINT_INBOX,
				},
				{
					"fieldname": "p3m_unit",
					"fieldtype": "Link",
					"options": "Unit",
					"label": "Receiving Unit",
					"insert_after": "p3m_category",
					"depends_on": COMPLAINT_INBOX,
					"description": "Empty: the category's unit, else the unit serving the place, else the root.",
				},
			]
		},
		update=True,
	)


def complaint_values(account) -> dict:
	"""What a new complaint from this inbox takes (nothing for an account without the fields)."""
	if not account:
		return {}
	values = {
		"program": account.get("p3m_program"),
		"category": account.get("p3m_category"),
		"current_unit": account.get("p3m_unit"),
	}
	if values["current_unit"] and not frappe.db.get_value("Unit", values["current_unit"], "is_active"):
		values["current_unit"] = None  # an inactive unit: route as if none were named
	return {k: v for k, v in values.items() if v}


def ensure_bos_inbox() -> None:
	"""The second example inbox (install, and once for existing sites by patch); disabled until an
	admin enters the real address and password."""
	if frappe.db.exists("Email Account", BOS_INBOX) or not frappe.db.exists("P3M Program", "BOS"):
		return
	ensure_fields()
	make_disabled_inbox(BOS_INBOX, "bos@example.invalid", p3m_program="BOS")


def make_disabled_inbox(name: str, address: str, **values) -> None:
	"""An IMAP inbox appending to Complaint, off until an admin enters the real address and password."""
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": name,
			"email_id": address,
			"append_to": "Complaint",
			"enable_incoming": 0,
			"enable_outgoing": 0,
			"use_imap": 1,
			"imap_folder": [{"folder_name": "INBOX", "append_to": "Complaint"}],
			"awaiting_password": 1,
			**values,
		}
	).insert(ignore_permissions=True)
