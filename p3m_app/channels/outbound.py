"""Messages to the reporter by the channel they used: acknowledgement, Pending question, answer.

A complaint that came by SMS or WhatsApp is answered there; one that came another way is told
by e-mail as before (p3m_app.portal.notify), and by SMS only when its reporter left a mobile
number and no e-mail. Each message is a Messaging Message row (Queued) delivered by a background
job after the commit; a failure is retried with backoff (core.messaging_rules.BACKOFF_MINUTES,
the retry sweep runs every two minutes) and the last one is Failed with an Error Log. The text
is composed when it is sent and kept as a sent Communication on the complaint, sealed for a
confidential one; the number is read then from the complaint or its sealed identity.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import format_datetime, get_datetime, now_datetime

from p3m_app.channels import messaging, sms_gateway, whatsapp
from p3m_app.core import messaging_rules, phone, tracking_code
from p3m_app.core import workflow_rules as wf
from p3m_app.portal import notify

LOG, CHANNEL = "Messaging Message", "Messaging Channel"
MESSAGING = (messaging_rules.SMS, messaging_rules.WHATSAPP)


def on_complaint_update(doc, method=None) -> None:
	"""Complaint ``on_update``: the events a reporter hears about on their channel."""
	if doc.flags.get("p3m_messaging_intake"):
		return  # acknowledged by the intake, on the channel the message came in on
	before = doc.get_doc_before_save()
	if before is None:
		queue_if_reachable(doc, "Acknowledgement")
	elif doc.has_value_changed("workflow_state") and doc.workflow_state == wf.PENDING:
		queue_if_reachable(doc, "Pending Question")
	elif doc.has_value_changed("workflow_state") and doc.workflow_state == wf.ANSWERED:
		queue_if_reachable(doc, "Answer")


def queue_if_reachable(doc, event: str) -> None:
	"""Queue ``event`` when the reporter is told by message: they wrote by SMS or WhatsApp, or
	left a mobile number and no e-mail (e-mail is notify's)."""
	if doc.is_anonymous:
		return
	if doc.channel in MESSAGING:
		channel = channel_for(doc)
		if channel:
			queue(doc.name, event, channel)
		return
	if notify.reporter_email(doc):
		return
	number = messaging.reporter_number(doc)
	if not (number and phone.is_mobile(number)):
		return
	channel = channel_for(doc)
	if channel or sms_settings_configured():
		queue(doc.name, event, channel)


def channel_for(doc) -> str | None:
	"""The channel the reporter last wrote on, else the first enabled channel of the complaint's kind."""
	last = frappe.get_all(
		LOG,
		filters={"complaint": doc.name, "direction": "Inbound"},
		pluck="channel",
		order_by="creation desc",
		limit=1,
	)
	if last:
		return last[0]
	provider = messaging_rules.WHATSAPP_CLOUD if doc.channel == messaging_rules.WHATSAPP else None
	provider = provider or messaging_rules.GENERIC_SMS
	found = frappe.get_all(
		CHANNEL, filters={"provider": provider, "enabled": 1}, pluck="name", order_by="creation asc", limit=1
	)
	return found[0] if found else None


def sms_settings_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def queue(complaint: str, event: str, channel: str | None) -> str | None:
	"""A Queued row and its delivery job after the commit; nothing through a disabled channel."""
	if channel and not frappe.db.get_value(CHANNEL, channel, "enabled"):
		return None
	row = frappe.get_doc(
		{
			"doctype": LOG,
			"channel": channel,
			"direction": "Outbound",
			"event": event,
			"status": "Queued",
			"complaint": complaint,
			"next_attempt_at": now_datetime(),
		}
	)
	row.flags.ignore_mandatory = True  # no channel: through Frappe's SMS Settings
	row.insert(ignore_permissions=True)
	frappe.enqueue(
		"p3m_app.channels.outbound.deliver", name=row.name, queue="short", enqueue_after_commit=True
	)
	return row.name


def retry_due() -> None:
	"""Scheduler: deliver what is due (retries, and jobs lost before they ran)."""
	for name in frappe.get_all(
		LOG,
		filters={"direction": "Outbound", "status": "Queued", "next_attempt_at": ("<=", now_datetime())},
		pluck="name",
		order_by="next_attempt_at asc",
		limit=200,
	):
		deliver(name)
		frappe.db.commit()


def deliver(name: str) -> None:
	"""Send one queued message, once: the row is locked and must still be Queued."""
	row = frappe.db.get_value(
		LOG,
		name,
		["name", "status", "attempts", "event", "complaint", "channel"],
		as_dict=True,
		for_update=True,
	)
	if not row or row.status != "Queued":
		return
	if not frappe.db.exists("Complaint", row.complaint):
		# one row whose complaint is gone must not stop the retry job for every other reporter
		return fail(row, _("The complaint no longer exists."), final=True)
	doc = frappe.get_doc("Complaint", row.complaint)
	channel = frappe.get_doc(CHANNEL, row.channel) if row.channel else None
	number = messaging.reporter_number(doc)
	if not number:
		return fail(row, _("The complaint has no number to answer."), final=True)
	with system_language():
		text = compose(row.event, doc, channel)
	try:
		provider_id = send(channel, doc, number, text)
	except sms_gateway.NotConfigured:
		return fail(row, _("No SMS gateway is set up."), final=True)
	except Exception as error:
		# the class and HTTP status only: a gateway's error text may quote the number or the text
		status = getattr(getattr(error, "response", None), "status_code", "")
		return fail(row, f"{type(error).__name__} {status}".strip())
	values = {"status": "Sent", "sent_at": now_datetime(), "attempts": (row.attempts or 0) + 1, "error": None}
	if provider_id:
		values.update(provider_message_id=provider_id[:140], message_key=f"{row.channel}:{provider_id}"[:140])
	frappe.db.set_value(LOG, name, values, update_modified=True)
	if row.event != "Ask for Code":
		communication = record(doc, channel, number, text)
		frappe.db.set_value(LOG, name, "communication", communication, update_modified=False)
	after_sent(doc, row.event, channel)


@contextmanager
def system_language():
	"""Reporters read the site's language (Indonesian), whoever's job or request sends it."""
	previous = frappe.local.lang
	frappe.local.lang = frappe.db.get_single_value("System Settings", "language") or previous
	try:
		yield
	finally:
		frappe.local.lang = previous


def send(channel, doc, number: str, text: str) -> str | None:
	if channel and channel.provider == messaging_rules.WHATSAPP_CLOUD:
		last = frappe.get_all(
			LOG,
			filters={"complaint": doc.name, "direction": "Inbound", "channel": channel.name},
			pluck="creation",
			order_by="creation desc",
			limit=1,
		)
		template = messaging_rules.needs_template(get_datetime(last[0]) if last else None, now_datetime())
		return whatsapp.send(channel, number, text, template)
	return sms_gateway.send(channel, number, text)


def fail(row, error: str, final: bool = False) -> None:
	attempts = (row.attempts or 0) + 1
	retry_at = None if final else messaging_rules.next_attempt(attempts, now_datetime())
	frappe.db.set_value(
		LOG,
		row.name,
		{
			"attempts": attempts,
			"error": error[:500],
			"status": "Queued" if retry_at else "Failed",
			"next_attempt_at": retry_at,
		},
	)
	if not retry_at:
		frappe.log_error(
			title=_("P3M messaging: reporter not informed"),
			message=_("{0} for complaint {1} failed after {2} attempts: {3}").format(
				_(row.event), row.complaint, attempts, error
			),
			reference_doctype="Complaint",
			reference_name=row.complaint,
		)


def compose(event: str, doc, channel) -> str:
	code = tracking_code.display(doc.tracking_code)
	link = notify.track_url(doc.tracking_code)
	if event == "Acknowledgement":
		return _(
			"Your report has been received. Tracking code: {0}. Keep it: reply to this number to add "
			"information. Follow your report at {1}"
		).format(code, link)
	if event == "Ask for Code":
		return _(
			"You have more than one open report. Start your message with the tracking code of the report "
			"it belongs to, or with BARU to make a new report."
		)
	if event == "Pending Question":
		return _("We need more information on your report {0}: {1} Reply to this message with it.").format(
			code, messaging_rules.shorten(doc.pending_reason or "", 600, "")[0]
		)
	objection = ""
	if doc.autoclose_at:
		objection = "\n" + _("Not satisfied? You can object until {0} at {1}").format(
			format_datetime(doc.autoclose_at, "dd-MM-yyyy HH:mm"), link
		)
	limit = (
		messaging_rules.WHATSAPP_ANSWER_LIMIT if is_whatsapp(channel) else messaging_rules.SMS_ANSWER_LIMIT
	)
	# the answer itself gets what the code, the wording and the objection line leave
	room = limit - len(objection) - len(_("Answer to your report {0}: {1}").format(code, ""))
	answer, shortened = messaging_rules.shorten(doc.response or "", room, link)
	if shortened:
		return _("Your report {0} has been answered. Read the answer at {1}").format(code, link) + objection
	return _("Answer to your report {0}: {1}").format(code, answer) + objection


def is_whatsapp(channel) -> bool:
	return bool(channel) and channel.provider == messaging_rules.WHATSAPP_CLOUD


def record(doc, channel, number: str, text: str) -> str:
	"""The sent message on the complaint's timeline (sealed after insert when confidential)."""
	kind = messaging_rules.WHATSAPP if is_whatsapp(channel) else messaging_rules.SMS
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": messaging.MEDIUM[kind],
			"sent_or_received": "Sent",
			"subject": _("{0} message").format(_(kind)),
			"content": frappe.utils.escape_html(text).replace("\n", "<br>"),
			"phone_no": number,
			"reference_doctype": "Complaint",
			"reference_name": doc.name,
		}
	)
	communication.insert(ignore_permissions=True)
	return communication.name


def after_sent(doc, event: str, channel) -> None:
	if event == "Acknowledgement" and not doc.acknowledged_at:
		frappe.db.set_value("Complaint", doc.name, "acknowledged_at", now_datetime(), update_modified=False)
	elif event == "Answer":
		kind = messaging_rules.WHATSAPP if is_whatsapp(channel) else messaging_rules.SMS
		doc.add_comment("Info", _("The answer was sent to the reporter by {0}.").format(_(kind)))


def update_status(channel, provider_id: str, reported: str) -> None:
	"""A provider's delivery callback moves the outbound message's status forward."""
	row = frappe.db.get_value(
		LOG,
		{"channel": channel.name, "provider_message_id": provider_id, "direction": "Outbound"},
		["name", "status"],
		as_dict=True,
	)
	new = row and messaging_rules.advanced_status(row.status, reported)
	if new:
		frappe.db.set_value(LOG, row.name, "status", new, update_modified=True)
