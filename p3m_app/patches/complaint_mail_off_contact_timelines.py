"""Mail of a complaint linked before to the Contacts of its addresses (and their documents) leaves
their timelines: a complaint's mail shows on the complaint only (mail_sealing.keep_on_complaint_timeline)."""

import frappe


def execute():
	frappe.db.sql(
		"""delete link from `tabCommunication Link` link
		join `tabCommunication` c on c.name = link.parent
		where c.reference_doctype = 'Complaint'
			and not (link.link_doctype = 'Complaint' and link.link_name = c.reference_name)"""
	)
