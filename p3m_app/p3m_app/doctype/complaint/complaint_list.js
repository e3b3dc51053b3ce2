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
