"""The admins' queue of mail that did not become a complaint (Frappe's *Unhandled Email*).

Who: the inbox's admins - every P3M Admin Nasional and the Admin officers of the unit a mail
complaint lands in (the root unit: mail names no place or category) - and System Managers.
They alone read a queued message, whose raw text carries the sender's identity; they see only
the rows of inboxes that append to Complaint. They get a count on the P3M workspace, an alert
when a row arrives, and **Make Complaint** on the form, which turns a row into a complaint (the
raw message attached privately) and removes it; a second click makes nothing twice.
"""

import frappe
from frappe import _
from frappe.permissions import add_permission

from p3m_app import roles

UNHANDLED = "Unhandled Email"
COMPLAINT = "Complaint"
QUEUE_ROLES = (roles.ADMIN_NASIONAL, roles.ADMIN_INSTANSI)


def inbox_unit() -> str | None:
	return frappe.db.get_value("Unit", {"parent_unit": ("is", "not set"), "is_active": 1})


def inbox_admins() -> list[str]:
	"""Enabled users who may read the queue (System Managers aside)."""
	rows = frappe.db.sql(
		"""select o.user from `tabUnit Officer` o join `tabUser` u on u.name = o.user and u.enabled = 1
		where o.parenttype = 'Unit' and o.parent = %(unit)s and o.role_in_unit = 'Admin'
		union select h.parent from `tabHas Role` h join `tabUser` u on u.name = h.parent and u.enabled = 1
		where h.parenttype = 'User' and h.role = %(national)s""",
		{"unit": inbox_unit() or "", "national": roles.ADMIN_NASIONAL},
	)
	return sorted({r[0] for r in rows if r[0] not in ("Guest",)})


def may_read_queue(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator" or "System Manager" in frappe.get_roles(user):
		return True
	return user in inbox_admins()


def complaint_inboxes() -> list[str]:
	direct = frappe.get_all("Email Account", filters={"append_to": COMPLAINT}, pluck="name")
	folders = frappe.get_all(
		"IMAP Folder", filters={"append_to": COMPLAINT, "parenttype": "Email Account"}, pluck="parent"
	)
	return sorted(set(direct) | set(folders))


def is_system_manager(user: str) -> bool:
	return user == "Administrator" or "System Manager" in frappe.get_roles(user)


# ---- permission hooks (only ever deny; returning None defers to Frappe) ----


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_system_manager(user):
		return ""
	inboxes = complaint_inboxes()
	if not may_read_queue(user) or not inboxes:
		return "1=0"
	names = ", ".join(frappe.db.escape(n) for n in inboxes)
	return f"`tabUnhandled Email`.email_account in ({names})"


def has_permission(doc, ptype=None, user=None):
	user = user or frappe.session.user
	if is_system_manager(user):
		return None
	if not may_read_queue(user) or doc.get("email_account") not in complaint_inboxes():
		return False
	return None


def ensure_queue_access() -> None:
	"""after_install / after_migrate: the queue roles may read Unhandled Email (scoped above)."""
	for role in QUEUE_ROLES:
		if not frappe.db.exists("Custom DocPerm", {"parent": UNHANDLED, "role": role, "permlevel": 0}):
			add_permission(UNHANDLED, role, 0)


# ---- the count, the alerts ----


@frappe.whitelist()
def unhandled_count(filters=None) -> int:
	"""The workspace's "Unhandled mail" card: queued mail of the complaint inboxes."""
	if not may_read_queue():
		return 0
	inboxes = complaint_inboxes()
	return frappe.db.count(UNHANDLED, {"email_account": ("in", inboxes)}) if inboxes else 0


def alert_admins(subject: str, document_type: str, document_name: str) -> None:
	for user in inbox_admins():
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": document_type,
				"document_name": document_name,
				"subject": subject[:140],
			}
		).insert(ignore_permissions=True)


def on_unhandled_email(doc, method=None) -> None:
	"""Unhandled Email ``after_insert``: the inbox's admins are told (no sender, no text)."""
	if doc.email_account not in complaint_inboxes():
		return
	alert_admins(
		_("An e-mail to {0} could not be made a complaint; it waits in the Unhandled Email queue.").format(
			doc.email_account
		),
		UNHANDLED,
		doc.name,
	)


def alert_sla_not_computable(complaint, violation) -> None:
	"""A complaint recorded although its dates fall outside its holiday calendar."""
	message = _(violation.message).format(**violation.params)
	complaint.add_comment("Info", _("Deadlines could not be computed: {0}").format(message))
	alert_admins(
		_("Complaint {0}: deadlines not computable; extend the holiday calendar.").format(complaint.name),
		COMPLAINT,
		complaint.name,
	)


# ---- Make Complaint ----


@frappe.whitelist(methods=["POST"])
def make_complaint(name: str) -> dict:
	"""Turn a queued mail into a complaint; clicking twice makes one complaint."""
	from p3m_app.intake import mail_rescue

	if not may_read_queue():
		frappe.throw(_("Only the inbox's admins may handle queued e-mail."), frappe.PermissionError)
	row = frappe.db.get_value(
		UNHANDLED, name, ["name", "raw", "email_account"], as_dict=True, for_update=True
	)
	if not row:
		frappe.throw(
			_("This e-mail is no longer in the queue: it was already handled."), frappe.DoesNotExistError
		)
	if not is_system_manager(frappe.session.user) and row.email_account not in complaint_inboxes():
		frappe.throw(_("Only the inbox's admins may handle queued e-mail."), frappe.PermissionError)
	complaint = mail_rescue.complaint_from_raw(row.raw or "", include_machine_mail=True)
	frappe.delete_doc(UNHANDLED, name, ignore_permissions=True)
	return {"complaint": complaint}
