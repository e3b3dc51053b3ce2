frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["P3M Intake by Channel"] = {
	method: "p3m_app.p3m_app.dashboard_chart_source.p3m_intake_by_channel.p3m_intake_by_channel.get",
	filters: [],
};
