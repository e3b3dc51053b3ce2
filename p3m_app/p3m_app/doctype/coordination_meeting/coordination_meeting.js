// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.ui.form.on("Coordination Meeting", {
	setup(frm) {
		// the server refuses the rest; these only keep the pickers short
		frm.set_query("organising_unit", () => ({ filters: { is_active: 1 } }));
		frm.set_query("participating_units", () => ({ filters: { is_active: 1 } }));
		frm.set_query("unit", "attendance", (doc) => ({ filters: { name: ["in", meeting_units(doc)] } }));
	},
});

function meeting_units(doc) {
	return [doc.organising_unit, ...(doc.participating_units || []).map((row) => row.unit)].filter(Boolean);
}
