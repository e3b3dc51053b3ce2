"""A mail pull that dies mid-batch (worker killed, machine restarted) loses no mail: the next pull
stores every message exactly once. Needs the local IMAP server of tests/imap/start_dovecot.sh
(site config ``p3m_test_imap``), like test_complaint_email_imap."""

import imaplib
import time
import unittest
from email.message import EmailMessage
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.p3m_app.doctype.complaint.test_complaint_email_imap import ImapMailbox
from p3m_app.tests import factories as f

INBOX = "P3M IMAP Crash Inbox"
MAILS = 5


class Killed(BaseException):
	"""What a SIGKILL looks like from inside: nothing after it runs, no except clause catches it."""


def imap_settings():
	return frappe.conf.get("p3m_test_imap")


@unittest.skipUnless(imap_settings(), "no local IMAP server configured (site config p3m_test_imap)")
class TestMailPullCrash(ImapMailbox, FrappeTestCase):
	# Email Account.receive() commits after every mail, so this test cleans up after itself
	def setUp(self):
		f.make_world()
		self.server = frappe._dict(imap_settings())
		self.domain = f"crash{frappe.generate_hash(length=8).lower()}.example.org"
		self.clear_mailbox()
		frappe.db.delete("Email Account", {"name": INBOX})
		self.account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": INBOX,
				"email_id": self.server.user,
				"password": self.server.password,
				"email_server": self.server.host,
				"incoming_port": str(self.server.port),
				"use_imap": 1,
				"use_ssl": 0,
				"use_starttls": 0,
				"enable_incoming": 1,
				"imap_folder": [{"folder_name": "INBOX", "append_to": "Complaint"}],
				"email_sync_option": "UNSEEN",  # Frappe's default, as a new inbox gets it
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		frappe.db.delete("Communication", {"email_account": INBOX})
		frappe.db.delete("Email Account", {"name": INBOX})
		f.purge_complaints({"reporter_email": ("like", f"%@{self.domain}")})
		self.clear_mailbox()

	def deliver(self, count):
		connection = self.imap()
		for i in range(count):
			message = EmailMessage()
			message["From"] = f"warga{i}@{self.domain}"
			message["To"] = self.server.user
			message["Subject"] = f"Jembatan putus {i}"
			message["Message-ID"] = f"<{i}@{self.domain}>"
			message.set_content("Jembatan desa putus sejak banjir.")
			connection.append("INBOX", None, imaplib.Time2Internaldate(time.time()), message.as_bytes())
		connection.logout()

	def stored(self) -> dict:
		rows = frappe.db.sql(
			"""select sender, count(*) from `tabCommunication` where email_account = %s
			and sender like %s group by sender""",
			(INBOX, f"%@{self.domain}"),
		)
		return dict(rows)

	def test_a_complaint_inbox_syncs_by_uid(self):
		self.assertEqual(self.account.email_sync_option, "ALL")

	def test_a_pull_killed_after_two_mails_loses_none(self):
		# an inbox in service: its first pull (which learns the mailbox's UIDVALIDITY) is behind it
		self.account.receive()
		self.account.reload()
		self.deliver(MAILS)
		real_commit = frappe.db.commit

		def commit_then_die_after_two_mails():
			real_commit()
			if sum(self.stored().values()) >= 2:
				raise Killed()

		with patch.object(frappe.local.db, "commit", side_effect=commit_then_die_after_two_mails):
			with self.assertRaises(Killed):
				self.account.receive()
		frappe.db.rollback()
		self.assertEqual(sum(self.stored().values()), 2)

		frappe.get_doc("Email Account", INBOX).receive()
		frappe.get_doc("Email Account", INBOX).receive()  # nothing new: nothing stored twice
		stored = self.stored()
		self.assertEqual(len(stored), MAILS, stored)
		self.assertEqual(set(stored.values()), {1}, stored)
		self.assertEqual(
			frappe.db.count("Complaint", {"reporter_email": ("like", f"%@{self.domain}")}), MAILS
		)
