# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""The monthly report mailed on the 1st (Pedoman PKH, seed 004 lines 360-363): one e-mail per unit
with recipients, Excel and PDF attached, last month's figures, no identity, never twice."""

import email
import io
import json
from unittest.mock import patch

import frappe
import openpyxl
from frappe.tests.utils import FrappeTestCase

from p3m_app import report_dispatch as rd
from p3m_app.p3m_app.report import testing as t
from p3m_app.tests import factories as f

IN = "2026-10-05 09:00:00"
ACTED = "2026-10-06 10:00:00"
TIM_TEKNIS = "tim.teknis@kemensos.example"
ADMIN_B = "t.admin.provb@p3m.test"


def set_recipients(unit: str, rows: list[dict]):
	doc = frappe.get_doc("Unit", unit)
	doc.set("report_recipients", [{"report": rd.REPORT, **row} for row in rows])
	doc.save(ignore_permissions=True)


def queued(unit: str) -> list[frappe._dict]:
	names = frappe.get_all(rd.DOCTYPE, filters={"unit": unit}, pluck="name")
	return frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": rd.DOCTYPE, "reference_name": ("in", names or [""])},
		fields=["name", "message"],
	)


def attachments(message: str) -> dict[str, bytes]:
	mail = email.message_from_string(message)
	return {part.get_filename(): part.get_payload(decode=True) for part in mail.walk() if part.get_filename()}


def sheet_rows(content: bytes) -> list[tuple]:
	book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
	return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class TestMonthlyReportDispatch(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_world()
		f.make_user(ADMIN_B)
		prov_b = frappe.get_doc("Unit", f.PROV_B)
		prov_b.append("officers", {"user": ADMIN_B, "role_in_unit": "Admin"})
		prov_b.save(ignore_permissions=True)
		c = cls.names = {}
		c["a1"] = t.complaint(f.KAB_A1, IN, ACTED, province="Jawa Barat", district="Bogor")
		c["wb"] = t.complaint(
			f.KAB_A1, IN, ACTED, classification="Whistleblowing", subject="Pungutan liar", **t.SECRET_REPORTER
		)
		c["a2"] = t.complaint(f.KAB_A2, IN, ACTED, province="Jawa Barat", district="Garut")
		c["sept"] = t.complaint(f.KAB_A1, "2026-09-14 09:00:00", "2026-09-15 10:00:00")
		set_recipients(
			f.KAB_A1, [{"user": f.OFFICER_A1}, {"email": TIM_TEKNIS}, {"email": "old@x.example", "active": 0}]
		)
		set_recipients(f.PROV_A, [{"email": TIM_TEKNIS}])
		set_recipients(f.KAB_B1, [{"email": "off@x.example", "active": 0}])

	def setUp(self):
		frappe.db.savepoint("dispatch_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="dispatch_test")  # each test starts with nothing sent

	def send(self, moment: str, **kwargs) -> dict:
		with t.frozen(moment):
			return rd.send_monthly_reports(commit=False, **kwargs)

	def test_first_of_the_month_queues_one_mail_per_unit_once(self):
		outcome = self.send("2026-11-01 06:00:00")
		self.assertIn(f.KAB_A1, outcome["Sent"])
		self.assertIn(f.PROV_A, outcome["Sent"])
		for unit in (f.KAB_A2, f.KAB_B1, f.PUSAT):
			self.assertNotIn(unit, outcome["Sent"] + outcome["Failed"])
			self.assertEqual(queued(unit), [])

		mails = queued(f.KAB_A1)
		self.assertEqual(len(mails), 1)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": mails[0].name}, pluck="recipient"
		)
		self.assertEqual(sorted(recipients), sorted([f.OFFICER_A1, TIM_TEKNIS]))
		files = attachments(mails[0].message)
		stem = "Monthly-Complaint-Report-PKH-Kab-A1-T-2026-10"
		self.assertIn(f"{stem}.xlsx", files)
		self.assertIn(f"{stem}.pdf", files)  # wkhtmltopdf is installed on the bench
		self.assertTrue(files[f"{stem}.pdf"].startswith(b"%PDF"))

		rows = sheet_rows(files[f"{stem}.xlsx"])
		labels = {str(row[0]).strip(): row for row in rows[1:]}
		self.assertEqual(labels["Pengaduan"][1], 1)
		self.assertEqual(labels["Whistleblowing"][1], 1)
		self.assertEqual(labels["Bogor"][1], 1)
		self.assertNotIn("Garut", labels, "another unit's complaint")
		self.assertIn("Pungutan liar", labels, "the special case, by subject")
		text = json.dumps(rows, default=str) + mails[0].message
		for value in (*t.PUBLIC_REPORTER.values(), *t.SECRET_REPORTER.values()):
			self.assertNotIn(value, text)

		log = frappe.get_doc(rd.DOCTYPE, {"unit": f.KAB_A1, "period": "2026-10"})
		self.assertEqual(log.status, "Sent")
		self.assertEqual(str(log.sent_on), "2026-11-01 06:00:00")
		self.assertEqual(log.recipients.split("\n"), [f.OFFICER_A1, TIM_TEKNIS])

		# the province's report covers both its districts
		prov_rows = sheet_rows(
			attachments(queued(f.PROV_A)[0].message)["Monthly-Complaint-Report-PKH-Prov-A-T-2026-10.xlsx"]
		)
		self.assertEqual({str(r[0]).strip() for r in prov_rows} & {"Bogor", "Garut"}, {"Bogor", "Garut"})

		# a rerun, and the daily retry, send nothing more
		again = self.send("2026-11-01 09:00:00")
		self.assertEqual(again["Sent"], [])
		self.assertIn(f.KAB_A1, again["skipped"])
		self.send("2026-11-02 00:10:00", retry_only=True)
		self.assertEqual(len(queued(f.KAB_A1)), 1)
		self.assertEqual(len(queued(f.PROV_A)), 1)

	def test_a_failure_is_logged_and_retried(self):
		real = rd.render

		def broken(unit, report, period):
			if unit == f.KAB_A1:
				raise RuntimeError("renderer down")
			return real(unit, report, period)

		with patch.object(rd, "render", broken):
			outcome = self.send("2026-12-01 06:00:00")
		self.assertIn(f.KAB_A1, outcome["Failed"])
		self.assertIn(f.PROV_A, outcome["Sent"])
		log = frappe.get_doc(rd.DOCTYPE, {"unit": f.KAB_A1, "period": "2026-11"})
		self.assertEqual(log.status, "Failed")
		self.assertIn("renderer down", log.error)
		self.assertTrue(
			frappe.db.exists("Error Log", {"reference_doctype": rd.DOCTYPE, "reference_name": log.name})
		)
		self.assertEqual(queued(f.KAB_A1), [], "nothing half-sent")

		retried = self.send("2026-12-02 00:10:00", retry_only=True)
		self.assertEqual(retried["Sent"], [f.KAB_A1])
		self.assertEqual(frappe.db.get_value(rd.DOCTYPE, log.name, "status"), "Sent")
		self.assertEqual(len(queued(f.KAB_A1)), 1)

	def test_recipient_rows_are_checked(self):
		unit = frappe.get_doc("Unit", f.KAB_A2)
		for row in ({}, {"email": "not an address"}):
			unit.set("report_recipients", [{"report": rd.REPORT, **row}])
			with self.assertRaises(frappe.ValidationError):
				unit.save(ignore_permissions=True)
		unit.set("report_recipients", [{"report": rd.REPORT, "email": TIM_TEKNIS}] * 2)
		with self.assertRaises(frappe.ValidationError):
			unit.save(ignore_permissions=True)

	def test_dispatches_follow_the_unit_scope(self):
		self.send("2026-11-01 06:00:00")
		mine = frappe.get_all(rd.DOCTYPE, filters={"period": "2026-10"}, pluck="unit")
		self.assertTrue({f.KAB_A1, f.PROV_A} <= set(mine))
		a1 = frappe.get_doc(rd.DOCTYPE, {"unit": f.KAB_A1, "period": "2026-10"})

		frappe.set_user(f.ADMIN_A)
		self.assertTrue({f.KAB_A1, f.PROV_A} <= set(frappe.get_list(rd.DOCTYPE, pluck="unit")))
		self.assertTrue(frappe.has_permission(rd.DOCTYPE, "read", doc=a1))

		frappe.set_user(ADMIN_B)  # Admin Instansi of the sibling province
		self.assertEqual(
			[u for u in frappe.get_list(rd.DOCTYPE, pluck="unit") if u in (f.KAB_A1, f.PROV_A)], []
		)
		self.assertFalse(frappe.has_permission(rd.DOCTYPE, "read", doc=a1))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(rd.DOCTYPE, a1.name).check_permission("read")

		frappe.set_user(f.OFFICER_A1)  # an officer has no read on the log at all
		self.assertFalse(frappe.has_permission(rd.DOCTYPE, "read"))
