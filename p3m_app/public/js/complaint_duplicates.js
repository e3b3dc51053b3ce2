// Similar complaints, Mark as Duplicate and the PKH payment rule (p3m_app.duplicates)

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		show_similar(frm);
		show_payment_coordination(frm);
		add_mark_duplicate_button(frm);
	},
	// on intake, the suggestions follow what the officer types
	category: (frm) => frm.is_new() && show_similar_soon(frm),
	district: (frm) => frm.is_new() && show_similar_soon(frm),
	province: (frm) => frm.is_new() && show_similar_soon(frm),
	subject: (frm) => frm.is_new() && show_similar_soon(frm),
	description: (frm) => frm.is_new() && show_similar_soon(frm),
});

const FINAL_STATES = ["Selesai", "Diarsipkan"];
const INTAKE_FIELDS = [
	"category", "district", "province", "subject", "description", "chronology",
	"reporter_phone", "reporter_email", "reporter_id_number",
];

const show_similar_soon = frappe.utils.debounce((frm) => show_similar(frm), 600);

function show_similar(frm) {
	const args = frm.is_new()
		? { values: Object.fromEntries(INTAKE_FIELDS.map((f) => [f, frm.doc[f] || null])) }
		: { complaint: frm.doc.name };
	if (!frm.doc.category || !(frm.doc.district || frm.doc.province)) return render_similar(frm, []);
	frappe.xcall("p3m_app.duplicates.similar_complaints", args).then((rows) => render_similar(frm, rows || []));
}

function render_similar(frm, rows) {
	if (frm._similar_section) {
		frm._similar_section.remove();
		frm._similar_section = null;
	}
	if (!rows.length) return;
	const esc = frappe.utils.escape_html;
	const can_mark = !frm.is_new() && !frm.doc.master_complaint && !FINAL_STATES.includes(frm.doc.workflow_state);
	const body = rows
		.map(
			(row) => `<tr>
				<td><a href="/app/complaint/${encodeURIComponent(row.name)}">${esc(row.name)}</a></td>
				<td>${esc(row.subject || "")}</td>
				<td>${esc(__(row.workflow_state || ""))}</td>
				<td>${esc(row.current_unit || "")}</td>
				<td>${Math.round((row.score || 0) * 100)}%</td>
				<td>${can_mark ? `<button class="btn btn-xs btn-default" data-master="${esc(row.name)}">${__("Duplicate of this")}</button>` : ""}</td>
			</tr>`
		)
		.join("");
	const html = `<table class="table table-condensed small"><thead><tr>
		<th>${__("Complaint")}</th><th>${__("Subject")}</th><th>${__("Status")}</th>
		<th>${__("Current Unit")}</th><th>${__("Similarity")}</th><th></th></tr></thead><tbody>${body}</tbody></table>`;
	frm._similar_section = frm.dashboard.add_section(html, __("Similar Complaints"));
	frm.dashboard.show();
	frm._similar_section.find("button[data-master]").on("click", (e) => mark_duplicate(frm, $(e.currentTarget).attr("data-master")));
}

function add_mark_duplicate_button(frm) {
	if (frm.is_new() || frm.doc.master_complaint || FINAL_STATES.includes(frm.doc.workflow_state)) return;
	if (!frm.perm[0] || !frm.perm[0].write) return;
	frm.add_custom_button(__("Mark as Duplicate"), () => {
		frappe.prompt(
			[{ fieldname: "master", fieldtype: "Link", options: "Complaint", label: __("Duplicate Of"), reqd: 1 }],
			(values) => mark_duplicate(frm, values.master),
			__("Mark as Duplicate"),
			__("Mark")
		);
	});
}

function mark_duplicate(frm, master) {
	frappe.confirm(
		__("Mark {0} as a duplicate of {1}? It will follow that complaint's state and answer, and both reporters are informed.", [
			frappe.utils.escape_html(frm.doc.name),
			frappe.utils.escape_html(master),
		]),
		() =>
			frappe
				.call("p3m_app.duplicates.mark_duplicate", { complaint: frm.doc.name, master })
				.then(() => frm.reload_doc())
	);
}

// PKH guideline (004 lines 468-476): two reporters, one post office -> coordinate with PT Pos
function show_payment_coordination(frm) {
	const advice = frm.doc.__onload && frm.doc.__onload.payment_coordination;
	if (!advice || !advice.recommend) return;
	frm.dashboard.add_comment(
		__("{0} reporters raised an open payment problem at {1}: recommend that UPPKH Pusat coordinate with PT Pos Indonesia (Pedoman Pengaduan PKH).", [
			advice.reporters,
			frappe.utils.escape_html(advice.payment_point || ""),
		]),
		"orange",
		true
	);
}
