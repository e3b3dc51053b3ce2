"""Faults of the intake side: MariaDB restarted during portal submissions, the mail pull killed.

(b) Four clients submit reports (named and confidential ones with two files, anonymous ones
    without) while MariaDB restarts. A refused report is sent again with the same submission id,
    as the portal form does. Every acknowledged code must be in the database with its complete
    rows (complaint, identity where one was given, every file); no report may be stored twice.
(c) Mails are delivered to a real IMAP server; the mail pull (Email Account.receive, what the
    scheduler's job runs) is killed with SIGKILL once part of the batch is stored; later pulls must
    store every message exactly once.
"""

import imaplib
import json
import os
import signal
import threading
import time
from collections import Counter
from email.message import EmailMessage
from itertools import count

import frappe
import requests

from p3m_app.benchmarks.production_load import traffic
from p3m_app.benchmarks.production_load.job_faults import lost_codes, wait_for
from p3m_app.benchmarks.production_load.site_state import reconnect

ATTEMPTS = 30  # a refused report is sent again up to this often, a second apart


def restart_database(mode: str, load_dir: str) -> str:
	"""`restart`: the root wrapper restarts MariaDB on request; `kill-connections`: only this
	site's connections are killed (for development on a bench others use)."""
	if mode == "kill-connections":
		user = frappe.conf.db_name
		ids = frappe.db.sql_list(
			"select id from information_schema.processlist where user = %s and id != connection_id()", user
		)
		for conn in ids:
			try:
				frappe.db.sql(f"kill connection {int(conn)}")
			except Exception:
				pass
		return f"killed {len(ids)} connections of the site's database user"
	request = os.path.join(load_dir, "db-restart.request")
	done = os.path.join(load_dir, "db-restart.done")
	if os.path.exists(done):
		os.remove(done)
	with open(request, "w") as f:
		f.write("restart\n")
	if not wait_for(lambda: os.path.exists(done), 180, 0.2):
		return "MariaDB restart requested but never reported done (is tests/load_faults.sh running?)"
	with open(done) as f:
		return f.read().strip()


def database_restart(stack, tag: str, mode: str, load_dir: str, clients: int = 4) -> list[str]:
	outcomes = {}  # key -> (code or None, [response kinds])
	ids = count(1)
	stop = threading.Event()
	lock = threading.Lock()

	def client():
		session = requests.Session()
		while not stop.is_set():
			with lock:
				key = f"b-{next(ids)}"
			kinds, code = [], None
			for _attempt in range(ATTEMPTS):
				try:
					response = traffic.submit(session, stack.base, stack.host, tag, key)
				except requests.RequestException:
					kinds.append("connection refused")
					time.sleep(1)
					continue
				code = traffic.code_of(response)
				if code:
					kinds.append("ok")
					break
				kinds.append(
					"clear refusal" if traffic.clear_refusal(response) else f"unclear {response.status_code}"
				)
				time.sleep(1)
			with lock:
				outcomes[key] = (code, kinds)

	threads = [threading.Thread(target=client) for _ in range(clients)]
	for thread in threads:
		thread.start()
	time.sleep(5)
	began = time.monotonic()
	what = restart_database(mode, load_dir)
	restart_seconds = time.monotonic() - began
	time.sleep(8)
	stop.set()
	for thread in threads:
		thread.join()
	reconnect()
	stack.wait_for_web()
	return [
		f"(b) MariaDB restart during submissions ({what}; {restart_seconds:.1f} s)",
		*judge(outcomes, tag),
	]


def judge(outcomes: dict, tag: str) -> list[str]:
	responses = Counter(kind for _code, kinds in outcomes.values() for kind in kinds)
	codes = [code for code, _kinds in outcomes.values() if code]
	stored = stored_reports(tag)
	per_key = Counter(row["key"] for row in stored)
	half_saved = [row["name"] for row in stored if not row["complete"]]
	unclear = {k: v for k, v in responses.items() if k.startswith("unclear") or k == "connection refused"}
	gave_up = sum(1 for code, _kinds in outcomes.values() if not code)
	return [
		f"    reports sent: {len(outcomes)}; responses: {dict(responses)}",
		f"    refused with the clear retry message: {responses['clear refusal']}; refused otherwise: {sum(unclear.values())}",
		f"    acknowledged with a code: {len(codes)}; lost (code not in the database): {lost_codes(codes)}   (target 0)",
		f"    half-saved (complaint without its identity or files): {len(half_saved)}   (target 0) {half_saved[:5]}",
		f"    stored twice (one report, two complaints): {sum(1 for n in per_key.values() if n > 1)}   (target 0)",
		f"    given up after {ATTEMPTS} attempts: {gave_up}",
	]


def stored_reports(tag: str) -> list[dict]:
	"""The run's (b) complaints, each judged complete against what its variant submitted."""
	frappe.db.commit()  # a fresh read view
	rows = frappe.db.sql(
		"""select c.name, c.subject, c.is_anonymous, c.is_confidential, c.identity_sealed, c.reporter_name,
			(select count(*) from `tabReporter Identity` r where r.complaint = c.name and r.reporter_name != '') sealed,
			(select count(*) from `tabFile` f where f.attached_to_doctype = 'Complaint'
				and f.attached_to_name = c.name) files
		from `tabComplaint` c where c.subject like %s""",
		(f"[{tag}] %#b-%",),
		as_dict=True,
	)
	for row in rows:
		key = row.subject.rsplit("#", 1)[-1]
		variant = ("named", "confidential", "anonymous")[int(key.rsplit("-", 1)[-1]) % 3]
		identity = {
			"named": bool(row.reporter_name),
			"confidential": row.is_confidential and row.identity_sealed and row.sealed == 1,
			"anonymous": row.is_anonymous and not row.reporter_name,
		}[variant]
		row.key = key
		row.complete = bool(identity) and row.files == (0 if variant == "anonymous" else 2)
	return rows


# -- (c) the mail pull killed mid-batch ----------------------------------------------------

INBOX = "P3M Load Inbox"


def imap_settings() -> dict | None:
	raw = os.environ.get("P3M_LOAD_IMAP")
	return json.loads(raw) if raw else None


def mailbox(settings: dict) -> imaplib.IMAP4:
	connection = imaplib.IMAP4(settings["host"], settings["port"])
	connection.login(settings["user"], settings["password"])
	connection.select("INBOX")
	return connection


def clear_mailbox(settings: dict) -> None:
	connection = mailbox(settings)
	_status, data = connection.search(None, "ALL")
	for number in data[0].split():
		connection.store(number, "+FLAGS", "\\Deleted")
	connection.expunge()
	connection.logout()


def deliver(settings: dict, tag: str, mails: int) -> None:
	connection = mailbox(settings)
	for i in range(mails):
		message = EmailMessage()
		message["From"] = f"Warga Surat {i} <surat{i}@{tag}.example.org>"
		message["To"] = settings["user"]
		message["Subject"] = f"Jalan rusak di desa {i}"
		message["Message-ID"] = f"<mail-{i}@{tag}.example.org>"
		message.set_content("Jalan desa rusak parah dan membahayakan pengendara. Mohon segera diperbaiki.")
		connection.append("INBOX", None, imaplib.Time2Internaldate(time.time()), message.as_bytes())
	connection.logout()


def make_inbox(settings: dict) -> None:
	"""An Email Account like the shipped P3M Complaints Inbox (same sync options), on the test server."""
	frappe.db.delete("Email Account", {"name": INBOX})
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": INBOX,
			"email_id": settings["user"],
			"password": settings["password"],
			"email_server": settings["host"],
			"incoming_port": str(settings["port"]),
			"use_imap": 1,
			"use_ssl": 0,
			"use_starttls": 0,
			"enable_incoming": 1,
			"enable_outgoing": 0,
			"append_to": "Complaint",
			"imap_folder": [{"folder_name": "INBOX", "append_to": "Complaint"}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()


def stored_mails(tag: str) -> Counter:
	frappe.db.commit()
	return Counter(
		frappe.db.sql_list(
			"select sender from `tabCommunication` where sender like %s and sent_or_received = 'Received'",
			(f"surat%@{tag}.example.org",),
		)
	)


def pull(stack, name: str) -> object:
	return stack.spawn(
		name,
		stack.bench(
			"--site",
			frappe.local.site,
			"execute",
			"frappe.email.doctype.email_account.email_account.pull_from_email_account",
			"--kwargs",
			json.dumps({"email_account": INBOX}),
		),
	)


def mail_pull_kill(stack, tag: str, mails: int = 100) -> list[str]:
	settings = imap_settings()
	if not settings:
		return ["(c) mail pull killed mid-batch: skipped, no IMAP server (run through tests/load_faults.sh)"]
	clear_mailbox(settings)
	make_inbox(settings)
	deliver(settings, tag, mails)
	sync = frappe.db.get_value("Email Account", INBOX, "email_sync_option")
	lines = [f"(c) mail pull killed mid-batch: {mails} mails delivered over IMAP (sync option {sync})"]
	proc = pull(stack, "mailpull")
	reached = wait_for(lambda: sum(stored_mails(tag).values()) >= mails // 4, 300, 0.1)
	os.killpg(proc.pid, signal.SIGKILL)
	proc.wait(10)
	stack.procs.pop("mailpull", None)
	at_kill = stored_mails(tag)
	lines.append(
		f"    pull killed with SIGKILL after {sum(at_kill.values())} mails stored (reached a quarter: {reached})"
	)
	for attempt in range(1, 4):
		again = pull(stack, f"mailpull{attempt}")
		again.wait(600)
		stack.procs.pop(f"mailpull{attempt}", None)
	after = stored_mails(tag)
	complaints = frappe.db.count("Complaint", {"reporter_email": ("like", f"surat%@{tag}.example.org")})
	lines += [
		f"    after 3 more pulls: stored {len(after)} of {mails} distinct mails; lost {mails - len(after)}   (target 0)",
		f"    stored more than once: {sum(1 for n in after.values() if n > 1)}   (target 0); complaints made: {complaints}",
	]
	clear_mailbox(settings)
	frappe.db.delete("Email Account", {"name": INBOX})
	frappe.db.commit()
	return lines
