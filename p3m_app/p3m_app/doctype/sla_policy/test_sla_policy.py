# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase


def policy(name, milestones, **values):
	return frappe.get_doc({"doctype": "SLA Policy", "policy_name": name, "milestones": milestones, **values})


class TestSLAPolicy(FrappeTestCase):
	def test_default_policies_ship_with_the_sop_limits(self):
		lapor = frappe.get_doc("SLA Policy", "SP4N-LAPOR!")
		limits = {row.milestone: row.working_days for row in lapor.milestones}
		self.assertEqual(
			limits, {"Disposition per Level": 3, "First Response": 5, "Resolution": 30, "Auto Close": 10}
		)
		pkh = frappe.get_doc("SLA Policy", "PKH")
		self.assertEqual(sum(row.working_days for row in pkh.milestones if row.milestone != "Auto Close"), 26)

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
			priority=20,
		).insert()
		self.assertEqual(f.make_complaint(channel="SMS").sla_policy, "T PKH SMS")
		self.assertEqual(f.make_complaint(channel="Phone").sla_policy, "PKH")
