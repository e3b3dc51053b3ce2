frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["P3M Status by Unit"] = {
	method: "p3m_app.p3m_app.dashboard_chart_source.p3m_status_by_unit.p3m_status_by_unit.get",
	filters: [],
};
