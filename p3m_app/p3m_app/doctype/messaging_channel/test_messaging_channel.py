"""SMS end to end (first message, threading, forged requests, retries, limits, the answer), the
sealing of confidential messages and SMS to a reporter without e-mail; the fixture is messaging_case."""

import json

import frappe
from frappe.utils import add_to_date, now_datetime

from p3m_app.access import mail_sealing
from p3m_app.channels import outbound
from p3m_app.core import messaging_rules, tracking_code
from p3m_app.handling import act
from p3m_app.p3m_app.doctype.messaging_channel.messaging_case import (
	LIMITED_CHANNEL,
	LOG,
	SETTINGS_CHANNEL,
	SMS_CHANNEL,
	SMS_SECRET,
	MessagingCase,
	http,
	local_number,
	new_number,
)
from p3m_app.tests import factories as f


class TestSMS(MessagingCase):
	def test_first_message_opens_a_complaint_and_the_code_goes_back(self):
		number = new_number()
		response = self.sms(number, "Bantuan PKH tahap 3 belum cair\nSudah tiga bulan menunggu.")
		self.assertEqual((response.status_code, response.get_data(as_text=True)), (200, "ok"))
		[name] = self.complaints_of(number)
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual(
			(doc.channel, doc.reporter_phone, doc.subject), ("SMS", number, "Bantuan PKH tahap 3 belum cair")
		)
		self.assertEqual((doc.current_unit, doc.category, doc.owner), (f.PUSAT, "T Pembayaran", "Guest"))
		[received] = self.messages_on(name)
		self.assertEqual(
			(received.sent_or_received, received.communication_medium, received.phone_no),
			("Received", "SMS", number),
		)

		[ack] = self.delivered_to(number)
		self.assertIn(tracking_code.display(doc.tracking_code), ack["text"])
		self.assertEqual(ack["to"], number)
		row = frappe.get_value(
			LOG,
			{"complaint": name, "direction": "Outbound"},
			["status", "provider_message_id", "event"],
			as_dict=True,
		)
		self.assertEqual((row.status, row.event), ("Sent", "Acknowledgement"))
		self.assertTrue(row.provider_message_id.startswith("sms-out-"))
		self.assertTrue(frappe.db.get_value("Complaint", name, "acknowledged_at"))
		self.assertEqual([m.sent_or_received for m in self.messages_on(name)], ["Received", "Sent"])

	def test_replies_thread_by_code_and_by_the_only_open_complaint(self):
		number = new_number()
		self.sms(number, "Kartu KKS saya terblokir")
		[name] = self.complaints_of(number)
		code = tracking_code.display(frappe.db.get_value("Complaint", name, "tracking_code"))
		self.sms(number, f"{code.lower()} ini foto kartunya sudah saya kirim ke pendamping")
		self.sms(number, "Tambahan: nomor KKS saya 1234")
		self.assertEqual(self.complaints_of(number), [name])
		self.assertEqual([m.sent_or_received for m in self.messages_on(name)].count("Received"), 3)

	def test_a_code_from_another_number_opens_a_new_complaint(self):
		first, other = new_number(), new_number()
		self.sms(first, "Bantuan tidak cair")
		[name] = self.complaints_of(first)
		code = frappe.db.get_value("Complaint", name, "tracking_code")
		self.sms(other, f"{code} saya tetangga pelapor")
		self.assertEqual(len(self.messages_on(name)), 1)
		self.assertEqual(len(self.complaints_of(other)), 1)

	def test_several_open_complaints_ask_for_the_code(self):
		number = new_number()
		self.sms(number, "Bantuan tidak cair")
		self.sms(number, "BARU jalan desa rusak")
		first, second = self.complaints_of(number)
		self.delivered_to(number, 2)  # two acknowledgements
		self.sms(number, "kapan ditindaklanjuti?")
		self.assertEqual(self.complaints_of(number), [first, second], "no third complaint")
		asked = self.delivered_to(number, 3)[-1]
		self.assertIn("BARU", asked["text"])
		code = frappe.db.get_value("Complaint", second, "tracking_code")
		self.sms(number, f"{tracking_code.display(code)} kapan ditindaklanjuti?")
		self.assertEqual(len([m for m in self.messages_on(second) if m.sent_or_received == "Received"]), 2)

	def test_a_wrong_or_missing_secret_is_refused_and_logged(self):
		number = new_number()
		text = "Pesan palsu dari penyerang"
		for secret in ("wrong-secret", None):
			self.assertRefusedAndLogged(
				self.sms(number, text, secret=secret), (number, local_number(number), text)
			)
		self.assertEqual(self.complaints_of(number), [])
		self.assertEqual(self.sms(number, text, channel="No Such Channel").status_code, 403)

	def test_an_hmac_of_the_body_is_accepted_instead_of_the_secret(self):
		number = new_number()
		body = f"message_id={frappe.generate_hash(length=12)}&from={local_number(number)}&text=Lampu+jalan+mati".encode()
		response = http(
			"post",
			f"/api/method/p3m_app.channels.api.sms_inbound?channel={SMS_CHANNEL}",
			data=body,
			headers={
				"Content-Type": "application/x-www-form-urlencoded",
				"X-P3M-Signature": messaging_rules.signature(SMS_SECRET, body),
			},
		)
		self.assertEqual(response.status_code, 200)
		self.assertEqual(len(self.complaints_of(number)), 1)

	def test_a_retried_message_is_stored_once(self):
		number = new_number()
		for _attempt in range(3):
			self.assertEqual(
				self.sms(number, "Bantuan belum cair", message_id="gw-retry-" + number).status_code, 200
			)
		[name] = self.complaints_of(number)
		self.assertEqual(len(self.messages_on(name)), 1)
		self.assertEqual(frappe.db.count(LOG, {"message_key": f"{SMS_CHANNEL}:gw-retry-{number}"}), 1)

	def test_over_the_per_number_limit_nothing_is_stored(self):
		number = new_number()
		codes = [self.sms(number, f"pesan {i}", channel=LIMITED_CHANNEL).status_code for i in range(4)]
		self.assertEqual(codes, [200] * 4, "the provider is not made to retry")
		[name] = self.complaints_of(number)
		self.assertEqual(len([m for m in self.messages_on(name) if m.sent_or_received == "Received"]), 2)
		self.assertTrue(
			frappe.db.exists(
				"Error Log", {"method": "P3M messaging: request refused", "creation": (">=", self.started)}
			)
		)

	def test_the_answer_goes_back_by_sms_and_a_long_one_as_a_link(self):
		number = new_number()
		self.sms(number, "Bantuan belum cair")
		[name] = self.complaints_of(number)
		self.delivered_to(number)
		act(name, "Verify")
		act(name, "Handle Directly")
		act(name, "Answer", response="<p>" + "Bantuan sudah ditransfer ke rekening KKS Anda. " * 20 + "</p>")
		frappe.db.commit()
		answer = self.delivered_to(number, 2)[-1]["text"]
		code = frappe.db.get_value("Complaint", name, "tracking_code")
		self.assertIn(outbound.notify.track_url(code), answer)
		self.assertNotIn("rekening KKS", answer, "a long answer is sent as the link")
		self.assertLessEqual(len(answer), 459)

	def test_without_a_send_url_frappes_sms_settings_carry_the_reply(self):
		settings = frappe.get_doc("SMS Settings")
		original = settings.as_dict()
		settings.update(
			{
				"sms_gateway_url": f"{self.fake.url}/sms-settings",
				"message_parameter": "text",
				"receiver_parameter": "to",
				"use_post": 1,
				"parameters": [
					{"parameter": "Content-Type", "value": "application/json", "header": 1},
					{"parameter": "api_key", "value": "t-gateway-key", "header": 0},
				],
			}
		)
		settings.save(ignore_permissions=True)
		try:
			number = new_number()
			self.sms(number, "Bantuan belum cair", channel=SETTINGS_CHANNEL)
			[name] = self.complaints_of(number)
			[ack] = self.delivered_to(number)
			self.assertEqual(ack["api_key"], "t-gateway-key")
			code = frappe.db.get_value("Complaint", name, "tracking_code")
			self.assertIn(tracking_code.display(code), ack["text"])
			paths = [r["path"] for r in self.fake.received if (r["json"] or {}).get("to") == number]
			self.assertEqual(paths, ["/sms-settings"])
		finally:
			settings = frappe.get_doc("SMS Settings")
			settings.update(
				{
					k: original.get(k)
					for k in ("sms_gateway_url", "message_parameter", "receiver_parameter", "use_post")
				}
			)
			settings.set(
				"parameters",
				[
					{k: row[k] for k in ("parameter", "value", "header")}
					for row in original.get("parameters") or []
				],
			)
			settings.flags.ignore_mandatory = True  # a site without a gateway has none of them
			settings.save(ignore_permissions=True)
			frappe.db.commit()

	def test_a_failed_send_is_retried_then_given_up_and_logged(self):
		number = new_number()
		self.fake.fail_next = 1
		self.sms(number, "Bantuan belum cair")
		[name] = self.complaints_of(number)
		row = frappe.get_value(LOG, {"complaint": name, "direction": "Outbound"}, "name")
		outbound.deliver(row)
		state = frappe.db.get_value(
			LOG, row, ["status", "attempts", "next_attempt_at", "error"], as_dict=True
		)
		if state.status == "Queued":  # this call met the failure (a worker may have met it first)
			self.assertGreater(state.next_attempt_at, now_datetime())
			self.assertNotIn(number[3:], state.error)
		frappe.db.set_value(LOG, row, "next_attempt_at", add_to_date(now_datetime(), minutes=-1))
		self.delivered_to(number, 2)
		self.assertEqual(frappe.db.get_value(LOG, row, "status"), "Sent")

		self.fake.fail_next = len(messaging_rules.BACKOFF_MINUTES)
		act(name, "Mark Pending", pending_reason="Mohon kirim foto buku tabungan.")
		frappe.db.commit()
		pending = frappe.get_value(LOG, {"complaint": name, "event": "Pending Question"}, "name")
		for _attempt in messaging_rules.BACKOFF_MINUTES:
			frappe.db.set_value(LOG, pending, "next_attempt_at", add_to_date(now_datetime(), minutes=-1))
			outbound.deliver(pending)
		self.assertEqual(frappe.db.get_value(LOG, pending, "status"), "Failed")
		[log] = frappe.get_all(
			"Error Log",
			filters={"method": "P3M messaging: reporter not informed", "reference_name": name},
			pluck="error",
		)
		self.assertNotIn(number[3:], log)
		self.assertNotIn("buku tabungan", log)
		self.fake.fail_next = 0


class TestConfidentialMessages(MessagingCase):
	def test_rahasia_seals_the_number_and_every_message(self):
		number = new_number()
		self.sms(number, "RAHASIA ada pungutan liar oleh oknum di kantor pos")
		[name] = self.complaints_of(number)
		doc = frappe.get_doc("Complaint", name)
		self.assertTrue(doc.is_confidential and doc.identity_sealed)
		self.assertFalse(doc.reporter_phone)
		self.assertEqual(frappe.db.get_value("Reporter Identity", name, "reporter_phone"), number)
		self.delivered_to(number)  # the acknowledgement still reaches the sealed number
		self.sms(number, "tambahan: kejadian hari Senin")  # threads by the sealed number
		stored = self.messages_on(name)
		self.assertEqual(len(stored), 3)
		for message in stored:
			self.assertFalse(message.phone_no)
			# a text message is not called an e-mail
			self.assertEqual(message.content, mail_sealing.sealed_message("SMS"))
			self.assertNotIn("e-mail", message.content.lower())

		# the holding unit's Pimpinan reads the messages on the timeline, never the number or the text
		from frappe.desk.form.load import get_communications

		frappe.set_user(f.PIMPINAN)
		try:
			visible = get_communications("Complaint", name)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(len(visible), 3)
		flat = json.dumps(visible, default=str)
		for secret in (number, number[3:], "pungutan liar", "hari Senin"):
			self.assertNotIn(secret, flat)

	def test_a_named_reporters_message_is_not_read_outside_the_unit(self):
		number = new_number()
		self.sms(number, "Bantuan belum cair")
		[name] = self.complaints_of(number)
		from frappe.desk.form.load import get_communications

		frappe.set_user(f.OFFICER_B1)
		try:
			with self.assertRaises(frappe.PermissionError):
				get_communications("Complaint", name)
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list(LOG, filters={"complaint": name})
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list("Messaging Channel", fields=["name"])
		finally:
			frappe.set_user("Administrator")


class TestReporterWithoutEmail(MessagingCase):
	def test_a_phone_complaint_without_email_is_acknowledged_by_sms(self):
		number = new_number()
		doc = f.make_complaint(channel="Phone", reporter_email=None, reporter_phone=number)
		frappe.db.commit()
		[ack] = self.delivered_to(number)
		self.assertIn(tracking_code.display(doc.tracking_code), ack["text"])
		frappe.db.delete(LOG, {"complaint": doc.name})
		f.purge_complaints({"name": doc.name})

	def test_a_reporter_with_email_gets_no_sms(self):
		number = new_number()
		doc = f.make_complaint(channel="Phone", reporter_phone=number)
		self.assertFalse(frappe.db.exists(LOG, {"complaint": doc.name}))
