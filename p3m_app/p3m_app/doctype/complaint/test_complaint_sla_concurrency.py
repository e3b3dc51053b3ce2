# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""Two sweeps at the same moment, on separate connections, over committed data."""

import threading
from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from p3m_app.sla import sweep as sla_sweep
from p3m_app.sla.timeline import escalation_entries
from p3m_app.tests import factories as f

SUBJECT = "SLA concurrency probe"


def delete_probe_complaints():
	names = frappe.get_all("Complaint", filters={"subject": SUBJECT}, pluck="name")
	if names:
		for doctype, field in (
			("Complaint SLA Milestone", "parent"),
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
			("Version", "docname"),
			("Disposition", "complaint"),
		):
			frappe.db.delete(doctype, {field: ("in", names)})
		frappe.db.delete("Complaint", {"name": ("in", names)})
	frappe.db.commit()


class TestConcurrentSweeps(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		delete_probe_complaints()
		f.make_world()
		with cls.freeze_time(cls, "2026-11-02 09:00:00"):
			cls.names = [
				f.make_complaint(subject=SUBJECT, program="SP4N-LAPOR!", current_unit=f.KAB_A1).name
				for _ in range(5)
			]
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		delete_probe_complaints()
		super().tearDownClass()

	def test_two_sweeps_at_once_escalate_each_complaint_once(self):
		site, results, barrier = frappe.local.site, [], threading.Barrier(2)

		def sweep_in_own_connection():
			frappe.init(site=site)
			frappe.connect()
			try:
				frappe.set_user("Administrator")
				barrier.wait()
				results.append(sla_sweep.run(now=datetime(2026, 11, 6, 8, 0)))
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=sweep_in_own_connection) for _ in range(2)]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(60)
		frappe.db.rollback()  # see what the other connections committed

		self.assertEqual(len(results), 2, "both sweeps finished")
		self.assertEqual(sum(1 for r in results if "skipped" in r), 1, results)
		for name in self.names:
			# receipt (60 minutes, seed 003 line 58) and the level's 3 days have both passed: once each
			self.assertEqual(frappe.db.get_value("Complaint", name, "escalation_level"), 2)
			self.assertEqual(len(escalation_entries("Complaint", name)), 2)
