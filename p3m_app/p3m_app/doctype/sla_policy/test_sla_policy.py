# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase


def policy(name, milestones, **values):
	return frappe.get_doc({"doctype": "SLA Policy", "policy_name": name, "milestones": milestones, **values})


class TestSLAPolicy(FrappeTestCase):
	def test_default_policies_ship_with_the_sop_limits(self):
		"""Seed 003 lines 58-90 and seed 002 line 27; seed 004 Tabel 2 (line 570) and lines 259, 410."""
		lapor = frappe.get_doc("SLA Policy", "SP4N-LAPOR!")
		limits = {row.milestone: (row.working_days, row.time_unit) for row in lapor.milestones}
		self.assertEqual(
			limits,
			{
				"Receipt": (60, "Minutes"),
				"Disposition per Level": (3, "Working Days"),
				"First Response": (3, "Working Days"),
				"Resolution": (3, "Working Days"),
				"Intervention": (30, "Working Days"),
				"Auto Close": (10, "Working Days"),
			},
		)
		pkh = frappe.get_doc("SLA Policy", "PKH")
		self.assertEqual(sum(row.working_days for row in pkh.milestones if row.milestone != "Auto Close"), 26)
		for name, months in (("PKH - Ketersediaan Pelayanan", 3), ("PKH - Data Peserta", 1)):
			resolution = next(
				r for r in frappe.get_doc("SLA Policy", name).milestones if r.milestone == "Resolution"
			)
			self.assertEqual((resolution.working_days, resolution.time_unit), (months, "Calendar Months"))

	def test_bad_policies_get_clear_errors_and_are_not_saved(self):
		cases = [
			(policy("T empty", []), "(?i)milestones"),
			(policy("T negative", [{"milestone": "Resolution", "working_days": -2}]), "negative"),
			(
				policy(
					"T overlap", [{"milestone": "Resolution", "working_days": 20}], program="PKH", priority=10
				),
				"overlaps PKH",
			),
		]
		for doc, message in cases:
			with self.subTest(policy=doc.policy_name):
				with self.assertRaisesRegex(frappe.ValidationError, message):
					doc.insert()
				self.assertFalse(frappe.db.exists("SLA Policy", doc.policy_name))

	def test_a_higher_priority_policy_wins(self):
		from p3m_app.tests import factories as f

		f.make_world()
		policy(
			"T PKH SMS",
			[{"milestone": "Resolution", "working_days": 10}],
			program="PKH",
			channel="SMS",
			priority=30,  # above the shipped PKH category policies (20)
		).insert()
		self.assertEqual(f.make_complaint(channel="SMS").sla_policy, "T PKH SMS")
		self.assertEqual(f.make_complaint(channel="Phone").sla_policy, "PKH")
