"""Frappe's generic read endpoints, kept inside the unit scope and away from sealed identities.

In Frappe 15 ``frappe.client.get_count`` counts with no permission check at all; the list
sidebar's count by assignee builds its sub-query without permissions; link search with
``ignore_user_permissions`` skips every permission rule, not only User Permissions; and its
``query`` argument calls any whitelisted method by its original name, past the overrides
below. Each replacement asks ``frappe.get_list``, which applies role permissions, field
levels and every permission query condition, and refuses filters on fields the user may not
read (a count that answers differently to ``reporter_name like 'A%'`` reads the name).
"""

import json
import re
from urllib.parse import unquote

import frappe
from frappe import _
from frappe import client as frappe_client
from frappe.desk import listview as frappe_listview
from frappe.desk import reportview as frappe_reportview
from frappe.desk import search as frappe_search
from frappe.model import get_permitted_fields, is_default_field, optional_fields


def check_filter_fields(doctype: str, filters) -> None:
	"""Refuse filters on fields of the app's ``doctype`` the user may not read."""
	if not guarded(doctype):
		return
	fields = filter_fieldnames(doctype, filters)
	if not fields:
		return
	# Frappe's own columns (_assign, _user_tags, _liked_by, ...) drive the list sidebar
	readable = set(get_permitted_fields(doctype)) | set(optional_fields)
	hidden = sorted(f for f in fields if f not in readable and not is_default_field(f))
	if hidden:
		frappe.throw(
			_("You cannot filter {0} by {1}.").format(_(doctype), ", ".join(hidden)),
			frappe.PermissionError,
		)


def guarded(doctype) -> bool:
	"""The app's own doctypes; other apps' field levels keep Frappe's behaviour."""
	if not doctype or not isinstance(doctype, str):
		return False
	try:
		# from the meta cache: no query on the list endpoints' hot path
		return frappe.get_meta(doctype).module == "P3M App"
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return False


REST_LIST = re.compile(
	r"^/api/(?:v1/)?resource/([^/]+)/?$|^/api/v2/document/([^/]+)/?$|^/api/v2/doctype/([^/]+)/count/?$"
)
REST_DOC = re.compile(r"^/api/(?:v1/)?resource/([^/]+)/(.+?)/?$|^/api/v2/document/([^/]+)/(.+?)/?$")


def check_rest_request() -> None:
	"""``auth_hooks``: the REST routes call Frappe's functions directly, past any override; this is
	the first hook that runs once the request's user is known. A list may not filter on fields
	the user cannot read; a child row is read only with its parent (Frappe 15 checks the parent
	doctype, not the parent document)."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.method != "GET":
		return
	if match := REST_LIST.match(request.path):
		doctype = unquote(match.group(1) or match.group(2) or match.group(3))
		for key in ("filters", "or_filters"):
			check_filter_fields(doctype, frappe.local.form_dict.get(key))
	elif match := REST_DOC.match(request.path):
		doctype = unquote(match.group(1) or match.group(3))
		name = unquote(match.group(2) or match.group(4))
		if frappe.db.exists("DocType", doctype) and frappe.is_table(doctype):
			row = frappe.db.get_value(doctype, name, ["parent", "parenttype"], as_dict=True)
			if row and guarded(row.parenttype) and not frappe.has_permission(row.parenttype, doc=row.parent):
				frappe.clear_last_message()
				frappe.throw(_("You do not have access to this document."), frappe.PermissionError)


def check_request_filters() -> None:
	"""The list endpoints that read their arguments from the request."""
	form = frappe.local.form_dict
	for key in ("filters", "or_filters"):
		check_filter_fields(form.get("doctype"), form.get(key))


def filter_fieldnames(doctype: str, filters) -> set[str]:
	if isinstance(filters, str):
		text = filters.strip()
		if not text.startswith(("[", "{")):
			# a document name (get_value accepts one): no field is filtered
			return set()
		filters = frappe.parse_json(text)
	if not filters:
		return set()
	if isinstance(filters, dict):
		return {bare(key, doctype) for key in filters} - {None}
	names = set()
	for item in filters:
		if isinstance(item, list | tuple) and len(item) >= 3:
			table, field = (item[0], item[1]) if len(item) >= 4 else (doctype, item[0])
			if table == doctype:
				names.add(bare(field, doctype))
		elif isinstance(item, dict):
			names |= filter_fieldnames(doctype, item)
	return names - {None}


def bare(field, doctype: str) -> str | None:
	"""``reporter_name``, ``tabComplaint.reporter_name`` or with backticks -> ``reporter_name``."""
	if not isinstance(field, str):
		return None
	text = field.replace("`", "")
	if "." in text:
		table, _sep, text = text.rpartition(".")
		if table not in (f"tab{doctype}", doctype):
			return None
	return text.strip() or None


@frappe.whitelist()
def get_count(doctype, filters=None, debug=False, cache=False):
	"""frappe.client.get_count, counting only what the user may list."""
	check_filter_fields(doctype, filters)
	return frappe.get_list(doctype, filters=filters, fields=["count(*) as count"], as_list=True)[0][0]


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's group-by counts, from the rows the user may list."""
	filters = frappe.parse_json(current_filters)
	check_filter_fields(doctype, filters)
	if field != "assigned_to":
		if not is_default_field(field) and field not in get_permitted_fields(doctype):
			frappe.throw(_("You cannot group {0} by {1}.").format(_(doctype), field), frappe.PermissionError)
		return frappe_listview.get_group_by_count(doctype, current_filters, field)
	readable = frappe.get_list(doctype, filters=filters, fields=["name"], run=False, limit_page_length=0)
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo join `tabUser` user on user.name = todo.allocated_to
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = %(doctype)s and todo.reference_name in ({readable})
		group by todo.allocated_to order by count desc limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


def keeps_permissions(doctype: str, ignore_user_permissions) -> bool:
	"""``ignore_user_permissions`` may skip User Permissions, never a doctype's own scope rule."""
	if frappe.get_hooks("permission_query_conditions", {}).get(doctype):
		return False
	return bool(frappe.utils.cint(ignore_user_permissions))


# generic document readers are endpoints of their own, never called through another method
# (a link search's custom query, a mapper's method)
NOT_SEARCH_QUERIES = (
	"frappe.client.",
	"frappe.desk.reportview.",
	"frappe.desk.listview.",
	"frappe.desk.search.",
	"frappe.desk.form.",
	"p3m_app.access.",
)


def resolved_query(query: str | None) -> str | None:
	"""A search ``query`` names a whitelisted method: call it as the API would, overrides included."""
	if not query:
		return query
	overrides = frappe.get_hooks("override_whitelisted_methods", {}).get(query)
	resolved = overrides[-1] if overrides else query
	if resolved.startswith(NOT_SEARCH_QUERIES) or query.startswith(NOT_SEARCH_QUERIES):
		frappe.throw(_("{0} cannot be called from here.").format(query), frappe.PermissionError)
	return resolved


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters=None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	check_filter_fields(doctype, filters)
	return frappe_search.search_link(
		doctype,
		txt,
		query=resolved_query(query),
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=keeps_permissions(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters=None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	check_filter_fields(doctype, filters)
	if filter_fields:
		readable = set(get_permitted_fields(doctype))
		asked = json.loads(filter_fields) if isinstance(filter_fields, str) else filter_fields
		filter_fields = json.dumps([f for f in asked if f in readable or is_default_field(f)])
	return frappe_search.search_widget(
		doctype,
		txt,
		query=resolved_query(query),
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=keeps_permissions(doctype, ignore_user_permissions),
	)


# -- list endpoints: the same lists Frappe gives, with filters on unreadable fields refused -----


@frappe.whitelist()
def get_list(
	doctype,
	fields=None,
	filters=None,
	group_by=None,
	order_by=None,
	limit_start=None,
	limit_page_length=20,
	parent=None,
	debug: bool = False,
	as_dict: bool = True,
	or_filters=None,
):
	check_filter_fields(doctype, filters)
	check_filter_fields(doctype, or_filters)
	return frappe_client.get_list(
		doctype,
		fields=fields,
		filters=filters,
		group_by=group_by,
		order_by=order_by,
		limit_start=limit_start,
		limit_page_length=limit_page_length,
		parent=parent,
		as_dict=as_dict,
		or_filters=or_filters,
	)


@frappe.whitelist()
def get_value(doctype, fieldname, filters=None, as_dict=True, debug=False, parent=None):
	check_filter_fields(doctype, filters)
	return frappe_client.get_value(doctype, fieldname, filters=filters, as_dict=as_dict, parent=parent)


@frappe.whitelist()
@frappe.read_only()
def reportview_get():
	check_request_filters()
	return frappe_reportview.get()


@frappe.whitelist()
@frappe.read_only()
def reportview_get_list():
	check_request_filters()
	return frappe_reportview.get_list()


@frappe.whitelist()
@frappe.read_only()
def reportview_get_count() -> int:
	check_request_filters()
	return frappe_reportview.get_count()


@frappe.whitelist()
def reportview_export_query():
	check_request_filters()
	return frappe_reportview.export_query()


@frappe.whitelist()
def get_sidebar_stats(stats, doctype, filters=None):
	check_filter_fields(doctype, filters)
	return frappe_reportview.get_sidebar_stats(stats, doctype, filters=filters)


@frappe.whitelist()
def get_stats(stats, doctype, filters=None):
	check_filter_fields(doctype, filters)
	return frappe_reportview.get_stats(stats, doctype, filters=filters)
