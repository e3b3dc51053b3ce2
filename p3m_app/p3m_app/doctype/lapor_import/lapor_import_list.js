// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.listview_settings["LAPOR Import"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Export for LAPOR!"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Export for LAPOR!"),
				fields: [
					{
						fieldname: "since",
						fieldtype: "Date",
						label: __("Updated Since"),
						default: frappe.datetime.add_days(frappe.datetime.get_today(), -7),
					},
					{ fieldname: "unit", fieldtype: "Link", options: "Unit", label: __("Unit") },
					{
						fieldname: "file_format",
						fieldtype: "Select",
						label: __("Format"),
						options: ["xlsx", "csv"],
						default: "xlsx",
					},
				],
				primary_action_label: __("Download"),
				primary_action(values) {
					const query = new URLSearchParams({
						since: values.since || "",
						unit: values.unit || "",
						file_format: values.file_format,
					});
					window.open(`/api/method/p3m_app.interop.lapor.export.download?${query}`);
					dialog.hide();
				},
			});
			dialog.show();
		});
	},
};
