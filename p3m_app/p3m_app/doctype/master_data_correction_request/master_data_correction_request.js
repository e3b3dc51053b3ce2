// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

// Pedoman PKH Tabel 1 (seed 004 lines 402-444): send to UPPKH Pusat, then Pusat decides.
frappe.ui.form.on("Master Data Correction Request", {
	refresh(frm) {
		if (frm.is_new()) return;
		const onload = frm.doc.__onload || {};
		if (frm.doc.status === "Submitted" && frm.doc.due_date) {
			const late = frm.doc.is_overdue || frappe.datetime.get_diff(frappe.datetime.get_today(), frm.doc.due_date) > 0;
			frm.dashboard.add_indicator(
				__("Decision due {0}", [frappe.datetime.str_to_user(frm.doc.due_date)]) + (late ? ` · ${__("Overdue")}` : ""),
				late ? "red" : "orange"
			);
		}
		if (onload.may_submit) {
			if (!onload.evidence_files) {
				frm.set_intro(__("Attach the evidence (statement, supporting documents) before sending the request."), "orange");
			}
			frm.add_custom_button(__("Send to UPPKH Pusat"), () =>
				frappe.confirm(__("Send this request and its evidence to {0}? The reporter is told it may take up to 1 month.", [frm.doc.target_unit]), () =>
					frappe.call({ method: "p3m_app.programs.pkh.corrections.submit", args: { name: frm.doc.name } }).then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
		if (onload.may_decide) {
			const decide = (label, method) =>
				frappe.prompt(
					[{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 }],
					({ reason }) =>
						frappe.call({ method, args: { name: frm.doc.name, reason } }).then(() => frm.reload_doc()),
					label,
					label
				);
			frm.add_custom_button(__("Approve"), () => decide(__("Approve"), "p3m_app.programs.pkh.corrections.approve"), __("Decide"));
			frm.add_custom_button(__("Reject"), () => decide(__("Reject"), "p3m_app.programs.pkh.corrections.reject"), __("Decide"));
		}
	},
});
