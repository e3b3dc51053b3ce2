"""Intake benchmark: portal submissions and tracking through the real HTTP path, and mail ingestion.

    bench --site BENCH_SITE execute p3m_app.benchmarks.intake.run

Starts gunicorn (Frappe's production server, 2 workers) on 127.0.0.1, with the portal's rate
limits raised and the baseline endpoint's token set for the run (both restored afterwards). The
clients post through plain http.client (``lean_post``), since they share the machine's cores with
the server. It prints:
- submissions, one client at a time (the server time plus loopback), interleaved with a bare ORM
  insert of a ToDo through the same guest POST, gunicorn and Frappe request path
  (p3m_app.benchmarks.baseline): p50/p95 of both and the ratio of the p95s (target <= 2x);
- submissions/s with 4 concurrent clients (target >= 60/s);
- tracking: p50/p95 latency at a paced 40 requests/s, half real codes, half unknown (target p95 < 200 ms);
- mail: 1,000 generated .eml files through Email Account intake, plus 100 re-deliveries (target
  >= 40 messages/s, 0 lost, 0 duplicated).
Assignment, Workflow Action rows and acknowledgements run in background jobs queued after each
intake commits (p3m_app.intake.followups). After the timed parts the run takes this site's queued
follow-up jobs off the RQ queue and runs them (as a worker would, one commit each), with a benchmark
officer in each unit the complaints entered and an outgoing account that only queues
(p3m_app.benchmarks.staffing), then counts: every complaint assigned once, acknowledged once when it
has an address, given one Workflow Action row, nothing left pending. Everything the run creates is deleted at the end.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from urllib.parse import urlencode

import frappe
import requests
from frappe.installer import update_site_config
from frappe.utils.background_jobs import get_queue

from p3m_app.benchmarks import staffing
from p3m_app.benchmarks.baseline import TOKEN_KEY
from p3m_app.core import tracking_code
from p3m_app.intake import followups
from p3m_app.intake.email_inbox import ComplaintMail

PORT = 8021
INBOX = "P3M Benchmark Inbox"
LIMIT_KEYS = ("p3m_portal_submit_limit", "p3m_portal_track_limit")


def run(
	submissions: int = 300,
	alone: int = 200,
	track_seconds: int = 10,
	track_rate: int = 40,
	emails: int = 1000,
	workers: int = 2,
	port: int = PORT,
):
	global PORT
	PORT = int(port)  # another run on the same machine may hold the default
	frappe.set_user("Administrator")
	HEADERS["Host"] = frappe.local.site
	tag = f"intake-bench-{frappe.generate_hash(length=6)}"
	token = frappe.generate_hash(length=32)
	previous = {k: frappe.conf.get(k) for k in (*LIMIT_KEYS, TOKEN_KEY)}
	try:  # the raised limits and the token never outlive the run, whatever fails
		for key in LIMIT_KEYS:
			update_site_config(key, 1_000_000)
		update_site_config(TOKEN_KEY, token)
		server = start_server(int(workers))
		try:
			codes = bench_submissions(submissions, alone, tag, token)
			bench_tracking(codes, track_seconds, track_rate)
		finally:
			server.terminate()
			server.wait(10)
	finally:
		for key, value in previous.items():
			update_site_config(key, value if value is not None else "None")
	check_followups("portal", {"subject": ("like", f"[{tag}]%")}, len(codes) + 10)  # + the warm-up
	bench_mail(emails, tag)
	cleanup(tag)


def start_server(workers: int):
	with socket.socket() as probe:  # a server left on the port would be measured instead of ours
		if probe.connect_ex(("127.0.0.1", PORT)) == 0:
			raise RuntimeError(f"port {PORT} is taken; pass another: --kwargs \"{{'port': 8051}}\"")
	sites = os.path.abspath(frappe.local.sites_path)
	server = subprocess.Popen(
		[
			sys.executable,
			"-m",
			"gunicorn",
			"-b",
			f"127.0.0.1:{PORT}",
			"-w",
			str(workers),
			"frappe.app:application",
		],
		cwd=sites,
	)
	try:
		for _ in range(100):
			if server.poll() is not None:  # the port is taken: never measure someone else's server
				raise RuntimeError(f"gunicorn could not start on port {PORT}")
			try:
				if requests.get(url("/api/method/ping"), headers=HEADERS, timeout=10).ok:
					return server
			except requests.RequestException:  # not listening yet, or a worker still importing
				time.sleep(0.2)
		raise RuntimeError("gunicorn did not start")
	except BaseException:
		server.terminate()
		server.wait(10)
		raise


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
	return percentile(ms, 0.95)


def bench_submissions(count: int, alone: int, tag: str, token: str) -> list[str]:
	def post(path, data):
		began = time.perf_counter()
		answer = lean_post(path, data)
		return time.perf_counter() - began, answer["message"]

	def submit(i):
		seconds, answer = post(
			"/api/method/p3m_app.portal.api.submit",
			{
				"classification": "Pengaduan",
				"subject": f"[{tag}] Bantuan belum diterima {i}",
				"description": "Bantuan PKH bulan ini belum diterima oleh keluarga kami.",
				"chronology": "Sudah menunggu tiga bulan.",
				"is_anonymous": "1",
				"submission_id": f"{tag}-{i}",
			},
		)
		return seconds, answer["tracking_code"]

	def todo(i):
		return post(
			"/api/method/p3m_app.benchmarks.baseline.insert_todo",
			{"token": token, "description": f"[{tag}] baseline {i}"},
		)[0]

	for i in range(1, 11):  # warm both workers' caches before timing
		submit(-i)
		todo(-i)
	began = time.perf_counter()
	one, baseline = [], []
	for i in range(alone):  # interleaved, so both see the same machine at the same moments
		one.append(submit(count + i))
		baseline.append(todo(i))
	seconds = time.perf_counter() - began
	p95 = report("portal submission, one client", [r[0] for r in one], seconds, alone)
	base_p95 = report("bare ToDo insert, same HTTP path, one client", baseline, seconds, alone)
	print(f"  p95 ratio submission / ToDo: {p95 / base_p95:.2f}x (target <= 2x)")
	began = time.perf_counter()
	with ThreadPoolExecutor(4) as pool:
		results = list(pool.map(submit, range(count)))
	seconds = time.perf_counter() - began
	report("portal submissions, 4 clients (throughput)", [r[0] for r in results], seconds, count)
	print("  target: >= 60 submissions/s")
	began = time.perf_counter()
	with ThreadPoolExecutor(4) as pool:
		baseline = list(pool.map(todo, range(alone, alone + count)))
	seconds_todo = time.perf_counter() - began
	report("bare ToDo insert, 4 clients (throughput)", baseline, seconds_todo, count)
	print(f"  throughput ratio ToDo / submission: {seconds / seconds_todo:.2f}x")
	return [r[1] for r in results + one]


_connections = threading.local()


def lean_post(path: str, data: dict) -> dict:
	"""A form POST on this thread's keep-alive connection. The load generator shares the 2 cores with
	the server: http.client costs it about a third of what requests does, so the figures are more
	the server's (the ToDo baseline is measured through the same client)."""
	connection = getattr(_connections, "connection", None)
	if connection is None:
		connection = _connections.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
	body = urlencode(data)
	headers = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
	try:
		connection.request("POST", path, body, headers)
		response = connection.getresponse()
		payload = response.read()
	except (http.client.HTTPException, OSError):
		_connections.connection = None  # the server closed it: one new connection, one retry
		connection.close()
		return lean_post(path, data)
	if response.status != 200:
		raise RuntimeError(f"{path} answered {response.status}: {payload[:300]!r}")
	return json.loads(payload)


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
	frappe.db.commit()
	files = [eml(i, tag) for i in range(count)]
	replays = files[:100]
	began = time.perf_counter()
	for raw in files + replays:
		ComplaintMail(raw, account).process()
		frappe.db.commit()  # as Email Account.receive() does after every mail
	seconds = time.perf_counter() - began
	senders = {"reporter_email": ("like", f"%@{tag}.example.org")}
	made = frappe.db.count("Complaint", senders)
	distinct = frappe.db.sql(
		"select count(distinct reporter_email) from `tabComplaint` where reporter_email like %s",
		(f"%@{tag}.example.org",),
	)[0][0]
	total = count + len(replays)
	print(
		f"mail intake: {count} .eml + {len(replays)} re-deliveries in {seconds:.1f} s = {total / seconds:.1f}"
		f" messages/s ({count / seconds:.1f} new mails/s); complaints made {made}, lost {count - distinct},"
		f" duplicated {made - distinct}"
	)
	print("  target: >= 40 messages/s, 0 lost, 0 duplicated")
	check_followups("mail", senders, count)


def run_queued_followups(names: set[str]) -> tuple[int, float]:
	"""The queued follow-up jobs of this run's complaints, taken off the RQ queue and run as a worker
	runs them (a commit each); every other job on the shared queue is left alone."""
	queue = get_queue("default")
	began = time.perf_counter()
	ran = 0
	for job in queue.get_jobs():
		args = job.kwargs or {}
		if args.get("site") != frappe.local.site or args.get("method") != followups.JOB:
			continue
		if (args.get("kwargs") or {}).get("complaint") not in names:
			continue
		queue.remove(job)
		job.delete()
		followups.run(**args["kwargs"])
		frappe.db.commit()  # a failed run leaves its Error Log, as the worker's job does
		ran += 1
	return ran, time.perf_counter() - began


def check_followups(label: str, filters: dict, expected: int) -> None:
	"""Run the queued jobs, then count what each complaint got: once, and nothing left pending."""
	frappe.db.commit()  # a fresh snapshot: the server's inserts are newer than this process's reads
	made = frappe.get_all("Complaint", filters=filters, fields=["name", "current_unit"])
	if not made:
		print(f"{label} follow-ups: no complaints found")
		return
	names = [row.name for row in made]
	with staffing.staffed({row.current_unit for row in made} - {None}):
		ran, seconds = run_queued_followups(set(names))
	actions = frappe.db.sql(
		"""select reference_name, count(*) from `tabWorkflow Action`
		where reference_doctype = 'Complaint' and reference_name in %(names)s group by reference_name""",
		{"names": names},
	)
	todos = frappe.db.sql(
		"""select reference_name, count(*) from `tabToDo` where reference_type = 'Complaint'
		and status = 'Open' and reference_name in %(names)s group by reference_name""",
		{"names": names},
	)
	# mail to the reporter only (an assignee's notification may reference the complaint too)
	mails = frappe.db.sql(
		"""select q.reference_name, count(*) from `tabEmail Queue` q
		join `tabEmail Queue Recipient` r on r.parent = q.name
		join `tabComplaint` c on c.name = q.reference_name and r.recipient = c.reporter_email
		where q.reference_doctype = 'Complaint' and q.reference_name in %(names)s
		group by q.reference_name""",
		{"names": names},
	)
	mine = {"name": ("in", names)}
	pending = frappe.db.count("Complaint", {**mine, followups.PENDING: ("is", "set")})
	acked = frappe.db.count("Complaint", {**mine, "acknowledged_at": ("is", "set")})
	with_email = frappe.db.count("Complaint", {**mine, "reporter_email": ("is", "set")})
	print(
		f"{label} follow-ups: {ran} jobs run in {seconds:.1f} s ({ran / max(seconds, 1e-9):.0f}/s) for"
		f" {len(names)} complaints ({expected} expected); left pending {pending};"
		f" workflow actions on {len(actions)} (more than one: {sum(1 for r in actions if r[1] > 1)});"
		f" assigned {len(todos)} (twice: {sum(1 for r in todos if r[1] > 1)});"
		f" acknowledged {acked} of {with_email} with an address (mailed twice: {sum(1 for r in mails if r[1] > 1)})"
	)


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
		actions = frappe.get_all("Workflow Action", filters={"reference_name": ("in", batch)}, pluck="name")
		queued = frappe.get_all("Email Queue", filters={"reference_name": ("in", batch)}, pluck="name")
		for doctype, field, values in (
			("Workflow Action Permitted Role", "parent", actions),
			("Workflow Action", "name", actions),
			("Email Queue Recipient", "parent", queued),
			("Email Queue", "name", queued),
			("Complaint SLA Milestone", "parent", batch),
			("Disposition", "complaint", batch),
			("ToDo", "reference_name", batch),
			("Comment", "reference_name", batch),
			("Notification Log", "document_name", batch),
			("Error Log", "reference_name", batch),  # "Reporter not informed" without a mail account
			("Communication", "reference_name", batch),
			("Version", "docname", batch),
			("Complaint", "name", batch),
		):
			if values:
				frappe.db.delete(doctype, {field: ("in", values)})
	frappe.db.delete("ToDo", {"description": ("like", f"[{tag}] baseline%")})
	frappe.db.delete("Communication", {"sender": ("like", f"%@{tag}.example.org")})
	frappe.db.commit()
	print(f"removed the {len(names)} complaints the run made")
