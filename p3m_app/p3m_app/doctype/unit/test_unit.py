# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import roles
from p3m_app.assignment import rule_name
from p3m_app.tests import factories as f


def open_assignees(complaint):
	return set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": "Complaint", "reference_name": complaint, "status": "Open"},
			pluck="allocated_to",
		)
	)


class TestUnit(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()

	def test_tree_bounds_nest(self):
		pusat = frappe.db.get_value("Unit", f.PUSAT, ["lft", "rgt"], as_dict=True)
		kab = frappe.db.get_value("Unit", f.KAB_A1, ["lft", "rgt"], as_dict=True)
		self.assertTrue(pusat.lft < kab.lft < kab.rgt < pusat.rgt)

	def test_officers_get_the_role_their_unit_role_needs(self):
		self.assertIn(roles.OFFICER, frappe.get_roles(f.OFFICER_A1))
		self.assertIn(roles.ADMIN_INSTANSI, frappe.get_roles(f.ADMIN_A))
		self.assertIn(roles.PIMPINAN, frappe.get_roles(f.PIMPINAN))

	def test_assignment_rule_mirrors_the_officer_table(self):
		first = f.make_user("t.officer.temp1@p3m.test")
		unit = f.make_unit("Kab Temp (T)", parent=f.PROV_B, officers=[(first, "Officer")])
		rule = frappe.get_doc("Assignment Rule", rule_name(unit.name))
		self.assertEqual([row.user for row in rule.users], [first])
		self.assertEqual(rule.document_type, "Complaint")
		self.assertFalse(rule.disabled)
		extra = f.make_user("t.officer.temp2@p3m.test")
		unit.append("officers", {"user": extra, "role_in_unit": "Officer"})
		unit.save()
		rule.reload()
		self.assertEqual({row.user for row in rule.users}, {first, extra})
		unit.officers = []
		unit.save()
		self.assertTrue(frappe.db.get_value("Assignment Rule", rule_name(unit.name), "disabled"))

	def test_heads_of_unit_are_not_assigned_cases(self):
		rule = frappe.get_doc("Assignment Rule", rule_name(f.PUSAT))
		self.assertNotIn(f.PIMPINAN, [row.user for row in rule.users])

	def test_complaint_is_assigned_on_entering_a_unit_and_released_on_leaving(self):
		doc = f.make_complaint()
		self.assertEqual(open_assignees(doc.name), {f.NASIONAL})
		doc = f.complaint_at(f.KAB_A1)
		self.assertEqual(open_assignees(doc.name), {f.OFFICER_A1})

	def test_round_robin_between_officers(self):
		unit = frappe.get_doc("Unit", f.KAB_A2)
		second = f.make_user("t.officer.kaba2b@p3m.test")
		unit.append("officers", {"user": second, "role_in_unit": "Officer"})
		unit.save()
		assignees = set()
		for _ in range(2):
			assignees |= open_assignees(f.complaint_at(f.KAB_A2).name)
		self.assertEqual(assignees, {f.OFFICER_A2, second})

	def test_closing_closes_the_assignment(self):
		from p3m_app.handling import act

		doc = f.complaint_at(f.KAB_A1)
		act(doc.name, "Answer", response="<p>ok</p>")
		act(doc.name, "Close")
		self.assertEqual(open_assignees(doc.name), set())

	def test_a_unit_cannot_be_its_own_parent_or_list_an_officer_twice(self):
		unit = frappe.get_doc("Unit", f.KAB_B1)
		unit.append("officers", {"user": f.OFFICER_B1, "role_in_unit": "Officer"})
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			unit.save()
