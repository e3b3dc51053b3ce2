"""Write paths the issue lists: each must be refused, and must change nothing in the database.

A probe is sent as one user; ``changed`` reads the database afterwards (in a fresh transaction)
and says what changed, or None; ``restore`` undoes a change so the next probe starts clean.
"""

from collections.abc import Callable
from dataclasses import dataclass

import frappe

from p3m_app.tests.leak import channels, world
from p3m_app.tests.leak.calls import REST, api
from p3m_app.tests.leak.transport import Request

SIBLING, OUTSIDER, ADMIN_A = "leak.sibling@p3m.test", world.OUTSIDER, world.ADMIN_A
PROBE_TEXT = "LeakWriteProbe"
# every whitelisted method a probe sends (the whitelist inventory test checks the classification)
PROBED_METHODS = frozenset(
	{
		"frappe.share.add",
		"frappe.share.set_permission",
		"frappe.desk.form.assign_to.add",
		"frappe.desk.form.assign_to.add_multiple",
		"frappe.desk.form.assign_to.remove",
		"frappe.desk.form.assign_to.remove_multiple",
		"frappe.desk.form.document_follow.follow_document",
		"frappe.desk.form.document_follow.update_follow",
		"frappe.desk.form.utils.add_comment",
		"frappe.core.doctype.communication.email.make",
		"frappe.desk.doctype.tag.tag.add_tag",
		"frappe.desk.doctype.tag.tag.add_tags",
		"frappe.desk.like.toggle_like",
		"frappe.client.set_value",
		"frappe.email.relink",
		"frappe.utils.file_manager.add_attachments",
		"frappe.templates.includes.comments.comments.add_comment",
		"frappe.templates.includes.likes.likes.like",
		"p3m_app.collaboration.copy_to",
		"p3m_app.collaboration.take_over",
		"p3m_app.collaboration.ask_for_help",
		"p3m_app.sla.api.complete_follow_up",
		"p3m_app.programs.pkh.checklist.tick_step",
		"p3m_app.programs.pkh.letters.record_letter",
		"p3m_app.programs.pkh.corrections.submit",
		"p3m_app.programs.pkh.corrections.approve",
		"p3m_app.duplicates.mark_duplicate",
		"p3m_app.portal.pendamping.record",
		"p3m_app.intake.unhandled_mail.make_complaint",
		"p3m_app.channels.api.sms_inbound",
		"p3m_app.interop.lapor.importer.start",
	}
)


@dataclass(frozen=True)
class WriteProbe:
	user: str  # ProbeUser.key
	request: Request
	changed: Callable[[], str | None]
	restore: Callable[[], None]


def _share(name, user=None, everyone=0):
	filters = {"share_doctype": "Complaint", "share_name": name, "everyone": everyone}
	if user:
		filters["user"] = user
	return filters


def _rows(doctype, filters, what):
	def changed():
		count = frappe.db.count(doctype, filters)
		return f"{what} ({count} {doctype})" if count else None

	def restore():
		frappe.db.delete(doctype, filters)

	return changed, restore


def _field(name, fieldname, original):
	def changed():
		now = frappe.db.get_value("Complaint", name, fieldname)
		return None if str(now or "") == str(original or "") else f"{fieldname} {original!r} -> {now!r}"

	def restore():
		frappe.db.set_value("Complaint", name, fieldname, original, update_modified=False)

	return changed, restore


def _todo_status(filters):
	names = frappe.get_all("ToDo", filters={**filters, "status": "Open"}, pluck="name")

	def changed():
		closed = [n for n in names if frappe.db.get_value("ToDo", n, "status") != "Open"]
		return f"{len(closed)} assignment(s) of another officer cancelled" if closed else None

	def restore():
		for name in names:
			frappe.db.set_value("ToDo", name, "status", "Open", update_modified=False)

	return changed, restore


def _communication_link(name, original):
	def changed():
		now = frappe.db.get_value("Communication", name, "reference_name")
		return None if now == original else f"mail relinked from {original} to {now}"

	def restore():
		frappe.db.set_value(
			"Communication", name, {"reference_doctype": "Complaint", "reference_name": original}
		)

	return changed, restore


def probes(w) -> list[WriteProbe]:
	c = w.complaints
	named_a1, held = c["named_a1"].name, c["conf_portal"].name  # held: at Prov A, admin_a's unit
	out = []

	def add(user, request, changed_restore):
		out.append(WriteProbe(user, request, *changed_restore))

	# sharing, assigning and following reach only users whose units reach the complaint
	for target, user, everyone in ((held, SIBLING, 0), (named_a1, OUTSIDER, 0), (named_a1, None, 1)):
		add(
			"admin_a",
			api(
				"frappe.share.add",
				f"Complaint {target} to {user or 'everyone'}",
				http="POST",
				doctype="Complaint",
				name=target,
				user=user,
				read=1,
				everyone=everyone,
			),
			_rows("DocShare", _share(target, user, everyone), f"shared with {user or 'everyone'}"),
		)
	add(
		"admin_a",
		api(
			"frappe.share.set_permission",
			f"Complaint {held} to {SIBLING}",
			http="POST",
			doctype="Complaint",
			name=held,
			user=SIBLING,
			permission_to="read",
			value=1,
		),
		_rows("DocShare", _share(held, SIBLING), f"shared with {SIBLING}"),
	)
	for assignee in (SIBLING, OUTSIDER):
		add(
			"admin_a",
			api(
				"frappe.desk.form.assign_to.add",
				f"Complaint {named_a1} to {assignee}",
				http="POST",
				doctype="Complaint",
				name=named_a1,
				assign_to=[assignee],
			),
			_rows(
				"ToDo",
				{"reference_name": named_a1, "allocated_to": assignee, "status": ("!=", "Cancelled")},
				f"assigned to {assignee}",
			),
		)
	add(
		"admin_a",
		api(
			"frappe.desk.form.assign_to.add_multiple",
			f"Complaint {named_a1} to {SIBLING}",
			http="POST",
			doctype="Complaint",
			name=[named_a1],
			assign_to=[SIBLING],
		),
		_rows(
			"ToDo",
			{"reference_name": named_a1, "allocated_to": SIBLING, "status": ("!=", "Cancelled")},
			f"assigned to {SIBLING}",
		),
	)
	add(
		"sibling",
		api(
			"frappe.desk.form.assign_to.add",
			f"Complaint {named_a1} to self",
			http="POST",
			doctype="Complaint",
			name=named_a1,
			assign_to=[SIBLING],
		),
		_rows(
			"ToDo",
			{"reference_name": named_a1, "allocated_to": SIBLING, "status": ("!=", "Cancelled")},
			"assigned to self",
		),
	)
	# ``ignore_permissions`` is a parameter of the whitelisted assignment functions: a request can send it
	for assignee in (SIBLING, "leak.pimpinan@p3m.test"):
		add(
			"sibling",
			api(
				"frappe.desk.form.assign_to.add",
				f"Complaint {named_a1} to {assignee} ignore_permissions=1",
				http="POST",
				doctype="Complaint",
				name=named_a1,
				assign_to=[assignee],
				ignore_permissions=1,
			),
			_rows(
				"ToDo",
				{"reference_name": named_a1, "allocated_to": assignee, "status": ("!=", "Cancelled")},
				f"assigned to {assignee}",
			),
		)
	child_todo = {"reference_name": named_a1, "allocated_to": "leak.child@p3m.test"}
	for method, params in (
		("frappe.desk.form.assign_to.remove", {"name": named_a1, "assign_to": "leak.child@p3m.test"}),
		("frappe.desk.form.assign_to.remove_multiple", {"names": [named_a1]}),
	):
		add(
			"sibling",
			api(
				method,
				f"Complaint {named_a1} ignore_permissions=1",
				http="POST",
				doctype="Complaint",
				ignore_permissions=1,
				**params,
			),
			_todo_status(child_todo),
		)
	follow = {"ref_doctype": "Complaint", "ref_docname": named_a1, "user": SIBLING}
	add(
		"sibling",
		api(
			"frappe.desk.form.document_follow.follow_document",
			f"Complaint {named_a1}",
			http="POST",
			doctype="Complaint",
			doc_name=named_a1,
			user=SIBLING,
		),
		_rows("Document Follow", follow, "followed by the sibling officer"),
	)
	add(
		"sibling",
		api(
			"frappe.desk.form.document_follow.update_follow",
			f"Complaint {named_a1}",
			http="POST",
			doctype="Complaint",
			doc_name=named_a1,
			following=1,
		),
		_rows("Document Follow", follow, "followed by the sibling officer"),
	)
	add(
		"admin_a",
		api(
			"frappe.desk.form.document_follow.follow_document",
			f"Complaint {held} for {SIBLING}",
			http="POST",
			doctype="Complaint",
			doc_name=held,
			user=SIBLING,
		),
		_rows(
			"Document Follow",
			{"ref_doctype": "Complaint", "ref_docname": held, "user": SIBLING},
			"the sibling officer made to follow it",
		),
	)
	# writing onto an out-of-scope complaint's timeline, tags or likes
	add(
		"sibling",
		api(
			"frappe.desk.form.utils.add_comment",
			f"Complaint {named_a1}",
			http="POST",
			reference_doctype="Complaint",
			reference_name=named_a1,
			content=PROBE_TEXT,
			comment_email=SIBLING,
			comment_by="Leak sibling",
		),
		_rows(
			"Comment", {"reference_name": named_a1, "content": ("like", f"%{PROBE_TEXT}%")}, "comment added"
		),
	)
	add(
		"sibling",
		api(
			"frappe.core.doctype.communication.email.make",
			f"Complaint {named_a1}",
			http="POST",
			doctype="Complaint",
			name=named_a1,
			subject=PROBE_TEXT,
			content=PROBE_TEXT,
			recipients="leak.probe@example.org",
			send_email=0,
			communication_medium="Email",
		),
		_rows("Communication", {"reference_name": named_a1, "subject": PROBE_TEXT}, "communication added"),
	)
	add(
		"sibling",
		api(
			"frappe.desk.doctype.tag.tag.add_tag",
			f"Complaint {named_a1}",
			http="POST",
			tag="leak-probe",
			dt="Complaint",
			dn=named_a1,
		),
		_rows("Tag Link", {"document_name": named_a1, "tag": "leak-probe"}, "tag added"),
	)
	add(
		"sibling",
		api(
			"frappe.desk.like.toggle_like",
			f"Complaint {named_a1}",
			http="POST",
			doctype="Complaint",
			name=named_a1,
			add="Yes",
		),
		_field(named_a1, "_liked_by", frappe.db.get_value("Complaint", named_a1, "_liked_by")),
	)
	add(
		"sibling",
		api(
			"frappe.client.set_value",
			f"Complaint {named_a1}.subject",
			http="POST",
			doctype="Complaint",
			name=named_a1,
			fieldname="subject",
			value=PROBE_TEXT,
		),
		_field(named_a1, "subject", frappe.db.get_value("Complaint", named_a1, "subject")),
	)
	# moving what belongs to an out-of-scope complaint onto one's own
	own = c["named_b"].name  # the sibling officer's complaint
	mail = w.communications[0]  # the confidential complaint's received mail
	add(
		"sibling",
		api(
			"frappe.email.relink",
			f"Communication {mail} to {own}",
			http="POST",
			name=mail,
			reference_doctype="Complaint",
			reference_name=own,
		),
		_communication_link(mail, c["conf_mail"].name),
	)
	file = frappe.db.get_value("File", {"attached_to_name": named_a1, "is_private": 1})
	add(
		"sibling",
		api(
			"frappe.utils.file_manager.add_attachments",
			f"File {file} of {named_a1} to {own}",
			http="POST",
			doctype="Complaint",
			name=own,
			attachments=[file],
		),
		_rows(
			"File",
			{"attached_to_name": own, "file_url": frappe.db.get_value("File", file, "file_url")},
			"a copy of the private file attached to the sibling's complaint",
		),
	)
	add(
		"sibling",
		Request(
			"POST /api/method/run_doc_method",
			"/api/method/run_doc_method",
			{"dt": "Complaint", "dn": named_a1, "method": "add_comment", "args": {"text": PROBE_TEXT}},
			"POST",
			f"Complaint {named_a1} add_comment",
		),
		_rows(
			"Comment", {"reference_name": named_a1, "content": ("like", f"%{PROBE_TEXT}%")}, "comment added"
		),
	)
	add(
		"sibling",
		api(
			"frappe.desk.doctype.tag.tag.add_tags",
			f"Complaint {named_a1}",
			http="POST",
			tags=["leak-probe"],
			dt="Complaint",
			docs=[named_a1],
		),
		_rows("Tag Link", {"document_name": named_a1, "tag": "leak-probe"}, "tag added"),
	)
	# the website's comment and like endpoints take any document, for any signed-in user
	for user in ("sibling", "citizen"):
		add(
			user,
			api(
				"frappe.templates.includes.comments.comments.add_comment",
				f"Complaint {named_a1}",
				http="POST",
				comment=PROBE_TEXT,
				comment_email=f"{user}@example.org",
				comment_by=f"Leak {user}",
				reference_doctype="Complaint",
				reference_name=named_a1,
				route="",
			),
			_rows(
				"Comment",
				{"reference_name": named_a1, "content": ("like", f"%{PROBE_TEXT}%")},
				"comment added",
			),
		)
	for user in ("sibling", "citizen", "guest"):
		add(
			user,
			api(
				"frappe.templates.includes.likes.likes.like",
				f"Complaint {named_a1}",
				http="POST",
				reference_doctype="Complaint",
				reference_name=named_a1,
				like="true",
			),
			_rows("Comment", {"reference_name": named_a1, "comment_type": "Like"}, "like added"),
		)
	# system-managed fields, by an admin of the holding unit
	rewrites = {
		"tracking_code": "QQQQRRRRSSSS",
		"origin_unit": world.PROV_B,
		"paused_days": 99,
		"sla_escalations": PROBE_TEXT,
		"reporter_rating": 0.2,
	}
	for fieldname, value in rewrites.items():
		original = frappe.db.get_value("Complaint", held, fieldname)
		add(
			"admin_a",
			api(
				"frappe.client.set_value",
				f"Complaint {held}.{fieldname}",
				http="POST",
				doctype="Complaint",
				name=held,
				fieldname=fieldname,
				value=value,
			),
			_field(held, fieldname, original),
		)
		add(
			"admin_a",
			api(
				"frappe.client.set_value",
				f"Complaint {held}.{fieldname} as dict",
				http="POST",
				doctype="Complaint",
				name=held,
				fieldname={fieldname: value},
			),
			_field(held, fieldname, original),
		)
		add(
			"admin_a",
			Request(
				"PUT /api/resource/<doctype>/<name>",
				f"{REST}Complaint/{held}",
				{"data": {fieldname: value}},
				"PUT",
				f"Complaint {held}.{fieldname}",
			),
			_field(held, fieldname, original),
		)
	# copies, help requests and take-overs widen who reads a complaint: only its holder's reach may
	# send them, and only a writer of a unit above may take over (a Pimpinan reads, never takes)
	for user, method, args in (
		("sibling", "p3m_app.collaboration.copy_to", {"unit": world.INSPEKTORAT, "reason": PROBE_TEXT}),
		("sibling", "p3m_app.collaboration.ask_for_help", {"unit": world.PUSAT, "reason": PROBE_TEXT}),
		("sibling", "p3m_app.collaboration.take_over", {"reason": PROBE_TEXT}),
		("pimpinan", "p3m_app.collaboration.take_over", {"reason": PROBE_TEXT}),
		("ppid", "p3m_app.collaboration.copy_to", {"unit": world.INSPEKTORAT, "reason": PROBE_TEXT}),
	):
		add(
			user,
			api(method, f"Complaint {named_a1}", http="POST", complaint=named_a1, **args),
			_rows("Disposition", {"complaint": named_a1, "instruction": PROBE_TEXT}, f"{method} recorded"),
		)
	# a follow-up is recorded by the unit holding the complaint: readers above or beside it are refused
	for user in ("sibling", "pimpinan", "ppid"):
		add(
			user,
			api(
				"p3m_app.sla.api.complete_follow_up",
				f"Complaint {named_a1}",
				http="POST",
				complaint=named_a1,
				note=PROBE_TEXT,
			),
			_field(named_a1, "follow_up_completed_at", None),
		)
	# the PKH pack's actions on named_a1 (Kab A1): ticking a step, logging a letter, sending or
	# deciding its correction request, marking it a duplicate; none for a reader outside the unit
	progress = {"parent": named_a1, "parenttype": "Complaint", "done": 1}
	# a pendamping of the holding unit works its complaints (Tabel 1 gives it steps), so it is not here
	for user in ("sibling", "pimpinan", "ppid"):
		add(
			user,
			api(
				"p3m_app.programs.pkh.checklist.tick_step",
				f"Complaint {named_a1} step 2",
				http="POST",
				complaint=named_a1,
				step_idx=2,
				note=PROBE_TEXT,
			),
			_rows(
				"Complaint Step Progress", {**progress, "note": ("like", f"%{PROBE_TEXT}%")}, "step ticked"
			),
		)
		add(
			user,
			api(
				"p3m_app.programs.pkh.letters.record_letter",
				f"Complaint {named_a1}",
				http="POST",
				complaint=named_a1,
				letter_type="In Process",
				channel="Post",
				reference=PROBE_TEXT,
			),
			_rows("Complaint Letter", {"parent": named_a1, "reference": PROBE_TEXT}, "letter logged"),
		)
	request = w.correction_request
	for user, method, args in (
		("sibling", "p3m_app.programs.pkh.corrections.submit", {}),
		("ppid", "p3m_app.programs.pkh.corrections.submit", {}),
		("pimpinan", "p3m_app.programs.pkh.corrections.approve", {"reason": PROBE_TEXT}),
		("child", "p3m_app.programs.pkh.corrections.approve", {"reason": PROBE_TEXT}),
	):
		add(
			user,
			api(method, f"Master Data Correction Request {request}", http="POST", name=request, **args),
			_field_of("Master Data Correction Request", request, "status", "Draft"),
		)
	add(
		"sibling",
		api(
			"p3m_app.duplicates.mark_duplicate",
			f"Complaint {named_a1} as duplicate of {c['named_b'].name}",
			http="POST",
			complaint=named_a1,
			master=c["named_b"].name,
		),
		_field(named_a1, "master_complaint", None),
	)
	# only a pendamping records through its screen
	for user in ("sibling", "child", "citizen", "guest"):
		add(
			user,
			api(
				"p3m_app.portal.pendamping.record",
				"new complaint",
				http="POST",
				data={"subject": PROBE_TEXT, "description": PROBE_TEXT, "program": "PKH"},
			),
			_rows("Complaint", {"subject": PROBE_TEXT}, "complaint recorded"),
		)
	# a queued unhandled mail becomes a complaint only by the inbox's admins
	for user in ("sibling", "pimpinan", "citizen"):
		add(
			user,
			api(
				"p3m_app.intake.unhandled_mail.make_complaint",
				f"Unhandled Email {w.unhandled_mail}",
				http="POST",
				name=w.unhandled_mail,
			),
			_rows("Complaint", {"description": ("like", f"%{world.UNHANDLED_SECRET}%")}, "complaint made"),
		)
	return out + channels.write_probes(w, WriteProbe, _rows)


def _field_of(doctype, name, fieldname, original):
	def changed():
		value = frappe.db.get_value(doctype, name, fieldname)
		return None if value == original else f"{doctype} {name}.{fieldname} = {value!r}"

	def restore():
		frappe.db.set_value(doctype, name, fieldname, original, update_modified=False)

	return changed, restore
