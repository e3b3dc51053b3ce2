// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

const P3M_SLA_COLORS = { "On Track": "green", "Due Soon": "orange", Breached: "red", Met: "blue", Paused: "gray" };

function p3m_working_days_between(from, to) {
	// mirrors p3m_app.core.working_calendar with the default calendar's days off
	const calendar = frappe.boot.p3m_calendar || { weekend: [5, 6], holidays: [] };
	const holidays = new Set(calendar.holidays);
	const day = new Date(from.getFullYear(), from.getMonth(), from.getDate());
	const last = new Date(to.getFullYear(), to.getMonth(), to.getDate());
	let count = 0;
	while (day < last) {
		day.setDate(day.getDate() + 1);
		const weekday = (day.getDay() + 6) % 7; // Monday = 0
		if (!calendar.weekend.includes(weekday) && !holidays.has(frappe.datetime.obj_to_str(day))) count++;
	}
	return count;
}

function p3m_sla_label(status, due) {
	if (!status) return "";
	let text = __(status);
	if (due && !["Met", "Paused"].includes(status)) {
		const now = new Date();
		const deadline = frappe.datetime.str_to_obj(due);
		const days = deadline >= now ? p3m_working_days_between(now, deadline) : -p3m_working_days_between(deadline, now);
		if (days < 0) {
			text += ` · ${__("{0} wd late", [-days])}`;
		} else if (status === "Breached") {
			text += ` · ${__("next due in {0} wd", [days])}`; // an earlier deadline was missed
		} else {
			text += ` · ${__("{0} wd left", [days])}`;
		}
	}
	return `<span class="indicator-pill ${P3M_SLA_COLORS[status] || "gray"} ellipsis">${text}</span>`;
}

frappe.listview_settings["Complaint"] = {
	add_fields: ["sla_status", "sla_current_due", "current_unit"],
	formatters: {
		sla_status(value, df, doc) {
			return p3m_sla_label(value, doc.sla_current_due);
		},
	},
	onload(listview) {
		if (frappe.model.can_create("Complaint")) {
			listview.page.add_inner_button(__("Record Offline Complaint"), () => p3m_record_offline_complaint());
		}
		listview.page.add_inner_button(__("Breached in my units"), () => {
			frappe.call("p3m_app.sla.api.my_units").then(({ message: units }) => {
				listview.filter_area.clear(false).then(() => {
					const filters = [["Complaint", "sla_status", "=", "Breached"]];
					if (units && units.length === 1) {
						filters.push(["Complaint", "current_unit", "descendants of (inclusive)", units[0]]);
					}
					listview.filter_area.add(filters);
				});
			});
		});
	},
};

// One dialog for everything that arrives off-line: the channel picks the fields it needs.
function p3m_record_offline_complaint() {
	const when = (channels) => `eval:${JSON.stringify(channels)}.includes(doc.channel)`;
	const named = "eval:!doc.is_anonymous";
	const dialog = new frappe.ui.Dialog({
		title: __("Record Offline Complaint"),
		size: "large",
		fields: [
			{ fieldname: "channel", fieldtype: "Select", label: __("Channel"), reqd: 1, default: "Phone",
				options: ["Phone", "SMS", "Letter", "Fax", "Walk-in", "Social Media", "Audit Finding"]
					.map((value) => ({ value, label: __(value) })) },
			{ fieldname: "classification", fieldtype: "Select", label: __("Classification"), reqd: 1, default: "Pengaduan",
				options: ["Pengaduan", "Keluhan", "Permintaan Informasi", "Aspirasi", "Whistleblowing"]
					.map((value) => ({ value, label: __(value) })) },
			{ fieldtype: "Column Break" },
			{ fieldname: "received_at", fieldtype: "Datetime", label: __("Received At"), reqd: 1, default: frappe.datetime.now_datetime() },
			{ fieldname: "category", fieldtype: "Link", label: __("Category"), options: "Complaint Category" },
			// channel details share the first section: Frappe hides a dialog section whose fields all
			// start hidden and does not bring it back when a dependency turns them on
			{ fieldtype: "Column Break" },
			{ fieldname: "caller_number", fieldtype: "Data", label: __("Caller / Sender Number"), depends_on: when(["Phone", "SMS", "Fax"]) },
			{ fieldname: "letter_number", fieldtype: "Data", label: __("Letter Number"), depends_on: when(["Letter", "Fax"]),
				mandatory_depends_on: when(["Letter", "Fax"]) },
			{ fieldname: "letter_date", fieldtype: "Date", label: __("Letter Date"), depends_on: when(["Letter", "Fax"]) },
			{ fieldname: "social_media_platform", fieldtype: "Select", label: __("Platform"), depends_on: when(["Social Media"]),
				options: ["", "X (Twitter)", "Facebook", "Instagram", "TikTok", "YouTube", "WhatsApp", "Other"] },
			{ fieldname: "social_media_account", fieldtype: "Data", label: __("Account"), depends_on: when(["Social Media"]) },
			{ fieldname: "social_media_url", fieldtype: "Data", label: __("Post URL"), depends_on: when(["Social Media"]) },
			{ fieldname: "audit_source", fieldtype: "Select", label: __("Auditor"), options: ["", "BPK", "BPKP", "Itjen", "Other"],
				depends_on: when(["Audit Finding"]), mandatory_depends_on: when(["Audit Finding"]) },
			{ fieldname: "audit_report_reference", fieldtype: "Data", label: __("Audit Report Reference"),
				depends_on: when(["Audit Finding"]), mandatory_depends_on: when(["Audit Finding"]) },
			{ fieldname: "audit_report_date", fieldtype: "Date", label: __("Audit Report Date"), depends_on: when(["Audit Finding"]) },
			{ fieldtype: "Section Break", label: __("Complaint") },
			{ fieldname: "subject", fieldtype: "Data", label: __("Subject"), reqd: 1 },
			{ fieldname: "description", fieldtype: "Small Text", label: __("Description"), reqd: 1 },
			{ fieldtype: "Section Break", label: __("Reporter") },
			{ fieldname: "is_anonymous", fieldtype: "Check", label: __("Anonymous") },
			{ fieldname: "is_confidential", fieldtype: "Check", label: __("Confidential"), depends_on: named },
			{ fieldtype: "Column Break" },
			{ fieldname: "reporter_name", fieldtype: "Data", label: __("Reporter Name"), depends_on: named },
			{ fieldname: "reporter_phone", fieldtype: "Data", label: __("Reporter Phone"), depends_on: named },
			{ fieldname: "reporter_email", fieldtype: "Data", label: __("Reporter Email"), options: "Email", depends_on: named },
		],
		primary_action_label: __("Save"),
		primary_action(values) {
			frappe.db.insert({ doctype: "Complaint", ...values }).then((doc) => {
				dialog.hide();
				frappe.show_alert({ message: __("Complaint {0} recorded", [doc.name]), indicator: "green" });
				frappe.set_route("Form", "Complaint", doc.name);
			});
		},
	});
	dialog.show();
}
