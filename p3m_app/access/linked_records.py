"""Records that hang off a complaint follow the complaint's scope.

A Communication, a File, a meeting's or milestone's child row, a share, an assignment or a
follow names a complaint; whoever may not read that complaint may not read, or be given,
any of them. Frappe's own rules for these doctypes still apply: the conditions here are
ANDed with theirs, and the permission hooks only ever deny (returning None defers).
"""

import frappe
from frappe import _
from frappe.permissions import get_role_permissions

from p3m_app import meetings, permissions
from p3m_app.access import vault
from p3m_app.core import unit_scope
from p3m_app.programs.pkh import correction_access

COMPLAINT = "Complaint"
# files attached to these are always private (evidence, mail, identity)
PRIVATE_ATTACHMENTS = (COMPLAINT, "Communication", vault.VAULT, "Disposition", correction_access.DOCTYPE)
# the app's doctypes whose documents are scoped, with the hook that decides a single document
SCOPED = {
	COMPLAINT: permissions.has_complaint_permission,
	"Disposition": permissions.has_disposition_permission,
	"Coordination Meeting": meetings.has_meeting_permission,
	vault.VAULT: lambda doc, ptype=None, user=None: vault.may_read(doc.get("complaint"), user),
	correction_access.DOCTYPE: correction_access.has_permission,
}


def readable_complaints(user: str) -> str:
	"""SQL sub-select of the complaints ``user`` may read (held by, or come from, their units, or
	copied, referred or taken over to or from them: see permissions.reader_units)."""
	bounds = permissions.unit_bounds(user)
	current = unit_scope.sql_condition("scope_complaint.current_unit", bounds)
	origin = unit_scope.sql_condition("scope_complaint.origin_unit", bounds)
	readers = unit_scope.sql_condition("scope_reader.reader_unit", bounds)
	return f"""select scope_complaint.name from `tabComplaint` scope_complaint where ({current} or {origin})
		union select scope_reader.complaint from `tabDisposition` scope_reader where {readers}"""


def communication_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	return f"""(ifnull(`tabCommunication`.`reference_doctype`, '') != 'Complaint'
		or `tabCommunication`.`reference_name` in ({readable_complaints(user)}))"""


def has_communication_permission(doc, ptype=None, user=None):
	if doc.get("reference_doctype") != COMPLAINT:
		return None
	return None if permissions.complaint_in_reach(doc.get("reference_name"), user) else False


def file_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	complaints = readable_complaints(user)
	corrections = correction_access.file_condition(user)
	return f"""(ifnull(`tabFile`.`attached_to_doctype`, '') not in ('Complaint', 'Communication', 'Reporter Identity',
			'{correction_access.DOCTYPE}')
		or {corrections}
		or (`tabFile`.`attached_to_doctype` = 'Complaint' and `tabFile`.`attached_to_name` in ({complaints}))
		or (`tabFile`.`attached_to_doctype` = 'Communication' and `tabFile`.`attached_to_name` in (
			select scope_mail.name from `tabCommunication` scope_mail
			where ifnull(scope_mail.reference_doctype, '') != 'Complaint' or scope_mail.reference_name in ({complaints}))))"""


def has_file_permission(doc, ptype=None, user=None):
	doctype, name = doc.get("attached_to_doctype"), doc.get("attached_to_name")
	if doctype == "Communication" and name:
		doctype, name = frappe.db.get_value(
			"Communication", name, ["reference_doctype", "reference_name"]
		) or (
			None,
			None,
		)
	if doctype == COMPLAINT:
		return None if permissions.complaint_in_reach(name, user) else False
	if doctype == vault.VAULT:
		return None if vault.may_read(name, user or frappe.session.user) else False
	if doctype == correction_access.DOCTYPE:
		return None if correction_access.may_read(name, user) else False
	return None


def keep_complaint_files_private(doc, method=None) -> None:
	"""File ``after_insert``: evidence on a complaint is never a public file anyone can fetch.

	Frappe has written the file by now, so a public one moves to the private folder the way
	Frappe's own "Make Private" does it."""
	attached = doc.attached_to_doctype in PRIVATE_ATTACHMENTS
	if attached and not doc.is_private and not doc.is_folder and not doc.is_remote_file:
		doc.is_private = 1
		doc.save(ignore_permissions=True)


def child_rows_of(parent_doctype: str, table: str, parent_condition: str) -> str:
	return f"""`tab{table}`.`parent` in (select scope_parent.name from `tab{parent_doctype}` scope_parent
		where {parent_condition.replace(f"`tab{parent_doctype}`", "scope_parent")})"""


def milestone_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	return f"`tabComplaint SLA Milestone`.`parent` in ({readable_complaints(user)})"


def complaint_rows_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Rows of a complaint's child table (letters, ...) read alone, e.g. through the REST list."""
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	return f"`tab{doctype}`.`parenttype` = 'Complaint' and `tab{doctype}`.`parent` in ({readable_complaints(user)})"


def meeting_rows_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	condition = meetings.meeting_query_conditions(user)
	if not condition:
		return ""
	return child_rows_of(meetings.DOCTYPE, doctype, condition)


# -- giving a complaint to someone: share, assign, follow --------------------------------------


def may_read(doctype: str, name: str, user: str) -> bool:
	"""Whether ``user`` reads the document by role and scope, shares left aside."""
	if user == "Administrator":
		return True
	if not get_role_permissions(frappe.get_meta(doctype), user=user).get("read"):
		return False
	doc = frappe.get_doc(doctype, name)
	return bool(SCOPED[doctype](doc, "read", user))


def refuse_unless_in_reach(doctype: str, name: str, user: str, message: str) -> None:
	if doctype in SCOPED and name and user and not may_read(doctype, name, user):
		frappe.throw(message, frappe.PermissionError, title=_("Not Allowed"))


def check_share(doc, method=None) -> None:
	"""DocShare ``validate``: a share would let its user read past the unit scope."""
	if doc.share_doctype not in SCOPED:
		return
	if doc.everyone:
		frappe.throw(
			_("A {0} cannot be shared with everyone.").format(_(doc.share_doctype)),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	refuse_unless_in_reach(
		doc.share_doctype,
		doc.share_name,
		doc.user,
		_("{0} cannot be shared with {1}: their units do not reach it.").format(doc.share_name, doc.user),
	)


def check_assignment(doc, method=None) -> None:
	"""ToDo ``validate``: only someone who may read a complaint can be assigned to it."""
	if doc.status != "Open" or not (doc.is_new() or doc.has_value_changed("allocated_to")):
		# closing or cancelling an assignment (e.g. when the complaint leaves the unit) gives nothing
		return
	refuse_unless_in_reach(
		doc.reference_type,
		doc.reference_name,
		doc.allocated_to,
		_("{0} cannot be assigned to {1}: their units do not reach it.").format(
			doc.reference_name, doc.allocated_to
		),
	)


def check_follow(doc, method=None) -> None:
	"""Document Follow ``after_insert``: a follower receives a digest of every change, so only
	someone who may read the document follows it. Frappe also follows on its own (after an edit,
	an assignment, a like): such a follow is dropped quietly, never failing the action that made it
	(a unit that has just returned a complaint upward no longer reaches it)."""
	if doc.ref_doctype in SCOPED and not may_read(doc.ref_doctype, doc.ref_docname, doc.user):
		frappe.db.delete("Document Follow", {"name": doc.name})


def drop_unreachable_follows(doctype: str, name: str) -> None:
	"""After a document moves to another unit, followers who no longer reach it stop getting its digest."""
	for follow in frappe.get_all(
		"Document Follow", filters={"ref_doctype": doctype, "ref_docname": name}, fields=["name", "user"]
	):
		if not may_read(doctype, name, follow.user):
			frappe.db.delete("Document Follow", {"name": follow.name})


@frappe.whitelist()
def follow_document(doctype, doc_name, user):
	"""frappe.desk.form.document_follow.follow_document, refused with a reason out of reach."""
	from frappe.desk.form import document_follow

	refuse_unless_in_reach(
		doctype,
		doc_name,
		user,
		_("{0} cannot follow {1}: their units do not reach it.").format(user, doc_name),
	)
	return document_follow.follow_document(doctype, doc_name, user)


@frappe.whitelist()
def update_follow(doctype: str, doc_name: str, following: bool):
	from frappe.desk.form import document_follow

	if following:
		return follow_document(doctype, doc_name, frappe.session.user)
	return document_follow.update_follow(doctype, doc_name, following)


def keep_private(doc, method=None) -> None:
	"""File ``before_validate``: a complaint's file cannot be made public later either."""
	attached = doc.attached_to_doctype in PRIVATE_ATTACHMENTS
	if attached and not doc.is_new() and not doc.is_folder and not doc.is_remote_file:
		doc.is_private = 1
