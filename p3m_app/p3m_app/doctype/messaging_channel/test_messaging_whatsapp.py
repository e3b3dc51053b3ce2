"""WhatsApp Cloud API end to end: handshake, signed webhooks, retries, status callbacks, media,
the Pending question, the answer and the template outside the 24-hour window."""

import frappe
from frappe.utils import add_to_date, now_datetime

from p3m_app.core import messaging_rules, tracking_code
from p3m_app.handling import act
from p3m_app.p3m_app.doctype.messaging_channel.messaging_case import (
	APP_SECRET,
	LOG,
	PDF,
	VERIFY_TOKEN,
	MessagingCase,
	http,
	new_number,
	text_message,
	whatsapp_payload,
)


class TestWhatsApp(MessagingCase):
	def test_the_handshake_answers_only_the_verify_token(self):
		path = "/api/method/p3m_app.channels.api.whatsapp_webhook"
		ok = http(
			"get",
			path,
			query_string={
				"hub.mode": "subscribe",
				"hub.verify_token": VERIFY_TOKEN,
				"hub.challenge": "1158201444",
			},
		)
		self.assertEqual((ok.status_code, ok.get_data(as_text=True)), (200, "1158201444"))
		wrong = http(
			"get",
			path,
			query_string={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "x"},
		)
		self.assertRefusedAndLogged(wrong, ("guess",))

	def test_first_message_retry_and_status_callback(self):
		number = new_number()
		message = text_message(number, "Bantuan PKH belum cair, mohon dibantu")
		for _attempt in range(2):  # Meta retries when it gets no 200 in time
			response = self.whatsapp(whatsapp_payload([message]))
			self.assertEqual((response.status_code, response.get_data(as_text=True)), (200, "ok"))
		[name] = self.complaints_of(number)
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual((doc.channel, doc.reporter_phone), ("WhatsApp", number))
		self.assertEqual(
			[(m.sent_or_received, m.communication_medium) for m in self.messages_on(name)],
			[("Received", "Chat")],
		)

		[ack] = self.delivered_to(number)
		self.assertEqual(
			(ack["messaging_product"], ack["type"]), ("whatsapp", "text"), "inside the 24-hour window"
		)
		self.assertIn(tracking_code.display(doc.tracking_code), ack["text"]["body"])
		sent = frappe.get_value(
			LOG, {"complaint": name, "direction": "Outbound"}, ["name", "provider_message_id"], as_dict=True
		)
		for status in ("delivered", "sent", "read"):
			self.whatsapp(
				whatsapp_payload(
					statuses=[{"id": sent.provider_message_id, "status": status, "recipient_id": number[1:]}]
				)
			)
		self.assertEqual(frappe.db.get_value(LOG, sent.name, "status"), "Read")

	def test_forged_and_unsigned_posts_are_refused_and_logged(self):
		number = new_number()
		payload = whatsapp_payload([text_message(number, "Pesan palsu")])
		self.assertRefusedAndLogged(
			self.whatsapp(payload, secret="not-the-app-secret"), (number[1:], "Pesan palsu")
		)
		self.assertRefusedAndLogged(self.whatsapp(payload, secret=None), (number[1:], "Pesan palsu"))
		body_signed = messaging_rules.signature(APP_SECRET, b"{}")
		self.assertRefusedAndLogged(self.whatsapp(payload, signature=body_signed))
		self.assertEqual(self.complaints_of(number), [])

	def test_media_pass_the_portal_checks_and_are_private(self):
		number = new_number()
		self.fake.media["MEDIA-PDF"] = ("application/pdf", PDF)
		self.fake.media["MEDIA-EXE"] = ("application/pdf", b"MZ\x90\x00 not a pdf")
		messages = [
			{
				"from": number[1:],
				"id": f"wamid.doc-{number}",
				"type": "document",
				"document": {"id": "MEDIA-PDF", "filename": "bukti.pdf", "caption": "Bukti transfer"},
			},
			{
				"from": number[1:],
				"id": f"wamid.exe-{number}",
				"type": "document",
				"document": {"id": "MEDIA-EXE", "filename": "bukti2.pdf"},
			},
		]
		self.whatsapp(whatsapp_payload(messages))
		[name] = self.complaints_of(number)
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Complaint", "attached_to_name": name},
			fields=["file_name", "is_private"],
		)
		[stored] = files  # the refused one is not there
		self.assertTrue(stored.file_name.startswith("bukti") and stored.file_name.endswith(".pdf"))
		self.assertEqual(stored.is_private, 1)
		comments = frappe.get_all(
			"Comment", filters={"reference_name": name, "comment_type": "Info"}, pluck="content"
		)
		self.assertTrue(any("bukti2.pdf" in c for c in comments), "the refused file is named for staff")
		downloads = [r for r in self.fake.received if r["path"].startswith("/download/")]
		self.assertTrue(all(r["headers"].get("Authorization") == "Bearer t-access-token" for r in downloads))

	def test_pending_question_answer_and_the_template_after_24_hours(self):
		number = new_number()
		self.whatsapp(whatsapp_payload([text_message(number, "KKS saya hilang")]))
		[name] = self.complaints_of(number)
		self.delivered_to(number)
		act(name, "Mark Pending", pending_reason="Mohon kirim foto KTP.")
		frappe.db.commit()
		question = self.delivered_to(number, 2)[-1]
		self.assertIn("Mohon kirim foto KTP.", question["text"]["body"])
		self.whatsapp(whatsapp_payload([text_message(number, "Sudah saya kirim ke pendamping")]))
		self.assertEqual(
			frappe.db.get_value("Complaint", name, "workflow_state"), "Verifikasi", "the reply resumes it"
		)

		# the reporter's last message is a day old: WhatsApp takes only the approved template
		frappe.db.set_value(
			LOG,
			{"complaint": name, "direction": "Inbound"},
			"creation",
			add_to_date(now_datetime(), hours=-25),
		)
		act(name, "Handle Directly")
		act(name, "Answer", response="<p>Kartu pengganti dapat diambil di kantor pos.</p>")
		frappe.db.commit()
		answer = self.delivered_to(number, 3)[-1]
		self.assertEqual((answer["type"], answer["template"]["name"]), ("template", "p3m_update"))
		self.assertIn("kantor pos", answer["template"]["components"][0]["parameters"][0]["text"])
