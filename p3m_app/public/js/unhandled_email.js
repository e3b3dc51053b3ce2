// Make Complaint: a queued mail becomes a complaint (p3m_app.intake.unhandled_mail.make_complaint)
frappe.ui.form.on("Unhandled Email", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Make Complaint"), () => {
			frappe.call({
				method: "p3m_app.intake.unhandled_mail.make_complaint",
				args: { name: frm.doc.name },
				freeze: true,
			}).then((r) => {
				const complaint = r.message && r.message.complaint;
				if (complaint) frappe.set_route("Form", "Complaint", complaint);
			});
		});
	},
});
