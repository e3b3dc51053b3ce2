"""A portal request that loses its database connection (MariaDB restarting) is refused with a
clear "please try again" (HTTP 503) instead of a bare server error with a driver traceback.

Nothing half-saved: the request's transaction dies with its connection, and the portal form
resends its submission id, so sending the report again never stores it twice.
"""

import functools

import frappe
from frappe import _

from p3m_app.core.db_outage import is_lost_connection


class ServiceUnavailable(frappe.ValidationError):
	http_status_code = 503


def retry_message() -> str:
	return _(
		"The service is briefly unavailable and your request was not completed. "
		"Please send it again in a minute; a report sent again is never stored twice."
	)


def refused_while_database_unavailable(endpoint):
	"""Wrap a portal endpoint; ``commit`` first commits inside the guard, so a connection lost
	while committing is answered the same way."""

	@functools.wraps(endpoint)
	def guarded(*args, **kwargs):
		try:
			result = endpoint(*args, **kwargs)
			if frappe.request and frappe.request.method == "POST":
				frappe.db.commit()
			return result
		except Exception as error:
			if not is_lost_connection(error):
				raise
			drop_dead_connection()
			frappe.throw(retry_message(), exc=ServiceUnavailable, title=_("Please try again"))

	return guarded


def drop_dead_connection() -> None:
	"""Frappe rolls back and closes the request's connection after an error; on a dead one that
	raises again and the citizen gets a bare error page. No connection: nothing to roll back."""
	try:
		frappe.db.close()
	except Exception:
		pass
	frappe.local.db = None
