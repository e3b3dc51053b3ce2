# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

from p3m_app.core import messaging_rules, phone
from p3m_app.core.errors import RuleViolation
from p3m_app.utils import throw


class MessagingChannel(Document):
	"""An SMS or WhatsApp number feeding complaints (p3m_app.channels); its secrets are Password fields."""

	def validate(self):
		try:
			self.number = phone.normalise(self.number)
		except RuleViolation as violation:
			throw(violation, title=_("Invalid Messaging Channel"))
		for fieldname in ("outbound_url", "api_base_url"):
			value = (self.get(fieldname) or "").strip()
			if value and not re.match(r"^https?://", value, re.I):
				frappe.throw(
					_("{0} must start with http:// or https://.").format(_(self.meta.get_label(fieldname))),
					title=_("Invalid Messaging Channel"),
				)
		if self.enabled:
			self.check_secrets()

	def check_secrets(self):
		"""An enabled channel refuses every request until it can authenticate one."""
		if self.provider == messaging_rules.GENERIC_SMS:
			needed = ("secret",)
		else:
			needed = ("app_secret", "verify_token", "phone_number_id", "access_token")
		missing = [_(self.meta.get_label(f)) for f in needed if not self.get(f)]
		if missing:
			frappe.throw(
				_("An enabled channel needs: {0}.").format(", ".join(missing)),
				title=_("Invalid Messaging Channel"),
			)


def on_doctype_update():
	# the WhatsApp webhook finds its channel by the payload's phone-number id
	frappe.db.add_index("Messaging Channel", ["phone_number_id"])
