# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""The PKH complaint types of Tabel 1 with their handling checklists (seed 004 lines 391-567),
ticking a step, the tracking page's progress, and the PKH reporter fields.

Whitelisted methods are called the way Frappe's request handler resolves them (overrides first).
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.portal import tracking
from p3m_app.programs.pkh import types
from p3m_app.programs.pkh.checklist import TABLE, tick_step
from p3m_app.tests import factories as f

PPID = "t.ppid.steps@p3m.test"
NOTE = "Surat rekomendasi dikirim ke UPPKH Pusat, nomor 17/PKH/XII"
PARTICIPANT = "3329010001234"


def call(cmd: str, **kwargs):
	overrides = frappe.get_hooks("override_whitelisted_methods", {}).get(cmd)
	method = frappe.get_attr(overrides[-1] if overrides else cmd)
	frappe.is_whitelisted(method)
	return frappe.call(method, **kwargs)


class TestHandlingSteps(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		types.ensure_types()
		f.make_user(PPID)
		unit = frappe.get_doc("Unit", f.PROV_A)
		if not any(row.user == PPID for row in unit.officers):
			unit.append("officers", {"user": PPID, "role_in_unit": "PPID"})
			unit.save(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")

	def at_kab_a1(self, category="Pembayaran", **values):
		return f.make_complaint(current_unit=f.KAB_A1, category=category, **values)

	def test_install_ships_the_types_with_their_steps_once(self):
		group = frappe.get_doc("Complaint Category", types.GROUP)
		self.assertTrue(group.is_group)
		self.assertEqual(group.program, "PKH")
		for values in types.TYPES:
			doc = frappe.get_doc("Complaint Category", values["category_name"])
			self.assertEqual(doc.program, "PKH")
			self.assertEqual(doc.parent_complaint_category, types.GROUP)
			self.assertFalse(doc.default_unit, "routing decides where a complaint starts")
			self.assertEqual([s.step for s in doc.handling_steps], [s["step"] for s in values["steps"]])
			self.assertTrue(any(s.closes_case for s in doc.handling_steps), doc.name)
			self.assertTrue(all(s.seed_reference.startswith("004 baris") for s in doc.handling_steps))
		# the SLA policies match these two by name
		for name in ("Data Peserta", "Ketersediaan Pelayanan"):
			self.assertTrue(frappe.db.exists("Complaint Category", name))
		self.assertEqual(
			frappe.db.get_value(
				"Complaint Category", "Penyimpangan / Indikasi KKN", "default_classification"
			),
			"Whistleblowing",
		)
		actors = set(frappe.get_all("Complaint Handling Step", pluck="actor", distinct=True))
		self.assertTrue({"Pendamping", "UPPKH Kabupaten/Kota", "Tim Koordinasi", "UPPKH Pusat"} <= actors)
		self.assertTrue({"Dinas Teknis", "PT Pos"} <= actors)

		# migrate again: nothing duplicated, an agency's own edit kept
		first = {"parent": "Pembayaran", "idx": 1}
		original = frappe.db.get_value("Complaint Handling Step", first, "step")
		frappe.db.set_value("Complaint Handling Step", first, "step", "Edited")
		try:
			count = frappe.db.count("Complaint Handling Step")
			types.ensure_types()
			self.assertEqual(frappe.db.count("Complaint Handling Step"), count)
			self.assertEqual(frappe.db.get_value("Complaint Handling Step", first, "step"), "Edited")
		finally:
			frappe.db.set_value("Complaint Handling Step", first, "step", original)

	def test_category_sets_the_checklist_and_ticked_steps_keep_it(self):
		doc = self.at_kab_a1()
		self.assertEqual(len(doc.get(TABLE)), 5)
		self.assertEqual(doc.get(TABLE)[1].actor, "PT Pos")
		self.assertFalse(any(row.done for row in doc.get(TABLE)))

		doc.category = "Data Peserta"
		doc.save()
		self.assertEqual([r.step for r in doc.get(TABLE)], [s["step"] for s in types.TYPES[0]["steps"]])

		tick_step(doc.name, 2, NOTE)
		doc = frappe.get_doc("Complaint", doc.name)
		doc.category = "Pembayaran"
		with self.assertRaisesRegex(frappe.ValidationError, "already done"):
			doc.save()
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "category"), "Data Peserta")
		self.assertEqual(frappe.db.count("Complaint Step Progress", {"parent": doc.name}), 4)

	def test_forged_rows_on_insert_are_replaced_by_the_category_steps(self):
		doc = self.at_kab_a1(
			handling_steps=[{"step": "Selesai sendiri", "done": 1, "done_by": f.OFFICER_B1, "note": "palsu"}]
		)
		self.assertEqual(len(doc.get(TABLE)), 5)
		self.assertFalse(any(row.done or row.done_by for row in doc.get(TABLE)))

	def test_the_holding_unit_ticks_and_the_server_says_when_and_by_whom(self):
		name = self.at_kab_a1().name
		frappe.set_user(f.OFFICER_A1)
		result = call(
			"p3m_app.programs.pkh.checklist.tick_step",
			complaint=name,
			step_idx="4",
			note=NOTE,
			done_by=f.OFFICER_B1,
		)
		frappe.set_user("Administrator")
		self.assertEqual(result["progress"]["done"], 1)
		row = frappe.get_all(
			"Complaint Step Progress",
			filters={"parent": name, "idx": 4},
			fields=["done", "done_on", "done_by", "note"],
		)[0]
		self.assertEqual((row.done, row.done_by, row.note), (1, f.OFFICER_A1, NOTE))
		self.assertTrue(row.done_on)
		comment = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Complaint", "reference_name": name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any("Handling step 4 of 5 done" in c and NOTE in c for c in comment), comment)

		# ticked once; a note is needed; a step that does not exist is refused
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "already done"):
			tick_step(name, 4, "again")
		with self.assertRaisesRegex(frappe.ValidationError, "note"):
			tick_step(name, 1, "  ")
		with self.assertRaisesRegex(frappe.ValidationError, "no handling step 9"):
			tick_step(name, 9, "x")

	def test_outsiders_cannot_tick_or_read_the_steps(self):
		name = self.at_kab_a1().name
		for user in (f.OFFICER_B1, f.OFFICER_A2, PPID, f.PIMPINAN, f.NO_UNIT):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError, msg=user):
				call("p3m_app.programs.pkh.checklist.tick_step", complaint=name, step_idx=1, note="x")
		for user in (f.OFFICER_B1, f.OFFICER_A2, f.NO_UNIT):
			frappe.set_user(user)
			rows = frappe.get_list(
				"Complaint Step Progress",
				filters={"parent": name},
				fields=["name", "note"],
				parent_doctype="Complaint",
			)
			self.assertEqual(rows, [], user)
		frappe.set_user(f.OFFICER_A1)
		self.assertEqual(
			len(
				frappe.get_list(
					"Complaint Step Progress", filters={"parent": name}, parent_doctype="Complaint"
				)
			),
			5,
		)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Comment", {"reference_name": name, "comment_type": "Info"}))

	def test_a_plain_save_cannot_tick_or_edit_a_step(self):
		name = self.at_kab_a1().name
		frappe.set_user(f.OFFICER_A1)
		for change in ({"done": 1}, {"done_by": f.OFFICER_A1}, {"note": "x"}, {"step": "Lain"}):
			doc = frappe.get_doc("Complaint", name)
			doc.get(TABLE)[0].update(change)
			with self.assertRaisesRegex(frappe.ValidationError, "Tick button", msg=change):
				doc.save()
		doc = frappe.get_doc("Complaint", name)
		rows = [r.as_dict() for r in doc.get(TABLE)]
		rows[0]["done"] = 1
		with self.assertRaisesRegex(frappe.ValidationError, "Tick button"):
			call("frappe.client.save", doc=json.dumps({**doc.as_dict(), TABLE: rows}, default=str))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Complaint Step Progress", {"parent": name, "done": 1}), 0)

	def test_tracking_page_shows_steps_and_dates_in_plain_words(self):
		doc = self.at_kab_a1()
		frappe.set_user(f.OFFICER_A1)
		tick_step(doc.name, 1, NOTE)
		frappe.set_user("Administrator")
		view = tracking.view(doc.tracking_code)
		steps = view["handling_steps"]
		self.assertEqual(steps["summary"], "1 of 5 handling steps done")
		self.assertEqual(steps["steps"][0]["step"], types.TYPES[3]["steps"][0]["step"])
		self.assertTrue(steps["steps"][0]["status"].startswith("done on 20"))
		self.assertEqual(steps["steps"][1]["status"], "not done yet")
		text = json.dumps(view, default=str)
		self.assertNotIn(NOTE, text)
		self.assertNotIn(f.OFFICER_A1, text)
		self.assertIsNone(tracking.view(f.make_complaint(category=None).tracking_code)["handling_steps"])

	def test_closed_complaints_are_not_ticked(self):
		name = self.at_kab_a1().name
		frappe.db.set_value("Complaint", name, "workflow_state", "Diarsipkan")
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaisesRegex(frappe.ValidationError, "can no longer be ticked"):
			tick_step(name, 1, "x")

	def test_report_counts_open_steps_within_reach(self):
		from p3m_app.p3m_app.report.handling_steps.handling_steps import execute

		name = self.at_kab_a1().name
		frappe.set_user(f.OFFICER_A1)
		tick_step(name, 1, NOTE)
		_columns, data, *_rest = execute({"category": "Pembayaran"})
		row = next(r for r in data if r.unit == f.KAB_A1)
		self.assertGreaterEqual(row.steps_open, 4)
		self.assertGreaterEqual(row.steps_done, 1)
		self.assertEqual(row.steps, row.steps_open + row.steps_done)
		self.assertGreaterEqual(row.open_pt_pos, 1)
		frappe.set_user(f.OFFICER_B1)
		_columns, data, *_rest = execute({"category": "Pembayaran"})
		self.assertFalse([r for r in data if r.unit != f.KAB_B1])
		with self.assertRaises(frappe.PermissionError):
			execute({"unit": f.KAB_A1})


class TestReporterFields(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		f.make_user(PPID)
		unit = frappe.get_doc("Unit", f.PROV_A)
		if not any(row.user == PPID for row in unit.officers):
			unit.append("officers", {"user": PPID, "role_in_unit": "PPID"})
			unit.save(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_participant_number_is_sealed_for_a_confidential_report(self):
		doc = f.make_complaint(
			current_unit=f.KAB_A1,
			is_confidential=1,
			reporter_type="Peserta PKH",
			participant_number=PARTICIPANT,
			description=f"Saya peserta PKH nomor {PARTICIPANT}, bantuan belum cair.",
		)
		row = frappe.db.get_value(
			"Complaint", doc.name, ["participant_number", "reporter_type", "description"], as_dict=True
		)
		self.assertFalse(row.participant_number)
		self.assertEqual(row.reporter_type, "Peserta PKH", "the reporter type is not an identity")
		self.assertNotIn(PARTICIPANT, row.description)
		self.assertEqual(
			frappe.db.get_value("Reporter Identity", doc.name, "participant_number"), PARTICIPANT
		)

	def test_participant_number_is_hidden_from_ppid(self):
		name = f.make_complaint(
			current_unit=f.KAB_A1, reporter_type="Peserta PKH", participant_number=PARTICIPANT
		).name
		self.assertEqual(frappe.db.get_value("Complaint", name, "participant_number"), PARTICIPANT)
		frappe.set_user(PPID)
		got = call("frappe.client.get", doctype="Complaint", name=name)
		self.assertEqual(got.get("reporter_type"), "Peserta PKH")
		self.assertFalse(got.get("participant_number"))
		with self.assertRaises(frappe.PermissionError):
			call(
				"frappe.client.get_list",
				doctype="Complaint",
				filters=json.dumps([["participant_number", "like", "33%"]]),
			)
		frappe.set_user(f.OFFICER_A1)
		self.assertEqual(
			call("frappe.client.get", doctype="Complaint", name=name)["participant_number"], PARTICIPANT
		)

	def test_bad_participant_number_and_anonymous_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "participant number"):
			f.make_complaint(participant_number="PKH-12")
		with self.assertRaisesRegex(frappe.ValidationError, "anonymous"):
			f.make_complaint(
				is_anonymous=1,
				reporter_name=None,
				reporter_phone=None,
				reporter_email=None,
				participant_number=PARTICIPANT,
			)
