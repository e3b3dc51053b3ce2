"""Faults of the background side: a worker killed in the middle of the SLA sweep, a flooded queue.

(a) The sweep is enqueued as the scheduler does; while it holds its database lock, the process
    whose connection holds the lock (RQ's work horse) is killed with SIGKILL. MariaDB rolls its
    transaction back; the sweep is enqueued again and once more, and every complaint that was due
    must carry exactly one escalation for the deadline it missed.
(d) The workers are stopped and 50,000 no-op jobs are queued on default and long; the portal must
    still accept complaints (its p95 and errors are printed); then the queues are emptied.
"""

import os
import random
import signal
import threading
import time
from collections import Counter
from datetime import timedelta
from itertools import count

import frappe
import requests
from frappe.utils import now_datetime
from rq import Queue

from p3m_app.benchmarks.production_load import traffic
from p3m_app.core import escalation_log
from p3m_app.core import sla_policy as sla
from p3m_app.sla import sweep as sla_sweep

MIN_DUE = 1000  # the kill needs a sweep with work to do


def due_now(now) -> dict[str, tuple[str, str]]:
	"""complaint -> (milestone, due) of every deadline the sweep would escalate at `now`."""
	rows = frappe.db.sql(
		f"""select c.name, m.milestone, m.due_at from {sla_sweep.LATE_JOIN}
		where {sla_sweep.LATE_WHERE}""",
		{"now": now, "paused": sla.PAUSED, "final": sla_sweep.FINAL},
	)
	return {name: (milestone, escalation_log.due_key(due)) for name, milestone, due in rows}


def make_due(now, wanted: int) -> int:
	"""Move waiting deadlines of open complaints an hour into the past (the snapshot restores them)."""
	names = frappe.db.sql_list(
		"""select name from `tabComplaint` where sla_current_due > %(now)s and sla_status != %(paused)s
		and workflow_state not in %(final)s order by sla_current_due limit %(n)s""",
		{"now": now, "paused": sla.PAUSED, "final": sla_sweep.FINAL, "n": wanted},
	)
	if not names:
		return 0
	frappe.db.sql(
		"""update `tabComplaint SLA Milestone` m join `tabComplaint` c on m.parent = c.name
			and m.due_at = c.sla_current_due
		set m.due_at = %(past)s where c.name in %(names)s""",
		{"past": now - timedelta(hours=1), "names": tuple(names)},
	)
	frappe.db.sql(
		"update `tabComplaint` set sla_current_due = %(past)s where name in %(names)s",
		{"past": now - timedelta(hours=1), "names": tuple(names)},
	)
	frappe.db.commit()
	return len(names)


def lock_holder() -> int | None:
	return frappe.db.sql("select is_used_lock(%s)", sla_sweep.LOCK)[0][0]


def wait_for(condition, seconds: float, step: float = 0.05) -> bool:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		if condition():
			return True
		time.sleep(step)
	return False


def run_sweep_to_end(seconds: float = 600) -> bool:
	"""Enqueue as the scheduler does and wait until the job has run and the lock is free."""
	sla_sweep.enqueue_sweep()
	frappe.db.commit()
	time.sleep(1)
	return wait_for(
		lambda: lock_holder() is None and not frappe.utils.background_jobs.is_job_enqueued(sla_sweep.JOB_ID),
		seconds,
		0.5,
	)


def sweep_kill(stack) -> list[str]:
	frappe.db.commit()
	now = now_datetime()
	due = due_now(now)
	if len(due) < MIN_DUE:
		make_due(now, MIN_DUE - len(due))
		due = due_now(now)
	lines = [f"(a) kill -9 a worker in the middle of the SLA sweep: {len(due):,} complaints due"]
	sla_sweep.enqueue_sweep()
	frappe.db.commit()
	if not wait_for(lambda: lock_holder() is not None, 120):
		return [*lines, "    the sweep never started: FAILED"]
	holder = lock_holder()
	address = frappe.db.sql("select host from information_schema.processlist where id = %s", holder)
	port = int(address[0][0].rsplit(":", 1)[1]) if address and ":" in address[0][0] else None
	victim = stack.process_on_port(port) if port else None
	time.sleep(random.uniform(0.3, 1.0))  # well inside the sweep, which takes seconds on 1M rows
	if not victim or lock_holder() != holder:
		return [*lines, "    the sweep ended before it could be killed (nothing due?): FAILED"]
	victim_name = victim.name()
	os.kill(victim.pid, signal.SIGKILL)
	killed = time.monotonic()
	wait_for(lambda: lock_holder() is None, 300, 0.2)
	lines.append(
		f"    killed pid {victim.pid} ({victim_name}) holding the sweep lock; MariaDB rolled back"
		f" and released the lock in {time.monotonic() - killed:.1f} s"
	)
	frappe.db.commit()  # a fresh snapshot of the data
	escalated_by_killed = count_matching(due)[1]
	lines.append(f"    escalations the killed sweep left behind: {escalated_by_killed:,} (all or nothing)")
	first = run_sweep_to_end()
	second = run_sweep_to_end()
	frappe.db.commit()
	twice, once, skipped = count_matching(due)
	doubled_anywhere = doubled_entries()
	lines += [
		f"    rerun finished: {first}; a second rerun finished: {second}",
		f"    due complaints escalated exactly once: {once:,} of {len(due):,}",
		f"    escalated twice: {twice}   (target 0)",
		f"    due but skipped: {skipped}   (target 0)",
		f"    any complaint with a deadline escalated twice: {doubled_anywhere}   (target 0)",
	]
	return lines


def count_matching(due: dict) -> tuple[int, int, int]:
	"""(escalated twice, escalated once, not escalated) for the due complaints' missed deadlines."""
	twice = once = skipped = 0
	names = list(due)
	for start in range(0, len(names), 5000):
		batch = names[start : start + 5000]
		logs = dict(
			frappe.db.sql(
				"select name, sla_escalations from `tabComplaint` where name in %s", (tuple(batch),)
			)
		)
		for name in batch:
			milestone, due_at = due[name]
			hits = sum(
				1 for m, d, _t in escalation_log.parse(logs.get(name)) if (m, d) == (milestone, due_at)
			)
			twice += hits > 1
			once += hits == 1
			skipped += hits == 0
	return twice, once, skipped


def doubled_entries() -> int:
	doubled = 0
	rows = frappe.db.sql("select sla_escalations from `tabComplaint` where sla_escalations like '%%|%%'")
	for (log,) in rows:
		entries = Counter((m, d) for m, d, _t in escalation_log.parse(log))
		doubled += any(n > 1 for n in entries.values())
	return doubled


# -- (d) a full job queue -------------------------------------------------------------------


def flood_queues(jobs: int) -> float:
	"""`jobs` no-op jobs (frappe.ping) split over default and long, as frappe.enqueue would queue them."""
	from frappe.utils.background_jobs import execute_job, get_queue

	began = time.perf_counter()
	for name, share in (("default", jobs // 2), ("long", jobs - jobs // 2)):
		queue = get_queue(name)
		for start in range(0, share, 5000):
			batch = [
				Queue.prepare_data(
					execute_job,
					kwargs={
						"site": frappe.local.site,
						"user": "Administrator",
						"method": "frappe.ping",
						"event": None,
						"job_name": "p3m-load-flood",
						"is_async": True,
						"kwargs": {},
					},
					timeout=300,
				)
				for _ in range(min(5000, share - start))
			]
			queue.enqueue_many(batch)
	return time.perf_counter() - began


def queue_lengths() -> dict[str, int]:
	from frappe.utils.background_jobs import get_queue

	return {name: len(get_queue(name)) for name in ("default", "short", "long")}


def full_queue(stack, tag: str, jobs: int, submissions: int = 200, clients: int = 4) -> list[str]:
	for name in list(stack.workers()):
		stack.stop(name)
	seconds = flood_queues(jobs)
	before = queue_lengths()
	lines = [
		f"(d) a full job queue: workers stopped, {jobs:,} no-op jobs queued in {seconds:.1f} s: {before}"
	]
	recorder = traffic.Recorder()
	ids = count(1)
	lock = threading.Lock()

	def client():
		session = requests.Session()
		while True:
			with lock:
				number = next(ids)
			if number > submissions:
				return
			key = f"d-{number}"
			response = traffic.timed(
				recorder,
				"portal submit (queue full)",
				lambda: traffic.submit(session, stack.base, stack.host, tag, key),
			)
			if code := traffic.code_of(response):
				with recorder.lock:
					recorder.codes.append(code)

	threads = [threading.Thread(target=client) for _ in range(clients)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	lines += ["    " + line for line in recorder.table()]
	lost = lost_codes(recorder.codes)
	lines.append(
		f"    accepted {len(recorder.codes)} of {submissions}; lost {lost} (target 0); queues now {queue_lengths()}"
	)
	from frappe.utils.background_jobs import get_queue

	for name in ("default", "short", "long"):
		get_queue(name).empty()
	stack.start_workers()
	lines.append(
		"    queues emptied (the flood and the follow-up jobs of these test reports); workers restarted"
	)
	return lines


def lost_codes(codes: list[str]) -> int:
	"""Codes the portal returned whose complaint is not in the database."""
	from p3m_app.core import tracking_code

	frappe.db.commit()  # a fresh read view: the clients' rows were committed after ours began
	wanted = {tracking_code.normalize(c) for c in codes}
	found = set()
	listed = list(wanted)
	for start in range(0, len(listed), 1000):
		found.update(
			frappe.db.sql_list(
				"select tracking_code from `tabComplaint` where tracking_code in %s",
				(tuple(listed[start : start + 1000]),),
			)
		)
	return len(wanted - found)
