"""What a provider's request must pass before a message is stored: authenticity and rate limits.

A forged or unsigned request is answered 403 and logged (channel and reason only, at most once
a minute per channel and reason, so a flood cannot fill the Error Log). Over a limit, a message
is refused politely: 200 (the provider must not retry it forever), nothing stored, and one
Error Log per window. Counters live in Redis (frappe.cache); a number is counted under a hash.
"""

import hashlib

import frappe
from frappe import _
from werkzeug.wrappers import Response

from p3m_app.channels import messaging
from p3m_app.core import messaging_rules

NUMBER_WINDOW, CHANNEL_WINDOW, LOG_WINDOW = 3600, 60, 60


def refuse(channel, reason: str) -> Response:
	log_once(f"refused:{getattr(channel, 'name', channel)}:{reason}", channel, reason)
	# a GET (the handshake) commits nothing by itself
	frappe.local.flags.commit = True
	return Response(_("Forbidden"), status=403, mimetype="text/plain")


def accepted(body: str = "ok", status: int = 200) -> Response:
	return Response(body, status=status, mimetype="text/plain")


def log_once(key: str, channel, reason: str) -> None:
	cache_key = frappe.cache.make_key(f"p3m_messaging_log:{hashlib.sha256(key.encode()).hexdigest()}")
	if frappe.cache.set(cache_key, 1, ex=LOG_WINDOW, nx=True):
		messaging.log_refusal(channel, reason)


def count(key: str, window: int) -> int:
	cache_key = frappe.cache.make_key(f"p3m_messaging_rate:{key}")
	value = frappe.cache.incr(cache_key)
	if value == 1:
		frappe.cache.expire(cache_key, window)
	return value


def within_limits(channel, sender: str) -> bool:
	"""Count one message for the channel and for its number; False (and logged once) when over."""
	per_channel = count(f"channel:{channel.name}", CHANNEL_WINDOW)
	if messaging_rules.over_limit(per_channel, channel.limit_per_channel):
		log_once(f"limit:{channel.name}", channel, _("messages per channel per minute exceeded"))
		return False
	number_key = hashlib.sha256(f"{channel.name}:{sender}".encode()).hexdigest()
	per_number = count(f"number:{number_key}", NUMBER_WINDOW)
	if messaging_rules.over_limit(per_number, channel.limit_per_number):
		log_once(f"limit:{number_key}", channel, _("messages per number per hour exceeded"))
		return False
	return True
