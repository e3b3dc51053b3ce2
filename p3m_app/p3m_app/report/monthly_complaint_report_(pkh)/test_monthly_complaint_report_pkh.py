# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Monthly Complaint Report (PKH) against hand-counted complaints received in October 2026."""

import importlib

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.p3m_app.report import testing as t
from p3m_app.tests import factories as f

execute = importlib.import_module(
	"p3m_app.p3m_app.report.monthly_complaint_report_(pkh).monthly_complaint_report_(pkh)"
).execute

OCTOBER = {"month": "2026-10", "program": "PKH"}
IN = "2026-10-05 09:00:00"
ACTED = "2026-10-06 10:00:00"
KEPESERTAAN = "T Kepesertaan"


def children(data, parent_id) -> dict:
	return {row["label"]: row for row in data if row.get("parent_id") == parent_id}


def counts(rows: dict) -> dict:
	return {label: row["count"] for label, row in rows.items()}


class TestMonthlyComplaintReport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		if not frappe.db.exists("Complaint Category", KEPESERTAAN):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": KEPESERTAAN, "program": "PKH"}
			).insert(ignore_permissions=True)
		bogor = {"province": "Jawa Barat", "district": "Bogor"}
		c = cls.names = {}
		c["m1"] = t.complaint(f.KAB_A1, IN, ACTED, **bogor)
		c["m2"] = t.complaint(f.KAB_A1, IN, ACTED, province=" jawa barat ", district="Bogor")
		c["m3"] = t.complaint(
			f.KAB_A1,
			IN,
			ACTED,
			classification="Keluhan",
			category=KEPESERTAAN,
			province="Jawa Barat",
			district="Bekasi",
		)
		c["m4"] = t.complaint(f.KAB_A1, IN, ACTED, classification="Whistleblowing", subject="Pungutan liar")
		c["m5"] = t.complaint(f.KAB_A1, IN, ACTED, subject="Dibuka lagi", **bogor)
		t.act_at("2026-10-07 10:00:00", c["m5"], "Answer", response="Sudah dibayar")
		t.act_at("2026-10-08 10:00:00", c["m5"], "Reopen", reopen_reason="Belum diterima")
		c["m6"] = t.complaint(f.KAB_A2, IN, ACTED, province="Jawa Tengah", district="Semarang")
		c["m7"] = t.complaint(None, IN, program="BOS", category=None)
		c["m8"] = t.complaint(f.KAB_A1, "2026-09-14 09:00:00", "2026-09-15 10:00:00")
		c["m9"] = t.complaint(f.KAB_B1, IN, ACTED, province="Sumatera Utara", district="Medan")
		c["secret"] = t.complaint(None, IN, is_confidential=1, **t.SECRET_REPORTER)
		for name in c.values():
			frappe.db.set_value("Complaint", name, {"sla_status": "On Track", "sla_escalations": None})
		frappe.db.set_value(
			"Complaint",
			c["m6"],
			{"escalated_to_national": 1, "sla_escalations": "Resolution|2026-10-30|Admin Nasional"},
		)
		frappe.db.set_value("Complaint", c["m9"], "sla_status", "Breached")

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_report(self, user="Administrator", **filters):
		frappe.set_user(user)
		return execute({**OCTOBER, "unit": f.PUSAT if user == "Administrator" else None, **filters})

	def test_by_type(self):
		data = self.run_report()[1]
		types = children(data, "type")
		self.assertEqual(counts(types), {"Pengaduan": 6, "Keluhan": 1, "Whistleblowing": 1})
		self.assertEqual(list(types), ["Pengaduan", "Keluhan", "Whistleblowing"], "largest first")
		pengaduan = children(data, types["Pengaduan"]["row_id"])
		self.assertEqual(counts(pengaduan), {"T Pembayaran": 6})
		self.assertEqual(counts(children(data, types["Keluhan"]["row_id"])), {KEPESERTAAN: 1})
		header = next(r for r in data if r["row_id"] == "type")
		self.assertEqual((header["count"], header["share"]), (8, 100.0))
		self.assertEqual(types["Pengaduan"]["share"], 75.0)

	def test_by_location_groups_spellings_and_names_the_unstated(self):
		data = self.run_report()[1]
		provinces = children(data, "location")
		self.assertEqual(
			counts(provinces), {"Jawa Barat": 4, "(Not stated)": 2, "Jawa Tengah": 1, "Sumatera Utara": 1}
		)
		districts = children(data, provinces["Jawa Barat"]["row_id"])
		self.assertEqual(counts(districts), {"Bogor": 3, "Bekasi": 1})

	def test_frequency_against_the_previous_month(self):
		data = self.run_report()[1]
		frequency = children(data, "frequency")
		self.assertEqual(counts(frequency), {"T Pembayaran": 7, KEPESERTAAN: 1})
		self.assertEqual(frequency["T Pembayaran"]["previous"], 1)
		self.assertEqual(frequency["T Pembayaran"]["change"], 6)
		self.assertEqual(frequency[KEPESERTAAN]["previous"], 0)

	def test_special_cases_are_listed_by_complaint(self):
		data = self.run_report()[1]
		cases = {row["complaint"]: row for row in data if row.get("parent_id") == "cases"}
		c = self.names
		self.assertEqual(set(cases), {c["m4"], c["m5"], c["m6"], c["m9"]})
		self.assertEqual(cases[c["m4"]]["label"], "Pungutan liar")
		self.assertEqual(cases[c["m4"]]["flags"], "Whistleblowing")
		self.assertEqual(cases[c["m5"]]["flags"], "Reopened")
		self.assertEqual(cases[c["m5"]]["state"], "Dibuka Kembali")
		self.assertEqual(cases[c["m6"]]["flags"], "Escalated to Admin Nasional, Time limit breached")
		self.assertEqual(cases[c["m9"]]["unit"], f.KAB_B1)
		self.assertEqual(cases[c["m9"]]["category"], "T Pembayaran")

	def test_summary_and_chart(self):
		result = self.run_report()
		summary = {item["label"]: item["value"] for item in result[4]}
		self.assertEqual(summary["Complaints This Month"], 8)
		self.assertEqual(summary["Previous Month"], 1)
		self.assertEqual((summary["Whistleblowing"], summary["Reopened"]), (1, 1))
		self.assertEqual((summary["Escalated to Admin Nasional"], summary["Time limit breached"]), (1, 2))
		self.assertEqual(result[3]["data"]["labels"], ["T Pembayaran", KEPESERTAAN])

	def test_other_program_and_month(self):
		bos = self.run_report(program="BOS")[1]
		self.assertEqual(counts(children(bos, "type")), {"Pengaduan": 1})
		september = self.run_report(month="2026-09")[1]
		self.assertEqual(counts(children(september, "frequency")), {"T Pembayaran": 1})

	def test_officer_sees_only_own_unit(self):
		data = self.run_report(user=f.OFFICER_A1)[1]
		self.assertEqual(next(r for r in data if r["row_id"] == "type")["count"], 5)
		cases = {row["complaint"] for row in data if row.get("parent_id") == "cases"}
		self.assertEqual(cases, {self.names["m4"], self.names["m5"]})
		self.assertNotIn("Jawa Tengah", children(data, "location"))
		self.assertNotIn("Sumatera Utara", children(data, "location"))
		for unit in (f.KAB_A2, f.KAB_B1):
			with self.assertRaises(frappe.PermissionError):
				self.run_report(user=f.OFFICER_A1, unit=unit)

	def test_invalid_month(self):
		for month in ("2026-13", "Oktober", "2026-10-01"):
			with self.assertRaises(frappe.ValidationError):
				self.run_report(month=month)

	def test_no_reporter_identity_in_the_output(self):
		t.assert_no_identity(self, self.run_report())
		t.assert_no_identity(self, self.run_report(user=f.OFFICER_A1))
