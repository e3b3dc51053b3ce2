"""Email-to-complaint through Frappe's Email Account: creation, threading, machine mail, dedupe,
HTML-only mail and attachment checks."""

import io
from email.message import EmailMessage
from email.utils import make_msgid
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.core import tracking_code
from p3m_app.handling import act
from p3m_app.intake import followups
from p3m_app.intake.email_inbox import ComplaintMail
from p3m_app.p3m_app.doctype.complaint.test_complaint_portal import without_frappe_exif_stripping
from p3m_app.tests import factories as f

INBOX = "pengaduan@p3m.test"
# Frappe's mail intake commits on its own, so every address is unique to this run and cleaned up
DOMAIN = f"{frappe.generate_hash(length=8)}.example.org"


def addr(local: str) -> str:
	return f"{local}@{DOMAIN}"


def make_inbox() -> "frappe.Document":
	name = "P3M Test Inbox"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": INBOX,
				"append_to": "Complaint",
				"enable_incoming": 0,
				"enable_auto_reply": 1,  # the inbox turns this off: our acknowledgement replaces it
				"create_contact": 1,
			}
		).insert(ignore_permissions=True)
	return frappe.get_doc("Email Account", name)


def mail(sender=None, subject="Jalan desa rusak", body="Mohon diperbaiki.", **headers):
	msg = EmailMessage()
	msg["From"] = f"Budi <{sender or addr('budi')}>"
	msg["To"] = INBOX
	msg["Subject"] = subject
	msg["Message-ID"] = headers.pop("message_id", None) or make_msgid(domain="example.org")
	for key, value in headers.items():
		msg[key.replace("_", "-")] = value
	msg.set_content(body)
	return msg


def receive(account, message):
	raw = message if isinstance(message, bytes) else message.as_bytes()
	inbound = ComplaintMail(raw, account)
	return inbound, inbound.process()


def receive_followed_up(account, message):
	"""receive(), then the follow-up job its new complaint queued (assignment, acknowledgement)."""
	inbound, communication = receive(account, message)
	if communication.reference_name:
		followups.run(communication.reference_name, in_reply_to=inbound.message_id)
	return inbound, communication


def complaints_from(sender):
	return frappe.get_all("Complaint", filters={"reporter_email": sender}, pluck="name")


class TestComplaintEmail(FrappeTestCase):
	def setUp(self):
		f.make_world()
		self.account = make_inbox()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("Communication", {"sender": ("like", f"%@{DOMAIN}")})
		frappe.db.delete("Unhandled Email", {"raw": ("like", f"%@{DOMAIN}%")})
		f.purge_complaints({"reporter_email": ("like", f"%@{DOMAIN}")})
		super().tearDownClass()

	def test_inbox_turns_off_generic_auto_reply_and_contacts(self):
		self.assertFalse(self.account.enable_auto_reply)
		self.assertFalse(self.account.create_contact)

	def test_new_mail_becomes_an_acknowledged_complaint(self):
		message = mail(sender=addr("budi.new"))
		message.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="foto.pdf")
		_inbound, communication = receive_followed_up(self.account, message)
		doc = frappe.get_doc("Complaint", communication.reference_name)
		self.assertEqual(
			(doc.channel, doc.reporter_email, doc.subject),
			("Email", addr("budi.new"), "Jalan desa rusak"),
		)
		self.assertIn("Mohon diperbaiki.", doc.description)
		self.assertEqual(doc.owner, "Guest")
		self.assertTrue(
			frappe.db.exists("File", {"attached_to_name": communication.name, "file_name": "foto.pdf"})
		)
		acks = frappe.get_all("Email Queue", filters={"reference_name": doc.name}, fields=["message"])
		self.assertEqual(len(acks), 1)
		self.assertIn(tracking_code.display(doc.tracking_code), acks[0].message)

	def test_a_sender_clock_years_off_does_not_lose_the_mail(self):
		message = mail(sender=addr("budi.clock"), Date="Mon, 01 Jan 2001 10:00:00 +0700")
		_inbound, communication = receive(self.account, message)
		self.assertTrue(communication.reference_name, "the mail became a complaint")
		received = frappe.db.get_value("Complaint", communication.reference_name, "received_at")
		self.assertEqual(received.date(), frappe.utils.getdate())
		self.assertEqual(frappe.utils.get_datetime(communication.communication_date).year, 2001)

	def ack_message_id(self, complaint):
		return frappe.db.get_value("Email Queue", {"reference_name": complaint}, "message_id")

	def test_reply_threads_by_headers_without_a_second_ack(self):
		_inbound, first = receive_followed_up(self.account, mail(sender=addr("budi.thread")))
		reply = mail(
			sender=addr("budi.thread"),
			subject="Re: apa saja",
			In_Reply_To=self.ack_message_id(first.reference_name),
		)
		_inbound, second = receive_followed_up(self.account, reply)
		self.assertEqual(second.reference_name, first.reference_name)
		self.assertEqual(complaints_from(addr("budi.thread")), [first.reference_name])
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": first.reference_name}), 1)

	def test_tracking_code_threads_only_from_the_reporter(self):
		_inbound, first = receive(self.account, mail(sender=addr("budi.code")))
		code = tracking_code.display(frappe.db.get_value("Complaint", first.reference_name, "tracking_code"))
		_inbound, own = receive(
			self.account, mail(sender=addr("budi.code"), subject=f"Re: tambahan [{code}]")
		)
		self.assertEqual(own.reference_name, first.reference_name)
		_inbound, stranger = receive(self.account, mail(sender=addr("eve"), subject=f"Re: [{code}]"))
		self.assertNotEqual(stranger.reference_name, first.reference_name)
		self.assertEqual(
			frappe.db.get_value("Complaint", stranger.reference_name, "reporter_email"), addr("eve")
		)

	def test_document_name_in_subject_does_not_hijack(self):
		_inbound, first = receive(self.account, mail(sender=addr("budi.name")))
		_inbound, stranger = receive(
			self.account, mail(sender=addr("eve.name"), subject=f"Re: (#{first.reference_name})")
		)
		self.assertNotEqual(stranger.reference_name, first.reference_name)

	def test_machine_mail_never_opens_a_complaint(self):
		before = frappe.db.count("Complaint")
		cases = [
			mail(
				sender=addr("budi.ooo"),
				subject="Automatic reply: Pengaduan",
				Auto_Submitted="auto-replied",
			),
			mail(sender=f"MAILER-DAEMON@{DOMAIN}", subject="Undelivered Mail Returned to Sender"),
			mail(sender=addr("news"), subject="Buletin", Precedence="bulk", List_Id="<news.example.org>"),
		]
		for message in cases:
			inbound, communication = receive(self.account, message)
			self.assertFalse(communication.reference_name)
			self.assertTrue(inbound.flags.p3m_automated)
			self.assertFalse(
				frappe.db.exists("Email Queue", {"recipients": ("like", f"%{inbound.from_email}%")})
			)
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_duplicate_message_id_is_stored_once(self):
		message = mail(sender=addr("budi.dup"), message_id=f"<dup-1@{DOMAIN}>")
		_inbound, first = receive(self.account, message)
		_inbound, again = receive(self.account, message)
		self.assertEqual(first.name, again.name)
		self.assertEqual(len(complaints_from(addr("budi.dup"))), 1)
		self.assertEqual(frappe.db.count("Communication", {"message_id": f"dup-1@{DOMAIN}"}), 1)

	def test_broken_mime_is_kept(self):
		raw = (
			f"From: Rusak <rusak@{DOMAIN}>".encode()
			+ b"\r\nTo: pengaduan@p3m.test\r\nSubject: =?utf-8?B?invalid?=\r\n"
			+ f"Message-ID: <broken-1@{DOMAIN}>\r\n".encode()
			+ b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
			b"--XX\r\nContent-Type: text/plain; charset=unknown-8bit\r\nContent-Transfer-Encoding: base64\r\n\r\n"
			b"!!!not base64\xff\xfe\r\n--XX"
		)
		_inbound, communication = receive(self.account, raw)
		self.assertTrue(frappe.db.exists("Communication", communication.name))
		self.assertTrue(communication.reference_name)
		self.assertEqual(frappe.db.get_value("Complaint", communication.reference_name, "channel"), "Email")

	def test_a_mail_whose_complaint_fails_is_read_again_leniently(self):
		before = frappe.db.count("Error Log")
		with patch("p3m_app.intake.email_inbox.new_complaint", side_effect=frappe.ValidationError("bad")):
			_inbound, communication = receive(self.account, mail(sender=addr("budi.fail")))
		self.assertTrue(frappe.db.exists("Communication", communication.name))
		self.assertEqual(complaints_from(addr("budi.fail")), [communication.reference_name])
		self.assertTrue(
			frappe.db.exists(
				"File",
				{"attached_to_name": communication.reference_name, "file_name": ("like", "p3m-raw-mail-%")},
			)
		)
		self.assertEqual(frappe.db.count("Error Log"), before + 1)

	def test_a_mail_no_reader_can_store_is_queued_for_the_admins(self):
		with (
			patch("p3m_app.intake.email_inbox.new_complaint", side_effect=frappe.ValidationError("bad")),
			patch("p3m_app.intake.mail_rescue.complaint_from_raw", side_effect=RuntimeError("down")),
		):
			inbound, communication = receive(self.account, mail(sender=addr("budi.queue")))
		self.assertFalse(communication.reference_name)
		self.assertFalse(complaints_from(addr("budi.queue")))
		self.assertTrue(
			frappe.db.exists(
				"Unhandled Email", {"email_account": self.account.name, "message_id": inbound.message_id}
			)
		)

	def test_answer_from_the_desk_reaches_the_mail_reporter(self):
		_inbound, first = receive(self.account, mail(sender=addr("budi.answer")))
		name = first.reference_name
		act(name, "Verify", category="T Pembayaran")
		act(name, "Handle Directly")
		act(name, "Answer", response="Jalan akan diperbaiki minggu depan.")
		messages = frappe.get_all("Email Queue", filters={"reference_name": name}, pluck="message")
		self.assertTrue(any("Jalan akan diperbaiki" in (m or "") for m in messages))

	def test_html_only_mail_becomes_a_complaint_with_readable_text(self):
		message = mail(sender=addr("budi.html"))
		message.set_content(
			"<html><head><style>p{color:red}</style></head><body><p>Jalan <b>desa</b> rusak &amp; "
			"berlubang.</p><p>Mohon <<x>img src=x onerror=alert(1)>diperbaiki.</p>"
			"<script>alert(1)</script></body></html>",
			subtype="html",
		)
		_inbound, communication = receive(self.account, message)
		self.assertTrue(communication.reference_name)
		description = frappe.db.get_value("Complaint", communication.reference_name, "description")
		self.assertEqual(description, "Jalan desa rusak & berlubang.\nMohon diperbaiki.")

	def test_mail_attachments_pass_the_portal_checks(self):
		message = mail(sender=addr("budi.files"))
		message.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="bukti.pdf")
		message.add_attachment(
			b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
			maintype="application",
			subtype="xhtml+xml",
			filename="halaman.xhtml",
		)
		_inbound, communication = receive(self.account, message)
		files = frappe.get_all(
			"File", filters={"attached_to_name": communication.name}, fields=["file_name", "is_private"]
		)
		self.assertEqual([(x.file_name, x.is_private) for x in files], [("bukti.pdf", 1)])
		comments = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Complaint",
				"reference_name": communication.reference_name,
				"comment_type": "Info",
			},
			pluck="content",
		)
		self.assertEqual(len([c for c in comments if "halaman.xhtml" in c]), 1)
		self.assertFalse(any("bukti.pdf" in c for c in comments))

	def test_photos_on_a_confidential_complaint_lose_their_location(self):
		from PIL import ExifTags, Image

		_inbound, first = receive_followed_up(self.account, mail(sender=addr("budi.photo")))
		frappe.db.set_value("Complaint", first.reference_name, "is_confidential", 1)
		exif = Image.Exif()
		exif[0x013B] = "Budi Rahasia"
		exif[ExifTags.IFD.GPSInfo] = {1: "S", 2: (6.0, 10.0, 30.0)}
		out = io.BytesIO()
		Image.new("RGB", (40, 20)).save(out, "JPEG", exif=exif)
		reply = mail(
			sender=addr("budi.photo"),
			subject="Re: foto",
			In_Reply_To=self.ack_message_id(first.reference_name),
		)
		reply.add_attachment(out.getvalue(), maintype="image", subtype="jpeg", filename="foto.jpg")
		with without_frappe_exif_stripping():
			_inbound, second = receive(self.account, reply)
		self.assertEqual(second.reference_name, first.reference_name)
		(name,) = frappe.get_all("File", filters={"attached_to_name": second.name}, pluck="name")
		content = frappe.safe_encode(frappe.get_doc("File", name).get_content())
		self.assertFalse(Image.open(io.BytesIO(content)).getexif())
		self.assertNotIn(b"Budi Rahasia", content)
