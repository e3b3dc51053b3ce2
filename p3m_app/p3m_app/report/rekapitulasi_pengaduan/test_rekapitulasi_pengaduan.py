# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Rekapitulasi Pengaduan against hand-counted complaints, through the viewer's unit scope."""

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from p3m_app.p3m_app.report import testing as t
from p3m_app.p3m_app.report.rekapitulasi_pengaduan.rekapitulasi_pengaduan import execute
from p3m_app.tests import factories as f

OCTOBER = {"from_date": "2026-10-01", "to_date": "2026-10-31"}
IN = "2026-10-05 09:00:00"
ACTED = "2026-10-06 10:00:00"
TREE = {f.PUSAT, f.PROV_A, f.KAB_A1, f.KAB_A2, f.PROV_B, f.KAB_B1, f.INACTIVE, f.INSPEKTORAT}


def rows_by_unit(result) -> dict:
	return {row["unit"]: row for row in result[1] if row["unit"] in TREE}


def counts(row, prefix="sub") -> tuple:
	return tuple(row[f"{prefix}_{key}"] for key in ("belum", "proses", "selesai", "total"))


class TestRekapitulasiPengaduan(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		# the report counts every complaint of the factory units: what other modules' HTTP tests
		# committed there is removed inside this class's transaction (rolled back with it)
		units = (f.PUSAT, f.PROV_A, f.KAB_A1, f.KAB_A2, f.PROV_B, f.KAB_B1, f.INACTIVE, f.INSPEKTORAT)
		frappe.db.delete("Complaint", {"current_unit": ("in", units)})
		# Pusat: 4 Belum (one BOS, one confidential, one verified)
		t.complaint(None, IN)
		t.act_at(ACTED, t.complaint(None, IN), "Verify")
		t.complaint(None, IN, program="BOS", category=None)
		t.complaint(None, IN, is_confidential=1, **t.SECRET_REPORTER)
		# Prov A: 1 Proses; Kab A1: 1 Proses (by email), 2 Selesai; Kab A2: 1 Proses; Kab B1: 1 Proses
		t.complaint(f.PROV_A, IN, ACTED)
		t.complaint(f.KAB_A1, IN, ACTED, channel="Email")
		answered = t.complaint(f.KAB_A1, IN, ACTED)
		t.act_at("2026-10-07 10:00:00", answered, "Answer", response="Sudah dibayar")
		closed = t.complaint(f.KAB_A1, IN, ACTED)
		t.act_at("2026-10-07 10:00:00", closed, "Answer", response="Sudah dibayar")
		t.act_at("2026-10-08 10:00:00", closed, "Close")
		t.complaint(f.KAB_A2, IN, ACTED)
		t.complaint(f.KAB_B1, IN, ACTED)
		# outside October: never counted
		t.complaint(f.KAB_A1, "2026-08-03 09:00:00", "2026-08-04 10:00:00")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_hand_counted_totals_for_a_national_viewer(self):
		frappe.set_user(f.NASIONAL)
		units = rows_by_unit(execute(OCTOBER))
		self.assertEqual(counts(units[f.PUSAT], "own"), (4, 0, 0, 4))
		self.assertEqual(counts(units[f.PROV_A], "own"), (0, 1, 0, 1))
		self.assertEqual(counts(units[f.KAB_A1], "own"), (0, 1, 2, 3))
		self.assertEqual(counts(units[f.KAB_A1]), (0, 1, 2, 3))
		self.assertEqual(counts(units[f.PROV_A]), (0, 3, 2, 5))
		self.assertEqual(counts(units[f.PROV_B]), (0, 1, 0, 1))
		self.assertEqual(counts(units[f.PUSAT]), (4, 4, 2, 10))
		self.assertEqual(counts(units[f.INSPEKTORAT]), (0, 0, 0, 0))
		self.assertEqual(units[f.KAB_A1]["parent_unit"], f.PROV_A)
		self.assertEqual(units[f.KAB_A1]["indent"], units[f.PROV_A]["indent"] + 1)

	def test_roll_up_equals_own_plus_children(self):
		data = execute(OCTOBER)[1]
		for row in data:
			children = [r for r in data if r["parent_unit"] == row["unit"]]
			for key in ("belum", "proses", "selesai", "total"):
				self.assertEqual(
					row[f"sub_{key}"], row[f"own_{key}"] + sum(c[f"sub_{key}"] for c in children), row["unit"]
				)

	def test_rows_come_in_tree_order(self):
		units = [row["unit"] for row in execute({**OCTOBER, "unit": f.PUSAT})[1]]
		self.assertEqual(units[0], f.PUSAT)
		self.assertLess(units.index(f.PROV_A), units.index(f.KAB_A1))
		self.assertLess(units.index(f.KAB_A2), units.index(f.PROV_B))

	def test_filters(self):
		pkh = rows_by_unit(execute({**OCTOBER, "program": "PKH"}))
		self.assertEqual(counts(pkh[f.PUSAT]), (3, 4, 2, 9))
		email = rows_by_unit(execute({**OCTOBER, "channel": "Email"}))
		self.assertEqual(counts(email[f.PUSAT]), (0, 1, 0, 1))
		august = rows_by_unit(execute({"from_date": "2026-08-01", "to_date": "2026-08-31"}))
		self.assertEqual(counts(august[f.KAB_A1]), (0, 1, 0, 1))
		only_a = execute({**OCTOBER, "unit": f.PROV_A})
		self.assertEqual({r["unit"] for r in only_a[1]}, {f.PROV_A, f.KAB_A1, f.KAB_A2})
		self.assertEqual(only_a[4][-1]["value"], 5, "summary total")
		hidden = {r["unit"] for r in execute({**OCTOBER, "unit": f.PUSAT, "hide_empty": 1})[1]}
		self.assertNotIn(f.INSPEKTORAT, hidden)
		self.assertIn(f.KAB_B1, hidden)

	def test_officer_sees_only_own_unit(self):
		frappe.set_user(f.OFFICER_A1)
		result = execute(OCTOBER)
		self.assertEqual([r["unit"] for r in result[1]], [f.KAB_A1])
		self.assertIsNone(result[1][0]["parent_unit"], "a top row for the officer")
		self.assertEqual(counts(result[1][0]), (0, 1, 2, 3))
		self.assertEqual(result[3]["data"]["labels"], [f.KAB_A1])

	def test_admin_instansi_sees_the_province_subtree(self):
		frappe.set_user(f.ADMIN_A)
		data = execute(OCTOBER)[1]
		self.assertEqual({r["unit"] for r in data}, {f.PROV_A, f.KAB_A1, f.KAB_A2})
		self.assertEqual(counts(rows_by_unit((None, data))[f.PROV_A]), (0, 3, 2, 5))

	def test_a_unit_outside_the_scope_is_refused(self):
		frappe.set_user(f.OFFICER_A1)
		for unit in (f.KAB_A2, f.KAB_B1, f.PUSAT):
			with self.assertRaises(frappe.PermissionError):
				execute({**OCTOBER, "unit": unit})
		with self.assertRaises(frappe.DoesNotExistError):
			execute({**OCTOBER, "unit": "No Such Unit"})

	def test_user_without_units_sees_nothing(self):
		frappe.set_user(f.NO_UNIT)
		_columns, data, message, chart, _summary = execute(OCTOBER)
		self.assertEqual(data, [])
		self.assertTrue(message)
		self.assertIsNone(chart)

	def test_invalid_periods_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": "2026-10-31", "to_date": "2026-10-01"})
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": "2020-01-01", "to_date": "2026-10-01"})
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": "2026-02-30", "to_date": "2026-10-01"})

	def test_default_period_is_the_last_twelve_months(self):
		with t.frozen("2026-11-23 12:00:00"):
			self.assertEqual(counts(rows_by_unit(execute({}))[f.PUSAT])[3], 11)
		with t.frozen("2027-09-01 12:00:00"):
			self.assertEqual(counts(rows_by_unit(execute({}))[f.PUSAT])[3], 10, "August 2026 has left")

	def test_no_reporter_identity_in_the_output(self):
		t.assert_no_identity(self, execute(OCTOBER))
		frappe.set_user(f.ADMIN_A)
		t.assert_no_identity(self, execute(OCTOBER))

	def test_runs_through_the_desk_endpoint(self):
		result = run("Rekapitulasi Pengaduan", filters={**OCTOBER, "unit": f.PROV_A})
		self.assertEqual(result["result"][0]["unit"], f.PROV_A)
		self.assertEqual(len(result["report_summary"]), 4)
