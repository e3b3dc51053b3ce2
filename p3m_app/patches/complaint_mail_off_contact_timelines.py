"""Mail of a complaint linked before to the Contacts of its addresses (and their documents) leaves
their timelines: a complaint's mail shows on the complaint only (mail_sealing.keep_on_complaint_timeline)."""


def execute():
	from p3m_app.access.mail_sealing import drop_other_timeline_links

	drop_other_timeline_links()
