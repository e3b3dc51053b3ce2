"""SLA sweep benchmark on 1,000,000 complaints (100,000 open), against two baselines.

    bench --site BENCH_SITE execute p3m_app.benchmarks.sla_sweep.run

Use a site of its own: the first run fills it (a few minutes) and later runs reuse the data.
Every measured step runs inside a transaction that is rolled back, so runs are repeatable.
Prints wall time, rows changed per second, SQL statements and peak memory for the sweep, a
rerun with nothing newly due, a per-document ORM baseline (load, recompute, save - as
helpdesks do it) over 10,000 open complaints, and a raw SQL UPDATE of the same rows; the sweep
and the raw UPDATE alternate three times and their medians are compared.
"""

import resource
import time
import tracemalloc
from datetime import datetime

import frappe
from frappe.utils.nestedset import rebuild_tree

from p3m_app.core import workflow_rules as wf
from p3m_app.sla import sweep as sla_sweep

TOTAL = 1_000_000  # complaints; the next milestones of the open ones fall due 60 and 90 days later
OPEN_EVERY = 10  # every 10th complaint is open: 100,000
PROVINCES, DISTRICTS_PER_PROVINCE = 34, 15
BASELINE_ROWS = 10_000
REPEATS = 3  # the sweep and the raw UPDATE are each measured this often; medians are compared
NOW = datetime(2026, 11, 23, 12, 0)
PREFIX = "BM-"


def run(baseline_rows: int = BASELINE_ROWS):
	frappe.set_user("Administrator")
	ensure_dataset()
	print(f"dataset: {count('1=1'):,} complaints, {count(open_condition()):,} open")

	# the sweep and the raw UPDATE alternate (each rolled back) so both meet the same cache state;
	# the medians are compared
	sweeps, raws = [], []
	for attempt in range(1, REPEATS + 1):
		raws.append(measure(f"raw SQL UPDATE of the same rows (#{attempt})", raw_update))
		frappe.db.rollback()
		sweeps.append(measure(f"sweep (#{attempt})", lambda: sla_sweep.sweep(now=NOW)))
		if attempt < REPEATS:
			frappe.db.rollback()
	rerun = measure("rerun, nothing newly due", lambda: sla_sweep.sweep(now=NOW))
	frappe.db.rollback()
	sweep, raw = median(sweeps), median(raws)
	orm = measure(f"per-document ORM baseline ({baseline_rows:,} rows)", lambda: orm_baseline(baseline_rows))
	frappe.db.rollback()

	changed = sweep["result"]["breached"] + sweep["result"]["due_soon"] + sweep["result"]["auto_closed"]
	sweep_per_row = sweep["seconds"] / max(changed, 1)
	orm_per_row = orm["seconds"] / baseline_rows
	print()
	print(
		f"sweep (median of {REPEATS}): {sweep['seconds']:.2f} s for {changed:,} rows ({changed / sweep['seconds']:,.0f} rows/s), "
		f"{sweep['queries']} SQL statements, peak Python memory {sweep['peak_mb']:.1f} MB, max RSS {sweep['rss_mb']:.0f} MB"
	)
	print(f"rerun with nothing due: {rerun['seconds']:.3f} s, {rerun['queries']} SQL statements")
	print(f"raw UPDATE (median of {REPEATS}): {raw['seconds']:.2f} s for {raw['result']:,} rows")
	print("all sweeps: " + ", ".join(f"{m['seconds']:.2f} s" for m in sweeps))
	print("all raw UPDATEs: " + ", ".join(f"{m['seconds']:.2f} s" for m in raws))
	print(
		f"ORM baseline: {orm['seconds']:.1f} s for {baseline_rows:,} rows ({orm_per_row * 1000:.1f} ms/row)"
	)
	print(f"ratio per row, ORM baseline / sweep: {orm_per_row / sweep_per_row:,.0f}x (target >= 20x)")
	print(f"ratio sweep / raw UPDATE: {sweep['seconds'] / raw['seconds']:.2f}x (target <= 3x)")
	print(f"targets: sweep < 10 s: {sweep['seconds'] < 10}; rerun < 2 s: {rerun['seconds'] < 2}")


def median(measures):
	return sorted(measures, key=lambda m: m["seconds"])[len(measures) // 2]


def measure(label, fn):
	queries = []
	real_sql = frappe.db.sql

	def counting_sql(*args, **kwargs):
		began = time.perf_counter()
		try:
			return real_sql(*args, **kwargs)
		finally:
			queries.append((time.perf_counter() - began, " ".join(str(args[0]).split())[:90]))

	frappe.db.sql = counting_sql
	tracemalloc.start()
	start = time.perf_counter()
	try:
		result = fn()
	finally:
		seconds = time.perf_counter() - start
		_size, peak = tracemalloc.get_traced_memory()
		tracemalloc.stop()
		frappe.db.sql = real_sql
	rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
	print(f"{label}: {seconds:.3f} s, {len(queries)} statements, result {result}")
	for took, text in sorted(queries, reverse=True)[:5]:
		if took > 0.05:
			print(f"    {took:6.2f} s  {text}")
	return {
		"seconds": seconds,
		"queries": len(queries),
		"result": result,
		"peak_mb": peak / 2**20,
		"rss_mb": rss_mb,
	}


def open_condition():
	states = ", ".join(frappe.db.escape(s) for s in sorted(wf.FINAL_STATES))
	return f"workflow_state not in ({states})"


def count(condition):
	return frappe.db.sql(f"select count(*) from `tabComplaint` where name like 'BM-%%' and {condition}")[0][0]


def raw_update():
	frappe.db.sql(
		"""update `tabComplaint` set sla_status = 'Breached', escalation_level = escalation_level + 1,
			sla_current_due = null
		where sla_current_due < %(now)s and sla_status != 'Paused' and workflow_state not in %(final)s""",
		{"now": NOW, "final": tuple(sorted(wf.FINAL_STATES))},
	)
	return frappe.db._cursor.rowcount


def orm_baseline(rows):
	names = frappe.get_all(
		"Complaint",
		filters={"name": ("like", "BM-%"), "workflow_state": wf.IN_PROGRESS},
		pluck="name",
		limit=rows,
	)
	for name in names:
		frappe.get_doc("Complaint", name).save(ignore_permissions=True)
	return len(names)


def ensure_dataset():
	if count("1=1") >= TOTAL:
		return
	start = time.perf_counter()
	frappe.db.sql("delete from `tabComplaint` where name like 'BM-%%'")
	frappe.db.sql("delete from `tabComplaint SLA Milestone` where parent like 'BM-%%'")
	districts = make_units()
	insert_complaints(districts)
	insert_milestones()
	frappe.db.commit()
	print(f"dataset created in {time.perf_counter() - start:.0f} s")


def make_units():
	"""1 national unit, 34 provinces, 15 districts each, inserted in bulk then nested."""
	frappe.db.sql("delete from `tabUnit` where name like 'BM %%'")
	rows = [("BM Pusat", "Pusat", None, 1)]
	districts = []
	for p in range(PROVINCES):
		province = f"BM Provinsi {p:02d}"
		rows.append((province, "Provinsi", "BM Pusat", 1))
		for d in range(DISTRICTS_PER_PROVINCE):
			district = f"BM Kabupaten {p:02d}-{d:02d}"
			rows.append((district, "Kabupaten/Kota", province, 0))
			districts.append(district)
	now = frappe.utils.now()
	frappe.db.bulk_insert(
		"Unit",
		[
			"name",
			"unit_name",
			"unit_level",
			"parent_unit",
			"is_group",
			"is_active",
			"unit_type",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			(n, n, level, parent, group, 1, "Complaint Unit", now, now, "Administrator", "Administrator")
			for n, level, parent, group in rows
		],
	)
	rebuild_tree("Unit")
	return districts


def insert_complaints(districts):
	"""One INSERT ... SELECT over MariaDB's sequence engine: 1,000,000 rows, 10% open."""
	# district i is "BM Kabupaten {i div 15:02}-{i mod 15:02}", as make_units names them
	n = f"(s.seq %% {len(districts)})"
	district = (
		f"concat('BM Kabupaten ', lpad({n} div {DISTRICTS_PER_PROVINCE}, 2, '0'), '-',"
		f" lpad({n} %% {DISTRICTS_PER_PROVINCE}, 2, '0'))"
	)
	open_states = (wf.VERIFICATION, wf.DISPOSED, wf.IN_PROGRESS)
	frappe.db.sql(
		f"""insert into `tabComplaint` (name, creation, modified, modified_by, owner, docstatus, idx,
			naming_series, tracking_code, subject, description, channel, classification, program,
			received_at, current_unit, origin_unit, workflow_state, level_arrived_at,
			sla_policy, sla_status, sla_current_due, sla_due_soon_at, escalation_level, escalated_to_national,
			paused_days, reopen_count, is_anonymous, is_confidential, identity_sealed, closed_at)
		select concat('{PREFIX}', lpad(s.seq, 7, '0')), %(created)s, %(created)s, 'Administrator', 'Administrator', 0, 0,
			'P3M-.YYYY.-.######', concat('BM', lpad(s.seq, 10, '0')), concat('Benchmark complaint ', s.seq),
			'Synthetic complaint for the SLA benchmark.', 'Phone', 'Pengaduan', 'SP4N-LAPOR!',
			%(received)s, {district}, {district},
			if(s.seq %% {OPEN_EVERY} = 0, elt(1 + (s.seq div {OPEN_EVERY}) %% 3, %(s1)s, %(s2)s, %(s3)s), 'Selesai'),
			%(received)s, 'SP4N-LAPOR!',
			if(s.seq %% {OPEN_EVERY} = 0, 'On Track', 'Met'),
			if(s.seq %% {OPEN_EVERY} = 0, %(now)s + interval (cast((s.seq * 7919) %% 86400 as signed) - 43200) minute, null),
			if(s.seq %% {OPEN_EVERY} = 0, %(now)s + interval (cast((s.seq * 7919) %% 86400 as signed) - 43200 - 1440) minute, null),
			0, 0, 0, 0, 0, 0, 0,
			if(s.seq %% {OPEN_EVERY} = 0, null, %(received)s)
		from seq_1_to_{TOTAL} s""",
		{
			"created": frappe.utils.now(),
			"received": datetime(2026, 10, 1, 9, 0),
			"now": NOW,
			"s1": open_states[0],
			"s2": open_states[1],
			"s3": open_states[2],
		},
	)


def insert_milestones():
	"""The open complaints' milestone rows: the waiting one is due at sla_current_due."""
	steps = (("Disposition per Level", 0, 60), ("First Response", 60, 90), ("Resolution", 90, None))
	for idx, (milestone, days, next_days) in enumerate(steps, start=1):
		following = f"c.sla_current_due + interval {next_days} day" if next_days else "null"
		following_soon = f"c.sla_due_soon_at + interval {next_days} day" if next_days else "null"
		frappe.db.sql(
			f"""insert into `tabComplaint SLA Milestone` (name, creation, modified, modified_by, owner, docstatus,
				parent, parentfield, parenttype, idx, milestone, due_at, due_soon_at, escalate, breached,
				next_due_at, next_due_soon_at)
			select concat(c.name, '-{idx}'), c.creation, c.creation, 'Administrator', 'Administrator', 0,
				c.name, 'sla_milestones', 'Complaint', {idx}, %(milestone)s,
				c.sla_current_due + interval {days} day, c.sla_due_soon_at + interval {days} day, 'Next Level Up', 0,
				{following}, {following_soon}
			from `tabComplaint` c where c.name like 'BM-%%' and c.sla_current_due is not null""",
			{"milestone": milestone},
		)
