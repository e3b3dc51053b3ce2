"""WhatsApp Business Cloud API: the webhook's handshake and signature, media, sending.

Meta calls one webhook URL per app: ``/api/method/p3m_app.channels.api.whatsapp_webhook``
(optionally ``?channel=<Messaging Channel>``). A GET is the subscription handshake (the verify
token must be a WhatsApp channel's); every POST must carry ``X-Hub-Signature-256`` made with the
channel's app secret over the raw body. Media are fetched from the Graph API with the channel's
access token; the base URL is configurable so tests talk to a local fake.
"""

import mimetypes

import frappe
import requests

from p3m_app.core import messaging_rules, portal_rules

TIMEOUT = 15
CHANNEL = "Messaging Channel"


def base_url(channel) -> str:
	return (channel.api_base_url or "https://graph.facebook.com/v19.0").rstrip("/")


def auth_headers(channel) -> dict:
	return {"Authorization": f"Bearer {channel.get_password('access_token', raise_exception=False) or ''}"}


def channel_by_verify_token(token: str | None):
	"""The enabled WhatsApp channel whose verify token this is (compared in constant time)."""
	if not token:
		return None
	for name in frappe.get_all(
		CHANNEL, filters={"provider": messaging_rules.WHATSAPP_CLOUD, "enabled": 1}, pluck="name"
	):
		channel = frappe.get_doc(CHANNEL, name)
		if messaging_rules.same_secret(token, channel.get_password("verify_token", raise_exception=False)):
			return channel
	return None


def channel_for(name: str | None, phone_number_ids: set[str]):
	"""The channel a POST is for: named in the URL, else the one phone-number id of the payload."""
	filters = {"provider": messaging_rules.WHATSAPP_CLOUD, "enabled": 1}
	if name:
		filters["name"] = name
	elif len(phone_number_ids) == 1:
		filters["phone_number_id"] = next(iter(phone_number_ids))
	else:
		return None
	found = frappe.get_all(CHANNEL, filters=filters, pluck="name", limit=2)
	return frappe.get_doc(CHANNEL, found[0]) if len(found) == 1 else None


def authentic(channel, body: bytes) -> bool:
	return messaging_rules.valid_signature(
		frappe.get_request_header("X-Hub-Signature-256"),
		body,
		channel.get_password("app_secret", raise_exception=False),
	)


def fetch_media(channel, message: dict) -> tuple[str, bytes] | None:
	"""(file name, content) of a message's media, read at most one byte past the portal's limit."""
	if not message.get("media_id"):
		return None
	meta = requests.get(
		f"{base_url(channel)}/{message['media_id']}", headers=auth_headers(channel), timeout=TIMEOUT
	)
	meta.raise_for_status()
	info = meta.json()
	with requests.get(info["url"], headers=auth_headers(channel), timeout=TIMEOUT, stream=True) as download:
		download.raise_for_status()
		content = download.raw.read(portal_rules.MAX_FILE_BYTES + 1, decode_content=True)
	mime = info.get("mime_type") or message.get("mime_type") or ""
	name = message.get("filename") or f"whatsapp-{message['type'] or 'media'}"
	if "." not in name:
		name += mimetypes.guess_extension(mime.split(";")[0].strip()) or ""
	return name, content


def send(channel, number: str, text: str, template: bool) -> str | None:
	"""Send a text (or, outside the 24-hour window, the channel's template with the text as its
	one parameter); the WhatsApp message id. Raises on failure."""
	payload = {"messaging_product": "whatsapp", "to": number.lstrip("+")}
	if template and channel.template_name:
		payload.update(
			type="template",
			template={
				"name": channel.template_name,
				"language": {"code": channel.template_language or "id"},
				"components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
			},
		)
	else:
		payload.update(type="text", text={"preview_url": False, "body": text})
	response = requests.post(
		f"{base_url(channel)}/{channel.phone_number_id}/messages",
		json=payload,
		headers=auth_headers(channel),
		timeout=TIMEOUT,
	)
	response.raise_for_status()
	messages = (response.json() or {}).get("messages") or [{}]
	return str(messages[0].get("id") or "") or None
