// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.query_reports["Disposition Aging"] = {
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
	],
	tree: true,
	name_field: "row_id",
	parent_field: "parent_id",
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "bucket_over_10" && data && data.bucket_over_10 > 0) {
			value = `<span style="color: var(--red-600); font-weight: 600">${value}</span>`;
		}
		return value;
	},
};
