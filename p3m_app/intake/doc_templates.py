"""Frappe's new-document defaults for a complaint, built once per worker instead of once per request.

``Document.insert`` fills a new document from the defaults template of its doctype and of each of
its child tables (``frappe.new_doc``). Frappe keeps a template only for the current request
(``frappe.local.new_doc_templates``) and builds it with a database query and a pass over every
field: for a complaint and its three tables about 15 ms of each portal submission, more than the
insert itself. The templates are kept here per worker process, keyed by what they are built from:
the site, Frappe's metadata version (renewed whenever a DocType, Custom Field or Property Setter
changes or the cache is cleared), the user, and the user's defaults and permissions.

``warm_meta`` does the same for the DocType meta itself: Frappe unpickles it from Redis in every
request (``frappe.local.cache`` lives for one request), about 2 ms for the complaint's 147 fields.
An intake request holds the worker's copy for the same metadata version instead; nothing in the
intake path changes a meta.
"""

import hashlib

import frappe
from frappe.core.doctype.user_permission.user_permission import get_user_permissions
from frappe.model.create_new import make_new_doc

_templates: dict[tuple, dict] = {}
_metas: dict[tuple, object] = {}
MAX_TEMPLATES = 200  # a worker serves few sites and users' intake; never grow without bound


def warm(doctype: str) -> None:
	"""Put the templates of ``doctype`` and its child tables where ``frappe.new_doc`` looks first."""
	local = frappe.local.new_doc_templates
	wanted = [doctype, *(df.options for df in frappe.get_meta(doctype).get_table_fields())]
	missing = [name for name in wanted if name not in local]
	if not missing:
		return
	version = context_key()
	for name in missing:
		key = (*version, name)
		template = _templates.get(key)
		if template is None:
			template = make_new_doc(name)
			if len(_templates) >= MAX_TEMPLATES:
				_templates.clear()
			_templates[key] = template
		local[name] = template  # frappe.new_doc hands out deep copies: the template is never changed


def context_key() -> tuple:
	user = frappe.session.user
	inputs = repr((frappe.defaults.get_defaults(user), get_user_permissions(user)))
	return (
		frappe.local.site,
		frappe.cache.get_value("metadata_version"),
		user,
		hashlib.sha1(inputs.encode(), usedforsecurity=False).hexdigest(),
	)


def warm_meta(doctype: str) -> None:
	"""Put the worker's metas of ``doctype`` and its child tables where ``frappe.get_meta`` looks first."""
	for df in _held_meta(doctype).get_table_fields():
		_held_meta(df.options)


def _held_meta(doctype: str):
	local = frappe.local.cache.setdefault(frappe.cache.make_key("doctype_meta"), {})
	if doctype in local:
		return local[doctype]
	key = (frappe.local.site, frappe.cache.get_value("metadata_version"), doctype)
	meta = _metas.get(key)
	if meta is None:
		if len(_metas) >= MAX_TEMPLATES:
			_metas.clear()
		meta = _metas[key] = frappe.get_meta(doctype)
	local[doctype] = meta
	return meta
