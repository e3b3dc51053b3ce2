import frappe

from p3m_app import dashboard

get = frappe.whitelist()(dashboard.chart_endpoint(dashboard.status_by_unit))
