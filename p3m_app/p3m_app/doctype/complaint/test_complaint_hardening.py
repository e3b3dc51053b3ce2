# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Regression tests for the generic read and write paths closed by p3m_app.access (issue 10).

Whitelisted methods are called the way Frappe's request handler calls them: the name is looked
up in ``override_whitelisted_methods`` first. The HTTP-level sweep of every endpoint is the
leak suite (test_leak_suite.py); the rate-limit test here goes through Frappe's WSGI app.
"""

import json

import frappe
from frappe.api import v1 as rest
from frappe.desk.form.load import getdoc
from frappe.tests.utils import FrappeTestCase

from p3m_app import roles
from p3m_app.access import mail_sealing
from p3m_app.tests import factories as f

SECRET = {
	"reporter_name": "Wening Rahasiani",
	"reporter_email": "wening.rahasia@example.org",
	"reporter_phone": "+62 813 7777 1234",
}
PPID = "t.ppid.prova@p3m.test"
CITIZEN = "t.citizen.hardening@p3m.test"


def call(cmd: str, **kwargs):
	"""A whitelisted method as the request handler resolves it (overrides included)."""
	overrides = frappe.get_hooks("override_whitelisted_methods", {}).get(cmd)
	method = frappe.get_attr(overrides[-1] if overrides else cmd)
	frappe.is_whitelisted(method)
	return frappe.call(method, **kwargs)


def as_user(user, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


class HardeningCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		f.make_user(PPID)
		unit = frappe.get_doc("Unit", f.PROV_A)
		if not any(row.user == PPID for row in unit.officers):
			unit.append("officers", {"user": PPID, "role_in_unit": "PPID"})
			unit.save(ignore_permissions=True)
		if not frappe.db.exists("User", CITIZEN):
			frappe.get_doc(
				{"doctype": "User", "email": CITIZEN, "first_name": "Warga", "user_type": "Website User"}
			).insert(ignore_permissions=True)
		cls.at_a1 = f.complaint_at(f.KAB_A1).name
		cls.secret_a1 = f.complaint_at(f.KAB_A1, is_confidential=1, **SECRET).name

	def tearDown(self):
		frappe.set_user("Administrator")


class TestSearchAndCounts(HardeningCase):
	def test_link_search_ignoring_user_permissions_stays_in_scope(self):
		frappe.set_user(f.OFFICER_B1)
		fields = json.dumps(["current_unit", "tracking_code", "reporter_name"])
		rows = call(
			"frappe.desk.search.search_widget",
			doctype="Complaint",
			txt="",
			ignore_user_permissions=1,
			as_dict=1,
			page_length=500,
			filter_fields=fields,
		)
		names = {row["name"] for row in rows}
		self.assertNotIn(self.at_a1, names)
		links = call("frappe.desk.search.search_link", doctype="Complaint", txt="", ignore_user_permissions=1)
		self.assertNotIn(self.at_a1, {row["value"] for row in links})
		frappe.set_user(f.OFFICER_A1)
		rows = call(
			"frappe.desk.search.search_widget",
			doctype="Complaint",
			txt="",
			as_dict=1,
			filter_fields=fields,
			ignore_user_permissions=1,
		)
		self.assertIn(self.at_a1, {row["name"] for row in rows})

	def test_search_query_cannot_reach_an_original_endpoint(self):
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaisesRegex(frappe.PermissionError, "cannot be called from here"):
			call(
				"frappe.desk.search.search_widget",
				doctype="Complaint",
				txt="",
				query="frappe.client.get_count",
			)

	def test_counts_answer_nothing_outside_the_reader(self):
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "pelapor.count@example.org",
				"subject": "x",
				"reference_doctype": "Complaint",
				"reference_name": self.at_a1,
			}
		).insert(ignore_permissions=True)
		by_sender = [["sender", "like", "pelapor.count%"]]
		self.assertEqual(call("frappe.client.get_count", doctype="Communication", filters=by_sender), 1)
		frappe.set_user(CITIZEN)
		self.assertEqual(call("frappe.client.get_count", doctype="Communication", filters=by_sender), 0)
		with self.assertRaises(frappe.PermissionError):
			call(
				"frappe.desk.listview.get_group_by_count",
				doctype="Reporter Identity",
				current_filters=json.dumps({"name": self.secret_a1, "reporter_name": ["like", "Wen%"]}),
				field="assigned_to",
			)
		frappe.set_user(f.OFFICER_B1)
		self.assertEqual(
			call("frappe.client.get_count", doctype="Complaint", filters={"name": self.at_a1}), 0
		)

	def test_identity_vault_lists_nothing_even_to_its_readers(self):
		for user in (f.NASIONAL, f.READER):
			frappe.set_user(user)
			self.assertEqual(frappe.get_list("Reporter Identity", pluck="name"), [])
			self.assertEqual(call("frappe.client.get_count", doctype="Reporter Identity"), 0)

	def test_filters_on_fields_the_user_cannot_read_are_refused(self):
		frappe.set_user(PPID)
		with self.assertRaises(frappe.PermissionError):
			call("frappe.client.get_count", doctype="Complaint", filters=[["reporter_name", "like", "S%"]])
		with self.assertRaises(frappe.PermissionError):
			call(
				"frappe.desk.listview.get_group_by_count",
				doctype="Complaint",
				current_filters="{}",
				field="reporter_name",
			)
		self.assertGreaterEqual(call("frappe.client.get_count", doctype="Complaint"), 1)
		by_name = json.dumps([["reporter_name", "like", "S%"]])
		for cmd in ("frappe.desk.reportview.get_count", "frappe.desk.reportview.get"):
			frappe.local.form_dict = frappe._dict(doctype="Complaint", filters=by_name, fields='["name"]')
			with self.assertRaises(frappe.PermissionError):
				call(cmd)
		with self.assertRaises(frappe.PermissionError):
			call("frappe.client.get_list", doctype="Complaint", filters=by_name)
		with self.assertRaises(frappe.PermissionError):
			call("frappe.client.get_value", doctype="Complaint", fieldname="name", filters=by_name)
		# the list sidebar's own columns stay filterable (assigned to, tags, liked by)
		for column in ("_assign", "_user_tags", "_liked_by"):
			frappe.local.form_dict = frappe._dict(
				doctype="Complaint", filters=json.dumps([[column, "like", "%x%"]]), fields='["name"]'
			)
			call("frappe.desk.reportview.get")
		# the REST list route, checked once the request's user is known
		from frappe.utils import set_request

		from p3m_app.access.endpoints import check_rest_request

		set_request(method="GET", path="/api/resource/Complaint")
		try:
			frappe.local.form_dict = frappe._dict(filters=by_name)
			with self.assertRaises(frappe.PermissionError):
				check_rest_request()
			frappe.local.form_dict = frappe._dict(filters=json.dumps([["subject", "like", "B%"]]))
			check_rest_request()
		finally:
			frappe.local.form_dict = frappe._dict()
			frappe.local.request = None


class TestIdentityLevels(HardeningCase):
	def test_ppid_reads_complaints_without_identity(self):
		frappe.set_user(PPID)
		doc = rest.read_doc("Complaint", self.at_a1).as_dict()
		self.assertEqual(doc["name"], self.at_a1)
		for field in ("reporter_name", "reporter_phone", "reporter_email"):
			self.assertIsNone(doc.get(field))
		rows = frappe.get_list("Complaint", fields=["name", "reporter_name"], filters={"name": self.at_a1})
		self.assertIsNone(rows[0].get("reporter_name"))
		self.assertEqual(frappe.db.get_value("Complaint", self.at_a1, "reporter_name"), "Siti Aminah")

	def test_holding_unit_reads_a_named_identity(self):
		frappe.set_user(f.OFFICER_A1)
		self.assertEqual(rest.read_doc("Complaint", self.at_a1).reporter_name, "Siti Aminah")

	def test_confidential_reader_is_scoped_and_every_read_is_logged(self):
		outsider = f.make_user("t.reader.provb@p3m.test")
		unit = frappe.get_doc("Unit", f.PROV_B)
		unit.append("officers", {"user": outsider, "role_in_unit": "Confidential Reader"})
		unit.save(ignore_permissions=True)
		self.assertIn(roles.CONFIDENTIAL_READER, frappe.get_roles(outsider))
		frappe.set_user(outsider)
		with self.assertRaises(frappe.PermissionError):
			rest.read_doc("Reporter Identity", self.secret_a1)
		frappe.set_user(f.READER)
		before = frappe.db.count("Access Log", {"export_from": "Reporter Identity", "user": f.READER})
		self.assertEqual(
			rest.read_doc("Reporter Identity", self.secret_a1).reporter_name, SECRET["reporter_name"]
		)
		frappe.set_user("Administrator")
		logged = frappe.get_all(
			"Access Log",
			filters={"export_from": "Reporter Identity", "user": f.READER},
			pluck="reference_document",
		)
		self.assertEqual(len(logged), before + 1)
		self.assertIn(self.secret_a1, logged)
		frappe.set_user(f.NASIONAL)
		self.assertIn(self.secret_a1, frappe.get_list("Access Log", pluck="reference_document"))


class TestSealedMail(HardeningCase):
	def communication(self, complaint, **values):
		doc = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": "Laporan dari Budi Pelapor",
				"sender": "budi.pelapor@example.org",
				"sender_full_name": "Budi Pelapor",
				"content": "Saya Budi Pelapor, warga desa Sukamaju, melaporkan pungutan.",
				"reference_doctype": "Complaint",
				"reference_name": complaint,
				**values,
			}
		)
		return doc.insert(ignore_permissions=True)

	def assertSealed(self, name):
		row = frappe.db.get_value(
			"Communication", name, ["sender", "sender_full_name", "subject", "content"], as_dict=True
		)
		text = json.dumps(row)
		self.assertNotIn("budi.pelapor", text)
		self.assertNotIn("Budi", text)
		self.assertEqual(row.sender_full_name, mail_sealing.sealed_sender())
		self.assertEqual(row.content, mail_sealing.sealed_message())
		original = frappe.db.get_value(
			"Reporter Identity Sealed Text", {"source_name": name, "source_field": "content"}, "original"
		)
		self.assertIn("warga desa Sukamaju", original, "the vault keeps the message")

	def test_mail_is_sealed_when_the_complaint_becomes_confidential(self):
		doc = f.complaint_at(
			f.KAB_A1,
			channel="Email",
			reporter_name="Budi Pelapor",
			reporter_email="budi.pelapor@example.org",
			reporter_phone=None,
			description="Saya Budi Pelapor melaporkan pungutan.",
		)
		mail = self.communication(doc.name)
		doc.reload()
		doc.is_confidential = 1
		doc.save()
		self.assertSealed(mail.name)
		self.assertNotIn("Budi", frappe.db.get_value("Complaint", doc.name, "description"))
		originals = frappe.get_all(
			"Reporter Identity Sealed Text",
			filters={"parent": doc.name},
			fields=["source_doctype", "source_field", "original"],
		)
		self.assertIn(
			("Communication", "sender", "budi.pelapor@example.org"), {tuple(r.values()) for r in originals}
		)
		frappe.set_user(f.ADMIN_A)
		getdoc("Complaint", doc.name)
		self.assertNotIn("Budi", json.dumps(frappe.response.docinfo, default=str))

	def test_a_reply_onto_a_confidential_complaint_is_sealed_on_arrival(self):
		mail = self.communication(
			self.secret_a1,
			sender=SECRET["reporter_email"],
			sender_full_name="Wening",
			content=f"Ini {SECRET['reporter_name']}, nomor saya {SECRET['reporter_phone']}. Tambahan bukti.",
		)
		row = frappe.db.get_value("Communication", mail.name, ["sender", "content"], as_dict=True)
		self.assertIsNone(row.sender)
		self.assertEqual(row.content, mail_sealing.sealed_message())
		sealed = frappe.get_all(
			"Reporter Identity Sealed Text",
			filters={"parent": self.secret_a1, "source_name": mail.name},
			fields=["source_field", "original"],
		)
		self.assertIn("Tambahan bukti", {r.source_field: r.original for r in sealed}["content"])


class TestSystemManagedFields(HardeningCase):
	def test_set_value_of_system_managed_fields_is_refused(self):
		frappe.set_user(f.ADMIN_A)
		stored = frappe.db.get_value(
			"Complaint",
			self.at_a1,
			["tracking_code", "origin_unit", "paused_days", "sla_escalations", "reporter_rating"],
			as_dict=True,
		)
		for field, value in (
			("tracking_code", "AAAABBBBCCCC"),
			("origin_unit", f.KAB_B1),
			("paused_days", 9),
			("sla_escalations", ""),
			("reporter_rating", 1),
		):
			if field == "sla_escalations":
				frappe.db.set_value("Complaint", self.at_a1, field, "Resolution|2026-01-01 00:00|x\n")
				stored[field] = "Resolution|2026-01-01 00:00|x\n"
			with self.assertRaisesRegex(frappe.ValidationError, "can only be changed by the system"):
				call(
					"frappe.client.set_value",
					doctype="Complaint",
					name=self.at_a1,
					fieldname=field,
					value=value,
				)
			self.assertEqual(frappe.db.get_value("Complaint", self.at_a1, field), stored[field])
		call(
			"frappe.client.set_value", doctype="Complaint", name=self.at_a1, fieldname="subject", value="Baru"
		)
		self.assertEqual(frappe.db.get_value("Complaint", self.at_a1, "subject"), "Baru")


class TestGivingAccess(HardeningCase):
	def test_sharing_outside_the_scope_is_refused(self):
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.PermissionError, "do not reach"):
			call("frappe.share.add", doctype="Complaint", name=self.at_a1, user=f.OFFICER_B1, read=1)
		with self.assertRaises(frappe.PermissionError):
			call("frappe.share.add", doctype="Complaint", name=self.at_a1, everyone=1, read=1)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("DocShare", {"share_name": self.at_a1, "user": f.OFFICER_B1}))
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Complaint", self.at_a1).check_permission("read")

	def test_sharing_within_the_scope_still_works(self):
		frappe.set_user(f.ADMIN_A)
		call("frappe.share.add", doctype="Complaint", name=self.at_a1, user=f.OFFICER_A1, read=1)
		self.assertTrue(frappe.db.exists("DocShare", {"share_name": self.at_a1, "user": f.OFFICER_A1}))

	def test_assigning_outside_the_scope_is_refused(self):
		frappe.set_user(f.ADMIN_A)
		with self.assertRaisesRegex(frappe.PermissionError, "do not reach"):
			call(
				"frappe.desk.form.assign_to.add",
				args={"doctype": "Complaint", "name": self.at_a1, "assign_to": json.dumps([f.OFFICER_B1])},
			)
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": self.at_a1, "allocated_to": f.OFFICER_B1})
		)

	def test_following_outside_the_scope_is_refused(self):
		frappe.db.set_value("User", f.OFFICER_B1, "document_follow_notify", 1)
		frappe.set_user(f.OFFICER_B1)
		with self.assertRaisesRegex(frappe.PermissionError, "do not reach"):
			call(
				"frappe.desk.form.document_follow.follow_document",
				doctype="Complaint",
				doc_name=self.at_a1,
				user=f.OFFICER_B1,
			)
		self.assertFalse(
			frappe.db.exists("Document Follow", {"ref_docname": self.at_a1, "user": f.OFFICER_B1})
		)


class TestRateLimitAddress(FrappeTestCase):
	"""Through Frappe's WSGI app: a guest cannot escape the per-IP limit by rotating X-Forwarded-For."""

	def track(self, client, peer: str, forwarded: str):
		from frappe.tests.test_api import make_request

		return make_request(
			target=client.post,
			args=("/api/method/p3m_app.portal.api.track",),
			kwargs={
				"data": {"code": "ZZZZ-ZZZZ-ZZZZ"},
				"headers": {"X-Forwarded-For": forwarded},
				"environ_overrides": {"REMOTE_ADDR": peer},
			},
			site=frappe.local.site,
		)

	def statuses(self, peer: str, count: int) -> list[int]:
		from frappe.utils import get_test_client

		client = get_test_client(use_cookies=False)
		return [self.track(client, peer, f"203.0.113.{i}").status_code for i in range(count)]

	def test_rotating_the_header_hits_the_limit(self):
		limit = frappe.utils.cint(frappe.conf.get("p3m_portal_track_limit")) or 30
		# a fresh address each run: the limiter remembers an address for an hour
		peer = f"2001:db8::{frappe.generate_hash(length=4)}:{frappe.generate_hash(length=4)}"
		codes = self.statuses(peer, limit + 2)
		self.assertEqual(codes[:limit], [200] * limit)
		self.assertEqual(codes[limit:], [429, 429])

	def test_a_trusted_proxy_passes_the_client_address_on(self):
		from frappe.installer import update_site_config

		limit = frappe.utils.cint(frappe.conf.get("p3m_portal_track_limit")) or 30
		peer = "192.0.2.77"
		update_site_config("p3m_trusted_proxies", [peer])
		try:
			codes = self.statuses(peer, limit + 2)
		finally:
			update_site_config("p3m_trusted_proxies", None)
		self.assertEqual(codes, [200] * (limit + 2), "each forwarded client has its own limit")


class TestLinkedRecords(HardeningCase):
	def test_files_on_a_complaint_are_private_and_scoped(self):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "bukti-hardening.txt",
				"content": b"bukti",
				"is_private": 0,
				"attached_to_doctype": "Complaint",
				"attached_to_name": self.at_a1,
			}
		).insert(ignore_permissions=True)
		self.assertEqual(file.is_private, 1)
		frappe.set_user(f.OFFICER_B1)
		self.assertNotIn(file.name, frappe.get_list("File", pluck="name", limit_page_length=0))
		self.assertFalse(frappe.has_permission("File", "read", doc=file.name))
		frappe.set_user(f.OFFICER_A1)
		self.assertIn(file.name, frappe.get_list("File", pluck="name", limit_page_length=0))

	def test_communications_and_child_rows_follow_the_complaint(self):
		mail = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "warga.linked@example.org",
				"subject": "Tambahan",
				"reference_doctype": "Complaint",
				"reference_name": self.at_a1,
			}
		).insert(ignore_permissions=True)
		frappe.set_user(f.OFFICER_B1)
		self.assertNotIn(mail.name, frappe.get_list("Communication", pluck="name", limit_page_length=0))
		self.assertFalse(frappe.has_permission("Communication", "read", doc=mail.name))
		milestones = frappe.get_list(
			"Complaint SLA Milestone", parent_doctype="Complaint", pluck="parent", limit_page_length=0
		)
		self.assertNotIn(self.at_a1, milestones)
		frappe.set_user(f.OFFICER_A1)
		self.assertIn(
			self.at_a1,
			frappe.get_list(
				"Complaint SLA Milestone", parent_doctype="Complaint", pluck="parent", limit_page_length=0
			),
		)


class TestReviewFindings(HardeningCase):
	def test_mail_sent_from_a_confidential_complaint_is_queued_then_sealed(self):
		from frappe.core.doctype.communication.email import make

		result = make(
			doctype="Complaint",
			name=self.secret_a1,
			content=f"Yth. {SECRET['reporter_name']}, mohon kirim bukti.",
			subject="Permintaan bukti",
			recipients="inspektorat.lain@example.org",
			send_email=True,
			communication_medium="Email",
		)
		queued = frappe.get_all(
			"Email Queue Recipient", filters={"recipient": "inspektorat.lain@example.org"}
		)
		self.assertTrue(queued, "the mail went out to its recipient")
		row = frappe.db.get_value("Communication", result["name"], ["recipients", "content"], as_dict=True)
		self.assertIsNone(row.recipients)
		self.assertEqual(row.content, mail_sealing.sealed_message())

	def test_automatic_follows_never_fail_an_action_and_never_reach_outside(self):
		frappe.db.set_value(
			"User", f.OFFICER_B1, {"document_follow_notify": 1, "follow_assigned_documents": 1}
		)
		doc = frappe.get_doc(
			{
				"doctype": "Document Follow",
				"ref_doctype": "Complaint",
				"ref_docname": self.at_a1,
				"user": f.OFFICER_B1,
			}
		)
		doc.insert(ignore_permissions=True)
		self.assertFalse(frappe.db.exists("Document Follow", doc.name), "dropped, not refused")
		# Frappe follows on an assignee's behalf as the assigning user, with permission checks
		frappe.set_user(f.ADMIN_A)
		follow = frappe.get_doc(
			{"doctype": "Document Follow", "ref_doctype": "Complaint", "ref_docname": self.at_a1}
		)
		follow.user = f.OFFICER_A1
		follow.save()
		frappe.set_user("Administrator")
		self.assertTrue(frappe.db.exists("Document Follow", follow.name))

	def test_a_complaint_file_cannot_be_made_public_later(self):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "bukti-later.txt",
				"content": b"bukti",
				"is_private": 1,
				"attached_to_doctype": "Complaint",
				"attached_to_name": self.at_a1,
			}
		).insert(ignore_permissions=True)
		file.is_private = 0
		file.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("File", file.name, "is_private"), 1)
