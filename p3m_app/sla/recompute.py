"""Recompute the deadlines of open complaints when the rules behind them change.

Saving an SLA Policy, a Holiday Calendar or an ERPNext Holiday List queues one background job
for that record (deduplicated by job id, queued once the save is committed). The job walks the
open complaints the record governs in batches keyed by name: one query reads a batch (locking its
rows, so the sweep waits rather than interleaving), one query its milestone rows; the pure engine
evaluates each complaint in Python, through the same engine.apply/finish as a save; only the
complaints whose stored values differ are written back, with one UPDATE ... JOIN JSON_TABLE per
group of columns and one delete + multi-row insert of milestone rows. No document is loaded or
saved, so the number of statements grows with the number of batches, not of complaints.
"""

import json
from functools import partial

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.utils import now_datetime

from p3m_app.core import sla_policy as sla
from p3m_app.core import workflow_rules as wf
from p3m_app.core.errors import RuleViolation
from p3m_app.sla import calendars, engine, policies

BATCH = 5_000
INSERT_CHUNK = 10_000  # milestone rows per INSERT statement
JOB = "p3m_app.sla.recompute.run"
LOCK = "p3m_sla_recompute"
# target -> 1 while a change waits for a job; a job that is already running when a record
# changes again (so the deduplicated enqueue is skipped) sees it and goes round once more
PENDING = "p3m_sla_recompute_pending"
FINAL = tuple(sorted(wf.FINAL_STATES))
MILESTONE = "Complaint SLA Milestone"
ROW_META = ("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx")
# read besides the engine's clock, match and SLA columns
OWN_COLUMNS = ("name", "workflow_state", "current_unit", "sla_policy", "sla_escalations", "paused_days")
ROW_PARENT = {"parenttype": "Complaint", "parentfield": "sla_milestones"}


# --- hooks -----------------------------------------------------------------------------------


def on_policy_update(doc, method=None):
	before = doc.get_doc_before_save()
	if before and _policy_key(before) == _policy_key(doc):
		return  # a description or fixture re-import changes no deadline
	enqueue("SLA Policy", doc.name)


def on_calendar_update(doc, method=None):
	before = doc.get_doc_before_save()
	if before and _calendar_key(before) == _calendar_key(doc):
		return
	enqueue("Holiday Calendar", doc.name)


def on_holiday_list_update(doc, method=None):
	enqueue("Holiday List", doc.name)


def _policy_key(doc):
	return (bool(doc.enabled), policies.to_policy(doc))


def _calendar_key(doc):
	"""What the working calendar is built from: every plain field, and the holiday dates (not
	their descriptions)."""
	plain = tuple(
		(f.fieldname, str(doc.get(f.fieldname)))
		for f in doc.meta.fields
		if f.fieldtype not in no_value_fields and f.fieldtype not in table_fields
	)
	return plain, frozenset(str(row.holiday_date) for row in doc.holidays)


def enqueue(doctype: str, name: str) -> None:
	"""Queue the recompute once the save is committed (a rolled-back save queues nothing);
	saving the record twice in one transaction queues it once."""
	pending = getattr(frappe.db.after_commit, "_functions", ())
	if not any(getattr(fn, "func", None) is enqueue_now and fn.args == (doctype, name) for fn in pending):
		frappe.db.after_commit.add(partial(enqueue_now, doctype, name))


def enqueue_now(doctype: str, name: str) -> None:
	try:
		frappe.cache.hset(PENDING, _target(doctype, name), 1)
		frappe.enqueue(
			JOB, queue="long", job_id=job_id(doctype, name), deduplicate=True, doctype=doctype, name=name
		)
	except Exception:
		# never fail the commit that queued it; enqueue_pending retries within the hour
		frappe.log_error(title=f"P3M SLA recompute of {doctype} {name} not queued")


def enqueue_pending() -> None:
	"""Hourly: queue any change a job missed (it ended just as the change was committed)."""
	for target in frappe.cache.hkeys(PENDING):
		doctype, name = (target.decode() if isinstance(target, bytes) else target).split("::", 1)
		frappe.enqueue(
			JOB, queue="long", job_id=job_id(doctype, name), deduplicate=True, doctype=doctype, name=name
		)


def job_id(doctype: str, name: str) -> str:
	return f"p3m-sla-recompute::{doctype}::{name}"


def _target(doctype, name):
	return f"{doctype}::{name}"


# --- the job -----------------------------------------------------------------------------------


def run(doctype: str, name: str) -> dict:
	"""The background job: recompute, committing per batch, until no change is pending."""
	# one recompute at a time: two records may govern the same complaint
	if not frappe.db.sql("select get_lock(%s, 600)", LOCK)[0][0]:
		raise frappe.QueryTimeoutError(f"{LOCK} is held")
	try:
		while True:
			frappe.cache.hdel(PENDING, _target(doctype, name))
			counts = recompute(doctype, name, commit=True)
			if not frappe.cache.hexists(PENDING, _target(doctype, name)):
				return counts
	except Exception:
		frappe.db.rollback()
		frappe.cache.hset(PENDING, _target(doctype, name), 1)  # enqueue_pending tries again
		raise
	finally:
		frappe.db.sql("select release_lock(%s)", LOCK)


def recompute(doctype: str, name: str, now=None, batch: int = BATCH, commit: bool = False) -> dict:
	"""Recompute the open complaints ``doctype``/``name`` governs; returns what it counted."""
	now = now or now_datetime()
	job = _Job(doctype, name, now)
	after = ""
	while rows := job.select(after, batch):
		job.process(rows)
		after = rows[-1].name
		if commit:
			frappe.db.commit()
	job.summarise()
	if commit:
		frappe.db.commit()
	return job.counts


class _Job:
	def __init__(self, doctype, name, now):
		self.doctype, self.name, self.now = doctype, name, now
		self.counts = {"checked": 0, "changed": 0, "range_errors": 0}
		self.errors = []
		self.unit_levels = dict(frappe.get_all("Unit", fields=["name", "unit_level"], as_list=True))
		self.calendars = {}
		self.where, self.params = self.scope()
		self.columns = list(
			dict.fromkeys(
				[
					*OWN_COLUMNS,
					*engine.CLOCK_FIELDS,
					*(f for f in sla.MATCH_FIELDS if f != "unit_level"),
					*engine.SLA_FIELDS,
				]
			)
		)

	def scope(self):
		"""The SQL condition for the complaints the changed record may govern."""
		if self.doctype == "SLA Policy":
			if not frappe.db.exists("SLA Policy", self.name):
				return "c.sla_policy = %(policy)s", {"policy": self.name}
			policy = policies.to_policy(frappe.get_doc("SLA Policy", self.name))
			match = [f"c.`{f}` = %(m_{f})s" for f in policy.match if f != "unit_level"]
			params = {f"m_{f}": v for f, v in policy.match.items()}
			if policy.match.get("unit_level"):
				units = [u for u, level in self.unit_levels.items() if level == policy.match["unit_level"]]
				match.append("c.current_unit in %(level_units)s" if units else "0")
				params["level_units"] = tuple(units) or ("",)
			return f"(c.sla_policy = %(policy)s or ({' and '.join(match) or '1'}))", {
				**params,
				"policy": self.name,
			}
		target = (self.doctype, self.name)
		units = tuple(u for u in self.unit_levels if calendars.resolve(u) == target)
		condition = "c.current_unit in %(units)s" if units else "0"
		if calendars.resolve(None) == target:  # complaints held by no unit follow the default
			condition = f"({condition} or c.current_unit is null)"
		return condition, {"units": units or ("",)}

	def select(self, after, batch):
		columns = ", ".join(f"c.`{c}`" for c in self.columns)
		return frappe.db.sql(
			f"""select {columns} from `tabComplaint` c
			where c.name > %(after)s and c.workflow_state not in %(final)s and {self.where}
			order by c.name limit %(batch)s for update""",
			{**self.params, "after": after, "final": FINAL, "batch": batch},
			as_dict=True,
		)

	def process(self, rows):
		stored = self.milestones([r.name for r in rows])
		enabled = policies.enabled_policies()
		updates, milestone_rows = [], {}
		for row in rows:
			self.counts["checked"] += 1
			doc = _Complaint(row, stored.get(row.name, []))
			before = {m.milestone: dict(m) for m in doc.sla_milestones}
			try:
				self.evaluate(doc, enabled)
			except RuleViolation as violation:
				self.counts["range_errors"] += 1
				self.errors.append(f"{row.name}: {violation}")
				continue
			changed_fields = {f for f in doc.written if f != "sla_milestones" and doc.get(f) != row.get(f)}
			after = {m.milestone: dict(m) for m in doc.sla_milestones}
			if not changed_fields and after == before:
				continue
			self.counts["changed"] += 1
			updates.append(doc)
			if after != before:
				milestone_rows[row.name] = doc.sla_milestones
		self.write_complaints(updates)
		self.write_milestones(milestone_rows)

	def evaluate(self, doc, enabled):
		"""What a save would store (engine.before_save without the pause and level bookkeeping)."""
		facts = {f: doc.get(f) for f in sla.MATCH_FIELDS if f != "unit_level"}
		facts["unit_level"] = self.unit_levels.get(doc.current_unit)
		policy = sla.choose(enabled, facts)
		doc.sla_policy = policy.name if policy else None
		if not policy:
			engine.finish(doc, policy)
			return
		breached = engine.swept_breaches(doc)
		schedule = sla.schedule(
			policy, self.calendar(doc.current_unit), engine.clock_from_values(doc, breached), self.now
		)
		engine.apply(doc, schedule)

	def calendar(self, unit):
		if unit not in self.calendars:
			self.calendars[unit] = calendars.calendar_for_unit(unit)
		return self.calendars[unit]

	def milestones(self, names):
		rows = frappe.db.sql(
			f"""select * from `tab{MILESTONE}` where parent in %(names)s and parenttype = %(parenttype)s
			and parentfield = %(parentfield)s order by parent, idx""",
			{"names": tuple(names), **ROW_PARENT},
			as_dict=True,
		)
		found = {}
		for row in rows:
			found.setdefault(row.parent, []).append(row)
		return found

	def write_complaints(self, docs):
		"""One UPDATE per set of columns the engine wrote (a scheduled and an unscheduled group)."""
		groups = {}
		for doc in docs:
			groups.setdefault(tuple(sorted(doc.written - {"sla_milestones"})), []).append(doc)
		meta = frappe.get_meta("Complaint")
		for columns, group in groups.items():
			rows = json.dumps([[d.name, *(d.get(c) for c in columns)] for d in group], default=str)
			frappe.db.sql(
				f"""update `tabComplaint` c join {_json_table(meta, ("name", *columns))} on t.name = c.name
				set {", ".join(f"c.`{col}` = t.`{col}`" for col in columns)}, c.modified = %(now)s""",
				{"rows": rows, "now": self.now},
			)

	def write_milestones(self, by_parent):
		if not by_parent:
			return
		frappe.db.sql(
			f"""delete from `tab{MILESTONE}` where parent in %(names)s and parenttype = %(parenttype)s
			and parentfield = %(parentfield)s""",
			{"names": tuple(by_parent), **ROW_PARENT},
		)
		meta = frappe.get_meta(MILESTONE)
		rows = [
			self.milestone_row(parent, idx, row)
			for parent, milestones in by_parent.items()
			for idx, row in enumerate(milestones, start=1)
		]
		fields = list(dict.fromkeys(f for row in rows for f in row))
		defaults = {f: _default(meta, f) for f in fields}
		columns = ", ".join(f"`{f}`" for f in fields)
		for start in range(0, len(rows), INSERT_CHUNK):
			chunk = json.dumps(
				[[row.get(f, defaults[f]) for f in fields] for row in rows[start : start + INSERT_CHUNK]],
				default=str,
			)
			frappe.db.sql(
				f"insert into `tab{MILESTONE}` ({columns}) select {columns} from {_json_table(meta, fields)}",
				{"rows": chunk},
			)

	def milestone_row(self, parent, idx, row):
		values = {k: v for k, v in row.items() if v is not None or k not in ROW_META}
		values.update(ROW_PARENT, parent=parent, idx=idx, modified=self.now, modified_by=frappe.session.user)
		values.setdefault("name", frappe.generate_hash(length=10))
		values.setdefault("creation", self.now)
		values.setdefault("owner", frappe.session.user)
		values.setdefault("docstatus", 0)
		return values

	def summarise(self):
		if self.errors:
			frappe.log_error(
				title=f"P3M SLA recompute: {len(self.errors)} complaints outside the calendar",
				message="\n".join(self.errors[:200]),
				reference_doctype=self.doctype,
				reference_name=self.name,
			)
		if frappe.db.exists(self.doctype, self.name):
			frappe.get_doc(
				{
					"doctype": "Comment",
					"comment_type": "Info",
					"reference_doctype": self.doctype,
					"reference_name": self.name,
					"content": _(
						"SLA recomputed: {0} open complaints checked, {1} with new deadlines, {2} outside the holiday calendar."
					).format(self.counts["checked"], self.counts["changed"], self.counts["range_errors"]),
				}
			).insert(ignore_permissions=True)


class _Complaint(frappe._dict):
	"""Just enough of a Complaint document for engine.apply, finish and swept_breaches, recording
	which fields they set (the columns to write back)."""

	def __init__(self, values, milestones):
		super().__init__(values)
		object.__setattr__(self, "written", set())
		self["sla_milestones"] = milestones

	def __setattr__(self, key, value):
		self.written.add(key)
		self[key] = value

	def append(self, field, values):
		row = frappe._dict(values)
		self[field].append(row)
		return row

	def set(self, field, value):
		self.__setattr__(field, value)


# one JSON parameter carries a whole batch: faster to send than thousands of escaped values
STANDARD_TYPES = {"creation": "datetime(6)", "modified": "datetime(6)", "docstatus": "int", "idx": "int"}


def _json_table(meta, columns) -> str:
	"""A derived table ``t`` over the JSON array of rows in the ``%(rows)s`` parameter."""
	spec = ", ".join(f"`{c}` {_column_type(meta, c)} path '$[{i}]'" for i, c in enumerate(columns))
	return f"json_table(%(rows)s, '$[*]' columns({spec})) t"


def _column_type(meta, fieldname):
	field = meta.get_field(fieldname)
	if not field:
		return STANDARD_TYPES.get(fieldname, "varchar(140)")  # name, owner, parent, ...
	kind, size = frappe.db.type_map[field.fieldtype][:2]
	return f"{kind}({size})" if size else kind


def _default(meta, fieldname):
	field = meta.get_field(fieldname)
	return 0 if field and field.fieldtype in ("Check", "Int", "Float", "Currency", "Percent") else None
