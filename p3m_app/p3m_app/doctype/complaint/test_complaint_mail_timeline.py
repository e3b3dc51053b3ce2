"""A complaint's mail shows on the complaint only: never on the timeline of a Contact with the
reporter's address (nor of that contact's documents), read over HTTP by the contact's owner; and a
mail's intake keeps to its query budget and Frappe's list-view comment count."""

import json

import frappe
from frappe.core.doctype.communication.email import make as make_communication
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client

from p3m_app.access import desk_endpoints
from p3m_app.p3m_app.doctype.complaint.test_complaint_email import addr, mail, make_inbox, receive
from p3m_app.tests import factories as f

CONTACT_OWNER = f.OFFICER_B1  # an officer of another province: may not read the complaint


def get_as(user_auth: str, method: str, **params) -> str:
	client = get_test_client(use_cookies=False)
	response = make_request(
		target=client.get,
		args=(f"/api/method/{method}",),
		kwargs={"headers": {"Authorization": f"token {user_auth}"}, "query_string": params},
		site=frappe.local.site,
	)
	frappe.db.rollback()  # a fresh snapshot after the request's own
	assert response.status_code == 200, response.get_data(as_text=True)[:500]
	return response.get_data(as_text=True)


class TestComplaintMailTimeline(FrappeTestCase):
	def setUp(self):
		f.make_world()
		self.account = make_inbox()
		self.sender = addr(f"warga.kontak.{frappe.generate_hash(length=6)}")

	def owners_contact(self) -> str:
		"""A Contact the officer saved for this citizen (Frappe's "All" role reads its own contacts)."""
		frappe.set_user(CONTACT_OWNER)
		try:
			contact = frappe.get_doc({"doctype": "Contact", "first_name": "Warga Kontak"})
			contact.add_email(self.sender, is_primary=True)
			contact.insert()
		finally:
			frappe.set_user("Administrator")
		self.addCleanup(frappe.delete_doc, "Contact", contact.name, force=True, ignore_permissions=True)
		return contact.name

	def api_auth(self, email: str) -> str:
		user = frappe.get_doc("User", email)
		user.api_key, secret = frappe.generate_hash(length=12), frappe.generate_hash(length=15)
		user.api_secret = secret
		user.save(ignore_permissions=True)
		self.addCleanup(lambda: (frappe.db.set_value("User", email, "api_key", None), frappe.db.commit()))
		return f"{user.api_key}:{secret}"

	def test_a_complaint_mail_stays_off_the_reporters_contact_timeline(self):
		contact = self.owners_contact()
		auth = self.api_auth(CONTACT_OWNER)
		marker = f"LeakTimelineBody{frappe.generate_hash(length=6)}"
		_inbound, received = receive(self.account, mail(sender=self.sender, body=f"{marker} jalan rusak."))
		complaint = received.reference_name
		reply_marker = f"LeakTimelineReply{frappe.generate_hash(length=6)}"
		make_communication(
			doctype="Complaint",
			name=complaint,
			content=f"{reply_marker} akan ditindaklanjuti.",
			subject="Tanggapan",
			recipients=self.sender,
			send_email=True,
			communication_medium="Email",
		)
		frappe.db.commit()  # the requests read what is committed (mail intake commits anyway)
		self.assertFalse(frappe.has_permission("Complaint", doc=complaint, user=CONTACT_OWNER))

		form = get_as(auth, "frappe.desk.form.load.getdoc", doctype="Contact", name=contact)
		self.assertIn(self.sender, form)  # the request did read the contact
		timeline = get_as(auth, "frappe.desk.form.load.get_communications", doctype="Contact", name=contact)
		for text in (form, timeline):
			self.assertNotIn(marker, text)
			self.assertNotIn(reply_marker, text)
			self.assertNotIn(complaint, text)
		# nor is it linked for later: no Contact (nor its documents) among the mails' links
		for comm in frappe.get_all("Communication", filters={"reference_name": complaint}, pluck="name"):
			links = frappe.get_all(
				"Communication Link", filters={"parent": comm}, fields=["link_doctype", "link_name"]
			)
			self.assertEqual(
				[(r.link_doctype, r.link_name) for r in links if r.link_doctype != "Complaint"], []
			)

	def test_a_mail_moved_onto_a_complaint_leaves_the_contact_timeline(self):
		contact = self.owners_contact()
		auth = self.api_auth(CONTACT_OWNER)
		# a complaint opened by mail, as in the other tests: the mail intake commits, and a committed
		# complaint disposed to a unit would be counted by later modules' reports of that unit
		complaint = receive(self.account, mail(sender=addr("relink.target")))[1].reference_name
		marker = f"LeakRelinkedBody{frappe.generate_hash(length=6)}"
		general = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": self.sender,
				"subject": "Jalan desa",
				"content": f"{marker} jalan rusak.",
			}
		).insert(ignore_permissions=True)  # a general inbox's mail: Frappe links it to the Contact
		self.assertIn(("Contact", contact), [(r.link_doctype, r.link_name) for r in general.timeline_links])

		desk_endpoints.relink(general.name, "Complaint", complaint)
		frappe.db.commit()
		timeline = get_as(auth, "frappe.desk.form.load.get_communications", doctype="Contact", name=contact)
		self.assertNotIn(marker, timeline)
		self.assertFalse(
			frappe.db.exists("Communication Link", {"parent": general.name, "link_doctype": "Contact"})
		)

	def test_the_complaint_lists_its_opening_mail_as_frappe_does(self):
		inbound, received = receive(self.account, mail(sender=self.sender, body="Lampu jalan mati."))
		comments = json.loads(frappe.db.get_value("Complaint", received.reference_name, "_comments"))
		self.assertEqual(
			comments,
			[
				{
					"comment": received.content[:97] + "..."
					if len(received.content) > 100
					else received.content,
					"by": self.sender,
					"name": received.name,
				}
			],
		)
		# a reply threads by its headers and Frappe adds it to the same list
		_reply, second = receive(
			self.account, mail(sender=self.sender, body="Masih mati.", in_reply_to=inbound.message_id)
		)
		self.assertEqual(second.reference_name, received.reference_name)
		comments = json.loads(frappe.db.get_value("Complaint", received.reference_name, "_comments"))
		self.assertEqual([c["name"] for c in comments], [received.name, second.name])

	def test_a_new_mail_stays_within_its_query_budget(self):
		receive(self.account, mail(sender=addr("budget.warm")))  # warm caches, as a pull's first mail does
		with self.assertQueryCount(12):
			_inbound, received = receive(self.account, mail(sender=self.sender))
		self.assertTrue(received.reference_name)
