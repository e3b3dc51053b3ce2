// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.ui.form.on("LAPOR Import", {
	refresh(frm) {
		if (frm.is_new() || ["Queued", "Running"].includes(frm.doc.status)) return;
		frm.add_custom_button(__("Start Import"), () =>
			frappe
				.call({
					method: "p3m_app.interop.lapor.importer.start",
					args: { name: frm.doc.name },
					freeze: true,
					freeze_message: __("Importing the LAPOR! export..."),
				})
				.then(() => frm.reload_doc())
		);
	},
});
