"""A mailbox per program or unit: mail to the BOS inbox becomes a BOS complaint at the named unit,
through Frappe's own Email Account intake (as test_complaint_email feeds it)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.intake import mailboxes
from p3m_app.p3m_app.doctype.complaint.test_complaint_email import DOMAIN, addr, mail, receive
from p3m_app.tests import factories as f

BOS_TEST_INBOX = "P3M Test BOS Inbox"
BOS_CATEGORY = "T BOS Penyaluran"


def make_bos_inbox():
	if not frappe.db.exists("Complaint Category", BOS_CATEGORY):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": BOS_CATEGORY, "program": "BOS"}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Email Account", BOS_TEST_INBOX):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": BOS_TEST_INBOX,
				"email_id": "bos@p3m.test",
				"append_to": "Complaint",
				"enable_incoming": 0,
				"p3m_program": "BOS",
				"p3m_category": BOS_CATEGORY,
				"p3m_unit": f.KAB_A2,
			}
		).insert(ignore_permissions=True)
	return frappe.get_doc("Email Account", BOS_TEST_INBOX)


class TestComplaintMailboxes(FrappeTestCase):
	def setUp(self):
		f.make_world()

	@classmethod
	def tearDownClass(cls):
		# Frappe's mail intake commits on its own
		frappe.db.delete("Communication", {"sender": ("like", f"%@{DOMAIN}")})
		f.purge_complaints({"reporter_email": ("like", f"%@{DOMAIN}")})
		super().tearDownClass()

	def test_the_install_ships_a_general_and_a_bos_inbox_both_disabled(self):
		general, bos = (
			frappe.db.get_value("Email Account", name, ["enable_incoming", "append_to", "p3m_program"])
			for name in ("P3M Complaints Inbox", mailboxes.BOS_INBOX)
		)
		self.assertEqual(general, (0, "Complaint", None))
		self.assertEqual(bos, (0, "Complaint", "BOS"))

	def test_mail_to_the_bos_inbox_becomes_a_bos_complaint_at_its_unit(self):
		account = make_bos_inbox()
		_inbound, communication = receive(account, mail(sender=addr("guru.bos"), subject="Dana BOS telat"))
		doc = frappe.get_doc("Complaint", communication.reference_name)
		self.assertEqual(
			(doc.program, doc.category, doc.current_unit, doc.origin_unit),
			("BOS", BOS_CATEGORY, f.KAB_A2, f.KAB_A2),
		)
		self.assertEqual((doc.channel, doc.reporter_email), ("Email", addr("guru.bos")))

	def test_an_inbox_without_a_unit_routes_as_every_intake_does(self):
		account = make_bos_inbox()
		values = mailboxes.complaint_values(account.as_dict() | {"p3m_unit": None})
		self.assertEqual(values, {"program": "BOS", "category": BOS_CATEGORY})
		self.assertEqual(
			mailboxes.complaint_values(account.as_dict() | {"p3m_unit": f.INACTIVE}).get("current_unit"), None
		)
