"""Desk helpers that read or touch a document by name without asking about that document.

Frappe 15 answers these for any document of a doctype the user may read at all: a link's
title, tags and the documents carrying a tag, likes, follows, the workflow sidebar's state
counts, a number card's figure, a child row fetched on its own, and a file download whose
refusal names the document the file hangs on. Each replacement asks about the document itself
(or lists through ``frappe.get_list``) and refuses with a plain message that names nothing new.
"""

import frappe
from frappe import _
from frappe import client as frappe_client
from frappe.desk import like as frappe_like
from frappe.desk import search as frappe_search
from frappe.desk.doctype.number_card import number_card as frappe_number_card
from frappe.desk.doctype.tag import tag as frappe_tag

from p3m_app import permissions
from p3m_app.access import linked_records
from p3m_app.access.endpoints import check_filter_fields, guarded


def refuse() -> None:
	frappe.throw(_("You do not have access to this document."), frappe.PermissionError)


def require(doctype: str, name: str, ptype: str = "read") -> None:
	"""The document itself must be readable; Frappe's own message would name what it found."""
	if not name or not frappe.db.exists(doctype, name) or not frappe.has_permission(doctype, ptype, doc=name):
		frappe.clear_last_message()
		refuse()


# -- documents by name ---------------------------------------------------------------------------


@frappe.whitelist()
def get(doctype, name=None, filters=None, parent=None):
	"""frappe.client.get: found by filters among the documents the user may list (Frappe takes the
	first match anywhere), a child row only with its parent, and a refusal never names the match."""
	check_filter_fields(doctype, filters)
	if not name and (filters or filters == {}) and not frappe.get_meta(doctype).issingle:
		found = frappe.get_list(
			doctype,
			filters=frappe.parse_json(filters),
			pluck="name",
			limit_page_length=1,
			parent_doctype=parent,
		)
		if not found:
			raise frappe.DoesNotExistError(_("{0} not found").format(_(doctype)))
		name, filters = found[0], None
	try:
		doc = frappe_client.get(doctype, name=name, filters=filters, parent=parent)
	except frappe.PermissionError:
		frappe.clear_messages()
		refuse()
	if frappe.is_table(doctype) and guarded(doc.get("parenttype")):
		require(doc.get("parenttype"), doc.get("parent"))
	return doc


@frappe.whitelist()
def get_link_title(doctype, docname):
	if guarded(doctype) and not (
		frappe.db.exists(doctype, docname) and frappe.has_permission(doctype, doc=docname)
	):
		frappe.clear_last_message()
		return docname
	return frappe_search.get_link_title(doctype, docname)


@frappe.whitelist()
def toggle_like(doctype, name, add=False):
	if guarded(doctype):
		require(doctype, name)
	return frappe_like.toggle_like(doctype, name, add)


# -- tags ----------------------------------------------------------------------------------------


@frappe.whitelist()
def add_tag(tag, dt, dn, color=None):
	if guarded(dt):
		require(dt, dn, "write")
	return frappe_tag.add_tag(tag, dt, dn, color)


@frappe.whitelist()
def add_tags(tags, dt, docs, color=None):
	if guarded(dt):
		for name in frappe.parse_json(docs):
			require(dt, name, "write")
	return frappe_tag.add_tags(tags, dt, docs, color)


@frappe.whitelist()
def remove_tag(tag, dt, dn):
	if guarded(dt):
		require(dt, dn, "write")
	return frappe_tag.remove_tag(tag, dt, dn)


@frappe.whitelist()
def get_tagged_docs(doctype, tag):
	"""The documents carrying a tag, among those the user may list."""
	return frappe.get_list(doctype, filters=[["_user_tags", "like", tag]], fields=["name"], as_list=True)


TAGGABLE = tuple(linked_records.SCOPED)


def tag_link_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if permissions.is_unrestricted(user):
		return ""
	complaints = linked_records.readable_complaints(user)
	others = ", ".join(frappe.db.escape(d) for d in TAGGABLE if d != linked_records.COMPLAINT)
	return f"""(`tabTag Link`.`document_type` not in ('Complaint', {others})
		or (`tabTag Link`.`document_type` = 'Complaint' and `tabTag Link`.`document_name` in ({complaints})))"""


def has_tag_link_permission(doc, ptype=None, user=None):
	if doc.get("document_type") not in TAGGABLE:
		return None
	return (
		None
		if linked_records.may_read(doc.document_type, doc.document_name, user or frappe.session.user)
		else False
	)


# -- follows -------------------------------------------------------------------------------------


def document_follow_query_conditions(user: str | None = None) -> str:
	"""Who follows what is each user's own business."""
	user = user or frappe.session.user
	if user == "Administrator" or "System Manager" in frappe.get_roles(user):
		return ""
	return f"`tabDocument Follow`.`user` = {frappe.db.escape(user)}"


def has_document_follow_permission(doc, ptype=None, user=None):
	"""Reading another user's follows is refused; creating one is Frappe's business (it follows on
	a user's behalf when they are assigned), checked by check_follow."""
	user = user or frappe.session.user
	if (ptype or "read") not in ("read", "select", "print", "export", "report", "email"):
		return None
	if user == "Administrator" or "System Manager" in frappe.get_roles(user):
		return None
	return None if doc.get("user") == user else False


# -- counts and figures --------------------------------------------------------------------------


@frappe.whitelist()
def get_workflow_state_count(doctype, workflow_state_field, states):
	"""The workflow sidebar's counts per state, over the documents the user may list."""
	frappe.has_permission(doctype=doctype, ptype="read", throw=True)
	states = frappe.parse_json(states)
	if workflow_state_field not in frappe.get_meta(doctype).get_valid_columns():
		return []
	rows = frappe.get_list(
		doctype,
		fields=[workflow_state_field, "count(*) as count"],
		filters={workflow_state_field: ["not in", states]},
		group_by=workflow_state_field,
		order_by=None,
	)
	return [row for row in rows if row[workflow_state_field]]


@frappe.whitelist()
def get_result(doc, filters, to_date=None):
	"""A number card's figure: no filter, and no figure, over a field the user may not read."""
	card = frappe.parse_json(doc)
	check_filter_fields(card.get("document_type"), filters)
	check_filter_fields(card.get("document_type"), card.get("filters_json"))
	based_on = card.get("aggregate_function_based_on")
	if based_on:
		check_filter_fields(card.get("document_type"), [[based_on, "is", "set"]])
	return frappe_number_card.get_result(doc, filters, to_date)


# -- files ---------------------------------------------------------------------------------------


@frappe.whitelist(allow_guest=True)
def download_file(file_url: str):
	"""A private file of a complaint, e-mail or identity only for who may read that document."""
	from frappe.handler import download_file as frappe_download_file

	file = frappe.db.get_value("File", {"file_url": file_url}, ["name"], as_dict=True)
	if not file:
		refuse()
	if linked_records.has_file_permission(frappe.get_doc("File", file.name)) is False:
		refuse()
	return frappe_download_file(file_url)


# -- methods that call other methods or move records between documents ---------------------------


@frappe.whitelist()
def map_docs(method, source_names, target_doc, args=None):
	"""frappe.model.mapper.map_docs calls ``method`` by its original name, past the overrides."""
	from frappe.model import mapper

	from p3m_app.access.endpoints import resolved_query

	return mapper.map_docs(resolved_query(method), source_names, target_doc, args)


@frappe.whitelist(allow_guest=True)
def run_doc_method(method, docs=None, dt=None, dn=None, arg=None, args=None):
	"""Frappe returns the document a method ran on in full; field levels must still apply."""
	from frappe.handler import run_doc_method as frappe_run_doc_method

	result = frappe_run_doc_method(method, docs=docs, dt=dt, dn=dn, arg=arg, args=args)
	for doc in frappe.response.get("docs") or []:
		if hasattr(doc, "apply_fieldlevel_read_permissions"):
			doc.apply_fieldlevel_read_permissions()
	return result


@frappe.whitelist()
def relink(name, reference_doctype=None, reference_name=None):
	"""Moving an e-mail between documents needs write access to both (Frappe checks neither)."""
	from frappe.email import relink as frappe_relink

	current = frappe.db.get_value("Communication", name, ["reference_doctype", "reference_name"])
	if not current:
		refuse()
	for doctype, docname in (current, (reference_doctype, reference_name)):
		if guarded(doctype):
			require(doctype, docname, "write")
	result = frappe_relink(name, reference_doctype, reference_name)
	# Frappe relinks with plain SQL, past the Communication hooks: seal it as if it had arrived there,
	# and take it off the timelines of the Contacts its general inbox linked it to
	from p3m_app.access import mail_sealing

	mail_sealing.seal_stored(name)
	mail_sealing.drop_other_timeline_links(name)
	return result


@frappe.whitelist()
def add_attachments(doctype, name, attachments):
	"""Copying files onto a document needs read access to each file (Frappe checks none)."""
	from frappe.utils.file_manager import add_attachments as frappe_add_attachments

	if guarded(doctype):
		require(doctype, name, "write")
	for file in frappe.parse_json(attachments) if isinstance(attachments, str) else attachments:
		if isinstance(file, str):
			require("File", file)
	return frappe_add_attachments(doctype, name, attachments)


# -- Data Import: a pending import file of complaints holds reporters' identities ----------------


def require_import(name: str, ptype: str = "read") -> None:
	if not name or not frappe.has_permission("Data Import", ptype, doc=name):
		frappe.clear_last_message()
		refuse()


@frappe.whitelist()
def get_preview_from_template(data_import, import_file=None, google_sheets_url=None):
	from frappe.core.doctype.data_import import data_import as frappe_data_import

	require_import(data_import)
	return frappe_data_import.get_preview_from_template(data_import, import_file, google_sheets_url)


@frappe.whitelist()
def form_start_import(data_import: str):
	from frappe.core.doctype.data_import import data_import as frappe_data_import

	require_import(data_import, "write")
	return frappe_data_import.form_start_import(data_import)


@frappe.whitelist()
def download_errored_template(data_import_name):
	from frappe.core.doctype.data_import import data_import as frappe_data_import

	require_import(data_import_name)
	return frappe_data_import.download_errored_template(data_import_name)


@frappe.whitelist()
def download_import_log(data_import_name):
	from frappe.core.doctype.data_import import data_import as frappe_data_import

	require_import(data_import_name)
	return frappe_data_import.download_import_log(data_import_name)


@frappe.whitelist()
def get_import_status(data_import_name):
	from frappe.core.doctype.data_import import data_import as frappe_data_import

	require_import(data_import_name)
	return frappe_data_import.get_import_status(data_import_name)


# -- website comments and likes: a complaint is no web page --------------------------------------


@frappe.whitelist(allow_guest=True)
def add_web_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route):
	from frappe.templates.includes.comments import comments

	if guarded(reference_doctype):
		refuse()
	return comments.add_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route)


@frappe.whitelist(allow_guest=True)
def web_like(reference_doctype, reference_name, like, route=""):
	from frappe.templates.includes.likes import likes

	if guarded(reference_doctype):
		refuse()
	return likes.like(reference_doctype, reference_name, like, route)
