frappe.treeview_settings["Unit"] = {
	breadcrumb: "P3M App",
	title: __("Units"),
	ignore_fields: ["parent_unit"],
	fields: [
		{ fieldtype: "Data", fieldname: "unit_name", label: __("Unit Name"), reqd: true },
		{ fieldtype: "Link", fieldname: "unit_level", label: __("Unit Level"), options: "Unit Level", reqd: true },
		{ fieldtype: "Check", fieldname: "is_group", label: __("Is Group") },
	],
};
