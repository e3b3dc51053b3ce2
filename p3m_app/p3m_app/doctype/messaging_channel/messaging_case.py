"""The fixture of the messaging tests: channels pointed at a local fake provider, and the
requests the providers send, through Frappe's HTTP layer with real signatures.

The webhook requests run in threads of their own (Frappe's test client) and commit, so this test
commits its fixtures and removes the complaints it made at the end.
"""

import json
import random
import time

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from p3m_app.channels import outbound
from p3m_app.core import messaging_rules
from p3m_app.p3m_app.doctype.messaging_channel.fake_provider import FakeProvider
from p3m_app.tests import factories as f

SMS_CHANNEL, WA_CHANNEL, LIMITED_CHANNEL = "T SMS", "T WhatsApp", "T SMS Limited"
# no Gateway Send URL: its messages leave through Frappe's SMS Settings
SETTINGS_CHANNEL = "T SMS via SMS Settings"
CHANNELS = (SMS_CHANNEL, WA_CHANNEL, LIMITED_CHANNEL, SETTINGS_CHANNEL)
SMS_SECRET, APP_SECRET, VERIFY_TOKEN = "t-sms-secret", "t-app-secret", "t-verify-token"
PHONE_NUMBER_ID = "990001"
PDF = b"%PDF-1.4 bukti transfer"
LOG = "Messaging Message"


def new_number() -> str:
	return f"+62812{random.randint(10_000_000, 99_999_999)}"


def local_number(e164: str) -> str:
	return "0" + e164[3:]


def http(method: str, path: str, **kwargs):
	from frappe.tests.test_api import make_request
	from frappe.utils import get_test_client

	client = get_test_client(use_cookies=False)
	kwargs.setdefault("headers", {})["X-Frappe-Site-Name"] = frappe.local.site
	frappe.db.commit()
	response = make_request(
		target=getattr(client, method), args=(path,), kwargs=kwargs, site=frappe.local.site
	)
	frappe.db.commit()  # a fresh snapshot: what the request committed is visible
	return response


def whatsapp_payload(messages=(), statuses=()):
	return {
		"object": "whatsapp_business_account",
		"entry": [
			{
				"id": "WABA-T",
				"changes": [
					{
						"field": "messages",
						"value": {
							"messaging_product": "whatsapp",
							"metadata": {
								"display_phone_number": "6281100009999",
								"phone_number_id": PHONE_NUMBER_ID,
							},
							"messages": list(messages),
							"statuses": list(statuses),
						},
					}
				],
			}
		],
	}


def text_message(sender: str, text: str, message_id: str | None = None) -> dict:
	return {
		"from": sender.lstrip("+"),
		"id": message_id or f"wamid.in-{frappe.generate_hash(length=10)}",
		"timestamp": "1764583200",
		"type": "text",
		"text": {"body": text},
	}


class MessagingCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		cls.fake = FakeProvider().start()
		cls.channel(SMS_CHANNEL, "Generic SMS Gateway", secret=SMS_SECRET, outbound_url=f"{cls.fake.url}/sms")
		cls.channel(
			LIMITED_CHANNEL,
			"Generic SMS Gateway",
			secret=SMS_SECRET,
			outbound_url=f"{cls.fake.url}/sms",
			limit_per_number=2,
		)
		cls.channel(SETTINGS_CHANNEL, "Generic SMS Gateway", secret=SMS_SECRET, outbound_url=None)
		cls.channel(
			WA_CHANNEL,
			"WhatsApp Cloud API",
			app_secret=APP_SECRET,
			verify_token=VERIFY_TOKEN,
			phone_number_id=PHONE_NUMBER_ID,
			access_token="t-access-token",
			api_base_url=cls.fake.url,
			template_name="p3m_update",
		)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		cls.fake.stop()
		names = frappe.get_all(LOG, filters={"channel": ("in", CHANNELS)}, pluck="complaint")
		names = [n for n in set(names) if n]
		if names:
			for file in frappe.get_all(
				"File",
				filters={"attached_to_doctype": "Complaint", "attached_to_name": ("in", names)},
				pluck="name",
			):
				frappe.delete_doc("File", file, ignore_permissions=True, force=True)
			frappe.db.delete("Reporter Identity", {"name": ("in", names)})
			frappe.db.delete("Comment", {"reference_doctype": "Complaint", "reference_name": ("in", names)})
			f.purge_complaints({"name": ("in", names)})
		frappe.db.delete(LOG, {"channel": ("in", CHANNELS)})
		# later tests on this site must not queue messages to a stopped fake
		for name in CHANNELS:
			frappe.db.set_value("Messaging Channel", name, "enabled", 0)
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def channel(cls, name: str, provider: str, **values):
		if frappe.db.exists("Messaging Channel", name):
			doc = frappe.get_doc("Messaging Channel", name)
		else:
			doc = frappe.new_doc("Messaging Channel")
			doc.channel_name = name
		doc.update(
			{
				"provider": provider,
				"enabled": 1,
				"program": "PKH",
				"category": "T Pembayaran",
				"unit": f.PUSAT,
				**values,
			}
		)
		doc.save(ignore_permissions=True)

	def setUp(self):
		frappe.set_user("Administrator")
		# the refusal log is written once a minute per reason: each test sees its own
		frappe.cache.delete_keys("p3m_messaging_log:")
		self.started = now_datetime()

	# -- requests as the providers send them -------------------------------------------------------

	def sms(
		self,
		sender: str,
		text: str,
		message_id: str | None = None,
		secret: str | None = SMS_SECRET,
		channel=SMS_CHANNEL,
	):
		headers = {"X-P3M-Secret": secret} if secret else {}
		return http(
			"post",
			f"/api/method/p3m_app.channels.api.sms_inbound?channel={channel}",
			data={
				"message_id": message_id or frappe.generate_hash(length=12),
				"from": local_number(sender),
				"text": text,
			},
			headers=headers,
		)

	def whatsapp(self, payload: dict, secret: str | None = APP_SECRET, signature: str | None = None):
		body = json.dumps(payload).encode()
		headers = {"Content-Type": "application/json"}
		if secret:
			headers["X-Hub-Signature-256"] = signature or messaging_rules.signature(secret, body)
		return http("post", "/api/method/p3m_app.channels.api.whatsapp_webhook", data=body, headers=headers)

	# -- what the app did --------------------------------------------------------------------------

	def complaints_of(self, number: str) -> list[str]:
		return outbound.messaging.open_complaints(number)

	def messages_on(self, complaint: str) -> list[dict]:
		return frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Complaint", "reference_name": complaint},
			fields=["name", "sent_or_received", "communication_medium", "phone_no", "content"],
			order_by="creation asc",
		)

	def delivered_to(self, number: str, count: int = 1) -> list[dict]:
		"""Run the delivery (a worker may have run it already) until the fake got ``count`` messages."""
		for _attempt in range(50):
			outbound.retry_due()
			frappe.db.commit()
			sent = self.fake.sent_to(number)
			if len(sent) >= count:
				return sent
			time.sleep(0.2)
		self.fail(f"the fake provider got {len(self.fake.sent_to(number))} of {count} messages")

	def assertRefusedAndLogged(self, response, secret_values=()):
		self.assertEqual(response.status_code, 403)
		logs = frappe.get_all(
			"Error Log",
			filters={"method": "P3M messaging: request refused", "creation": (">=", self.started)},
			pluck="error",
		)
		self.assertTrue(logs, "a refused request leaves an Error Log")
		for text in logs:
			for value in secret_values:
				self.assertNotIn(value, text)
