// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.query_reports["Handling Steps"] = {
	filters: [
		{
			fieldname: "unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Unit",
			description: __("Empty: every unit you can see"),
		},
		{ fieldname: "program", label: __("Program"), fieldtype: "Link", options: "P3M Program" },
		{ fieldname: "from_lapor", label: __("From LAPOR! Only"), fieldtype: "Check", default: 0 },
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "Complaint Category" },
	],
};
