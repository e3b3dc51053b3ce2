"""Production-shaped load and fault test on the 1M dataset (issue 13), run by hand:

    sudo bash tests/load_faults.sh [MINUTES]      # as root: it may restart MariaDB

The wrapper gives this driver a private sites directory (the site only, a private Redis for the
job queues, a private IMAP server) and then runs, inside it,

    bench --site SITE execute p3m_app.benchmarks.production_load.run --kwargs '{"minutes": 5}'

which starts gunicorn (4 workers), 2 RQ workers and the scheduler on 127.0.0.1 and drives a mixed
load: citizens submitting and tracking on the portal, officers of one province on the desk
(Complaint list, form, Rekapitulasi Pengaduan). The SLA sweep is a 15-minute cron job; a 5-minute
run would see one at most, so the driver does what the scheduler's cron event does
(p3m_app.sla.sweep.enqueue_sweep) every `sweep_every` seconds, while the real scheduler runs too
(the job is deduplicated and the sweep holds a database lock, so they never sweep twice). It prints
requests, errors and p50/p95/p99 per kind and the complaints lost, then the faults, each with its
figures (see job_faults and intake_faults). Everything it changes on the site is put back.
"""

import os
import random
import threading
import time
from itertools import count

import frappe

from p3m_app.benchmarks.production_load import intake_faults, job_faults, site_state, traffic
from p3m_app.benchmarks.production_load.stack import Stack
from p3m_app.sla import sweep as sla_sweep


def run(
	minutes: float = 5,
	clients: int = 4,
	officers: int = 2,
	sweep_every: int = 60,
	port: int = 8031,
	faults: str = "abcd",
	db_fault: str = "restart",
	flood: int = 50_000,
):
	frappe.set_user("Administrator")
	load_dir = os.environ.get("P3M_LOAD_DIR")
	if not load_dir or not os.path.exists(os.path.join(frappe.local.sites_path, ".p3m-load-private")):
		print(
			"Run this through tests/load_faults.sh: its workers and scheduler need a private sites directory."
		)
		return
	tag = f"load-{frappe.generate_hash(length=6).lower()}"
	state = site_state.SiteState()
	state.prepare(tag)
	stack = Stack(port, load_dir)
	verdicts = {}
	try:
		stack.start_all()
		verdicts.update(load_phase(stack, tag, minutes * 60, clients, officers, sweep_every))
		if "a" in faults:
			site_state.restore_sla_snapshot()  # the load's sweeps are undone: the backlog is due again
			site_state.take_sla_snapshot()
			show(job_faults.sweep_kill(stack))
		if "b" in faults:
			show(intake_faults.database_restart(stack, tag, db_fault, load_dir))
		if "c" in faults:
			stack.stop("scheduler")  # its mail job would pull the test inbox too
			show(intake_faults.mail_pull_kill(stack, tag))
		if "d" in faults:
			show(job_faults.full_queue(stack, tag, flood))
	finally:
		stack.stop_all()
		state.restore()
	print(
		f"\nload phase: complaints lost {verdicts.get('lost')}, complaints escalated twice {verdicts.get('doubled')}"
	)


def show(lines: list[str]) -> None:
	print()
	for line in lines:
		print(line)


def load_phase(stack: Stack, tag: str, seconds: float, clients: int, officers: int, sweep_every: int) -> dict:
	recorder = traffic.Recorder()
	names = site_state.officer_complaints()
	desk = [
		traffic.Officer(stack.base, stack.host, site_state.OFFICER, site_state.OFFICER_PASSWORD, names)
		for _ in range(officers)
	]
	stop = threading.Event()
	ids = count(1)
	threads = [
		threading.Thread(
			target=traffic.citizen_loop,
			args=(stop, recorder, stack.base, stack.host, tag, ids, random.Random(i)),
		)
		for i in range(clients)
	] + [
		threading.Thread(target=traffic.officer_loop, args=(stop, recorder, officer, random.Random(100 + i)))
		for i, officer in enumerate(desk)
	]
	print(
		f"load: {seconds / 60:g} min, {clients} portal clients, {officers} officers, the sweep enqueued every {sweep_every} s"
	)
	began = time.monotonic()
	for thread in threads:
		thread.start()
	sweeps = []
	next_sweep = began
	while time.monotonic() - began < seconds:
		if time.monotonic() >= next_sweep:
			sweeps.append(sweep_outcome())
			sla_sweep.enqueue_sweep()
			frappe.db.commit()
			next_sweep += sweep_every
		time.sleep(0.5)
	stop.set()
	for thread in threads:
		thread.join()
	job_faults.wait_for(
		lambda: (
			job_faults.lock_holder() is None
			and not frappe.utils.background_jobs.is_job_enqueued(sla_sweep.JOB_ID)
		),
		600,
		0.5,
	)
	sweeps.append(sweep_outcome())
	frappe.db.commit()
	lost = job_faults.lost_codes(recorder.codes)
	doubled = job_faults.doubled_entries()
	show(recorder.table())
	ran = sweeps[1:]  # the status of the job each tick found (and the last one, after the load)
	print(
		f"SLA sweep ticks: {len(ran)}; the sweep job each tick found: {[s[0] for s in ran]} (one queued or"
		f" running is not queued again); rows escalated by the finished ones: {[s[1] for s in ran if s[1] is not None]}"
	)
	print(f"portal submissions acknowledged: {len(recorder.codes)}; complaints lost: {lost}   (target 0)")
	print(f"complaints with a deadline escalated twice: {doubled}   (target 0)")
	return {"lost": lost, "doubled": doubled}


def sweep_outcome() -> tuple[str, object]:
	"""The status and result of the last sweep job (frappe.enqueue deletes it when it enqueues anew)."""
	job = frappe.utils.background_jobs.get_job(sla_sweep.JOB_ID)
	if not job:
		return ("none", None)
	result = job.return_value() if job.get_status() == "finished" else None
	breached = result.get("breached") if isinstance(result, dict) else result
	return (str(job.get_status()), breached)
