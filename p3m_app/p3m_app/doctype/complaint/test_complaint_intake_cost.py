"""What keeps an intake cheap stays correct: lock-free complaint names, one statement for the SLA
milestones, the defaults templates and the unit lookups kept between requests, and a bounded
number of queries per portal submission."""

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app import complaint_names, unit_cache
from p3m_app.intake import doc_templates
from p3m_app.p3m_app.doctype.complaint.test_complaint_portal import form, stored, submit_as
from p3m_app.p3m_app.doctype.holiday_calendar.test_holiday_calendar import calendar
from p3m_app.sla import calendars
from p3m_app.tests import factories as f


class TestComplaintNames(FrappeTestCase):
	def setUp(self):
		# a prefix of its own: its sequence is left behind (dropping it would wait for this
		# transaction, which holds it until the test's rollback)
		self.prefix = f"T{frappe.generate_hash(length=5).upper()}-"

	def test_a_new_prefix_continues_after_frappes_series(self):
		frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 41)", self.prefix)
		self.assertEqual(complaint_names.next_number(self.prefix, 6), "000042")
		self.assertEqual(complaint_names.next_number(self.prefix, 6), "000043")
		# the series row is not what counts any more
		self.assertEqual(
			frappe.db.sql("select current from `tabSeries` where name = %s", self.prefix)[0][0], 41
		)

	def test_making_a_sequence_does_not_commit_the_intake(self):
		frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 7)", self.prefix)
		complaint_names.next_number(self.prefix, 4)
		frappe.db.rollback()
		self.assertFalse(frappe.db.sql("select 1 from `tabSeries` where name = %s", self.prefix))

	def test_a_rolled_back_number_is_never_handed_out_again(self):
		first = complaint_names.next_number(self.prefix, 3)
		frappe.db.rollback()
		self.assertEqual(int(complaint_names.next_number(self.prefix, 3)), int(first) + 1)

	def test_a_lost_sequence_starts_after_the_highest_existing_name(self):
		# names made before (by this module, then a restore without its sequence) outrank the series
		frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 5)", self.prefix)
		frappe.db.sql("insert into `tabComplaint` (name) values (%s)", f"{self.prefix}000077")
		self.assertEqual(complaint_names.next_number(self.prefix, 6), "000078")

	def test_complaints_are_named_in_the_series_format(self):
		f.make_world()
		name = f.make_complaint().name
		year = str(frappe.utils.now_datetime().year)
		self.assertRegex(name, rf"^P3M-{year}-\d{{6,}}$")


class TestIntakeCost(FrappeTestCase):
	def setUp(self):
		f.make_world()

	def test_a_new_complaint_gets_its_milestones_in_one_statement(self):
		statements = []
		real_sql = frappe.db.sql

		def counting(query, *args, **kwargs):
			statements.append(str(query).lower())
			return real_sql(query, *args, **kwargs)

		frappe.db.sql = counting
		try:
			doc = f.make_complaint()
		finally:
			frappe.db.sql = real_sql
		inserts = [s for s in statements if s.startswith("insert into `tabcomplaint sla milestone`")]
		self.assertEqual(len(inserts), 1)
		stored_rows = frappe.get_all(
			"Complaint SLA Milestone", {"parent": doc.name}, ["milestone", "due_at", "idx"], order_by="idx"
		)
		self.assertEqual([r.milestone for r in stored_rows], [r.milestone for r in doc.sla_milestones])
		self.assertEqual([r.idx for r in stored_rows], list(range(1, len(stored_rows) + 1)))
		self.assertTrue(stored_rows and all(r.milestone for r in stored_rows))
		# a later save updates the same rows in place
		doc.reload()
		doc.description = "Ditambah keterangan."
		doc.save(ignore_permissions=True)
		self.assertEqual(frappe.db.count("Complaint SLA Milestone", {"parent": doc.name}), len(stored_rows))

	def test_a_portal_submission_stays_within_its_query_budget(self):
		submit_as("Guest", form(submission_id=frappe.generate_hash()))  # warm caches, as a worker is
		with self.assertQueryCount(12):
			result = submit_as("Guest", form(submission_id=frappe.generate_hash()))
		self.assertEqual(
			len(stored(result).sla_milestones),
			frappe.db.count("Complaint SLA Milestone", {"parent": stored(result).name}),
		)

	def test_the_defaults_templates_follow_a_changed_default(self):
		doc_templates.warm("Complaint")
		before = frappe.new_doc("Complaint").letter_number
		frappe.make_property_setter(
			{
				"doctype": "Complaint",
				"fieldname": "letter_number",
				"property": "default",
				"value": "T Default",
			},
			is_system_generated=False,
		)  # rolled back with the test; Frappe drops the cached meta again then
		frappe.local.new_doc_templates.clear()  # a new request
		doc_templates.warm("Complaint")
		self.assertEqual(frappe.new_doc("Complaint").letter_number, "T Default")
		self.assertNotEqual(before, "T Default")

	def test_a_units_calendar_change_is_seen_without_clearing_anything(self):
		unit = frappe.get_doc("Unit", f.PROV_A)
		self.assertEqual(calendars.resolve(f.KAB_A1), ("Holiday Calendar", "Indonesia"))
		regional = calendar("T Intake Cost Calendar").insert()
		unit.holiday_calendar = regional.name
		unit.save()
		self.assertEqual(calendars.resolve(f.KAB_A1), ("Holiday Calendar", regional.name))
		frappe.db.rollback()  # the change is gone, and so is what was cached from it
		self.assertEqual(calendars.resolve(f.KAB_A1), ("Holiday Calendar", "Indonesia"))

	def test_the_root_unit_is_looked_up_again_after_a_unit_changes(self):
		root = unit_cache.root_unit()
		self.assertTrue(root)
		self.assertEqual(frappe.cache.hget(unit_cache.KEY, "root::"), root)
		frappe.get_doc("Unit", f.PROV_A).save()
		self.assertIsNone(frappe.cache.hget(unit_cache.KEY, "root::"))
