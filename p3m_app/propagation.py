"""Status propagation: the unit a complaint came from hears what the levels above did with it.

A complaint recorded at a district and taken up by the province or the centre stays visible
(read-only) to the district, and each state change made above it reaches the district's
officers as a desk notification.
"""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

from p3m_app.core import public_view


def held_elsewhere(doc) -> bool:
	"""Another unit (usually a higher level) holds the complaint its origin unit recorded."""
	return bool(doc.origin_unit and doc.current_unit and doc.origin_unit != doc.current_unit)


def notify_origin(doc) -> None:
	"""After a state change made at another level: tell the originating unit's officers."""
	if not doc.has_value_changed("workflow_state") or not held_elsewhere(doc):
		return
	officers = frappe.get_all(
		"Unit Officer", filters={"parenttype": "Unit", "parent": doc.origin_unit}, pluck="user", distinct=True
	)
	users = [user for user in officers if user != frappe.session.user]
	if not users:
		return
	status = _(public_view.PUBLIC_STATUS.get(doc.workflow_state, doc.workflow_state))
	# Frappe's own helper, which writes the logs in a background job instead of this request
	enqueue_create_notification(
		users,
		{
			"type": "Alert",
			"document_type": "Complaint",
			"document_name": doc.name,
			"subject": _("{0} (from your unit) is now {1} at {2}").format(doc.name, status, doc.current_unit),
			"from_user": frappe.session.user,
		},
	)
