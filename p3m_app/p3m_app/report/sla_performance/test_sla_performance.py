# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""SLA Performance against hand-counted SP4N-LAPOR! and PKH complaints with frozen clocks.

Received Monday 5 October 2026. SP4N-LAPOR! (seed 003): First Response is due 3 working days
after the disposition, Resolution 3 after that; the PKH complaint has no First Response milestone
and is settled at its Follow-up (23 working days). No national holiday falls in October or
November 2026.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.p3m_app.report import testing as t
from p3m_app.p3m_app.report.sla_performance.sla_performance import execute
from p3m_app.tests import factories as f

PERIOD = {"from_date": "2026-10-01", "to_date": "2026-11-30"}
RECEIVED = "2026-10-05 09:00:00"
NOW = "2026-11-23 12:00:00"
LAPOR = {"program": "SP4N-LAPOR!"}
LOG = "Resolution|2026-11-16 23:59:59.000000|{0}\n"


def run(filters=None, user="Administrator"):
	frappe.set_user(user)
	with t.frozen(NOW):
		return execute({**PERIOD, **(filters or {})})


def by_unit(result) -> dict:
	return {row["unit"]: row for row in result[1]}


class TestSLAPerformance(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		on_time = t.complaint(f.KAB_A1, RECEIVED, "2026-10-07 10:00:00", **LAPOR)  # 2 working days
		t.act_at("2026-10-14 10:00:00", on_time, "Answer", response="Sudah dibayar")  # 7
		# disposed to Prov A on 6 October, first taken up on the 14th (5 working days: late), 7 after receipt
		late = t.complaint(None, RECEIVED, **LAPOR)
		t.act_at("2026-10-06 10:00:00", late, "Verify")
		t.act_at("2026-10-06 10:00:00", late, "Dispose", dispose_to_unit=f.PROV_A)
		t.act_at("2026-10-14 10:00:00", late, "Accept")
		t.act_at("2026-10-14 10:00:00", late, "Dispose", dispose_to_unit=f.KAB_A1)
		t.act_at("2026-10-14 10:00:00", late, "Accept")
		t.act_at("2026-11-20 10:00:00", late, "Answer", response="Sudah dibayar")  # 34
		unanswered = t.complaint(f.KAB_A1, RECEIVED, "2026-10-09 10:00:00", **LAPOR)  # 4, never answered
		pkh = t.complaint(f.KAB_A1, RECEIVED, "2026-10-06 10:00:00", program="PKH")  # 1
		b1 = t.complaint(f.KAB_B1, RECEIVED, "2026-10-07 10:00:00", **LAPOR)
		t.act_at("2026-10-09 10:00:00", b1, "Answer", response="Sudah dibayar")
		t.complaint(None, "2026-11-20 09:00:00", **LAPOR)  # at Pusat, nothing due yet
		t.complaint(None, "2026-11-20 09:00:00", is_confidential=1, **LAPOR, **t.SECRET_REPORTER)
		# what the SLA sweep would have written
		for name, status, log in (
			(on_time, "Met", None),
			(late, "Breached", LOG.format(f.PROV_A) + LOG.format("Admin Nasional")),
			(unanswered, "On Track", LOG.format(f.PROV_A)),
			(pkh, "On Track", None),
			(b1, "Met", None),
		):
			frappe.db.set_value("Complaint", name, {"sla_status": status, "sla_escalations": log})

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_hand_counted_unit(self):
		a1 = by_unit(run())[f.KAB_A1]
		self.assertEqual(a1["received"], 4)
		self.assertEqual((a1["response_on_time"], a1["response_measured"]), (2, 3))
		self.assertEqual(a1["response_rate"], 66.7)
		self.assertEqual((a1["resolution_on_time"], a1["resolution_measured"]), (1, 4))
		self.assertEqual(a1["resolution_rate"], 25.0)
		self.assertEqual((a1["response_median"], a1["response_p90"]), (3.0, 6.1))
		self.assertEqual((a1["resolution_median"], a1["resolution_p90"]), (20.5, 31.3))
		self.assertEqual((a1["breaches"], a1["escalations"]), (2, 3))

	def test_nothing_due_yet_is_no_rate_rather_than_zero(self):
		pusat = by_unit(run())[f.PUSAT]
		self.assertEqual((pusat["received"], pusat["response_measured"]), (2, 0))
		self.assertIsNone(pusat["response_rate"])
		self.assertIsNone(pusat["response_median"])

	def test_summary_shows_rates_with_their_counts(self):
		summary = {item["label"]: item["value"] for item in run({"unit": f.PROV_A})[4]}
		self.assertEqual(summary["Received"], 4)
		self.assertEqual(summary["First Response On Time"], "66.7% (2/3)")
		self.assertEqual(summary["Resolution On Time"], "25% (1/4)")
		self.assertEqual(summary["Breaches"], 2)

	def test_rows_follow_the_tree_and_only_units_with_complaints(self):
		units = [row["unit"] for row in run({"unit": f.PUSAT})[1]]
		self.assertEqual(units, [f.PUSAT, f.KAB_A1, f.KAB_B1])

	def test_program_filter(self):
		a1 = by_unit(run({"program": "PKH"}))[f.KAB_A1]
		self.assertEqual((a1["received"], a1["response_measured"], a1["resolution_measured"]), (1, 0, 1))

	def test_scope(self):
		self.assertEqual(list(by_unit(run(user=f.OFFICER_A1))), [f.KAB_A1])
		self.assertEqual(list(by_unit(run(user=f.ADMIN_A))), [f.KAB_A1])
		self.assertEqual(list(by_unit(run(user=f.OFFICER_B1))), [f.KAB_B1])
		for unit in (f.KAB_B1, f.PROV_A):
			with self.assertRaises(frappe.PermissionError):
				run({"unit": unit}, user=f.OFFICER_A1)

	def test_invalid_period(self):
		with self.assertRaises(frappe.ValidationError):
			run({"from_date": "2026-11-30", "to_date": "2026-10-01"})
		with self.assertRaises(frappe.ValidationError):
			run({"from_date": "2019-01-01"})

	def test_no_reporter_identity_in_the_output(self):
		t.assert_no_identity(self, run())
		t.assert_no_identity(self, run(user=f.OFFICER_A1))
