"""Reporting benchmark on the SLA benchmark's 1,000,000-complaint dataset.

    bench --site BENCH_SITE execute p3m_app.benchmarks.reporting.run

Run p3m_app.benchmarks.sla_sweep.run first: it fills the site. Prints the median of five runs of
- the 12-month Rekapitulasi Pengaduan with roll-up for the national level (target < 2 s);
- a district officer's unit-scoped Complaint list, as the desk list view asks for it (target < 150 ms);
- the same list for a province admin (15 districts below it).
The officer and admin are added to the benchmark units for the run and removed afterwards.
"""

import statistics
import time

import frappe
from frappe.utils import add_months, getdate

from p3m_app.benchmarks.sla_sweep import NOW
from p3m_app.p3m_app.report.rekapitulasi_pengaduan import rekapitulasi_pengaduan

DISTRICT, PROVINCE = "BM Kabupaten 00-00", "BM Provinsi 00"
OFFICER, ADMIN = "bm.officer@p3m.test", "bm.admin@p3m.test"
LIST_FIELDS = [
	"name",
	"subject",
	"workflow_state",
	"sla_status",
	"sla_current_due",
	"current_unit",
	"received_at",
	"modified",
]
REPEATS = 5


def run():
	frappe.set_user("Administrator")
	if not frappe.db.exists("Unit", DISTRICT):
		print("no benchmark dataset: run p3m_app.benchmarks.sla_sweep.run first")
		return
	print(f"dataset: {frappe.db.count('Complaint'):,} complaints")
	end = getdate(NOW)
	filters = {"from_date": str(add_months(end, -12)), "to_date": str(end)}
	seconds, result = measure(lambda: rekapitulasi_pengaduan.execute(filters))
	print(
		f"Rekapitulasi, national, 12 months: median {seconds * 1000:.0f} ms over {REPEATS} runs, {len(result[1])} unit rows (target < 2 s)"
	)

	add_officer(DISTRICT, OFFICER, "Officer")
	add_officer(PROVINCE, ADMIN, "Admin")
	try:
		for user, label in ((OFFICER, "district officer"), (ADMIN, "province admin")):
			frappe.set_user(user)
			seconds, rows = measure(
				lambda: frappe.get_list(
					"Complaint", fields=LIST_FIELDS, order_by="creation desc", limit_page_length=20
				)
			)
			count_seconds, count = measure(
				lambda: frappe.get_list("Complaint", fields=["count(*) as n"])[0].n
			)
			frappe.set_user("Administrator")
			print(
				f"Complaint list, {label}: median {seconds * 1000:.1f} ms for the first {len(rows)} rows;"
				f" count of {count:,} in scope {count_seconds * 1000:.1f} ms (target < 150 ms)"
			)
	finally:
		frappe.set_user("Administrator")
		remove_officer(DISTRICT, OFFICER)
		remove_officer(PROVINCE, ADMIN)


def measure(fn):
	fn()  # warm caches once
	timings, result = [], None
	for _ in range(REPEATS):
		began = time.perf_counter()
		result = fn()
		timings.append(time.perf_counter() - began)
	return statistics.median(timings), result


def add_officer(unit: str, user: str, role_in_unit: str) -> None:
	if not frappe.db.exists("User", user):
		frappe.get_doc(
			{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	doc = frappe.get_doc("Unit", unit)
	if not any(o.user == user for o in doc.officers):
		doc.append("officers", {"user": user, "role_in_unit": role_in_unit})
		doc.save(ignore_permissions=True)
	frappe.db.commit()


def remove_officer(unit: str, user: str) -> None:
	doc = frappe.get_doc("Unit", unit)
	doc.officers = [o for o in doc.officers if o.user != user]
	doc.save(ignore_permissions=True)
	frappe.db.commit()
