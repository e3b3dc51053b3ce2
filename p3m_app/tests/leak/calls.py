"""The leak suite's call table: every whitelisted method that reads or counts documents, aimed at
the fixture.

Four kinds of entries:
- ``per_doctype``: list, count, group, search, export, chart endpoints, once for each doctype in
  ``LIST_DOCTYPES`` (filters never name a secret, so an answer cannot excuse itself by echo);
- ``per_document``: form load, timeline, links, shares, follows, print, PDF, file download, once
  for each fixture document (the document's name is what the caller "knows");
- ``once``: notifications, global search, tags, dashboards, the app's own endpoints, reports;
- ``ORACLE_METHODS``: count oracles, sent twice with a LIKE filter over a secret, once with the
  right prefix and once with a wrong one; the two answers must be the same (or both refused).

``COUNT_CALLS`` are counts of complaints that must not exceed the complaints in the user's scope.
Method names are static (``leak_tested_methods``), so the whitelist inventory test can check that
every method classified ``leak-tested`` is really called.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from frappe.utils import add_days, getdate, today

from p3m_app.tests.leak import rule, world
from p3m_app.tests.leak.transport import Request

API = "/api/method/"
REST = "/api/resource/"
V2 = "/api/v2/document/"
ALL_ROWS = 500


def api(method: str, /, target: str = "", knows=(), http: str = "GET", **params) -> Request:
	"""A call of the whitelisted ``method`` (positional only: some methods take a ``method`` argument)."""
	return Request(method, API + method, params, http, target, frozenset(knows))


@dataclass(frozen=True)
class ListSpec:
	filters: list  # aims the list at the fixture without naming a secret
	group_field: str = "name"  # a field whose values are names or secrets, for group-by and charts
	fields: tuple = ("*",)
	parent: str | None = None  # child tables are read through their parent doctype
	full: bool = True  # every list method (else the main ones)


IDENTITY = rule.NAMED_IDENTITY_FIELDS
LIST_DOCTYPES = {
	"Complaint": ListSpec(
		[["subject", "like", "LeakSubject-%"]],
		"tracking_code",
		("name", "tracking_code", "subject", "description", *IDENTITY, "portal_user"),
	),
	"Reporter Identity": ListSpec(
		[["complaint", "like", "%"]], "reporter_name", ("name", "complaint", *IDENTITY, "portal_user")
	),
	"Reporter Identity Sealed Text": ListSpec(
		[["source_field", "like", "%"]],
		"original",
		("name", "source_doctype", "source_name", "source_field", "original"),
		parent="Reporter Identity",
		full=False,
	),
	"Communication": ListSpec(
		[["reference_doctype", "=", "Complaint"]],
		"sender",
		("name", "subject", "sender", "sender_full_name", "recipients", "content", "reference_name"),
	),
	"Disposition": ListSpec([["to_unit", "like", "Leak %"]], "complaint"),
	"Master Data Correction Request": ListSpec(
		[["requesting_unit", "like", "Leak %"]],
		"complaint",
		("name", "complaint", "recommendation", "provider", "decision_reason"),
	),
	"Complaint Step Progress": ListSpec(
		[["parenttype", "=", "Complaint"]], "parent", parent="Complaint", full=False
	),
	"Complaint Letter": ListSpec(
		[["parenttype", "=", "Complaint"]], "parent", parent="Complaint", full=False
	),
	# Frappe's queue of mail nothing could store: its raw message names the sender
	"Unhandled Email": ListSpec(
		[["reason", "=", "LeakUnhandled"]], "message_id", ("name", "raw"), full=False
	),
	"Coordination Meeting": ListSpec([["organising_unit", "like", "Leak %"]], "title"),
	"Coordination Meeting Complaint": ListSpec(
		[["complaint", "like", "%"]], "complaint", parent="Coordination Meeting"
	),
	"ToDo": ListSpec([["reference_type", "=", "Complaint"]], "reference_name", full=False),
	"File": ListSpec([["attached_to_doctype", "=", "Complaint"]], "attached_to_name", full=False),
	"Comment": ListSpec([["reference_doctype", "=", "Complaint"]], "reference_name", full=False),
	"Version": ListSpec([["ref_doctype", "=", "Complaint"]], "docname", full=False),
	"DocShare": ListSpec([["share_doctype", "=", "Complaint"]], "share_name", full=False),
	"Document Follow": ListSpec([["ref_doctype", "=", "Complaint"]], "ref_docname", full=False),
	"Coordination Meeting Unit": ListSpec(
		[["unit", "like", "Leak %"]], "parent", parent="Coordination Meeting", full=False
	),
	"Coordination Meeting Attendance": ListSpec(
		[["person", "like", "Leak%"]], "person", parent="Coordination Meeting", full=False
	),
	"Complaint SLA Milestone": ListSpec(
		[["parenttype", "=", "Complaint"]], "parent", parent="Complaint", full=False
	),
	"Workflow Action": ListSpec([["reference_doctype", "=", "Complaint"]], "reference_name", full=False),
	"Notification Log": ListSpec([["document_type", "=", "Complaint"]], "document_name", full=False),
	"Access Log": ListSpec([["reference_document", "like", "%"]], "reference_document", full=False),
	"View Log": ListSpec([["reference_doctype", "=", "Complaint"]], "reference_name", full=False),
	"Tag Link": ListSpec([["document_type", "=", "Complaint"]], "document_name", full=False),
	"Communication Link": ListSpec(
		[["link_doctype", "=", "Complaint"]], "link_name", parent="Communication", full=False
	),
	"Email Queue": ListSpec([["reference_doctype", "=", "Complaint"]], "reference_name", full=False),
	"Activity Log": ListSpec([["reference_doctype", "=", "Complaint"]], "reference_name", full=False),
}
# numeric identity fields: Maximum() of them comes back as a number
NUMERIC_SECRETS = {"Complaint": "reporter_id_number", "Reporter Identity": "reporter_id_number"}


@dataclass(frozen=True)
class Call:
	methods: tuple[str, ...]
	per: str  # "doctype", "document" or "once"
	build: Callable


CALLS: list[Call] = []


def call(per: str, *methods: str):
	def register(fn):
		CALLS.append(Call(methods, per, fn))
		return fn

	return register


# --------------------------------------------------------------------------- per doctype


@call("doctype", "GET /api/resource/<doctype>")
def rest_list(w, doctype, spec):
	base = {"limit_page_length": ALL_ROWS, "parent": spec.parent}
	path = REST + doctype
	requests = [Request("GET /api/resource/<doctype>", path, {**base, "fields": ["*"]}, target=doctype)]
	if spec.full:
		requests.append(
			Request(
				"GET /api/resource/<doctype>",
				path,
				{**base, "fields": list(spec.fields), "filters": spec.filters},
				target=f"{doctype} filtered",
			)
		)
	return requests


@call("doctype", "frappe.client.get_list", "frappe.client.get", "frappe.client.get_value")
def client_reads(w, doctype, spec):
	fields = list(spec.fields)
	requests = [
		api(
			"frappe.client.get_list",
			doctype,
			doctype=doctype,
			fields=fields,
			filters=spec.filters,
			parent=spec.parent,
			limit_page_length=ALL_ROWS,
		),
		api("frappe.client.get", doctype, doctype=doctype, filters=spec.filters, parent=spec.parent),
	]
	if not spec.full:
		return requests
	return [
		*requests,
		api(
			"frappe.client.get_list",
			f"{doctype} grouped",
			doctype=doctype,
			fields=[spec.group_field, "count(*) as n"],
			group_by=spec.group_field,
			parent=spec.parent,
			limit_page_length=ALL_ROWS,
		),
		api(
			"frappe.client.get_value",
			doctype,
			doctype=doctype,
			fieldname=fields if fields != ["*"] else ["name", spec.group_field],
			filters=spec.filters,
			parent=spec.parent,
		),
	]


@call(
	"doctype",
	"frappe.desk.reportview.get",
	"frappe.desk.reportview.get_list",
	"frappe.desk.reportview.export_query",
)
def reportview(w, doctype, spec):
	fields = [f"`tab{doctype}`.`{f}`" if f != "*" else "*" for f in spec.fields]
	common = {"doctype": doctype, "fields": fields, "filters": spec.filters, "page_length": ALL_ROWS}
	if spec.parent:
		common["parent_doctype"] = spec.parent
	requests = [
		api("frappe.desk.reportview.get", doctype, **common),
		api("frappe.desk.reportview.export_query", f"{doctype} CSV", file_format_type="CSV", **common),
	]
	if spec.full:
		requests += [
			api("frappe.desk.reportview.get_list", doctype, **common),
			api(
				"frappe.desk.reportview.export_query", f"{doctype} Excel", file_format_type="Excel", **common
			),
		]
	return requests


@call(
	"doctype",
	"frappe.client.get_count",
	"frappe.desk.reportview.get_count",
	"frappe.desk.reportview.get_sidebar_stats",
	"frappe.desk.reportview.get_stats",
	"frappe.desk.reportview.get_filter_dashboard_data",
	"frappe.desk.listview.get_group_by_count",
)
def counts(w, doctype, spec):
	group = spec.group_field
	stats = [group, "owner", "_user_tags", "_assign"]
	requests = [
		api(
			"frappe.desk.listview.get_group_by_count",
			f"{doctype} by {group}",
			doctype=doctype,
			current_filters=spec.filters,
			field=group,
		),
		api("frappe.desk.reportview.get_sidebar_stats", doctype, doctype=doctype, stats=stats, filters=[]),
	]
	if spec.full:
		requests += [
			api("frappe.client.get_count", doctype, doctype=doctype, filters=spec.filters),
			api("frappe.desk.reportview.get_count", doctype, doctype=doctype, filters=spec.filters),
			api(
				"frappe.desk.listview.get_group_by_count",
				f"{doctype} by assigned_to",
				doctype=doctype,
				current_filters=spec.filters,
				field="assigned_to",
			),
			api(
				"frappe.desk.reportview.get_stats",
				doctype,
				doctype=doctype,
				stats=stats,
				filters=spec.filters,
			),
			api(
				"frappe.desk.reportview.get_filter_dashboard_data",
				doctype,
				doctype=doctype,
				stats=[{"name": group, "type": "Data"}, {"name": "owner", "type": "Link"}],
				filters=spec.filters,
			),
		]
	return requests


@call("doctype", "frappe.desk.search.search_link", "frappe.desk.search.search_widget")
def search(w, doctype, spec):
	filter_fields = [f for f in spec.fields if f != "*"] or [spec.group_field]
	requests = [
		api(
			"frappe.desk.search.search_widget",
			doctype,
			doctype=doctype,
			txt="",
			as_dict=1,
			page_length=ALL_ROWS,
			filter_fields=filter_fields,
			ignore_user_permissions=1,
		),
	]
	if spec.full:
		requests += [
			api(
				"frappe.desk.search.search_link",
				doctype,
				doctype=doctype,
				txt="",
				page_length=ALL_ROWS,
				ignore_user_permissions=1,
			),
			api(
				"frappe.desk.search.search_widget",
				f"{doctype} searchfield {spec.group_field}",
				doctype=doctype,
				txt="Leak",
				searchfield=spec.group_field,
				page_length=ALL_ROWS,
				filters=spec.filters,
				ignore_user_permissions=1,
			),
			api(
				"frappe.desk.search.search_link",
				f"{doctype} reference Complaint",
				doctype=doctype,
				txt="",
				page_length=ALL_ROWS,
				reference_doctype="Complaint",
				filters=spec.filters,
			),
		]
	return requests


@call(
	"doctype",
	"GET /api/v2/document/<doctype>",
	"GET /api/v2/doctype/<doctype>/count",
	"frappe.model.mapper.make_mapped_doc",
	"frappe.model.mapper.map_docs",
)
def v2_and_mappers(w, doctype, spec):
	"""REST v2 lists and counts, and the mappers, which call any whitelisted method by name."""
	if not spec.full:
		return []
	fields = [f for f in spec.fields if f != "*"] or ["*"]
	return [
		Request(
			"GET /api/v2/document/<doctype>",
			V2 + doctype,
			{"fields": fields, "filters": spec.filters, "limit": ALL_ROWS, "parent": spec.parent},
			target=doctype,
		),
		Request("GET /api/v2/doctype/<doctype>/count", f"/api/v2/doctype/{doctype}/count", target=doctype),
		api(
			"frappe.model.mapper.make_mapped_doc",
			doctype,
			method="frappe.client.get_list",
			source_name=doctype,
		),
		# map_docs passes target_doc as the second argument: here get_list's ``fields``
		api(
			"frappe.model.mapper.map_docs",
			f"{doctype} get_list",
			method="frappe.client.get_list",
			source_names=[doctype],
			target_doc=fields,
		),
	]


# ``query`` names any whitelisted method; search_widget calls it with the search arguments
SEARCH_QUERIES = ("frappe.client.get_count", "frappe.utils.diff.version_query")


@call("doctype", "frappe.utils.diff.version_query")
def search_with_query(w, doctype, spec):
	if doctype not in ("Complaint", "Reporter Identity", "Version"):
		return []
	requests = []
	for query in SEARCH_QUERIES:
		filters = {"docname": w.complaints["named_a1"].name, "ref_doctype": "Complaint"}
		knows = {w.complaints["named_a1"].name} if query.endswith("version_query") else set()
		for method in ("frappe.desk.search.search_widget", "frappe.desk.search.search_link"):
			requests.append(
				api(
					method,
					f"{doctype} query={query}",
					knows=knows,
					doctype=doctype,
					txt="",
					query=query,
					filters=filters if query.endswith("version_query") else None,
					page_length=ALL_ROWS,
				)
			)
	if doctype == "Version":
		request = api(
			"frappe.utils.diff.version_query",
			"Version",
			knows=knows,
			http="POST",
			doctype="Version",
			txt="",
			searchfield="name",
			start=0,
			page_len=ALL_ROWS,
			filters={"docname": w.complaints["named_a1"].name, "ref_doctype": "Complaint"},
		)
		requests.append(replace(request, as_json=True))
	return requests


@call(
	"doctype",
	"frappe.core.doctype.data_import.data_import.download_template",
	"frappe.core.doctype.data_export.exporter.export_data",
	"frappe.www.list.get",
	"frappe.www.list.get_list_data",
	"frappe.desk.query_report.get_data_for_custom_field",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
	"frappe.desk.doctype.number_card.number_card.get_result",
	"frappe.desk.calendar.get_events",
	"frappe.desk.doctype.tag.tag.get_tagged_docs",
	"frappe.desk.form.load.getdoctype",
)
def exports_and_widgets(w, doctype, spec):
	group = spec.group_field
	requests = [
		api(
			"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			f"{doctype} group by {group}",
			chart={
				"chart_type": "Group By",
				"document_type": doctype,
				"parent_document_type": spec.parent,
				"group_by_type": "Count",
				"group_by_based_on": group,
				"type": "Bar",
				"number_of_groups": 0,
				"filters_json": [[doctype, *f] for f in spec.filters],
			},
			no_cache=1,  # else the answer is cached by chart name, for every user alike
		),
	]
	if not spec.full:
		return requests
	export_fields = [f for f in spec.fields if f != "*"] or ["name", group]
	requests += [
		api("frappe.desk.doctype.tag.tag.get_tagged_docs", doctype, doctype=doctype, tag="%"),
		api("frappe.desk.form.load.getdoctype", doctype, doctype=doctype, with_parent=1),
		api(
			"frappe.desk.doctype.number_card.number_card.get_result",
			f"{doctype} count",
			doc={"function": "Count", "document_type": doctype, "parent_document_type": spec.parent},
			filters=spec.filters,
		),
		api(
			"frappe.core.doctype.data_import.data_import.download_template",
			doctype,
			doctype=doctype,
			export_fields={doctype: export_fields},
			export_records="all",
			file_type="CSV",
		),
		api(
			"frappe.core.doctype.data_export.exporter.export_data",
			doctype,
			doctype=doctype,
			select_columns={doctype: export_fields},
			with_data=1,
			file_type="CSV",
			all_doctypes=1,
		),
		api("frappe.www.list.get_list_data", doctype, doctype=doctype, limit=ALL_ROWS),
		api("frappe.www.list.get", doctype, doctype=doctype),
		api(
			"frappe.desk.query_report.get_data_for_custom_field",
			f"{doctype}.{group}",
			doctype=doctype,
			field=group,
		),
		api(
			"frappe.desk.calendar.get_events",
			doctype,
			doctype=doctype,
			start="2000-01-01",
			end="2199-12-31",
			field_map={"start": "creation", "end": "modified", "title": group},
		),
	]
	if doctype in NUMERIC_SECRETS:
		requests.append(
			api(
				"frappe.desk.doctype.number_card.number_card.get_result",
				f"{doctype} maximum {NUMERIC_SECRETS[doctype]}",
				doc={
					"function": "Maximum",
					"aggregate_function_based_on": NUMERIC_SECRETS[doctype],
					"document_type": doctype,
				},
				filters=spec.filters,
			)
		)
	return requests


# --------------------------------------------------------------------------- per document

# fields worth asking get_value / validate_link for
DOC_FIELDS = {
	"Complaint": ["name", "tracking_code", "subject", *IDENTITY],
	"Reporter Identity": ["name", *IDENTITY],
	"Communication": ["name", "sender", "sender_full_name", "recipients", "content", "subject"],
	"File": ["name", "file_name", "file_url", "attached_to_name"],
	"Comment": ["name", "content", "reference_name"],
	"ToDo": ["name", "description", "reference_name"],
	"Disposition": ["name", "complaint", "instruction"],
	"Version": ["name", "docname", "data"],
	"Coordination Meeting": ["name", "title", "agenda", "minutes"],
	"Master Data Correction Request": ["name", "complaint", "recommendation", "provider"],
}
# documents every per-document method is aimed at; the others get the main form and link reads
MAIN_DOCTYPES = ("Complaint", "Reporter Identity", "Coordination Meeting")
PRINT_FORMATS = {"Complaint": "Standard", "Coordination Meeting": "Coordination Meeting Minutes"}
# the PKH forms and letters: custom Jinja sees every field, so each must hold back what the user may not read
COMPLAINT_LETTERS = (
	"Formulir Pengaduan PKH",
	"Formulir C-2",
	"Surat Tanda Terima Pengaduan",
	"Surat Pengaduan Sedang Dalam Proses",
	"Surat Hasil Penanganan Pengaduan",
	"Surat Pengaduan Diteruskan ke Dinas",
)


@call(
	"document",
	"GET /api/resource/<doctype>/<name>",
	"frappe.client.get",
	"frappe.client.get_value",
	"frappe.client.validate_link",
	"frappe.client.has_permission",
	"frappe.client.get_doc_permissions",
	"frappe.client.is_document_amended",
)
def doc_reads(w, doctype, name):
	fields = DOC_FIELDS.get(doctype, ["name"])
	target, knows = f"{doctype} {name}", {name}
	requests = [
		Request(
			"GET /api/resource/<doctype>/<name>",
			f"{REST}{doctype}/{name}",
			{},
			"GET",
			target,
			frozenset(knows),
		),
		api("frappe.client.get", target, knows, doctype=doctype, name=name),
		api("frappe.client.get_value", target, knows, doctype=doctype, fieldname=fields, filters=name),
		api("frappe.client.validate_link", target, knows, doctype=doctype, docname=name, fields=fields[1:]),
	]
	if doctype in MAIN_DOCTYPES:
		requests += [
			api(
				"frappe.client.has_permission", target, knows, doctype=doctype, docname=name, perm_type="read"
			),
			api("frappe.client.get_doc_permissions", target, knows, doctype=doctype, docname=name),
			api("frappe.client.is_document_amended", target, knows, doctype=doctype, docname=name),
		]
	return requests


@call(
	"document",
	"frappe.desk.form.load.getdoc",
	"frappe.desk.form.load.get_docinfo",
	"frappe.desk.form.load.get_communications",
	"frappe.desk.form.linked_with.get",
	"frappe.desk.form.linked_with.get_linked_docs",
	"frappe.share.get_users",
	"frappe.desk.form.document_follow.get_follow_users",
	"frappe.desk.form.assign_to.get",
	"frappe.desk.form.utils.get_next",
	"frappe.desk.notifications.get_open_count",
	"frappe.desk.search.get_link_title",
	"frappe.desk.link_preview.get_preview_data",
	"frappe.realtime.can_subscribe_doc",
	"frappe.core.api.file.get_attached_images",
)
def form_reads(w, doctype, name):
	target, knows = f"{doctype} {name}", {name}

	def a(method, /, **params):
		return api(method, target, knows, **params)

	requests = [
		a("frappe.desk.form.load.getdoc", doctype=doctype, name=name),
		a("frappe.desk.form.load.get_docinfo", doctype=doctype, name=name),
		a("frappe.desk.form.linked_with.get", doctype=doctype, docname=name),
		a("frappe.desk.form.utils.get_next", doctype=doctype, value=name, prev=0, sort_field="creation"),
		a("frappe.desk.search.get_link_title", doctype=doctype, docname=name),
		a("frappe.desk.link_preview.get_preview_data", doctype=doctype, docname=name),
	]
	if doctype not in MAIN_DOCTYPES:
		return requests
	return [
		*requests,
		a("frappe.desk.form.load.get_communications", doctype=doctype, name=name, limit=100),
		a(
			"frappe.desk.form.linked_with.get_linked_docs",
			doctype=doctype,
			name=name,
			linkinfo={"Communication": {"fieldname": ["reference_name"]}},
		),
		a("frappe.share.get_users", doctype=doctype, name=name),
		a("frappe.desk.form.document_follow.get_follow_users", doctype=doctype, doc_name=name),
		a("frappe.desk.form.assign_to.get", doctype=doctype, name=name),
		a("frappe.desk.form.utils.get_next", doctype=doctype, value=name, prev=1, sort_field="creation"),
		a("frappe.desk.notifications.get_open_count", doctype=doctype, name=name),
		a("frappe.realtime.can_subscribe_doc", doctype=doctype, docname=name),
		a("frappe.core.api.file.get_attached_images", doctype=doctype, names=[name]),
	]


@call(
	"document",
	"GET /api/v2/document/<doctype>/<name>",
	"POST /api/method/run_doc_method",
	"frappe.social.doctype.energy_point_log.energy_point_log.get_reviews",
	"frappe.contacts.doctype.address.address.get_default_address",
	"frappe.core.api.file.zip_files",
)
def more_document_reads(w, doctype, name):
	target, knows = f"{doctype} {name}", {name}
	requests = [
		Request(
			"GET /api/v2/document/<doctype>/<name>",
			f"{V2}{doctype}/{name}",
			{},
			"GET",
			target,
			frozenset(knows),
		)
	]
	if doctype in MAIN_DOCTYPES:
		# run_doc_method answers with the whole document it ran on, field levels not applied
		requests.append(
			Request(
				"POST /api/method/run_doc_method",
				API + "run_doc_method",
				{
					"dt": doctype,
					"dn": name,
					"method": "add_comment",
					"args": {"comment_type": "Info", "text": "LeakProbe"},
				},
				"POST",
				target,
				frozenset(knows),
			)
		)
	if doctype == "Complaint":
		requests += [
			api(
				"frappe.social.doctype.energy_point_log.energy_point_log.get_reviews",
				target,
				knows,
				doctype=doctype,
				docname=name,
			),
			api(
				"frappe.contacts.doctype.address.address.get_default_address",
				target,
				knows,
				doctype=doctype,
				name=name,
			),
		]
	if doctype == "File":
		requests.append(api("frappe.core.api.file.zip_files", target, knows, files=[name]))
	return requests


@call(
	"document",
	"GET /printview",
	"frappe.utils.print_format.download_pdf",
	"frappe.utils.print_format.download_multi_pdf",
	"frappe.www.printview.get_html_and_style",
	"frappe.www.printview.get_rendered_raw_commands",
	"frappe.utils.weasyprint.download_pdf",
	"frappe.model.workflow.get_transitions",
	"frappe.model.workflow.get_common_transition_actions",
	"frappe.desk.form.linked_with.get_submitted_linked_docs",
)
def prints(w, doctype, name):
	if doctype not in PRINT_FORMATS:
		return []
	target, knows = f"{doctype} {name}", {name}
	fmt = PRINT_FORMATS[doctype]
	owner = next(key for dt, n, key in w.documents if (dt, n) == (doctype, name))

	def pdf(method, /, **params):
		# a PDF in scope renders the print view checked above, through wkhtmltopdf, which needs the
		# site's web server for its assets; out of scope it must be refused before rendering
		return replace(api(method, target, knows, **params), out_of_scope_only=owner)

	def a(method, /, **params):
		return api(method, target, knows, **params)

	requests = [
		Request(
			"GET /printview",
			"/printview",
			{"doctype": doctype, "name": name, "format": fmt, "no_letterhead": 1},
			"GET",
			target,
			frozenset(knows),
		),
		pdf(
			"frappe.utils.print_format.download_pdf", doctype=doctype, name=name, format=fmt, no_letterhead=1
		),
		a("frappe.www.printview.get_html_and_style", doc=doctype, name=name, print_format=fmt),
		a("frappe.www.printview.get_rendered_raw_commands", doc=doctype, name=name, print_format=fmt),
	]
	if doctype == "Complaint":
		for letter in COMPLAINT_LETTERS:
			requests += [
				Request(
					"GET /printview",
					"/printview",
					{"doctype": doctype, "name": name, "format": letter, "no_letterhead": 1},
					"GET",
					f"{target} as {letter}",
					frozenset(knows),
				),
				a("frappe.www.printview.get_html_and_style", doc=doctype, name=name, print_format=letter),
			]
		requests += [
			pdf("frappe.utils.print_format.download_multi_pdf", doctype=doctype, name=[name], format=fmt),
			pdf("frappe.utils.weasyprint.download_pdf", doctype=doctype, name=name, print_format=fmt),
			a("frappe.model.workflow.get_transitions", doc={"doctype": doctype, "name": name}),
			a("frappe.model.workflow.get_common_transition_actions", docs=[{"name": name}], doctype=doctype),
			a("frappe.desk.form.linked_with.get_submitted_linked_docs", doctype=doctype, name=name),
		]
	return requests


@call(
	"document",
	"GET /private/files/<file>",
	"frappe.handler.download_file",
	"frappe.utils.file_manager.download_file",
	"frappe.utils.diff.get_version_diff",
	"p3m_app.portal.api.track",
	"p3m_app.duplicates.similar_complaints",
)
def special_documents(w, doctype, name):
	target, knows = f"{doctype} {name}", {name}
	if doctype == "File" and w.file_url:
		knows = {name, w.file_url, w.file_url.rsplit("/", 1)[-1]}
		return [
			Request("GET /private/files/<file>", w.file_url, {}, "GET", target, frozenset(knows)),
			api("frappe.handler.download_file", target, knows, file_url=w.file_url),
			api("frappe.utils.file_manager.download_file", target, knows, file_url=w.file_url),
		]
	if doctype == "Version":
		return [
			api(
				"frappe.utils.diff.get_version_diff",
				target,
				knows,
				from_version=name,
				to_version=name,
				fieldname=field,
			)
			for field in ("current_unit", "reporter_name", "data")
		]
	if doctype == "Complaint":
		# the tracking code is the reporter's credential: whoever holds it sees the public view,
		# which must still never carry an identity (the code and the subject are what they know)
		fixture = next(f for f in w.complaints.values() if f.name == name)
		return [
			api(
				"p3m_app.portal.api.track",
				target,
				{fixture.tracking_code, *fixture.content},
				http="POST",
				code=fixture.tracking_code,
			),
			# similar complaints name only what the user may read, never an identity
			api("p3m_app.duplicates.similar_complaints", target, knows, complaint=name),
		]
	return []


# --------------------------------------------------------------------------- once per user


def report_filters(report: str, unit: str | None) -> dict:
	filters = {"unit": unit} if unit else {}
	if report == "Monthly Complaint Report (PKH)":
		return {**filters, "month": today()[:7], "program": "PKH"}
	if report in ("Rekapitulasi Pengaduan", "SLA Performance"):
		return {**filters, "from_date": str(add_days(getdate(today()), -30)), "to_date": today()}
	return filters


REPORTS = ("Rekapitulasi Pengaduan", "SLA Performance", "Monthly Complaint Report (PKH)", "Disposition Aging")


@call("once", "frappe.desk.query_report.run", "frappe.desk.query_report.export_query")
def reports(w):
	requests = []
	for report in REPORTS:
		for unit in (None, *world.UNITS):
			request = api(
				"frappe.desk.query_report.run",
				f"{report} unit={unit}",
				report_name=report,
				filters=report_filters(report, unit),
				ignore_prepared_report=1,
			)
			# rows per holding unit; Disposition Aging also names the sending unit, which may be higher
			by_holding_unit = unit is None and report != "Disposition Aging"
			requests.append(replace(request, unit_scoped=by_holding_unit))
		# ``user`` is a parameter of query_report.run: it must not lend another user's reach
		request = api(
			"frappe.desk.query_report.run",
			f"{report} user=Administrator",
			report_name=report,
			filters=report_filters(report, None),
			user="Administrator",
			ignore_prepared_report=1,
		)
		requests.append(replace(request, unit_scoped=report != "Disposition Aging"))
		for unit in (None, world.PROV_A, world.PROV_B):
			requests.append(
				api(
					"frappe.desk.query_report.export_query",
					f"{report} unit={unit} CSV",
					http="POST",
					report_name=report,
					filters=report_filters(report, unit),
					file_format_type="CSV",
					visible_idx=[],
					include_indentation=0,
				)
			)
	return requests


@call(
	"once",
	"frappe.desk.doctype.notification_log.notification_log.get_notification_logs",
	"frappe.desk.notifications.get_notifications",
	"frappe.desk.notifications.get_notification_info",
	"frappe.desk.doctype.notification_settings.notification_settings.get_subscribed_documents",
	"frappe.utils.global_search.search",
	"frappe.utils.global_search.web_search",
	"frappe.search.web_search",
	"frappe.www.search.get_search_results",
	"frappe.desk.doctype.tag.tag.get_documents_for_tag",
	"frappe.desk.doctype.tag.tag.get_tags",
	"frappe.desk.doctype.tag.tag.get_tags_list_for_awesomebar",
	"frappe.core.api.file.get_files_in_folder",
	"frappe.core.api.file.get_files_by_search_text",
	"frappe.email.get_contact_list",
	"frappe.desk.search.get_names_for_mentions",
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
	"frappe.desk.page.user_profile.user_profile.get_energy_points_list",
	"frappe.social.doctype.energy_point_log.energy_point_log.get_energy_points",
	"frappe.desk.doctype.route_history.route_history.frequently_visited_links",
	"frappe.desk.treeview.get_children",
	"frappe.desk.treeview.get_all_nodes",
	"frappe.client.get_single_value",
	"frappe.contacts.doctype.contact.contact.contact_query",
)
def desk_once(w):
	child = "leak.child@p3m.test"
	return [
		api("frappe.desk.doctype.notification_log.notification_log.get_notification_logs", limit=ALL_ROWS),
		api("frappe.desk.notifications.get_notifications"),
		api("frappe.desk.notifications.get_notification_info"),
		api("frappe.desk.doctype.notification_settings.notification_settings.get_subscribed_documents"),
		api("frappe.utils.global_search.search", text="Leak", limit=ALL_ROWS),
		api("frappe.utils.global_search.search", "doctype Complaint", text="Leak", doctype="Complaint"),
		api("frappe.utils.global_search.web_search", text="Leak", limit=ALL_ROWS),
		api("frappe.search.web_search", query="Leak", limit=ALL_ROWS),
		api("frappe.www.search.get_search_results", text="Leak", limit=ALL_ROWS),
		api("frappe.desk.doctype.tag.tag.get_documents_for_tag", tag=f"#{world.TAG}"),
		api("frappe.desk.doctype.tag.tag.get_tags", doctype="Complaint", txt="leak"),
		api("frappe.desk.doctype.tag.tag.get_tags_list_for_awesomebar"),
		api("frappe.core.api.file.get_files_in_folder", folder="Home/Attachments", page_length=ALL_ROWS),
		api("frappe.core.api.file.get_files_by_search_text", text="leak"),
		api("frappe.email.get_contact_list", txt="leak"),
		api("frappe.desk.search.get_names_for_mentions", search_term="leak"),
		api(
			"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
			doctype="Complaint",
			workflow_state_field="workflow_state",
			states=[],
		),
		api(
			"frappe.desk.page.user_profile.user_profile.get_energy_points_list",
			start=0,
			limit=100,
			user=child,
		),
		api("frappe.social.doctype.energy_point_log.energy_point_log.get_energy_points", user=child),
		api("frappe.desk.doctype.route_history.route_history.frequently_visited_links"),
		api("frappe.desk.treeview.get_children", doctype="Unit", parent=world.PUSAT),
		api("frappe.client.get_single_value", "System Settings", doctype="System Settings", field="country"),
		api("frappe.client.get_single_value", "Complaint", doctype="Complaint", field="tracking_code"),
		replace(  # a search query takes its filters as a dict: only a JSON body carries one
			api(
				"frappe.contacts.doctype.contact.contact.contact_query",
				http="POST",
				doctype="Contact",
				txt="leak",
				searchfield="name",
				start=0,
				page_len=ALL_ROWS,
				filters={"link_doctype": "Complaint", "link_name": ""},
			),
			as_json=True,
		),
		api(
			"frappe.desk.treeview.get_all_nodes",
			doctype="Unit",
			label=world.PUSAT,
			parent=world.PUSAT,
			tree_method="frappe.desk.treeview.get_children",
		),
	]


@call(
	"once",
	"frappe.core.doctype.data_import.data_import.get_preview_from_template",
	"frappe.core.doctype.data_import.data_import.download_import_log",
	"frappe.core.doctype.data_import.data_import.download_errored_template",
	"frappe.core.doctype.data_import.data_import.get_import_status",
	"frappe.core.doctype.data_import.data_import.get_import_logs",
	"GET /private/files/<file>",
	"frappe.handler.download_file",
)
def data_import(w):
	"""A pending import of historic complaints: its file lists reporters (System Manager only)."""
	name, url = w.data_import, w.import_file_url
	target, knows = f"Data Import {name}", {name, url, url.rsplit("/", 1)[-1]}
	module = "frappe.core.doctype.data_import.data_import."
	return [
		api(module + "get_preview_from_template", target, knows, data_import=name),
		api(module + "download_import_log", target, knows, data_import_name=name),
		api(module + "download_errored_template", target, knows, data_import_name=name),
		api(module + "get_import_status", target, knows, data_import_name=name),
		api(module + "get_import_logs", target, knows, data_import=name),
		Request("GET /private/files/<file>", url, {}, "GET", target, frozenset(knows)),
		api("frappe.handler.download_file", target, knows, file_url=url),
	]


P3M_CHART_SOURCES = (
	"p3m_app.p3m_app.dashboard_chart_source.p3m_status_by_unit.p3m_status_by_unit.get",
	"p3m_app.p3m_app.dashboard_chart_source.p3m_intake_by_channel.p3m_intake_by_channel.get",
)
SEARCH_ARGS = {
	"doctype": "Complaint",
	"txt": "",
	"searchfield": "name",
	"start": 0,
	"page_len": 20,
	"filters": {},
}


@call(
	"once",
	"p3m_app.dashboard.awaiting_my_unit",
	"p3m_app.sla.api.my_units",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
	"frappe.desk.doctype.number_card.number_card.get_result",
	"frappe.desk.doctype.number_card.number_card.get_cards_for_user",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get_charts_for_user",
	"frappe.desk.desktop.get_desktop_page",
	*P3M_CHART_SOURCES,
)
def dashboards(w):
	import frappe

	requests = [
		api("p3m_app.dashboard.awaiting_my_unit"),
		api("p3m_app.sla.api.my_units"),
		api("frappe.desk.doctype.number_card.number_card.get_cards_for_user", **SEARCH_ARGS),
		api("frappe.desk.doctype.dashboard_chart.dashboard_chart.get_charts_for_user", **SEARCH_ARGS),
		api("frappe.desk.desktop.get_desktop_page", page={"name": "P3M", "title": "P3M", "public": 1}),
	]
	for source in P3M_CHART_SOURCES:
		requests.append(replace(api(source), unit_scoped=True))
	# figures per holding unit: a unit out of the user's reach must not show up with its counts
	by_unit = {"doctype": "Complaint", "current_filters": [], "field": "current_unit"}
	requests += [
		replace(
			api("frappe.desk.listview.get_group_by_count", "Complaint by current_unit", **by_unit),
			unit_scoped=True,
		),
		replace(
			api(
				"frappe.desk.reportview.get_sidebar_stats",
				"Complaint by current_unit",
				doctype="Complaint",
				stats=["current_unit"],
			),
			unit_scoped=True,
		),
	]
	for card in frappe.get_all("Number Card", filters={"document_type": "Complaint"}, pluck="name"):
		doc = frappe.get_doc("Number Card", card)
		requests.append(
			api(
				"frappe.desk.doctype.number_card.number_card.get_result",
				card,
				doc=doc.as_dict(no_default_fields=True),
				filters=doc.filters_json or "[]",
			)
		)
	return requests


# --------------------------------------------------------------------------- count oracles

ORACLE_METHODS = (
	"frappe.model.mapper.map_docs",
	"frappe.utils.goal.get_monthly_goal_graph_data",
	"GET /api/v2/document/<doctype>",
	"GET /api/v2/doctype/<doctype>/count",
	"frappe.client.get_count",
	"frappe.client.get_list",
	"frappe.client.get_value",
	"frappe.desk.reportview.get",
	"frappe.desk.reportview.get_count",
	"frappe.desk.listview.get_group_by_count",
	"frappe.desk.reportview.get_sidebar_stats",
	"frappe.desk.search.search_widget",
	"frappe.desk.search.search_link",
	"frappe.desk.doctype.number_card.number_card.get_result",
	"GET /api/resource/<doctype>",
)


@dataclass(frozen=True)
class OracleProbe:
	doctype: str
	base: list  # filters the attacker may know (the complaint's name)
	field: str
	secret: str  # the string it would reveal, prefix by prefix
	parent: str | None = None
	contains: bool = False  # LIKE %x% rather than x%
	complaint: str | None = None  # the complaint the probed value belongs to
	goal_link: str | None = None  # the field of ``doctype`` that links it to that complaint


def oracle_probes(w) -> list[OracleProbe]:
	c = w.complaints
	conf_mail = c["conf_mail"]
	mail_email = conf_mail.spec.identity["reporter_email"]
	return [
		OracleProbe(
			"Reporter Identity",
			[["name", "=", c["conf_portal"].name]],
			"reporter_name",
			c["conf_portal"].spec.identity["reporter_name"],
			complaint=c["conf_portal"].name,
			goal_link="complaint",
		),
		OracleProbe(
			"Complaint",
			[["name", "=", c["named_a1"].name]],
			"reporter_name",
			c["named_a1"].spec.identity["reporter_name"],
		),
		OracleProbe("Complaint", [], "tracking_code", c["named_b"].tracking_code),
		OracleProbe(
			"Communication",
			[["reference_name", "=", conf_mail.name]],
			"sender",
			mail_email,
			complaint=conf_mail.name,
			goal_link="reference_name",
		),
		OracleProbe(
			"Communication",
			[["reference_name", "=", conf_mail.name]],
			"content",
			world.MAIL_SECRETS["mail_phone"],
			contains=True,
			complaint=conf_mail.name,
			goal_link="reference_name",
		),
		OracleProbe(
			"Coordination Meeting Attendance",
			[],
			"person",
			"LeakAttendee-Person",
			parent="Coordination Meeting",
		),
	]


def oracle_requests(probe: OracleProbe, pattern: str, readable: list[str] = ()) -> list[Request]:
	"""The probe's count requests with one LIKE pattern; ``readable`` are the complaints the user
	may read (the monthly goal graph needs one to stand on)."""
	filters = [*probe.base, [probe.field, "like", pattern]]
	dt, parent = probe.doctype, probe.parent
	target = f"{dt}.{probe.field}"
	known = {value for f in probe.base for value in f[2:] if isinstance(value, str)}

	def a(method, /, **params):
		return api(method, target, known, **params)

	return [
		a("frappe.client.get_count", doctype=dt, filters=filters),
		a("frappe.client.get_list", doctype=dt, filters=filters, parent=parent, fields=["count(*) as n"]),
		a("frappe.client.get_value", doctype=dt, fieldname="name", filters=filters, parent=parent),
		a(
			"frappe.desk.reportview.get",
			doctype=dt,
			fields=["count(*) as n"],
			filters=filters,
			parent_doctype=parent,
		),
		a("frappe.desk.reportview.get_count", doctype=dt, filters=filters),
		a(
			"frappe.desk.listview.get_group_by_count",
			doctype=dt,
			current_filters=filters,
			field="assigned_to",
		),
		a("frappe.desk.listview.get_group_by_count", doctype=dt, current_filters=filters, field="owner"),
		a("frappe.desk.reportview.get_sidebar_stats", doctype=dt, stats=["owner"], filters=filters),
		a("frappe.desk.search.search_widget", doctype=dt, txt="", filters=filters, page_length=5),
		a("frappe.desk.search.search_link", doctype=dt, txt="", filters=filters, page_length=5),
		a(
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc={"function": "Count", "document_type": dt, "parent_document_type": parent},
			filters=filters,
		),
		Request(
			"GET /api/resource/<doctype>",
			REST + dt,
			{"filters": filters, "fields": ["count(*) as n"], "parent": parent},
			"GET",
			target,
			frozenset(known),
		),
		Request(
			"GET /api/v2/document/<doctype>", V2 + dt, {"filters": filters}, "GET", target, frozenset(known)
		),
		Request(
			"GET /api/v2/doctype/<doctype>/count",
			f"/api/v2/doctype/{dt}/count",
			{"filters": filters},
			"GET",
			target,
			frozenset(known),
		),
		# map_docs calls the method it names by its original name, past override_whitelisted_methods
		a(
			"frappe.model.mapper.map_docs",
			method="frappe.client.get_count",
			source_names=[dt],
			target_doc=filters,
		),
		*goal_requests(probe, filters, readable, a),
	]


def goal_requests(probe, filters, readable, a) -> list[Request]:
	"""The monthly goal graph checks the document it stands on, then aggregates any doctype with
	any filters; standing on a complaint the user may read, it counts ``probe.doctype``."""
	if probe.parent:
		return []
	if probe.doctype == "Complaint":
		anchor, link = (readable[0] if readable else None), None
	else:
		anchor, link = (probe.complaint if probe.complaint in readable else None), probe.goal_link
	if not anchor:
		return []
	params = {
		"title": "x",
		"doctype": "Complaint",
		"docname": anchor,
		"goal_value_field": "reopen_count",
		"goal_total_field": "reopen_count",
		"goal_history_field": "subject",
		"goal_doctype": probe.doctype,
		"goal_doctype_link": link or "name",
		"goal_field": "name",
		"date_field": "creation",
		"aggregation": "count",
		"filters": {f[0]: [f[1], f[2]] for f in filters},
	}
	return [a("frappe.utils.goal.get_monthly_goal_graph_data", **params)]


def oracle_patterns(probe: OracleProbe) -> tuple[str, str]:
	"""A pattern matching the secret (all but its last character) and one that matches nothing."""
	lead = "%" if probe.contains else ""
	return f"{lead}{probe.secret[:-1]}%", f"{lead}Qz9-no-such-prefix%"


# --------------------------------------------------------------------------- counts of complaints

# (method, params, how to read the number of complaints out of the answer)
COUNT_CALLS = (
	("frappe.client.get_count", {"doctype": "Complaint"}, lambda m: m),
	("frappe.desk.reportview.get_count", {"doctype": "Complaint"}, lambda m: m),
	(
		"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
		{"doctype": "Complaint", "workflow_state_field": "workflow_state", "states": []},
		lambda m: sum(row["count"] for row in m or []),
	),
	(
		"frappe.desk.listview.get_group_by_count",
		{"doctype": "Complaint", "current_filters": [], "field": "workflow_state"},
		lambda m: sum(row["count"] for row in m or []),
	),
	("p3m_app.dashboard.awaiting_my_unit", {}, lambda m: m),
)


def count_requests() -> list[tuple[Request, Callable]]:
	return [(api(method, "Complaint count", **params), read) for method, params, read in COUNT_CALLS]


# --------------------------------------------------------------------------- the whole table


def build(w) -> list[Request]:
	requests = []
	for entry in CALLS:
		if entry.per == "doctype":
			for doctype, spec in LIST_DOCTYPES.items():
				requests += entry.build(w, doctype, spec)
		elif entry.per == "document":
			for doctype, name, _owner in w.documents:
				requests += entry.build(w, doctype, name)
		else:
			requests += entry.build(w)
	return requests


def leak_tested_methods() -> set[str]:
	"""Every dotted method name the suite sends (URLs such as /printview are left out)."""
	names = {m for entry in CALLS for m in entry.methods}
	names |= set(ORACLE_METHODS) | set(SEARCH_QUERIES) | {m for m, _p, _r in COUNT_CALLS}
	return {n for n in names if not n.startswith(("GET ", "POST ", "/"))}


# the channels' calls and list doctypes (SMS, LAPOR!, Open311) register themselves
from p3m_app.tests.leak import channels
