"""No mail falls through: malformed messages through Email Account.receive(), the admins' queue,
Make Complaint, and a date the holiday calendar does not cover.

The messages are generated here (.eml bytes); they reach Frappe's own receive loop through a
stand-in mail server (POP3 shape), and, when tests/imap/start_dovecot.sh configured one, through
a real IMAP server. Every message must end as a complaint or as a row of the admins' queue, and a
re-delivery stores nothing twice.
"""

import base64
import imaplib
import time
from email.message import EmailMessage
from email.utils import make_msgid
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.core.working_calendar import CalendarRangeError
from p3m_app.intake import mail_rescue, unhandled_mail
from p3m_app.tests import factories as f

RUN = frappe.generate_hash(length=8)
DOMAIN = f"{RUN}.malformed.example.org"
INBOX = f"malformed-{RUN}@p3m.test"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _mid(tag: str) -> bytes:
	return f"Message-ID: <{tag}-{RUN}@{DOMAIN}>\r\n".encode()


def fixtures(tag: str = "") -> dict[str, bytes]:
	"""The kinds of the issue: one .eml each, unique to this run (and to ``tag``)."""
	if tag:
		return {k: v.replace(RUN.encode(), f"{RUN}{tag}".encode()) for k, v in fixtures().items()}
	to = f"To: {INBOX}\r\n".encode()
	sender = f"From: Warga <warga.{RUN}@{DOMAIN}>\r\n".encode()
	cases = {
		"no_from": to
		+ b"Subject: Tanpa pengirim\r\n"
		+ _mid("nofrom")
		+ b"\r\nJalan rusak di desa kami.\r\n",
		"invalid_from": b"From: foo\r\n" + to + b"Subject: Alamat aneh\r\n" + _mid("foo") + b"\r\nIsi.\r\n",
		"broken_mime": sender
		+ to
		+ b"Subject: =?utf-8?B?invalid?=\r\n"
		+ _mid("mime")
		+ b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
		+ b"--XX\r\nContent-Type: text/plain; charset=unknown-8bit\r\n"
		+ b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64\xff\xfe\r\n--XX",
		"corrupt_image": sender
		+ to
		+ b"Subject: Foto rusak\r\n"
		+ _mid("img")
		+ b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n'
		+ b"Lihat foto.\r\n--B\r\nContent-Type: image/jpeg; name=foto.jpg\r\n"
		+ b"Content-Disposition: attachment; filename=foto.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		+ base64.b64encode(JPEG_HEAD + b"\x00garbage" * 20)
		+ b"\r\n--B--\r\n",
		"bad_charset": sender
		+ to
		+ b"Subject: =?x-no-such?Q?Jalan_=FF?=\r\n"
		+ _mid("charset")
		+ b"Content-Type: text/plain; charset=x-no-such-charset\r\n"
		+ b"Content-Transfer-Encoding: 8bit\r\n\r\nJalan \xff\xfe rusak\r\n",
		"empty_body": sender + to + b"Subject: Kosong\r\n" + _mid("empty") + b"\r\n",
		"huge_subject": sender
		+ to
		+ b"Subject: "
		+ b"Panjang " * 4000
		+ b"\r\n"
		+ _mid("huge")
		+ b"\r\nIsi.\r\n",
		"no_message_id": sender + to + f"Subject: Tanpa Message-ID {RUN}\r\n\r\nIsi.\r\n".encode(),
		"garbage": f"{RUN} \x00\x01 bukan surat".encode() + b"\xff\xfe\r\n\r\n\x00",
		"html_only": _html_only(),
		"sender_clock_2001": sender
		+ to
		+ b"Subject: Jam salah\r\nDate: Mon, 01 Jan 2001 10:00:00 +0700\r\n"
		+ _mid("clock")
		+ b"\r\nIsi.\r\n",
	}
	return cases


def _html_only() -> bytes:
	message = EmailMessage()
	message["From"] = f"Warga <html.{RUN}@{DOMAIN}>"
	message["To"] = INBOX
	message["Subject"] = "Hanya HTML"
	message["Message-ID"] = make_msgid(domain=DOMAIN)
	message.set_content("<p>Jalan <b>rusak</b></p>", subtype="html")
	return message.as_bytes()


class FakeServer:
	"""The POP3 shape Frappe's get_inbound_mails reads."""

	def __init__(self, raws):
		self.raws = raws

	def get_messages(self, folder=None):
		return {"latest_messages": list(self.raws), "uid_list": [], "seen_status": {}}

	def logout(self):
		pass


def queued(account: str) -> int:
	return frappe.db.count("Unhandled Email", {"email_account": account})


class TestMalformedMail(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		cls.account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"P3M Malformed {RUN}",
				"email_id": INBOX,
				"append_to": "Complaint",
				"enable_incoming": 0,
			}
		).insert(ignore_permissions=True)
		unhandled_mail.ensure_queue_access()
		frappe.db.commit()
		cls.made = set()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("Unhandled Email", {"email_account": cls.account.name})
		frappe.db.delete("Communication", {"email_account": cls.account.name})
		frappe.db.delete("File", {"attached_to_name": ("in", list(cls.made) or [""])})
		f.purge_complaints({"name": ("in", list(cls.made) or [""])})
		frappe.db.delete("Email Account", {"name": cls.account.name})
		frappe.db.commit()
		super().tearDownClass()

	def receive(self, raws):
		account = frappe.get_doc("Email Account", self.account.name)
		account.enable_incoming = 1  # in memory only: there is no server to check on save
		with patch.object(type(account), "get_incoming_server", lambda *a, **k: FakeServer(raws)):
			account.receive()  # raises when any message ended in an exception

	def outcome(self):
		return set(frappe.get_all("Complaint", {"channel": "Email"}, pluck="name")), queued(self.account.name)

	def test_every_malformed_mail_ends_as_a_complaint_or_queued_and_once(self):
		for kind, raw in fixtures("set").items():
			with self.subTest(kind):
				complaints, queue = self.outcome()
				self.receive([raw])
				after, queue_after = self.outcome()
				self.made |= after - complaints
				self.assertEqual(len(after - complaints) + (queue_after - queue), 1, kind)
				self.receive([raw])  # re-delivered: nothing stored twice
				self.assertEqual(self.outcome(), (after, queue_after), kind)

	def test_a_mail_frappe_cannot_parse_becomes_a_complaint_with_its_raw_message(self):
		raw = fixtures()["no_from"]
		self.receive([raw])
		name = mail_rescue.existing_complaint(raw)
		self.assertTrue(name)
		self.made.add(name)
		doc = frappe.get_doc("Complaint", name)
		self.assertIn("Jalan rusak", doc.description)
		self.assertFalse(doc.reporter_email)
		raw_file = frappe.db.get_value(
			"File", {"attached_to_name": name, "file_name": ("like", "p3m-raw-mail-%")}, "is_private"
		)
		self.assertEqual(raw_file, 1)
		# once the complaint is confidential, the raw message (the sender's identity) is in the vault
		frappe.db.set_value("Complaint", name, "is_confidential", 1)
		from p3m_app.access import mail_sealing

		mail_sealing.seal_existing(name)
		self.assertFalse(
			frappe.db.exists(
				"File",
				{
					"attached_to_doctype": "Complaint",
					"attached_to_name": name,
					"file_name": ("like", "p3m-raw-mail-%"),
				},
			)
		)
		self.assertTrue(
			frappe.db.exists("File", {"attached_to_doctype": "Reporter Identity", "attached_to_name": name})
		)
		frappe.db.delete("File", {"attached_to_doctype": "Reporter Identity", "attached_to_name": name})
		frappe.db.commit()

	def test_a_corrupt_image_is_kept_as_a_private_file(self):
		raw = fixtures()["corrupt_image"]
		self.receive([raw])
		linked = frappe.db.get_value("Communication", {"message_id": f"img-{RUN}@{DOMAIN}"}, "name")
		complaint = mail_rescue.existing_complaint(raw) or frappe.db.get_value(
			"Communication", linked, "reference_name"
		)
		self.made.add(complaint)
		files = frappe.get_all(
			"File",
			filters={"attached_to_name": ("in", [n for n in (complaint, linked) if n])},
			fields=["file_name", "is_private"],
		)
		self.assertTrue(all(x.is_private for x in files), files)
		self.assertTrue(any(x.file_name.startswith("foto") for x in files), files)
		self.assertTrue(mail_rescue.existing_complaint(raw) or linked)

	def test_a_date_the_calendar_does_not_cover_never_stops_the_complaint(self):
		error = CalendarRangeError("{day} is outside the holiday calendar.", day="2099-01-01")
		raw = fixtures()["sender_clock_2001"].replace(b"clock-", b"uncovered-")
		with patch("p3m_app.sla.engine.sla.schedule", side_effect=error):
			self.receive([raw])
		name = frappe.db.get_value(
			"Communication", {"message_id": f"uncovered-{RUN}@{DOMAIN}"}, "reference_name"
		)
		self.assertTrue(name)
		self.made.add(name)
		row = frappe.db.get_value(
			"Complaint", name, ["sla_status", "sla_current_due", "received_at"], as_dict=True
		)
		self.assertEqual((row.sla_status, row.sla_current_due), ("Not Computable", None))
		self.assertEqual(row.received_at.date(), frappe.utils.getdate())
		self.assertTrue(frappe.db.exists("Notification Log", {"document_name": name, "for_user": f.NASIONAL}))

	def test_queue_is_seen_by_the_inbox_admins_only_and_make_complaint_is_idempotent(self):
		raw = (
			f"From: warga.queue.{RUN}@{DOMAIN}\r\nSubject: Antrean\r\nMessage-ID: <queue-{RUN}@{DOMAIN}>\r\n"
			"\r\nLampu jalan mati.\r\n"
		).encode()
		with (
			patch("p3m_app.intake.email_inbox.new_complaint", side_effect=RuntimeError("down")),
			patch.object(mail_rescue, "complaint_from_raw", side_effect=RuntimeError("down")),
		):
			self.receive([raw])
		name = frappe.db.get_value("Unhandled Email", {"message_id": f"queue-{RUN}@{DOMAIN}"})
		self.assertTrue(name)
		alert = frappe.db.get_value(
			"Notification Log", {"document_name": name, "for_user": f.NASIONAL}, "subject"
		)
		self.assertTrue(alert)
		self.assertNotIn("warga.queue", alert)
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": name, "for_user": f.ADMIN_A}))
		for user, sees in ((f.NASIONAL, True), (f.ADMIN_A, False), (f.OFFICER_A1, False)):
			frappe.set_user(user)
			try:
				listed = frappe.get_list("Unhandled Email", filters={"name": name}, pluck="name")
				self.assertEqual(bool(listed), sees, user)
				self.assertEqual(unhandled_mail.unhandled_count() > 0, sees, user)
				if not sees:
					self.assertRaises(frappe.PermissionError, unhandled_mail.make_complaint, name)
			except frappe.PermissionError:
				self.assertFalse(sees, user)
			finally:
				frappe.set_user("Administrator")
		frappe.set_user(f.NASIONAL)
		try:
			made = unhandled_mail.make_complaint(name)["complaint"]
			self.made.add(made)
			self.assertFalse(frappe.db.exists("Unhandled Email", name))
			self.assertRaises(frappe.DoesNotExistError, unhandled_mail.make_complaint, name)
		finally:
			frappe.set_user("Administrator")
		doc = frappe.get_doc("Complaint", made)
		self.assertEqual((doc.channel, doc.reporter_email), ("Email", f"warga.queue.{RUN}@{DOMAIN}"))
		self.assertEqual(frappe.db.count("Complaint", {"reporter_email": doc.reporter_email}), 1)
		self.assertTrue(frappe.db.exists("File", {"attached_to_name": made, "is_private": 1}))


def imap_settings():
	return frappe.conf.get("p3m_test_imap")


class TestMalformedMailImap(FrappeTestCase):
	"""The same set through a real IMAP server (skipped without site config p3m_test_imap)."""

	def test_every_malformed_mail_from_the_server_ends_somewhere_once(self):
		settings = imap_settings()
		if not settings:
			self.skipTest("no local IMAP server configured (site config p3m_test_imap)")
		server = frappe._dict(settings)
		f.make_world()
		name = f"P3M IMAP Malformed {RUN}"
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": server.user,
				"password": server.password,
				"email_server": server.host,
				"incoming_port": str(server.port),
				"use_imap": 1,
				"use_ssl": 0,
				"use_starttls": 0,
				"enable_incoming": 1,
				"imap_folder": [{"folder_name": "INBOX", "append_to": "Complaint"}],
				"email_sync_option": "UNSEEN",
				"initial_sync_count": "100",
			}
		).insert(ignore_permissions=True)
		connection = imaplib.IMAP4(server.host, server.port)
		connection.login(server.user, server.password)
		connection.select("INBOX")
		_s, data = connection.search(None, "ALL")
		for number in data[0].split():
			connection.store(number, "+FLAGS", "\\Deleted")
		connection.expunge()
		raws = fixtures("imap")
		for raw in raws.values():
			connection.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)
		connection.logout()
		before = set(frappe.get_all("Complaint", {"channel": "Email"}, pluck="name"))
		try:
			account.receive()
			after = set(frappe.get_all("Complaint", {"channel": "Email"}, pluck="name"))
			queue = queued(name)
			self.assertEqual(len(after - before) + queue, len(raws))
			account.reload()
			account.receive()
			self.assertEqual(
				(set(frappe.get_all("Complaint", {"channel": "Email"}, pluck="name")), queued(name)),
				(after, queue),
			)
		finally:
			made = list(set(frappe.get_all("Complaint", {"channel": "Email"}, pluck="name")) - before)
			frappe.db.delete("Unhandled Email", {"email_account": name})
			frappe.db.delete("Communication", {"email_account": name})
			frappe.db.delete("File", {"attached_to_name": ("in", made or [""])})
			f.purge_complaints({"name": ("in", made or [""])})
			frappe.db.delete("Email Account", {"name": name})
			frappe.db.commit()
