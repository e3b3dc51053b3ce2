// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

// The last 36 months as YYYY-MM, newest first: the report covers one whole month.
function p3m_recent_months() {
	const today = frappe.datetime.str_to_obj(frappe.datetime.get_today());
	const months = [];
	for (let i = 0; i < 36; i++) {
		const d = new Date(today.getFullYear(), today.getMonth() - i, 1);
		months.push(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`);
	}
	return months;
}

frappe.query_reports["Monthly Complaint Report (PKH)"] = {
	filters: [
		{
			fieldname: "month",
			label: __("Month"),
			fieldtype: "Select",
			options: p3m_recent_months(),
			default: p3m_recent_months()[0],
			reqd: 1,
		},
		{
			fieldname: "program",
			label: __("Program"),
			fieldtype: "Link",
			options: "P3M Program",
			default: "PKH",
		},
		{
			fieldname: "unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Unit",
			description: __("Empty: every unit you can see"),
		},
	],
	tree: true,
	name_field: "row_id",
	parent_field: "parent_id",
};
