// Copyright (c) 2026, p3m_app developers
// License: MIT. See license.txt

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		const code = frm.doc.__onload && frm.doc.__onload.tracking_code_display;
		if (code) {
			frm.set_intro(__("Tracking code for the reporter: {0}", [`<b>${frappe.utils.escape_html(code)}</b>`]), "blue");
		}
		if (frm.doc.identity_sealed) {
			frm.dashboard.add_comment(__("The reporter's identity is sealed (confidential complaint)."), "orange", true);
			if (frappe.user.has_role(["P3M Confidential Reader", "P3M Admin Nasional"])) {
				// each opening is recorded in the Access Log
				frm.add_custom_button(__("Reporter Identity"), () =>
					frappe.set_route("Form", "Reporter Identity", frm.doc.name)
				);
			}
		}
		render_disposition_history(frm);
		show_sla(frm);
		add_inspektorat_button(frm);
		add_publication_button(frm);
		add_collaboration_buttons(frm);
		add_follow_up_button(frm);
		add_correction_button(frm);
		show_handling_steps(frm);
	},
	after_workflow_action(frm) {
		// the action changed the unit, the ledger and the deadlines on the server
		frappe.after_ajax(() => frm.reload_doc());
	},
	is_anonymous(frm) {
		if (frm.doc.is_anonymous) {
			["reporter_name", "reporter_email", "reporter_phone", "reporter_id_number", "participant_number", "reporter_address"].forEach(
				(field) => frm.set_value(field, null)
			);
		}
	},
});

function show_sla(frm) {
	const status = frm.doc.sla_status;
	if (!status || frm.is_new()) return;
	const colors = { "On Track": "green", "Due Soon": "orange", Breached: "red", Met: "blue", Paused: "gray" };
	const left = frm.doc.__onload && frm.doc.__onload.sla_working_days_left;
	let text = __("SLA: {0}", [__(status)]);
	if (left !== undefined && left !== null) {
		if (left < 0) {
			text += ` · ${__("{0} working days late", [-left])}`;
		} else if (status === "Breached") {
			text += ` · ${__("next deadline in {0} working days", [left])}`;
		} else {
			text += ` · ${__("{0} working days left", [left])}`;
		}
	}
	if (frm.doc.escalation_level) {
		const target = frm.doc.escalated_to_national ? __("Admin Nasional") : frm.doc.escalated_to_unit;
		text += ` · ${__("escalated to {0}", [frappe.utils.escape_html(target || "")])}`;
	}
	frm.dashboard.add_indicator(text, colors[status] || "gray");
}

function render_disposition_history(frm) {
	const rows = (frm.doc.__onload && frm.doc.__onload.dispositions) || [];
	const field = frm.get_field("disposition_history");
	if (!field) return;
	if (!rows.length) {
		field.$wrapper.html(`<p class="text-muted">${__("Not disposed yet.")}</p>`);
		return;
	}
	const esc = (value) => frappe.utils.escape_html(value || "");
	const body = rows
		.map((row) => {
			const target = row.to_unit ? esc(row.to_unit) : `${esc(row.external_agency)} (${esc(row.external_reference)})`;
			const note = row.return_reason ? `${__("Bukan Wewenang")}: ${esc(row.return_reason)}` : esc(row.instruction);
			return `<tr>
				<td>${frappe.datetime.str_to_user(row.creation)}</td>
				<td>${esc(row.from_unit)} → ${target}</td>
				<td>${row.kind && row.kind !== "Disposition" ? `${__(row.kind)} · ` : ""}${__(row.status)}</td>
				<td>${note}</td>
				<td><a href="/app/disposition/${encodeURIComponent(row.name)}">${esc(row.name)}</a></td>
			</tr>`;
		})
		.join("");
	field.$wrapper.html(`<table class="table table-bordered table-sm">
		<thead><tr><th>${__("Date")}</th><th>${__("Route")}</th><th>${__("Status")}</th><th>${__("Note")}</th><th>${__("Disposition")}</th></tr></thead>
		<tbody>${body}</tbody></table>`);
}

function add_inspektorat_button(frm) {
	const from_states = ["Verifikasi", "Ditindaklanjuti", "Dikembalikan", "Dibuka Kembali"];
	if (frm.is_new() || !from_states.includes(frm.doc.workflow_state)) return;
	if (!frappe.user.has_role(["P3M Admin Nasional", "P3M Admin Instansi", "P3M Officer"])) return;
	frm.add_custom_button(__("Forward to Inspektorat"), () => {
		const dialog = new frappe.ui.Dialog({
			title: __("Forward to Inspektorat"),
			fields: [
				{ fieldname: "unit", fieldtype: "Link", options: "Unit", label: __("Inspektorat"), reqd: 1,
					get_query: () => ({ filters: { unit_type: "Inspektorat", is_active: 1 } }) },
				{ fieldname: "mode", fieldtype: "Select", label: __("How"), reqd: 1, default: "Copy",
					options: [
						{ value: "Copy", label: __("Copy (tembusan): inform it, keep handling the complaint") },
						{ value: "Hand Over", label: __("Hand over: the Inspektorat handles the complaint") },
					] },
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
			],
			primary_action_label: __("Forward"),
			primary_action({ unit, mode, reason }) {
				frappe
					.call("p3m_app.handling.forward_to_inspektorat", { complaint: frm.doc.name, unit, reason, mode })
					.then(() => {
						dialog.hide();
						frm.reload_doc();
					});
			},
		});
		dialog.show();
	});
}

const OPEN_STATES = ["Baru", "Verifikasi", "Pending", "Didisposisikan", "Ditindaklanjuti", "Dikembalikan", "Dibuka Kembali"];

function add_collaboration_buttons(frm) {
	if (frm.is_new() || !OPEN_STATES.includes(frm.doc.workflow_state) || !frm.perm[0].write) return;
	const group = __("Levels");
	const ask = (title, method, fields, extra = {}) => {
		const dialog = new frappe.ui.Dialog({
			title,
			fields,
			primary_action_label: title,
			primary_action(values) {
				frappe.call(method, { complaint: frm.doc.name, ...extra, ...values }).then(() => {
					dialog.hide();
					frm.reload_doc();
				});
			},
		});
		dialog.show();
	};
	const reason = { fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 };
	frappe.xcall("p3m_app.sla.api.my_units").then((units) => {
		const holds = units.includes(frm.doc.current_unit) || frappe.user.has_role("P3M Admin Nasional");
		if (holds) {
			frm.add_custom_button(__("Ask for Help"), () =>
				ask(__("Ask for Help"), "p3m_app.collaboration.ask_for_help", [
					{ fieldname: "unit", fieldtype: "Link", options: "Unit", label: __("Unit above (empty: the parent)") },
					reason,
				]), group);
		}
		if (!holds) {
			frm.add_custom_button(__("Take Over"), () =>
				ask(__("Take Over"), "p3m_app.collaboration.take_over", [
					{ fieldname: "html", fieldtype: "HTML",
						options: `<p>${__("Your unit will handle this complaint directly; the unit below is informed and keeps reading it.")}</p>` },
					reason,
				]), group);
		}
		frm.add_custom_button(__("Copy To"), () =>
			ask(__("Copy To (tembusan)"), "p3m_app.collaboration.copy_to", [
				{ fieldname: "unit", fieldtype: "Link", options: "Unit", label: __("Inspektorat, PPID or a unit above"), reqd: 1 },
				reason,
			]), group);
	});
}

function add_publication_button(frm) {
	if (!["Dijawab", "Selesai"].includes(frm.doc.workflow_state) || !frappe.user.has_role("P3M PPID")) return;
	const publish = frm.doc.answer_publishable ? 0 : 1;
	frm.add_custom_button(publish ? __("Publish Answer") : __("Unpublish Answer"), () => {
		frappe.call("p3m_app.publication.set_published", { complaint: frm.doc.name, publish }).then(() => frm.reload_doc());
	});
}

// PKH Tabel 2: the holding unit records that its follow-up is done (the Follow-up milestone)
function add_follow_up_button(frm) {
	if (frm.is_new() || frm.doc.workflow_state !== "Ditindaklanjuti" || frm.doc.follow_up_completed_at) return;
	frm.add_custom_button(__("Follow-up Completed"), () => {
		frappe.prompt(
			[{ fieldname: "note", fieldtype: "Small Text", label: __("What was done"), reqd: 1 }],
			(values) =>
				frappe
					.call("p3m_app.sla.api.complete_follow_up", { complaint: frm.doc.name, note: values.note })
					.then(() => frm.reload_doc()),
			__("Follow-up Completed"),
			__("Record")
		);
	});
}

// the handling checklist of the complaint's type (Pedoman PKH Tabel 1): progress, and Tick Step
// for whoever may change the complaint; the server records when and by whom
function show_handling_steps(frm) {
	const steps = frm.doc.handling_steps || [];
	if (frm.is_new() || !steps.length) return;
	const done = steps.filter((s) => s.done).length;
	frm.dashboard.add_indicator(__("{0} of {1} steps done", [done, steps.length]), done === steps.length ? "green" : "orange");
	const open = steps.filter((s) => !s.done);
	if (!open.length || ["Selesai", "Diarsipkan"].includes(frm.doc.workflow_state) || !frm.perm[0] || !frm.perm[0].write) return;
	frm.add_custom_button(__("Tick Step"), () => {
		const options = open.map((s) => ({
			value: String(s.idx),
			label: `${s.idx}. ${s.actor ? "[" + s.actor + "] " : ""}${s.step}`.slice(0, 160),
		}));
		frappe.prompt(
			[
				{ fieldname: "step_idx", fieldtype: "Select", label: __("Step"), options, default: options[0].value, reqd: 1 },
				{ fieldname: "note", fieldtype: "Small Text", label: __("What was done"), reqd: 1 },
			],
			(values) =>
				frappe
					.call("p3m_app.programs.pkh.checklist.tick_step", { complaint: frm.doc.name, step_idx: values.step_idx, note: values.note })
					.then((r) => {
						frappe.show_alert({ message: __("{0} of {1} steps done", [r.message.progress.done, r.message.progress.total]), indicator: "green" });
						frm.reload_doc();
					}),
			__("Tick Step"),
			__("Tick")
		);
	});
}

// PKH Tabel 1 (seed 004 lines 402-444): the Kabupaten/Kota sends a Master Database correction to
// UPPKH Pusat for complaints about participant data or commitment fulfilment (the server checks again)
function add_correction_button(frm) {
	const category = (frm.doc.category || "").toLowerCase();
	const eligible = ["data peserta", "data kepesertaan", "pemenuhan komitmen"].some((k) => category.includes(k));
	if (frm.is_new() || frm.doc.program !== "PKH" || !eligible || !OPEN_STATES.includes(frm.doc.workflow_state)) return;
	if (!frappe.model.can_create("Master Data Correction Request")) return;
	frm.add_custom_button(__("Request Master Database Correction"), () => {
		frappe
			.xcall("frappe.client.get_list", {
				doctype: "Master Data Correction Request",
				filters: { complaint: frm.doc.name, status: ["in", ["Draft", "Submitted"]] },
				fields: ["name"],
				limit_page_length: 1,
			})
			.then((open) => {
				if (open.length) {
					frappe.set_route("Form", "Master Data Correction Request", open[0].name);
				} else {
					frappe.new_doc("Master Data Correction Request", { complaint: frm.doc.name });
				}
			});
	});
}
