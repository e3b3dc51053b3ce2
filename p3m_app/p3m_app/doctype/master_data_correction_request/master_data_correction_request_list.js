// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.listview_settings["Master Data Correction Request"] = {
	add_fields: ["status", "is_overdue"],
	get_indicator(doc) {
		if (doc.status === "Submitted" && doc.is_overdue) return [__("Overdue"), "red", "is_overdue,=,1"];
		const colors = { Draft: "gray", Submitted: "orange", Approved: "green", Rejected: "red" };
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
