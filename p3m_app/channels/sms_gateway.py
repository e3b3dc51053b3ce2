"""A generic SMS gateway: its inbound POST, and sending through Frappe's SMS Settings or the channel.

Inbound: the gateway POSTs (form or JSON) the sender, the text and its message id to
``/api/method/p3m_app.channels.api.sms_inbound?channel=<Messaging Channel>``, with the channel's
shared secret in ``X-P3M-Secret`` or an HMAC of the raw body in ``X-P3M-Signature``.
Outbound: to the channel's Gateway Send URL (JSON ``{to, text}``) when set, else through the
gateway configured in Frappe's SMS Settings (its URL, parameters and headers). Frappe's
``send_sms`` is not used: it writes an SMS Log (number and text in clear) that plain Frappe
lacks, and would fail after the message left.
"""

import frappe
import requests

from p3m_app.core import messaging_rules

TIMEOUT = 15


class NotConfigured(Exception):
	"""No gateway to send through: retrying will not help until an admin sets one up."""


def authentic(channel, body: bytes) -> bool:
	secret = channel.get_password("secret", raise_exception=False)
	given = frappe.get_request_header("X-P3M-Secret")
	if given:
		return messaging_rules.same_secret(given, secret)
	return messaging_rules.valid_signature(frappe.get_request_header("X-P3M-Signature"), body, secret)


def send(channel, number: str, text: str) -> str | None:
	"""Send one SMS; the gateway's message id when it answers with one. Raises on failure."""
	if channel and channel.outbound_url:
		response = requests.post(
			channel.outbound_url,
			json={"to": number, "text": text},
			headers={"X-P3M-Secret": channel.get_password("secret", raise_exception=False) or ""},
			timeout=TIMEOUT,
		)
		response.raise_for_status()
		try:
			answer = response.json()
		except ValueError:
			return None
		return (
			str(answer.get("message_id") or answer.get("id") or "") or None
			if isinstance(answer, dict)
			else None
		)
	return send_through_sms_settings(number, text)


def send_through_sms_settings(number: str, text: str) -> None:
	from frappe.core.doctype.sms_settings.sms_settings import get_headers, send_request

	settings = frappe.get_doc("SMS Settings")
	if not settings.sms_gateway_url:
		raise NotConfigured("SMS Settings has no gateway URL")
	headers = get_headers(settings)
	params = {settings.message_parameter: text, settings.receiver_parameter: number}
	params.update({row.parameter: row.value for row in settings.get("parameters") if not row.header})
	use_json = headers.get("Content-Type") == "application/json"
	send_request(settings.sms_gateway_url, params, headers, settings.use_post, use_json)
	return None
