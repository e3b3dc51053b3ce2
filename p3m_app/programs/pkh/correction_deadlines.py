"""The 1-month limit of Master Database correction requests (Pedoman PKH, seed 004 lines 409-411 and
429-431: "membutuhkan waktu maksimal 1 (satu) bulan untuk diproses lebih lanjut")."""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from p3m_app import roles
from p3m_app.core import correction_rules as rules

DOCTYPE = "Master Data Correction Request"


def flag_overdue(day=None) -> int:
	"""Daily: flag the requests still awaiting Pusat's decision after their month, leave one line on
	each complaint's timeline, and send one digest to each Penanggung Jawab of the target units and
	each Admin Nasional - a few set-based statements, whatever the number of requests."""
	day = getdate(day or today())
	token = frappe.generate_hash(length=12)
	frappe.db.sql(
		"""update `tabMaster Data Correction Request` set is_overdue = 1, overdue_alert_token = %(token)s
		where status = 'Submitted' and due_date < %(day)s and is_overdue = 0""",
		{"token": token, "day": day},
	)
	flagged = frappe.db.sql(
		"select count(*) from `tabMaster Data Correction Request` where overdue_alert_token = %(token)s",
		{"token": token},
	)[0][0]
	if not flagged:
		return 0
	frappe.db.sql(
		"""insert into `tabComment` (name, creation, modified, owner, modified_by, comment_type,
			reference_doctype, reference_name, comment_email, content, docstatus)
		select concat('mdc-', %(token)s, '-', r.name), %(now)s, %(now)s, 'Administrator', 'Administrator',
			'Info', 'Complaint', r.complaint, 'Administrator',
			replace(replace(replace(%(text)s, '{0}', r.name), '{1}', r.target_unit),
				'{2}', date_format(r.due_date, '%%d-%%m-%%Y')), 0
		from `tabMaster Data Correction Request` r where r.overdue_alert_token = %(token)s""",
		{
			"token": token,
			"now": now_datetime(),
			"text": _(
				"Master Database correction request {0} is overdue: the decision of {1} was due on {2}."
			),
		},
	)
	rows = frappe.db.sql(
		"""select o.user, count(distinct r.name), group_concat(distinct r.name order by r.name separator ', ')
		from `tabMaster Data Correction Request` r
			join `tabUnit Officer` o on o.parenttype = 'Unit' and o.parent = r.target_unit
				and o.role_in_unit = %(role)s
		where r.overdue_alert_token = %(token)s group by o.user
		union
		select h.parent, count(distinct r.name), group_concat(distinct r.name order by r.name separator ', ')
		from `tabMaster Data Correction Request` r
			join `tabHas Role` h on h.role = %(national)s and h.parenttype = 'User'
		where r.overdue_alert_token = %(token)s group by h.parent""",
		{"token": token, "role": rules.DECIDING_UNIT_ROLE, "national": roles.ADMIN_NASIONAL},
	)
	digests = {}
	for user, count, names in rows:
		# a Penanggung Jawab who is also Admin Nasional gets one digest, the wider one
		if count > digests.get(user, (0, ""))[0]:
			digests[user] = (count, names)
	for user, (count, names) in digests.items():
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": DOCTYPE,
				"subject": _(
					"{0} Master Database correction requests are past their 1-month limit: {1}"
				).format(count, names)[:140],
			}
		).insert(ignore_permissions=True)
	return flagged
