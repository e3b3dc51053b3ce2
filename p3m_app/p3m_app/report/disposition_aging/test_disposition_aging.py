# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Disposition Aging against hand-counted open dispositions, the clock frozen on
Thursday 19 November 2026 (no national holiday in November 2026)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.p3m_app.report import testing as t
from p3m_app.p3m_app.report.disposition_aging.disposition_aging import execute
from p3m_app.tests import factories as f

NOW = "2026-11-19 12:00:00"
BOS_CATEGORY = "T Dana BOS"


def run(filters=None, user="Administrator"):
	frappe.set_user(user)
	with t.frozen(NOW):
		return execute(filters or {})


def unit_rows(result) -> dict:
	return {row["unit"]: row for row in result[1] if row["indent"] == 0}


def buckets(row) -> tuple:
	return tuple(row[k] for k in ("open_count", "bucket_0_3", "bucket_4_5", "bucket_6_10", "bucket_over_10"))


class TestDispositionAging(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		if not frappe.db.exists("Complaint Category", BOS_CATEGORY):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": BOS_CATEGORY, "program": "BOS"}
			).insert(ignore_permissions=True)
		c = cls.names = {}

		def at(unit, moment, **values):
			return t.complaint(unit, moment, moment, **values)

		c["old"] = at(f.KAB_A1, "2026-11-02 10:00:00")  # accepted, 13 working days
		c["mid"] = at(f.KAB_A1, "2026-11-11 10:00:00")  # 6
		c["bos"] = at(f.KAB_A1, "2026-11-16 10:00:00", program="BOS", category=BOS_CATEGORY)  # 3
		c["sent"] = at(f.PROV_A, "2026-11-16 09:00:00")
		t.act_at("2026-11-16 10:00:00", c["sent"], "Dispose", dispose_to_unit=f.KAB_A1)  # Sent, 3
		c["answered"] = at(f.KAB_A1, "2026-11-02 10:00:00")
		t.act_at("2026-11-03 10:00:00", c["answered"], "Answer", response="Sudah dibayar")  # closed
		c["prov"] = at(f.PROV_A, "2026-11-18 10:00:00")  # 1
		c["a2"] = at(f.KAB_A2, "2026-11-12 10:00:00")  # 5
		c["b1"] = at(f.KAB_B1, "2026-11-16 10:00:00")  # 3
		c["secret"] = at(f.KAB_A1, "2026-11-18 10:00:00", is_confidential=1, **t.SECRET_REPORTER)  # 1

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_hand_counted_buckets(self):
		units = unit_rows(run({"unit": f.PUSAT}))
		self.assertEqual(list(units), [f.PROV_A, f.KAB_A1, f.KAB_A2, f.KAB_B1], "tree order")
		self.assertEqual(buckets(units[f.KAB_A1]), (5, 3, 0, 1, 1))
		self.assertEqual(units[f.KAB_A1]["days_waiting"], 13, "the oldest wait")
		self.assertEqual(buckets(units[f.PROV_A]), (1, 1, 0, 0, 0))
		self.assertEqual(buckets(units[f.KAB_A2]), (1, 0, 1, 0, 0))
		self.assertEqual(buckets(units[f.KAB_B1]), (1, 1, 0, 0, 0))

	def test_disposition_rows(self):
		data = run({"unit": f.KAB_A1})[1]
		rows = {row["complaint"]: row for row in data if row["indent"] == 1}
		c = self.names
		self.assertNotIn(c["answered"], rows)
		self.assertEqual(
			{name: rows[c[name]]["days_waiting"] for name in ("old", "mid", "bos", "sent", "secret")},
			{"old": 13, "mid": 6, "bos": 3, "sent": 3, "secret": 1},
		)
		self.assertEqual(rows[c["old"]]["bucket"], ">10")
		self.assertEqual(rows[c["sent"]]["status"], "Sent")
		self.assertEqual(rows[c["sent"]]["from_unit"], f.PROV_A)
		self.assertEqual(rows[c["old"]]["status"], "Accepted")
		self.assertTrue(all(row["parent_id"] == f.KAB_A1 for row in rows.values()))

	def test_summary_and_chart(self):
		result = run({"unit": f.PUSAT})
		summary = [item["value"] for item in result[4]]
		self.assertEqual(summary, [8, 5, 1, 1, 1])
		self.assertEqual(result[3]["data"]["labels"], [f.PROV_A, f.KAB_A1, f.KAB_A2, f.KAB_B1])

	def test_program_filter(self):
		units = unit_rows(run({"unit": f.PUSAT, "program": "PKH"}))
		self.assertEqual(buckets(units[f.KAB_A1]), (4, 2, 0, 1, 1))

	def test_scope(self):
		self.assertEqual(list(unit_rows(run(user=f.OFFICER_A1))), [f.KAB_A1])
		self.assertEqual(list(unit_rows(run(user=f.ADMIN_A))), [f.PROV_A, f.KAB_A1, f.KAB_A2])
		self.assertEqual(run(user=f.NO_UNIT)[1], [])
		for unit in (f.KAB_A2, f.KAB_B1, f.PROV_A):
			with self.assertRaises(frappe.PermissionError):
				run({"unit": unit}, user=f.OFFICER_A1)

	def test_no_reporter_identity_in_the_output(self):
		t.assert_no_identity(self, run({"unit": f.PUSAT}))
		t.assert_no_identity(self, run(user=f.OFFICER_A1))
