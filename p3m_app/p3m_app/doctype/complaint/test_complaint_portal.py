"""The citizen portal: guest submission, identity choices, tracking by code, reporter actions."""

import io
import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from p3m_app.core import tracking_code
from p3m_app.handling import act
from p3m_app.intake import followups
from p3m_app.portal import api, mine, submission, tracking
from p3m_app.tests import factories as f

PDF = b"%PDF-1.4 test evidence"


def without_frappe_exif_stripping():
	"""Frappe re-encodes JPEG uploads without EXIF while a site setting (on by default) says so; the
	scrubbing of protected reports must not depend on it."""
	return patch("frappe.core.doctype.file.file.strip_exif_data", side_effect=lambda content, _type: content)


def photo_with_location() -> bytes:
	"""A phone photo: EXIF with the owner's name, the phone and where it was taken."""
	from PIL import ExifTags, Image

	exif = Image.Exif()
	exif[0x013B] = "Siti Portal"  # Artist
	exif[0x0110] = "Pixel 7"  # Model
	exif[ExifTags.IFD.GPSInfo] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}
	out = io.BytesIO()
	Image.new("RGB", (40, 20), (200, 10, 10)).save(out, "JPEG", exif=exif)
	return out.getvalue()


def form(**overrides):
	values = {
		"classification": "Pengaduan",
		"subject": "Bantuan tidak cair",
		"description": "Bantuan PKH bulan Oktober belum diterima.",
		"chronology": "Sejak Oktober saldo kosong.",
		"category": "T Pembayaran",
		"reporter_name": "Siti Portal",
		"reporter_email": "siti.portal@example.org",
		"reporter_phone": "+62 812 3333 4444",
	}
	values.update(overrides)
	return values


def submit_as(user, values, files=()):
	frappe.set_user(user)
	try:
		return submission.submit(values, list(files))
	finally:
		frappe.set_user("Administrator")


def stored(result):
	code = tracking_code.normalize(result["tracking_code"])
	return frappe.get_doc("Complaint", {"tracking_code": code})


class TestPortalSubmission(FrappeTestCase):
	def setUp(self):
		f.make_world()
		# unique per run: a citizen's list must hold exactly what this test filed
		run = frappe.generate_hash(length=6)
		self.portal_user = f.make_user(f"t.citizen.{run}@p3m.test")
		self.other_user = f.make_user(f"t.citizen2.{run}@p3m.test")

	def test_guest_submission_ignores_forged_fields(self):
		result = submit_as(
			"Guest",
			form(
				owner=f.NASIONAL,
				current_unit=f.KAB_B1,
				workflow_state="Selesai",
				identity_sealed="1",
				portal_user=f.NASIONAL,
				channel="Audit Finding",
				description="<b>Tolong</b><script>alert(1)</script> bantu",
			),
		)
		doc = stored(result)
		self.assertEqual(result["tracking_code"], tracking_code.display(doc.tracking_code))
		self.assertEqual(doc.owner, "Guest")
		self.assertEqual(doc.channel, "Web Portal")
		self.assertEqual(doc.workflow_state, "Baru")
		self.assertEqual(doc.current_unit, f.PUSAT)  # the category's default unit, not the forged one
		self.assertFalse(doc.portal_user)
		self.assertEqual(doc.description, "Tolong bantu")
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
		followups.run(doc.name)  # the job the submission queued: the tracking code by mail
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": doc.name}))

	def test_anonymous_keeps_no_identity_even_when_signed_in(self):
		doc = stored(submit_as(self.portal_user, form(is_anonymous="1")))
		self.assertTrue(doc.is_anonymous)
		for fieldname in ("reporter_name", "reporter_email", "reporter_phone", "portal_user"):
			self.assertFalse(doc.get(fieldname))
		self.assertFalse(frappe.db.exists("Reporter Identity", doc.name))
		self.assertEqual(doc.owner, "Guest")
		self.assertNotIn(doc.name, mine.owned_names(self.portal_user))

	def test_confidential_identity_is_sealed_with_the_account(self):
		doc = stored(submit_as(self.portal_user, form(is_confidential="1")))
		self.assertTrue(doc.identity_sealed)
		self.assertFalse(doc.reporter_name or doc.reporter_email or doc.portal_user)
		vault = frappe.get_doc("Reporter Identity", doc.name)
		self.assertEqual((vault.reporter_name, vault.portal_user), ("Siti Portal", self.portal_user))
		self.assertEqual(doc.owner, "Guest")
		self.assertIn(doc.name, mine.owned_names(self.portal_user))
		self.assertTrue(mine.has_website_permission(doc, "read", self.portal_user))
		self.assertFalse(mine.has_website_permission(doc, "read", self.other_user))
		self.assertEqual([c["subject"] for c in mine.my_complaints(self.portal_user)], ["Bantuan tidak cair"])

	def test_whistleblowing_is_confidential_by_default(self):
		wb = {k: "detail" for k in ("wb_who", "wb_what", "wb_when", "wb_where", "wb_how")}
		doc = stored(submit_as("Guest", form(classification="Whistleblowing", is_confidential="0", **wb)))
		self.assertTrue(doc.is_confidential and doc.identity_sealed)
		self.assertEqual(doc.wb_how, "detail")

	def test_information_request_asks_what_and_in_which_form(self):
		with self.assertRaises(frappe.ValidationError):
			submit_as("Guest", form(classification="Permintaan Informasi", information_requested="Daftar"))
		doc = stored(
			submit_as(
				"Guest",
				form(
					classification="Permintaan Informasi",
					information_requested="Daftar penerima PKH desa",
					information_format="Softcopy",
				),
			)
		)
		self.assertEqual(doc.information_format, "Softcopy")
		self.assertFalse(doc.chronology)

	def test_honeypot_is_refused_quietly(self):
		before = frappe.db.count("Complaint")
		result = submit_as("Guest", form(website="http://spam.example"))
		self.assertTrue(tracking_code.is_well_formed(tracking_code.normalize(result["tracking_code"])))
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_replayed_submission_is_stored_once(self):
		before = frappe.db.count("Complaint")
		form_id = f"form-{frappe.generate_hash(length=10)}"
		first = submit_as("Guest", form(submission_id=form_id))
		second = submit_as("Guest", form(submission_id=form_id))
		self.assertEqual(first["tracking_code"], second["tracking_code"])
		self.assertEqual(frappe.db.count("Complaint"), before + 1)

	def test_attachments_are_private_and_checked(self):
		doc = stored(submit_as("Guest", form(), [("bukti.pdf", PDF)]))
		files = frappe.get_all(
			"File", filters={"attached_to_name": doc.name}, fields=["file_name", "is_private", "owner"]
		)
		self.assertEqual([(x.file_name, x.is_private) for x in files], [("bukti.pdf", 1)])
		before = frappe.db.count("Complaint")
		for name, content in [("x.svg", b"<svg onload=alert(1)/>"), ("a.pdf", b"<html>"), ("x.html", b"<p>")]:
			with self.assertRaises(frappe.ValidationError):
				submit_as("Guest", form(), [(name, content)])
		with self.assertRaises(frappe.ValidationError):
			submit_as("Guest", form(), [("a.pdf", PDF)] * 6)
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_confidential_report_photos_lose_location_and_owner(self):
		from PIL import ExifTags, Image

		original = photo_with_location()
		self.assertTrue(Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo))
		with without_frappe_exif_stripping():
			doc = stored(submit_as("Guest", form(is_confidential="1"), [("foto.jpg", original)]))
		(name,) = frappe.get_all("File", filters={"attached_to_name": doc.name}, pluck="name")
		file = frappe.get_doc("File", name)  # foto.jpg, or foto<hash>.jpg when the name is taken on disk
		content = frappe.safe_encode(file.get_content())
		image = Image.open(io.BytesIO(content))
		self.assertEqual(image.size, (40, 20))
		self.assertFalse(image.getexif())
		self.assertNotIn(b"Siti Portal", content)
		self.assertNotIn(b"Pixel 7", content)
		self.assertTrue(file.is_private)

	def test_a_file_that_cannot_be_scrubbed_is_refused_for_an_anonymous_report(self):
		before = frappe.db.count("Complaint")
		with self.assertRaises(frappe.ValidationError):
			submit_as("Guest", form(is_anonymous="1"), [("bukti.pdf", PDF)])  # not a readable PDF
		self.assertEqual(frappe.db.count("Complaint"), before)
		doc = stored(submit_as("Guest", form(), [("bukti.pdf", PDF)]))  # named: kept as sent
		content = frappe.get_doc("File", {"attached_to_name": doc.name}).get_content()
		self.assertEqual(frappe.safe_encode(content), PDF)

	def test_no_outgoing_account_shows_the_citizen_no_server_message(self):
		outgoing = frappe.get_all("Email Account", filters={"enable_outgoing": 1}, pluck="name")
		for name in outgoing:
			frappe.db.set_value("Email Account", name, "enable_outgoing", 0)
		frappe.local.outgoing_email_account = {}  # Frappe keeps the account found per request
		try:
			errors = frappe.db.count("Error Log")
			frappe.set_user("Guest")  # also empties the form
			frappe.local.message_log = []
			frappe.form_dict.update(form(reporter_email="siti.nomail@example.org"))
			result = api.submit()
			self.assertEqual(frappe.local.message_log, [])  # what becomes _server_messages
			self.assertTrue(followups.run(stored(result).name))  # the job the submission queued
			frappe.set_user("Administrator")
			doc = stored(result)
			self.assertFalse(doc.acknowledged_at)
			self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
			self.assertEqual(frappe.db.count("Error Log"), errors + 1)
		finally:
			frappe.set_user("Administrator")
			for name in outgoing:
				frappe.db.set_value("Email Account", name, "enable_outgoing", 1)
			frappe.local.outgoing_email_account = {}
			frappe.local.form_dict = frappe._dict()

	def test_bad_input_is_refused_with_a_clear_error(self):
		for values in (
			form(subject=""),
			form(subject="x" * 141),
			form(reporter_email="", reporter_phone=""),
			form(category="No Such Category"),
			form(incident_date="2999-01-01"),
		):
			with self.assertRaises(frappe.ValidationError):
				submit_as("Guest", values)


class TestPortalTracking(FrappeTestCase):
	def setUp(self):
		f.make_world()

	def submit(self, **overrides):
		result = submit_as("Guest", form(**overrides))
		return result["tracking_code"], stored(result)

	def test_view_shows_progress_and_never_identity(self):
		code, doc = self.submit(is_confidential="1")
		act(doc.name, "Verify")
		f.dispose(doc.name, f.PROV_A, instruction="INTERNAL INSTRUCTION")
		view = tracking.view(code.lower().replace("-", " "))
		self.assertTrue(view["found"])
		self.assertEqual(view["unit"], "Prov A (T)")
		text = json.dumps(view, default=str)
		for secret in (
			"Siti Portal",
			"siti.portal@example.org",
			"3333",
			"INTERNAL INSTRUCTION",
			f.ADMIN_A,
			doc.name,
		):
			self.assertNotIn(secret, text)
		self.assertTrue(any("Prov A (T)" in e["text"] for e in view["events"]))
		self.assertTrue(view["deadlines"])

	def test_wrong_and_malformed_codes_answer_alike(self):
		answers = {
			json.dumps(tracking.view(code))
			for code in ("", None, "ABCD-EFGH-JKMN", "'; drop table", "x" * 500)
		}
		self.assertEqual(len(answers), 1)
		self.assertFalse(json.loads(answers.pop())["found"])

	def test_enumeration_is_rate_limited(self):
		frappe.local.request = frappe._dict(method="POST")
		frappe.local.request_ip = "203.0.113.77"
		frappe.form_dict.cmd = "p3m_app.portal.api.track"
		frappe.conf.p3m_portal_track_limit = "5"  # as `bench set-config` stores it
		key = frappe.cache.make_key(f"rl:{frappe.form_dict.cmd}:{frappe.local.request_ip}")
		frappe.cache.delete(key)
		try:
			for i in range(5):
				self.assertFalse(api.track(code=f"ABCD-EFGH-{i:04d}")["found"])
			with self.assertRaises(frappe.RateLimitExceededError):
				api.track(code="ABCD-EFGH-JKMN")
		finally:
			frappe.cache.delete(key)
			frappe.conf.pop("p3m_portal_track_limit", None)
			frappe.local.request = None

	def test_reporter_adds_information_while_pending(self):
		code, doc = self.submit()
		with self.assertRaises(frappe.ValidationError):
			tracking.add_information(code, "Tambahan", [])
		act(doc.name, "Mark Pending", pending_reason="Mohon kirim foto kartu KKS.")
		view = tracking.view(code)
		self.assertEqual(view["information_needed"], "Mohon kirim foto kartu KKS.")
		view = tracking.add_information(code, "Foto terlampir.", [("kks.pdf", PDF)])
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "workflow_state"), "Verifikasi")
		self.assertTrue(
			frappe.db.exists("Comment", {"reference_name": doc.name, "content": "Foto terlampir."})
		)
		self.assertTrue(frappe.db.exists("File", {"attached_to_name": doc.name, "file_name": "kks.pdf"}))

	def answered(self):
		code, doc = self.submit()
		act(doc.name, "Verify")
		act(doc.name, "Handle Directly")
		act(doc.name, "Answer", response="<p>Bantuan sudah ditransfer.</p><script>x()</script>")
		return code, frappe.get_doc("Complaint", doc.name)

	def test_answer_reaches_the_reporter_and_can_be_rated(self):
		code, doc = self.answered()
		queued = frappe.get_all(
			"Email Queue", filters={"reference_name": doc.name}, fields=["message"], order_by="creation desc"
		)
		self.assertTrue(any("Bantuan sudah ditransfer" in (q.message or "") for q in queued))
		view = tracking.view(code)
		self.assertIn("Bantuan sudah ditransfer", view["answer"])
		self.assertNotIn("<script", view["answer"])
		self.assertTrue(view["can_rate"] and view["can_object"])
		view = tracking.rate(code, "4", "Cepat")
		self.assertEqual(view["rating"], 4)
		with self.assertRaises(frappe.ValidationError):
			tracking.rate(code, "5", "again")

	def test_objection_reopens_within_the_window_only(self):
		code, doc = self.answered()
		self.assertTrue(doc.autoclose_at)
		view = tracking.object_to_answer(code, "Dana belum masuk rekening.")
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "workflow_state"), "Dibuka Kembali")
		self.assertIn(
			"Dana belum masuk rekening.", frappe.db.get_value("Complaint", doc.name, "reopen_reason")
		)
		self.assertFalse(view["can_object"])

		code, doc = self.answered()
		frappe.db.set_value("Complaint", doc.name, "autoclose_at", add_days(now_datetime(), -1))
		with self.assertRaises(frappe.ValidationError):
			tracking.object_to_answer(code, "Terlambat")

	def test_anonymous_answer_sends_no_mail(self):
		code, doc = self.submit(is_anonymous="1")
		act(doc.name, "Verify")
		act(doc.name, "Handle Directly")
		act(doc.name, "Answer", response="Sudah ditindaklanjuti.")
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
		self.assertIn("Sudah ditindaklanjuti.", tracking.view(code)["answer"])
