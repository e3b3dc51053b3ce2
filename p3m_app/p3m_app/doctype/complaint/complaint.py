# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

from collections.abc import Mapping

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app import (
	complaint_names,
	duplicates,
	handling,
	identity,
	permissions,
	phone_fields,
	propagation,
	publication,
	routing,
	unit_cache,
)
from p3m_app.access import linked_records
from p3m_app.core import intake_rules, system_fields, tracking_code
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.intake import doc_templates
from p3m_app.interop.lapor import COMPLAINT_FIELDS as LAPOR_FIELDS
from p3m_app.portal import notify
from p3m_app.programs.pkh import checklist as handling_steps
from p3m_app.programs.pkh import letters
from p3m_app.sla import api as sla_api
from p3m_app.sla import engine as sla_engine
from p3m_app.utils import throw

TRACKING_CODE_ATTEMPTS = 5
OFFLINE_CHANNELS = ("Phone", "SMS", "WhatsApp", "Letter", "Fax", "Walk-in", "Social Media", "Audit Finding")


class Complaint(Document):
	def _set_defaults(self):
		doc_templates.warm(self.doctype)  # else Frappe builds them again in every request
		super()._set_defaults()

	def autoname(self):
		self.name = complaint_names.next_name(self)  # the series' format, a lock-free number

	def before_insert(self):
		self.tracking_code = new_tracking_code()
		if not (self.flags.updater_reference or self.flags.ignore_version):
			# Frappe writes no Version of an insert without an updater reference, but builds one to
			# find that out; the flag is lifted again for later saves of this document (on_change)
			self.flags.ignore_version = self.flags.p3m_insert_version_skipped = True
		if not self.flags.p3m_lapor_import:
			# only a LAPOR Import says a complaint came from SP4N-LAPOR! (p3m_app.interop.lapor)
			self.update(dict.fromkeys(LAPOR_FIELDS))
			self.from_lapor = 0
		if self.channel in OFFLINE_CHANNELS and frappe.session.user != "Guest":
			self.received_by = frappe.session.user

	def validate(self):
		if self.is_new():
			self.set_default_unit()
		else:
			self.check_system_fields()
		letters.check_log(self)
		try:
			values = self.as_dict()
			values["is_new"] = self.is_new()
			intake_rules.check_lengths(values, FieldLabels(self.meta))
			before = self.get_doc_before_save()
			stored = before.as_dict() if before else None
			intake_rules.check_channel_fields(values, stored)
			intake_rules.check_identity(values, stored)
			self.update(intake_rules.normalise_phones(values, stored))  # stored in E.164
		except RuleViolation as violation:
			throw(violation, title=_("Invalid Complaint"))
		handling_steps.before_save(self)
		identity.seal_before_save(self)
		handling.before_save(self)
		publication.before_save(self)
		sla_engine.before_save(self)

	def check_system_fields(self):
		"""Read-only in the form is not read-only on the server: refuse edits of what the app writes."""
		before = self.get_doc_before_save()
		if not before:
			return
		try:
			system_fields.check_unchanged(
				before.as_dict(),
				self.as_dict(),
				FieldLabels(self.meta),
				allowed=frozenset(self.flags.system_fields or ()),
			)
		except RuleViolation as violation:
			throw(violation, title=_("Not Allowed"))

	def after_insert(self):
		sla_engine.insert_new_milestones(self)

	def on_update(self):
		identity.seal_after_save(self)
		handling.after_save(self)
		if self.has_value_changed("workflow_state") and self.workflow_state == wf.ANSWERED:
			notify.send_answer(self)
		propagation.notify_origin(self)
		if self.has_value_changed("current_unit") and not self.flags.in_insert:  # a new one has no followers
			linked_records.drop_unreachable_follows("Complaint", self.name)

	def on_change(self):
		if self.flags.pop("p3m_insert_version_skipped", None):
			self.flags.ignore_version = False

	def before_print(self, settings=None):
		letters.before_print(self)

	def on_trash(self):
		frappe.throw(_("Complaints are never deleted; archive them instead."), frappe.PermissionError)

	def onload(self):
		self.set_onload("dispositions", disposition_history(self.name))
		self.set_onload("tracking_code_display", tracking_code.display(self.tracking_code or ""))
		self.set_onload("sla_working_days_left", sla_api.working_days_left(self))
		self.set_onload("phones_national", phone_fields.national_forms(self, intake_rules.PHONE_FIELDS))

	def set_default_unit(self):
		if not self.current_unit and frappe.session.user != "Guest":
			units = permissions.user_units(frappe.session.user)
			self.current_unit = units[0] if len(units) == 1 else None
		if not self.current_unit:
			# guests, the portal, mail, staff of several units: the nearest unit serving the place
			self.current_unit = routing.route(self)
		if not self.current_unit and self.category:
			self.current_unit = frappe.get_cached_value("Complaint Category", self.category, "default_unit")
		if not self.current_unit:
			self.current_unit = unit_cache.root_unit()
		if not self.current_unit:
			frappe.throw(_("Choose the unit that receives this complaint."), title=_("Invalid Complaint"))
		if not self.flags.ignore_permissions and not permissions.unit_in_reach(self.current_unit):
			frappe.throw(
				_("You cannot record complaints for unit {0}.").format(self.current_unit),
				frappe.PermissionError,
			)
		self.origin_unit = self.current_unit


class FieldLabels(Mapping):
	"""Translated field labels, each looked up when a message needs it: a valid save needs none."""

	def __init__(self, meta):
		self.meta = meta

	def __getitem__(self, fieldname):
		df = self.meta.get_field(fieldname)
		if not df:
			raise KeyError(fieldname)
		return _(df.label)

	def __iter__(self):
		return (df.fieldname for df in self.meta.fields)

	def __len__(self):
		return len(self.meta.fields)


def new_tracking_code() -> str:
	for _attempt in range(TRACKING_CODE_ATTEMPTS):
		code = tracking_code.generate()
		# every intake asks: plain SQL on the unique index skips the query engine (about 1 ms)
		if not frappe.db.sql("select 1 from `tabComplaint` where tracking_code = %s limit 1", code):
			return code
	frappe.throw(_("Could not allocate a tracking code; please try again."))


def disposition_history(complaint_name: str) -> list[dict]:
	return frappe.get_all(
		"Disposition",
		filters={"complaint": complaint_name},
		fields=[
			"name",
			"from_unit",
			"to_unit",
			"status",
			"kind",
			"instruction",
			"due_date",
			"responded_at",
			"return_reason",
			"public_explanation",
			"external_agency",
			"external_reference",
			"creation",
		],
		order_by="creation asc",
	)


def on_doctype_update():
	# covers the Rekapitulasi's grouped count: an index-only scan, no table rows read
	frappe.db.add_index("Complaint", ["current_unit", "workflow_state", "received_at"])
	frappe.db.add_index("Complaint", ["workflow_state", "received_at"])
	# the SLA sweep's range scans
	frappe.db.add_index("Complaint", ["sla_current_due"])
	frappe.db.add_index("Complaint", ["sla_status", "sla_due_soon_at"])
	frappe.db.add_index("Complaint", ["workflow_state", "autoclose_at"])
	frappe.db.add_index("Complaint", ["sla_sweep_token"])
	frappe.db.add_index("Complaint", ["portal_user"])
	frappe.db.add_index("Complaint", ["submission_key"])
	# the daily reminder of forwards to another agency that are kept open
	frappe.db.add_index("Complaint", ["external_follow_up_date"])
	# the public page's latest published answers, read on every view
	frappe.db.add_index("Complaint", ["answer_publishable", "published_at"])
	duplicates.on_doctype_update()  # similar complaints, the payment rule, a master's duplicates
