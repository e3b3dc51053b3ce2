app_name = "p3m_app"
app_title = "P3M App"
app_publisher = "p3m_app developers"
app_description = "Public complaint handling (P3M / SP4N-LAPOR!) for Indonesian government agencies"
app_email = "p3m@example.org"
app_license = "mit"

# Frappe is the only app needed (ERPNext is optional), so required_apps stays empty: listing
# "frappe" there makes install-app look it up online.

# the admins' queue of unhandled mail (p3m_app.intake.unhandled_mail) gets its read permission
after_install = ["p3m_app.setup.install.after_install", "p3m_app.intake.unhandled_mail.ensure_queue_access"]
after_migrate = ["p3m_app.setup.install.after_migrate", "p3m_app.intake.unhandled_mail.ensure_queue_access"]
before_uninstall = "p3m_app.setup.install.before_uninstall"

_meeting_rows = "p3m_app.access.linked_records.meeting_rows_query_conditions"
permission_query_conditions = {
	"Complaint": "p3m_app.permissions.complaint_query_conditions",
	"Disposition": "p3m_app.permissions.disposition_query_conditions",
	"Coordination Meeting": "p3m_app.meetings.meeting_query_conditions",
	"Workflow Action": "p3m_app.permissions.workflow_action_query_conditions",
	"Reporter Identity": "p3m_app.access.vault.query_conditions",
	"Reporter Identity Sealed Text": "p3m_app.access.vault.query_conditions",
	"Communication": "p3m_app.access.linked_records.communication_query_conditions",
	"File": "p3m_app.access.linked_records.file_query_conditions",
	"Complaint SLA Milestone": "p3m_app.access.linked_records.milestone_query_conditions",
	"Complaint Step Progress": "p3m_app.programs.pkh.checklist.query_conditions",
	"Complaint Letter": "p3m_app.access.linked_records.complaint_rows_query_conditions",
	"Coordination Meeting Complaint": _meeting_rows,
	"Coordination Meeting Unit": _meeting_rows,
	"Coordination Meeting Attendance": _meeting_rows,
	"P3M Report Dispatch": "p3m_app.report_dispatch.query_conditions",
	"Master Data Correction Request": "p3m_app.programs.pkh.correction_access.query_conditions",
	"Tag Link": "p3m_app.access.desk_endpoints.tag_link_query_conditions",
	"Document Follow": "p3m_app.access.desk_endpoints.document_follow_query_conditions",
	"Unhandled Email": "p3m_app.intake.unhandled_mail.query_conditions",
	"LAPOR Import": "p3m_app.interop.lapor.access.query_conditions",
}

has_permission = {
	"Complaint": "p3m_app.permissions.has_complaint_permission",
	"Disposition": "p3m_app.permissions.has_disposition_permission",
	"Coordination Meeting": "p3m_app.meetings.has_meeting_permission",
	"Workflow Action": "p3m_app.permissions.has_workflow_action_permission",
	"Reporter Identity": "p3m_app.access.vault.has_permission",
	"Communication": "p3m_app.access.linked_records.has_communication_permission",
	"File": "p3m_app.access.linked_records.has_file_permission",
	"P3M Report Dispatch": "p3m_app.report_dispatch.has_permission",
	"Master Data Correction Request": "p3m_app.programs.pkh.correction_access.has_permission",
	"Tag Link": "p3m_app.access.desk_endpoints.has_tag_link_permission",
	"Document Follow": "p3m_app.access.desk_endpoints.has_document_follow_permission",
	"Unhandled Email": "p3m_app.intake.unhandled_mail.has_permission",
	"LAPOR Import": "p3m_app.interop.lapor.access.has_permission",
}

has_website_permission = {"Complaint": "p3m_app.portal.mine.has_website_permission"}

# mail appended to Complaint: machine mail never opens a complaint, codes thread only from the reporter
override_doctype_class = {"Email Account": "p3m_app.intake.email_inbox.ComplaintInboxAccount"}

standard_portal_menu_items = [
	{"title": "Submit a Report", "route": "/pengaduan"},
	{"title": "Track a Report", "route": "/pengaduan/lacak"},
	{"title": "My Reports", "route": "/pengaduan/saya"},
	{"title": "Complaint Statistics", "route": "/pengaduan/statistik"},
]

# Open311 GeoReport v2 for apps and partners at /open311/v2/ (p3m_app.interop.open311)
page_renderer = ["p3m_app.interop.open311.renderer.Open311Renderer"]

treeviews = ["Unit", "Complaint Category"]

boot_session = "p3m_app.sla.api.boot_session"

additional_timeline_content = {
	"Complaint": ["p3m_app.sla.timeline.escalation_entries", "p3m_app.meetings.timeline_entries"]
}

# Frappe 15's generic counts and searches skip permissions (see p3m_app.access.endpoints)
override_whitelisted_methods = {
	# two workflow actions may lead to the same state: the guards need to know which was chosen
	"frappe.model.workflow.apply_workflow": "p3m_app.handling.apply_workflow",
	"frappe.client.get_count": "p3m_app.access.endpoints.get_count",
	"frappe.desk.listview.get_group_by_count": "p3m_app.access.endpoints.get_group_by_count",
	"frappe.desk.search.search_link": "p3m_app.access.endpoints.search_link",
	"frappe.desk.search.search_widget": "p3m_app.access.endpoints.search_widget",
	"frappe.client.get_list": "p3m_app.access.endpoints.get_list",
	"frappe.client.get_value": "p3m_app.access.endpoints.get_value",
	"frappe.desk.reportview.get": "p3m_app.access.endpoints.reportview_get",
	"frappe.desk.reportview.get_list": "p3m_app.access.endpoints.reportview_get_list",
	"frappe.desk.reportview.get_count": "p3m_app.access.endpoints.reportview_get_count",
	"frappe.desk.reportview.export_query": "p3m_app.access.endpoints.reportview_export_query",
	"frappe.desk.reportview.get_sidebar_stats": "p3m_app.access.endpoints.get_sidebar_stats",
	"frappe.desk.reportview.get_stats": "p3m_app.access.endpoints.get_stats",
	"frappe.client.get": "p3m_app.access.desk_endpoints.get",
	"frappe.desk.search.get_link_title": "p3m_app.access.desk_endpoints.get_link_title",
	"frappe.desk.like.toggle_like": "p3m_app.access.desk_endpoints.toggle_like",
	"frappe.desk.doctype.tag.tag.add_tag": "p3m_app.access.desk_endpoints.add_tag",
	"frappe.desk.doctype.tag.tag.add_tags": "p3m_app.access.desk_endpoints.add_tags",
	"frappe.desk.doctype.tag.tag.remove_tag": "p3m_app.access.desk_endpoints.remove_tag",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "p3m_app.access.desk_endpoints.get_tagged_docs",
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": (
		"p3m_app.access.desk_endpoints.get_workflow_state_count"
	),
	"frappe.desk.doctype.number_card.number_card.get_result": "p3m_app.access.desk_endpoints.get_result",
	"frappe.handler.download_file": "p3m_app.access.desk_endpoints.download_file",
	"frappe.utils.file_manager.download_file": "p3m_app.access.desk_endpoints.download_file",
	"frappe.core.doctype.file.file.download_file": "p3m_app.access.desk_endpoints.download_file",
	"frappe.model.mapper.map_docs": "p3m_app.access.desk_endpoints.map_docs",
	"frappe.desk.form.document_follow.follow_document": "p3m_app.access.linked_records.follow_document",
	"frappe.desk.form.document_follow.update_follow": "p3m_app.access.linked_records.update_follow",
	"run_doc_method": "p3m_app.access.desk_endpoints.run_doc_method",
	"frappe.handler.run_doc_method": "p3m_app.access.desk_endpoints.run_doc_method",
	"frappe.email.relink": "p3m_app.access.desk_endpoints.relink",
	"frappe.utils.file_manager.add_attachments": "p3m_app.access.desk_endpoints.add_attachments",
	"frappe.templates.includes.comments.comments.add_comment": "p3m_app.access.desk_endpoints.add_web_comment",
	"frappe.templates.includes.likes.likes.like": "p3m_app.access.desk_endpoints.web_like",
	**{
		f"frappe.core.doctype.data_import.data_import.{method}": f"p3m_app.access.desk_endpoints.{method}"
		for method in (
			"get_preview_from_template",
			"form_start_import",
			"download_errored_template",
			"download_import_log",
			"get_import_status",
		)
	},
}

# rate limits key on the client's address; X-Forwarded-For counts only from trusted proxies
before_request = ["p3m_app.access.client_ip.set_request_ip"]
# REST list filters on fields the user may not read (runs once the request's user is known)
auth_hooks = ["p3m_app.access.endpoints.check_rest_request"]


scheduler_events = {
	"cron": {
		"*/15 * * * *": ["p3m_app.sla.sweep.enqueue_sweep"],
		# SMS and WhatsApp messages to reporters: retries with backoff, and jobs lost before they ran
		"*/2 * * * *": ["p3m_app.channels.outbound.retry_due"],
		# intake follow-ups (assignment, workflow actions, acknowledgement) whose job failed or was lost
		"*/10 * * * *": ["p3m_app.intake.followups.retry_pending"],
		# seed 004 lines 360-363: last month's report on the 1st; the daily job retries failures
		"0 6 1 * *": ["p3m_app.report_dispatch.enqueue_monthly"],
	},
	"monthly": ["p3m_app.setup.install.ensure_default_calendar"],
	"hourly": ["p3m_app.sla.recompute.enqueue_pending"],
	"daily": [
		"p3m_app.collaboration.remind_follow_ups",
		"p3m_app.meeting_rhythm.remind_due_meetings",
		"p3m_app.report_dispatch.retry_failed",
		# Master Database correction requests past their 1 month (seed 004 lines 410-411)
		"p3m_app.programs.pkh.correction_deadlines.flag_overdue",
	],
}

# the PKH forms and letters read the reporter's identity only through this (print formats see
# every field of a document, whatever its permission level)
jinja = {"methods": ["p3m_app.programs.pkh.letters.p3m_letter"]}

# the Similar complaints panel and Mark as Duplicate (p3m_app.duplicates)
doctype_js = {
	"Complaint": [
		"public/js/complaint_duplicates.js",
		"public/js/complaint_letters.js",
		"public/js/phone_display.js",
	],
	"Unhandled Email": "public/js/unhandled_email.js",
	# phone numbers stored in E.164, shown in the national format (p3m_app.phone_fields)
	"Unit": "public/js/phone_display.js",
	"Reporter Identity": "public/js/phone_display.js",
}

doc_events = {
	# similar complaints: stored keys, marking a duplicate, following the master, the payment rule
	"Complaint": {
		"validate": "p3m_app.duplicates.validate",
		# plus the reporter's SMS or WhatsApp acknowledgement, Pending question and answer
		"on_update": ["p3m_app.duplicates.on_update", "p3m_app.channels.outbound.on_complaint_update"],
		"onload": "p3m_app.duplicates.onload",
	},
	"Version": {"before_insert": "p3m_app.identity.mask_version"},
	# monthly report recipients and the meeting rhythm (p3m_app.report_dispatch, p3m_app.meeting_rhythm)
	"Unit": {
		"validate": "p3m_app.report_dispatch.validate_unit",
		# the root unit and each unit's calendar are cached for intake (p3m_app.unit_cache)
		"on_update": "p3m_app.unit_cache.forget",
		"after_rename": "p3m_app.unit_cache.forget",
		"on_trash": "p3m_app.unit_cache.forget",
	},
	"Unit Level": {"validate": "p3m_app.meeting_rhythm.validate_level"},
	"Communication": {
		"validate": "p3m_app.access.mail_sealing.seal_communication",
		"after_insert": "p3m_app.access.mail_sealing.seal_sent_communication",
	},
	"File": {
		"after_insert": "p3m_app.access.linked_records.keep_complaint_files_private",
		"before_validate": "p3m_app.access.linked_records.keep_private",
	},
	"DocShare": {"validate": "p3m_app.access.linked_records.check_share"},
	# mail that did not become a complaint: the inbox's admins are told
	"Unhandled Email": {"after_insert": "p3m_app.intake.unhandled_mail.on_unhandled_email"},
	"ToDo": {"validate": "p3m_app.access.linked_records.check_assignment"},
	"Document Follow": {"after_insert": "p3m_app.access.linked_records.check_follow"},
	# changed rules move the deadlines of the open complaints they govern (a background job)
	"SLA Policy": {"on_update": "p3m_app.sla.recompute.on_policy_update"},
	"Holiday Calendar": {
		"on_update": ["p3m_app.unit_cache.forget", "p3m_app.sla.recompute.on_calendar_update"],
		"on_trash": "p3m_app.unit_cache.forget",
	},
	"Holiday List": {
		"on_update": ["p3m_app.unit_cache.forget", "p3m_app.sla.recompute.on_holiday_list_update"],
		"on_trash": "p3m_app.unit_cache.forget",
	},
}
