import frappe

from p3m_app import dashboard

get = frappe.whitelist()(dashboard.chart_endpoint(dashboard.intake_by_channel))
