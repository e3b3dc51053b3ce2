"""Database records the app owns: roles, the complaint workflow, default levels and programs.

Runs after install and after every migrate, and is idempotent.
"""

import json
from datetime import date
from pathlib import Path

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.modules.import_file import import_file_by_path

from p3m_app import roles
from p3m_app.core import workflow_rules as wf
from p3m_app.programs.pkh import types as pkh_types

# From the seeds: SP4N-LAPOR! levels, and the program teams' Pusat/Provinsi/Kabupaten.
UNIT_LEVELS = (
	("Nasional", 0, "SP4N-LAPOR!"),
	("Instansi (K/L/D)", 1, "SP4N-LAPOR!"),
	("Eselon 1", 2, "SP4N-LAPOR!"),
	("UPT/Unit Kerja", 3, "SP4N-LAPOR!"),
	("Pusat", 0, "Program"),
	("Provinsi", 1, "Program"),
	("Kabupaten/Kota", 2, "Program"),
	("Kecamatan", 3, "Program"),
)
PROGRAMS = (
	("SP4N-LAPOR!", "National public-service complaint system (general complaints)."),
	("PKH", "Program Keluarga Harapan (conditional cash transfer)."),
	("BOS", "Bantuan Operasional Sekolah (school operational assistance)."),
	("BOP PAUD", "Bantuan Operasional Penyelenggaraan PAUD (early-childhood education assistance)."),
)

# The complaint types the shipped SLA policies match (p3m_app/setup/data/sla_policies.json).
SLA_CATEGORIES = (
	{
		"category_name": "Ketersediaan Pelayanan",
		"program": "PKH",
		"description": "Availability of education and health services (Pedoman PKH: settled within 3 months).",
	},
	{
		"category_name": "Data Peserta",
		"program": "PKH",
		"description": "Participant data and the Master Database (Pedoman PKH: corrected within 1 month).",
	},
)


def after_install():
	after_migrate()
	# the meeting rhythm of seed 004 (lines 248-250, 370); existing sites get it by patch
	from p3m_app.meeting_rhythm import ensure_shipped_intervals

	ensure_shipped_intervals()
	# two example inboxes, general and BOS; existing sites get the BOS one by patch (add_bos_inbox)
	from p3m_app.intake import mailboxes

	mailboxes.ensure_bos_inbox()


def after_migrate():
	ensure_roles()
	ensure_workflow()
	ensure_records(
		"Unit Level",
		"level_name",
		[
			{"level_name": name, "depth": depth, "hierarchy": hierarchy}
			for name, depth, hierarchy in UNIT_LEVELS
		],
	)
	ensure_records(
		"P3M Program",
		"program_name",
		[{"program_name": name, "description": description} for name, description in PROGRAMS],
	)
	ensure_referral_levels()
	ensure_records("Complaint Category", "category_name", SLA_CATEGORIES)
	pkh_types.ensure_types()
	ensure_sla_policies()
	ensure_default_calendar()
	ensure_mailbox_fields()
	ensure_complaint_inbox()
	ensure_access_log_reader()
	ensure_lapor_settings()
	link_erpnext()


DEFAULT_CALENDAR = "Indonesia"


def ensure_default_calendar():
	"""Keep a default calendar covering last year (historic imports), this year and next, holding
	the cuti bersama the app ships (a decree signed after the calendar was made is added on migrate;
	days an admin added are never removed)."""
	from p3m_app.p3m_app.doctype.holiday_calendar.holiday_calendar import (
		add_national_holidays,
		add_shipped_cuti_bersama,
	)

	this_year = date.today().year
	start, end = date(this_year - 1, 1, 1), date(this_year + 1, 12, 31)
	if frappe.db.exists("Holiday Calendar", DEFAULT_CALENDAR):
		doc = frappe.get_doc("Holiday Calendar", DEFAULT_CALENDAR)
		covered = str(doc.to_date) >= str(end) and str(doc.from_date) <= str(start)
		if not covered:
			doc.from_date = min(str(doc.from_date), str(start))
			doc.to_date = max(str(doc.to_date), str(end))
			add_national_holidays(doc)
		# saved only when something changed: a save recomputes the open complaints' deadlines
		if add_shipped_cuti_bersama(doc) or not covered:
			doc.save(ignore_permissions=True)
		return
	doc = frappe.get_doc(
		{
			"doctype": "Holiday Calendar",
			"calendar_name": DEFAULT_CALENDAR,
			"is_default": not frappe.db.exists("Holiday Calendar", {"is_default": 1}),
			"from_date": start,
			"to_date": end,
			# set explicitly: a new document's Time fields otherwise take the current time
			"office_start": "08:00:00",
			"office_end": "16:00:00",
		}
	)
	add_national_holidays(doc)
	doc.save(ignore_permissions=True)


COMPLAINT_INBOX = "P3M Complaints Inbox"


def ensure_complaint_inbox():
	"""The inbox that turns mail into complaints, off until an admin enters the real address and password."""
	if frappe.db.exists("Email Account", COMPLAINT_INBOX):
		return
	from p3m_app.intake import mailboxes

	mailboxes.make_disabled_inbox(COMPLAINT_INBOX, "pengaduan@example.invalid")


def ensure_mailbox_fields():
	"""Email Account names the program, category and unit of its complaints (p3m_app.intake.mailboxes)."""
	from p3m_app.intake import mailboxes

	mailboxes.ensure_fields()


def ensure_lapor_settings():
	"""The shipped LAPOR! column and status maps, when the site has none (p3m_app.interop.lapor)."""
	from p3m_app.interop.lapor import settings

	settings.ensure_defaults()


def ensure_access_log_reader():
	"""Admin Nasional reads the Access Log, where every read of a sealed identity is recorded."""
	from frappe.permissions import add_permission

	if not frappe.db.exists(
		"Custom DocPerm", {"parent": "Access Log", "role": roles.ADMIN_NASIONAL, "permlevel": 0}
	):
		add_permission("Access Log", roles.ADMIN_NASIONAL, 0)


def before_uninstall():
	"""Mail must not keep flowing into a doctype that is about to disappear."""
	for name in frappe.get_all("Email Account", filters={"append_to": "Complaint"}, pluck="name"):
		frappe.delete_doc("Email Account", name, ignore_permissions=True, force=True)


def ensure_roles():
	for role_name in roles.ALL:
		if not frappe.db.exists("Role", role_name):
			frappe.get_doc(
				{
					"doctype": "Role",
					"role_name": role_name,
					"desk_access": 1,
					"description": roles.ROLE_DESCRIPTIONS.get(role_name),
				}
			).insert(ignore_permissions=True)


def ensure_workflow():
	for state, style in wf.STATE_STYLES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in {t.action for t in wf.transitions().values()}:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	# the shipped file is the workflow in force: the pure guards are written against it
	import_file_by_path(str(wf.WORKFLOW_FILE), force=True)


# Pedoman PKH (seed 004 ll. 214-217): what a Kabupaten/Kota cannot settle "harus segera diteruskan
# ke UPPKH Pusat"; from other levels a referral goes to the parent (a pendamping's kecamatan to its
# Kabupaten/Kota)
REFERRAL_ROUTES = {"PKH": [("Kabupaten/Kota", "Pusat")]}


def ensure_referral_levels():
	"""Set once, on a program without routes; an agency may change them afterwards."""
	for program, routes in REFERRAL_ROUTES.items():
		if not frappe.db.exists("P3M Program", program):
			continue
		doc = frappe.get_doc("P3M Program", program)
		if doc.get("referrals"):
			continue
		for from_level, to_level in routes:
			doc.append("referrals", {"from_level": from_level, "to_level": to_level})
		doc.save(ignore_permissions=True)


SLA_POLICIES = Path(__file__).resolve().parent / "data" / "sla_policies.json"


def ensure_sla_policies(replace: bool = False):
	"""The shipped SLA policies, created when missing and never overwritten: an agency's edits to
	them survive every migrate (a Frappe fixture would be deleted and re-inserted each time).
	``replace`` is for the one patch that moved them off fixtures, which reset them on every
	migrate anyway: the previous release's numbers give way to the seeds'."""
	for values in json.loads(SLA_POLICIES.read_text(encoding="utf-8")):
		if frappe.db.exists("SLA Policy", values["name"]):
			if not replace:
				continue
			frappe.delete_doc("SLA Policy", values["name"], ignore_permissions=True, force=True)
		values = {
			k: v for k, v in values.items() if k not in ("creation", "modified", "owner", "modified_by")
		}
		try:
			frappe.get_doc(values).insert(ignore_permissions=True)
		except frappe.ValidationError:
			# e.g. an agency policy of the same priority overlapping it: keep theirs, say so
			frappe.log_error(title=f"P3M: shipped SLA policy {values['name']} not created")


def ensure_records(doctype: str, key: str, records: list[dict]):
	for values in records:
		if not frappe.db.exists(doctype, values[key]):
			frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


def link_erpnext():
	"""With ERPNext, a unit may name its Company, Department and Holiday List."""
	if "erpnext" not in frappe.get_installed_apps():
		return
	create_custom_fields(
		{
			"Unit": [
				{
					"fieldname": "erpnext_section",
					"fieldtype": "Section Break",
					"label": "ERPNext",
					"insert_after": "assignment_rule",
				},
				{
					"fieldname": "company",
					"fieldtype": "Link",
					"options": "Company",
					"label": "Company",
					"insert_after": "erpnext_section",
				},
				{
					"fieldname": "department",
					"fieldtype": "Link",
					"options": "Department",
					"label": "Department",
					"insert_after": "company",
				},
				{
					"fieldname": "holiday_list",
					"fieldtype": "Link",
					"options": "Holiday List",
					"label": "Holiday List",
					"insert_after": "department",
				},
			]
		},
		update=True,
	)
