// Letters to the reporter (PKH, seed 004): open the right print format as PDF, then log it as sent.
// The log (Complaint Letter rows, reporter_informed_at) is written by the server only.
const P3M_LETTER_FORMATS = {
	Receipt: "Surat Tanda Terima Pengaduan",
	"In Process": "Surat Pengaduan Sedang Dalam Proses",
	Result: "Surat Hasil Penanganan Pengaduan",
	Forwarded: "Surat Pengaduan Diteruskan ke Dinas",
};

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		if (frm.is_new() || !frm.perm[0]?.write) return;
		frm.add_custom_button(__("Send / Log Letter"), () => p3m_letter_dialog(frm), __("Letter"));
	},
});

function p3m_letter_dialog(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Send / Log Letter"),
		fields: [
			{
				fieldname: "letter_type",
				fieldtype: "Select",
				label: __("Letter Type"),
				reqd: 1,
				options: Object.keys(P3M_LETTER_FORMATS).map((value) => ({ value, label: __(value) })),
			},
			{
				fieldname: "open",
				fieldtype: "Button",
				label: __("Open the letter"),
				click: () => {
					const type = dialog.get_value("letter_type");
					if (!type) return;
					const url =
						"/api/method/frappe.utils.print_format.download_pdf?doctype=Complaint" +
						`&name=${encodeURIComponent(frm.doc.name)}&format=${encodeURIComponent(P3M_LETTER_FORMATS[type])}`;
					window.open(url, "_blank");
				},
			},
			{
				fieldname: "channel",
				fieldtype: "Select",
				label: __("Sent Via"),
				reqd: 1,
				options: ["Post", "Email", "Fax", "Hand delivered"].map((value) => ({ value, label: __(value) })),
			},
			{ fieldname: "reference", fieldtype: "Data", label: __("Reference Number") },
		],
		primary_action_label: __("Log as sent"),
		primary_action(values) {
			frappe
				.call({
					method: "p3m_app.programs.pkh.letters.record_letter",
					args: { complaint: frm.doc.name, ...values },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Letter logged."), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}
