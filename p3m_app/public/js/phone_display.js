// Phone numbers are stored in E.164 (+6281234567890) and shown in the national format (0812-3456-7890).
// The server sends the national form of each number the user may read in __onload.phones_national,
// computed with the library that parsed it; what the user types is normalised again on save.
frappe.provide("p3m.phone");

p3m.phone.FIELDS = {
	Complaint: ["reporter_phone", "caller_number"],
	Unit: ["contact_phone"],
	"Reporter Identity": ["reporter_phone", "caller_number"],
};

p3m.phone.show_national = function (frm) {
	const forms = (frm.doc.__onload && frm.doc.__onload.phones_national) || {};
	const national = (value) => forms[value] || value;
	(p3m.phone.FIELDS[frm.doctype] || []).forEach((fieldname) => {
		const field = frm.get_field(fieldname);
		if (!field) return;
		// read-only display, and the editable input (only a real edit changes the stored value)
		field.df.formatter = (value) => frappe.utils.escape_html(national(value) || "");
		field.format_for_input = (value) => (value == null ? "" : national(value));
		field.refresh();
	});
};

// this file is loaded with each of the forms above; register once for all of them
if (!p3m.phone.registered) {
	p3m.phone.registered = true;
	Object.keys(p3m.phone.FIELDS).forEach((doctype) => frappe.ui.form.on(doctype, { refresh: p3m.phone.show_national }));
}
