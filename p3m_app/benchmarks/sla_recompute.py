"""Recompute benchmark: an SLA Policy edit moves the deadlines of the 100,000 open complaints.

    bench --site BENCH_SITE execute p3m_app.benchmarks.sla_recompute.run

Reuses the SLA sweep benchmark's dataset (1,000,000 complaints, 100,000 open, all under
SP4N-LAPOR!; p3m_app.benchmarks.sla_sweep fills it on first use). Edits the policy's per-level
limit (3 -> 5 working days) and runs the recompute job's batches (p3m_app.sla.recompute) over
every open complaint, each of which gets new deadlines; prints its wall time, rows per second,
SQL statements and peak memory next to one sweep over the same data. Every measured step is
rolled back, so runs repeat. The timed run is untraced; a second, traced run gives the peak
Python memory (tracemalloc slows Python, not MariaDB, so its time is not the figure).
"""

import resource
import time
import tracemalloc

import frappe

from p3m_app.benchmarks import sla_sweep as dataset
from p3m_app.core import sla_policy as sla
from p3m_app.sla import recompute
from p3m_app.sla import sweep as sla_sweep

POLICY = "SP4N-LAPOR!"


def run(trace_memory: bool = True):
	frappe.set_user("Administrator")
	dataset.ensure_dataset()
	print(f"dataset: {dataset.count('1=1'):,} complaints, {dataset.count(dataset.open_condition()):,} open")

	sweep = dataset.measure("sweep", lambda: sla_sweep.sweep(now=dataset.NOW))
	frappe.db.rollback()
	timed = measure("recompute after a policy edit", edit_and_recompute)
	frappe.db.rollback()
	traced = measure("recompute, traced for memory", edit_and_recompute, trace=True) if trace_memory else None
	frappe.db.rollback()

	changed = sum(sweep["result"].values())
	counts = timed["result"]
	print()
	print(
		f"sweep: {sweep['seconds']:.2f} s for {changed:,} rows ({changed / sweep['seconds']:,.0f} rows/s), "
		f"{sweep['queries']} SQL statements, peak Python memory {sweep['peak_mb']:.1f} MB"
	)
	print(
		f"recompute: {timed['seconds']:.2f} s for {counts['checked']:,} open complaints, {counts['changed']:,} "
		f"rewritten ({counts['checked'] / timed['seconds']:,.0f} rows/s), {timed['queries']} SQL statements, "
		f"{counts['range_errors']} outside the calendar, max RSS {timed['rss_mb']:.0f} MB"
		+ (f", peak Python memory {traced['peak_mb']:.1f} MB (traced run)" if traced else "")
	)


def edit_and_recompute():
	policy = frappe.get_doc("SLA Policy", POLICY)
	next(row for row in policy.milestones if row.milestone == sla.DISPOSITION).working_days = 5
	policy.save(ignore_permissions=True)
	return recompute.recompute("SLA Policy", POLICY, now=dataset.NOW)


def measure(label, fn, trace=False):
	statements = []
	real_sql = frappe.db.sql

	def counting_sql(*args, **kwargs):
		statements.append(1)
		return real_sql(*args, **kwargs)

	frappe.db.sql = counting_sql
	if trace:
		tracemalloc.start()
	start = time.perf_counter()
	try:
		result = fn()
	finally:
		seconds = time.perf_counter() - start
		peak = tracemalloc.get_traced_memory()[1] if trace else 0
		if trace:
			tracemalloc.stop()
		frappe.db.sql = real_sql
	print(f"{label}: {seconds:.3f} s, {len(statements)} statements, result {result}")
	return {
		"seconds": seconds,
		"queries": len(statements),
		"result": result,
		"peak_mb": peak / 2**20,
		"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
	}
