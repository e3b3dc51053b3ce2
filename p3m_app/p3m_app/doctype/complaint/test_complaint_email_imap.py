"""Email intake from a real IMAP server on 127.0.0.1 (tests/imap/start_dovecot.sh starts one).

The test runner writes the server's address to the site config key ``p3m_test_imap``; without
it the test is skipped and says why.
"""

import imaplib
import time
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.tests import factories as f


def imap_settings():
	return frappe.conf.get("p3m_test_imap")


@unittest.skipUnless(imap_settings(), "no local IMAP server configured (site config p3m_test_imap)")
class ImapMailbox:
	"""The private dovecot mailbox of a test (``self.server``), read and emptied over IMAP."""

	def imap(self):
		connection = imaplib.IMAP4(self.server.host, self.server.port)
		connection.login(self.server.user, self.server.password)
		return connection

	def clear_mailbox(self):
		connection = self.imap()
		connection.select("INBOX")
		_status, data = connection.search(None, "ALL")
		for number in data[0].split():
			connection.store(number, "+FLAGS", "\\Deleted")
		connection.expunge()
		connection.logout()


class TestComplaintEmailImap(ImapMailbox, FrappeTestCase):
	# Email Account.receive() commits after every mail, so this test cleans up after itself
	def setUp(self):
		f.make_world()
		self.server = frappe._dict(imap_settings())
		self.sender = f"warga.{frappe.generate_hash(length=8)}@example.org"
		self.clear_mailbox()
		frappe.db.delete("Email Account", {"name": "P3M IMAP Test Inbox"})
		self.account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "P3M IMAP Test Inbox",
				"email_id": self.server.user,
				"password": self.server.password,
				"email_server": self.server.host,
				"incoming_port": str(self.server.port),
				"use_imap": 1,
				"use_ssl": 0,
				"use_starttls": 0,
				"enable_incoming": 1,
				"imap_folder": [{"folder_name": "INBOX", "append_to": "Complaint"}],
				"email_sync_option": "UNSEEN",
				"initial_sync_count": "100",
			}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.db.delete("Communication", {"email_account": self.account.name})
		frappe.db.delete("Email Account", {"name": self.account.name})
		f.purge_complaints({"reporter_email": self.sender})

	def deliver(self, sender, subject, **headers):
		message = EmailMessage()
		message["From"] = sender
		message["To"] = self.server.user
		message["Subject"] = subject
		message["Message-ID"] = make_msgid(domain="example.org")
		for key, value in headers.items():
			message[key.replace("_", "-")] = value
		message.set_content("Lampu jalan mati sejak seminggu.")
		connection = self.imap()
		connection.append("INBOX", None, imaplib.Time2Internaldate(time.time()), message.as_bytes())
		connection.logout()

	def test_mail_from_the_server_becomes_a_complaint_once(self):
		self.deliver(self.sender, "Lampu jalan mati")
		self.deliver(
			"MAILER-DAEMON@example.org", "Undelivered Mail Returned to Sender", Auto_Submitted="auto-replied"
		)
		self.account.receive()
		names = frappe.get_all("Complaint", filters={"reporter_email": self.sender}, pluck="name")
		self.assertEqual(len(names), 1)
		self.assertEqual(frappe.db.get_value("Complaint", names[0], "channel"), "Email")
		self.assertFalse(frappe.db.exists("Complaint", {"reporter_email": "mailer-daemon@example.org"}))
		self.assertTrue(frappe.db.exists("Communication", {"sender": "mailer-daemon@example.org"}))
		self.account.receive()  # nothing new on the server: nothing new here
		self.assertEqual(
			frappe.db.count("Complaint", {"reporter_email": self.sender}),
			1,
		)
