// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.query_reports["Rekapitulasi Pengaduan"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Unit",
			description: __("Empty: every unit you can see"),
		},
		{ fieldname: "program", label: __("Program"), fieldtype: "Link", options: "P3M Program" },
		{ fieldname: "from_lapor", label: __("From LAPOR! Only"), fieldtype: "Check", default: 0 },
		{
			fieldname: "classification",
			label: __("Classification"),
			fieldtype: "Select",
			options: ["", "Pengaduan", "Keluhan", "Permintaan Informasi", "Aspirasi", "Whistleblowing"],
		},
		{
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Link",
			options: "Complaint Category",
			get_query: () => {
				const program = frappe.query_report.get_filter_value("program");
				return program ? { filters: { program } } : {};
			},
		},
		{
			fieldname: "channel",
			label: __("Channel"),
			fieldtype: "Select",
			options: [
				"",
				"Web Portal",
				"Email",
				"Phone",
				"SMS",
				"Letter",
				"Fax",
				"Walk-in",
				"Social Media",
				"Mobile App",
				"Audit Finding",
				"Other",
			],
		},
		{
			fieldname: "hide_empty",
			label: __("Hide Units Without Complaints"),
			fieldtype: "Check",
			default: 0,
		},
	],
	tree: true,
	name_field: "unit",
	parent_field: "parent_unit",
	initial_depth: 1,
};
