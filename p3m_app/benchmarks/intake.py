"""Intake benchmark: portal submissions and tracking through the real HTTP path, and mail ingestion.

    bench --site BENCH_SITE execute p3m_app.benchmarks.intake.run

Starts gunicorn (Frappe's production server, 2 workers) on 127.0.0.1, with the portal's rate
limits raised for the run and restored afterwards, then prints:
- submissions: complaints/s with 4 concurrent clients (target >= 30/s), and the latency of one client
  at a time, which is the server time plus loopback (target p95 < 50 ms);
- tracking: p50/p95 latency at a paced 40 requests/s, half real codes, half unknown (target p95 < 200 ms);
- mail: 1,000 generated .eml files through Email Account intake, plus 100 re-deliveries (target
  < 60 s, 0 lost, 0 duplicated).
Latencies are measured by the client over loopback, so they bound the server time from above.
Everything the run creates is deleted at the end.
"""

import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import frappe
import requests
from frappe.installer import update_site_config

from p3m_app.core import tracking_code
from p3m_app.intake.email_inbox import ComplaintMail

PORT = 8021
INBOX = "P3M Benchmark Inbox"


def run(submissions: int = 300, track_seconds: int = 10, track_rate: int = 40, emails: int = 1000):
	frappe.set_user("Administrator")
	HEADERS["Host"] = frappe.local.site
	tag = f"intake-bench-{frappe.generate_hash(length=6)}"
	previous = {k: frappe.conf.get(k) for k in ("p3m_portal_submit_limit", "p3m_portal_track_limit")}
	for key in previous:
		update_site_config(key, 1_000_000)
	server = start_server()
	try:
		codes = bench_submissions(submissions, tag)
		bench_tracking(codes, track_seconds, track_rate)
	finally:
		server.terminate()
		server.wait(10)
		for key, value in previous.items():
			update_site_config(key, value if value is not None else "None")
	bench_mail(emails, tag)
	cleanup(tag)


def start_server():
	sites = os.path.abspath(frappe.local.sites_path)
	server = subprocess.Popen(
		[sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{PORT}", "-w", "2", "frappe.app:application"],
		cwd=sites,
	)
	for _ in range(100):
		try:
			if requests.get(url("/api/method/ping"), headers=HEADERS, timeout=1).ok:
				return server
		except requests.ConnectionError:
			time.sleep(0.2)
	server.terminate()
	raise RuntimeError("gunicorn did not start")


def url(path: str) -> str:
	return f"http://127.0.0.1:{PORT}{path}"


HEADERS = {}  # the site's Host header, set in run(): worker threads cannot read frappe.local


def percentile(values, share):
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label, latencies, seconds, count):
	ms = [v * 1000 for v in latencies]
	print(
		f"{label}: {count} in {seconds:.2f} s = {count / seconds:.1f}/s; latency p50 {statistics.median(ms):.1f} ms,"
		f" p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms"
	)


def bench_submissions(count: int, tag: str) -> list[str]:
	session = requests.Session()

	def submit(i):
		began = time.perf_counter()
		response = session.post(
			url("/api/method/p3m_app.portal.api.submit"),
			headers=HEADERS,
			data={
				"classification": "Pengaduan",
				"subject": f"[{tag}] Bantuan belum diterima {i}",
				"description": "Bantuan PKH bulan ini belum diterima oleh keluarga kami.",
				"chronology": "Sudah menunggu tiga bulan.",
				"is_anonymous": "1",
				"submission_id": f"{tag}-{i}",
			},
			timeout=30,
		)
		response.raise_for_status()
		return time.perf_counter() - began, response.json()["message"]["tracking_code"]

	for i in range(1, 11):
		submit(-i)  # warm both workers' caches before timing
	began = time.perf_counter()
	alone = [submit(count + i) for i in range(100)]
	report(
		"portal submissions, one client (server time)",
		[r[0] for r in alone],
		time.perf_counter() - began,
		100,
	)
	print("  target: p95 < 50 ms")
	began = time.perf_counter()
	with ThreadPoolExecutor(4) as pool:
		results = list(pool.map(submit, range(count)))
	seconds = time.perf_counter() - began
	report("portal submissions, 4 clients (throughput)", [r[0] for r in results], seconds, count)
	print("  target: >= 30 complaints/s")
	return [r[1] for r in results + alone]


def bench_tracking(codes: list[str], seconds: int, rate: int) -> None:
	session = requests.Session()
	total = seconds * rate
	wanted = [
		random.choice(codes) if i % 2 else tracking_code.display(tracking_code.generate())
		for i in range(total)
	]
	start = time.perf_counter() + 0.5

	def track(i):
		delay = start + i / rate - time.perf_counter()
		if delay > 0:
			time.sleep(delay)
		began = time.perf_counter()
		response = session.post(
			url("/api/method/p3m_app.portal.api.track"), headers=HEADERS, data={"code": wanted[i]}, timeout=30
		)
		response.raise_for_status()
		return time.perf_counter() - began

	with ThreadPoolExecutor(16) as pool:
		latencies = list(pool.map(track, range(total)))
	report(f"tracking at {rate} requests/s", latencies, time.perf_counter() - start, total)
	print("  target: p95 < 200 ms")


def inbox():
	if not frappe.db.exists("Email Account", INBOX):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": INBOX,
				"email_id": "bench-inbox@p3m.test",
				"append_to": "Complaint",
				"enable_incoming": 0,
			}
		).insert(ignore_permissions=True)
	return frappe.get_doc("Email Account", INBOX)


def eml(i: int, tag: str) -> bytes:
	message = EmailMessage()
	message["From"] = f"Warga {i} <warga{i}@{tag}.example.org>"
	message["To"] = "bench-inbox@p3m.test"
	message["Subject"] = f"Jalan rusak di desa {i}"
	message["Message-ID"] = f"<{i}@{tag}.example.org>"
	message.set_content("Jalan desa rusak parah dan membahayakan pengendara. Mohon segera diperbaiki.")
	return message.as_bytes()


def bench_mail(count: int, tag: str) -> None:
	account = inbox()
	files = [eml(i, tag) for i in range(count)]
	replays = files[:100]
	began = time.perf_counter()
	for raw in files + replays:
		ComplaintMail(raw, account).process()
		frappe.db.commit()  # as Email Account.receive() does after every mail
	seconds = time.perf_counter() - began
	made = frappe.db.count("Complaint", {"reporter_email": ("like", f"%@{tag}.example.org")})
	distinct = frappe.db.sql(
		"select count(distinct reporter_email) from `tabComplaint` where reporter_email like %s",
		(f"%@{tag}.example.org",),
	)[0][0]
	print(
		f"mail intake: {count} .eml + {len(replays)} re-deliveries in {seconds:.1f} s ({count / seconds:.0f}/s);"
		f" complaints made {made}, lost {count - distinct}, duplicated {made - distinct}"
	)
	print("  target: < 60 s, 0 lost, 0 duplicated")


def cleanup(tag: str) -> None:
	names = frappe.get_all(
		"Complaint",
		filters={"subject": ("like", f"[{tag}]%")},
		pluck="name",
	) + frappe.get_all(
		"Complaint", filters={"reporter_email": ("like", f"%@{tag}.example.org")}, pluck="name"
	)
	for start in range(0, len(names), 500):
		batch = names[start : start + 500]
		for doctype, field in (
			("Complaint SLA Milestone", "parent"),
			("Disposition", "complaint"),
			("ToDo", "reference_name"),
			("Communication", "reference_name"),
			("Email Queue", "reference_name"),
			("Version", "docname"),
			("Complaint", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", batch)})
	frappe.db.delete("Communication", {"sender": ("like", f"%@{tag}.example.org")})
	frappe.db.commit()
	print(f"removed the {len(names)} complaints the run made")
