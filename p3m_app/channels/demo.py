"""Demo: one SMS and one WhatsApp channel (fake secrets, disabled so nothing leaves the demo
site), and one complaint received on each through the real intake. Running it again changes
nothing: each message is stored once by its provider id."""

import frappe

from p3m_app.channels import messaging
from p3m_app.core import messaging_rules

CHANNELS = {
	"Demo SMS": {
		"provider": messaging_rules.GENERIC_SMS,
		"number": "+6281100000001",
		"secret": "demo-sms-secret",
	},
	"Demo WhatsApp": {
		"provider": messaging_rules.WHATSAPP_CLOUD,
		"number": "+6281100000002",
		"app_secret": "demo-app-secret",
		"verify_token": "demo-verify-token",
		"phone_number_id": "100000000000002",
		"access_token": "demo-access-token",
	},
}
MESSAGES = (
	(
		"Demo SMS",
		"demo-sms-1",
		"+6281299990001",
		"Bantuan PKH tahap 3 belum cair di Kabupaten Brebes, sudah lapor ke pendamping.",
	),
	(
		"Demo WhatsApp",
		"wamid.demo-1",
		"6281299990002",
		"Kartu KKS saya hilang, bagaimana cara menggantinya? Saya tinggal di Tegal.",
	),
)


def make_demo_messages() -> list[str]:
	"""The two channels and their complaints; the complaint names."""
	program = "PKH" if frappe.db.exists("P3M Program", "PKH") else None
	for name, values in CHANNELS.items():
		if not frappe.db.exists("Messaging Channel", name):
			frappe.get_doc(
				{
					"doctype": "Messaging Channel",
					"channel_name": name,
					"enabled": 0,
					"program": program,
					**values,
				}
			).insert(ignore_permissions=True)
	complaints = []
	for channel_name, provider_id, sender, text in MESSAGES:
		channel = frappe.get_doc("Messaging Channel", channel_name)
		messaging.receive(channel, messaging.Inbound(provider_id, sender, text))
		complaints.append(
			frappe.db.get_value(messaging.LOG, {"message_key": f"{channel_name}:{provider_id}"}, "complaint")
		)
	return complaints
