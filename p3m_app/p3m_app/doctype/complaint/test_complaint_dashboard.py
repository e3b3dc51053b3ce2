"""The P3M workspace's cards and charts count only what the viewer's units may see."""

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase

from p3m_app import dashboard
from p3m_app.handling import act
from p3m_app.tests import factories as f


def card(name: str) -> float:
	doc = frappe.get_doc("Number Card", name)
	return get_result(doc, doc.filters_json)


class TestDashboard(FrappeTestCase):
	def setUp(self):
		f.make_world()
		self.at_b1 = f.make_complaint()
		act(self.at_b1.name, "Verify")
		f.dispose(self.at_b1.name, f.KAB_B1)  # disposed, not yet accepted: awaiting Kab B1
		self.at_a1 = f.complaint_at(f.KAB_A1).name

	def as_user(self, user, fn):
		frappe.set_user(user)
		try:
			return fn()
		finally:
			frappe.set_user("Administrator")

	def test_cards_are_scoped(self):
		open_everywhere = card("P3M Open")
		open_b1 = self.as_user(f.OFFICER_B1, lambda: card("P3M Open"))
		visible_b1 = self.as_user(
			f.OFFICER_B1,
			lambda: len(
				frappe.get_list(
					"Complaint", filters={"workflow_state": ("not in", ["Selesai", "Diarsipkan"])}
				)
			),
		)
		self.assertEqual(open_b1, visible_b1)
		self.assertLess(open_b1, open_everywhere)
		self.assertGreaterEqual(self.as_user(f.OFFICER_B1, dashboard.awaiting_my_unit), 1)
		self.assertEqual(self.as_user(f.OFFICER_A2, dashboard.awaiting_my_unit), 0)

	def test_charts_are_scoped(self):
		units_b1 = self.as_user(f.OFFICER_B1, dashboard.status_by_unit)["labels"]
		self.assertIn(f.KAB_B1, units_b1)
		self.assertNotIn(f.KAB_A1, units_b1)
		weekly = self.as_user(f.OFFICER_B1, dashboard.intake_by_channel)
		self.assertEqual(len(weekly["labels"]), dashboard.WEEKS)
		total_b1 = sum(sum(d["values"]) for d in weekly["datasets"])
		self.assertLessEqual(total_b1, self.as_user(f.OFFICER_B1, lambda: len(frappe.get_list("Complaint"))))
