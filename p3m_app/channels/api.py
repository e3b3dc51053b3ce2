"""Webhooks of the messaging providers (guests: every request is authenticated by its channel).

They answer ``ok`` (or the handshake's challenge) and nothing else: no tracking code, complaint
or number ever travels back to the caller; the reporter hears back by message.
"""

import json

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from p3m_app.channels import gate, messaging, outbound, sms_gateway, whatsapp
from p3m_app.core import messaging_rules

CHANNEL = "Messaging Channel"
# per client address: bounds a flood of forged requests (providers stay far below it)
FLOOD_LIMIT, FLOOD_SECONDS = 1200, 60


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=FLOOD_LIMIT, seconds=FLOOD_SECONDS)
def sms_inbound(channel: str | None = None, **_form):
	# a JSON body hides the query string from the arguments
	channel = channel or frappe.request.args.get("channel")
	doc = enabled_channel(channel, messaging_rules.GENERIC_SMS)
	if doc is None:
		return gate.refuse(channel or "?", _("unknown or disabled channel"))
	if not sms_gateway.authentic(doc, frappe.request.get_data()):
		return gate.refuse(doc, _("missing or wrong secret"))
	message = messaging_rules.generic_sms(dict(frappe.form_dict))
	if message is None:
		messaging.log_refusal(doc, _("a request without sender or message id was ignored"))
		return gate.accepted()
	if gate.within_limits(doc, message["from"]):
		return safely(
			doc, messaging.receive, doc, messaging.Inbound(message["id"], message["from"], message["text"])
		)
	return gate.accepted()


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
@rate_limit(limit=FLOOD_LIMIT, seconds=FLOOD_SECONDS)
def whatsapp_webhook(channel: str | None = None, **_form):
	if frappe.request.method == "GET":
		return handshake()
	body = frappe.request.get_data()
	try:
		payload = json.loads(body or b"{}")
	except ValueError:
		payload = None
	messages, statuses, number_ids = messaging_rules.whatsapp_messages(payload)
	doc = whatsapp.channel_for(channel or frappe.request.args.get("channel"), number_ids)
	if doc is None:
		return gate.refuse(channel or "?", _("unknown or disabled channel"))
	if not whatsapp.authentic(doc, body):
		return gate.refuse(doc, _("missing or wrong signature"))
	return safely(doc, receive_whatsapp_payload, doc, messages, statuses)


def receive_whatsapp_payload(doc, messages: list[dict], statuses: list[dict]) -> None:
	for status in statuses:
		outbound.update_status(doc, status["id"], status["status"])
	for message in messages:
		if gate.within_limits(doc, message["from"]):
			receive_whatsapp(doc, message)


def safely(doc, function, *args):
	"""ok once stored; on an error nothing is kept and the provider is told to retry (500). The
	Error Log names the error's type only: Frappe's own would carry the number and the text."""
	try:
		function(*args)
	except Exception as error:
		frappe.db.rollback()
		messaging.log_refusal(doc, _("a message could not be stored: {0}").format(type(error).__name__))
		return gate.accepted("error", status=500)
	return gate.accepted()


def handshake():
	args = frappe.request.args
	doc = whatsapp.channel_by_verify_token(args.get("hub.verify_token"))
	if args.get("hub.mode") != "subscribe" or doc is None:
		return gate.refuse("?", _("webhook verification with a wrong token"))
	return gate.accepted(args.get("hub.challenge") or "")


def receive_whatsapp(doc, message: dict) -> None:
	media = []
	stored = frappe.db.exists(messaging.LOG, {"message_key": f"{doc.name}:{message['id']}"})
	if message["media_id"] and not stored:  # a retry's media are not fetched again
		try:
			fetched = whatsapp.fetch_media(doc, message)
		except Exception as error:
			messaging.log_refusal(
				doc, _("a media file could not be fetched: {0}").format(type(error).__name__)
			)
			fetched = None
		media = [fetched] if fetched else []
	messaging.receive(doc, messaging.Inbound(message["id"], message["from"], message["text"], media))


def enabled_channel(name: str | None, provider: str):
	if not name or not isinstance(name, str):
		return None
	values = frappe.db.get_value(CHANNEL, name, ["provider", "enabled"], as_dict=True)
	if not values or not values.enabled or values.provider != provider:
		return None
	return frappe.get_doc(CHANNEL, name)
