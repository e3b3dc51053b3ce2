"""What the load test changes on its site, and how it puts everything back.

- the portal's rate limits are raised and the scheduler enabled for the run, then restored;
- the SLA state of every open or answered complaint is copied to a table before the run and
  written back after it (the sweeps of the run escalate real rows of the 1M dataset);
- a desk officer of one province is created for the run and removed after it;
- the complaints, files, mails and queue rows the run made are deleted.
"""

import json
import os
import time

import frappe
from frappe.installer import update_site_config
from frappe.utils import get_datetime

from p3m_app import roles
from p3m_app.core import workflow_rules as wf

LIMITS = ("p3m_portal_submit_limit", "p3m_portal_track_limit")
SNAPSHOT = "p3m_load_sla_snapshot"
SLA_COLUMNS = (
	"sla_status",
	"sla_current_due",
	"sla_due_soon_at",
	"escalation_level",
	"escalated_to_national",
	"escalated_to_admins",
	"escalated_to_unit",
	"sla_escalations",
	"sla_sweep_token",
	"workflow_state",
	"closed_at",
	"autoclose_at",
	"modified",
)
OFFICER = "p3m.load.officer@p3m.test"
OFFICER_PASSWORD = "P3m-Load-2026!"
OFFICER_UNIT = "BM Provinsi 00"
# rows the run's mails, notifications and jobs leave behind, deleted by creation time
RUN_LOGS = ("Email Queue", "Notification Log", "Unhandled Email")


class SiteState:
	"""The settings before the run, kept in a file beside the site's config until they are put
	back, so a run that died (MariaDB gone, driver killed) is cleaned up by the next one."""

	def __init__(self):
		self.path = frappe.get_site_path("p3m_load_state.json")
		if os.path.exists(self.path):
			with open(self.path) as f:
				saved = json.load(f)
		else:
			saved = {
				"limits": {k: frappe.conf.get(k) for k in LIMITS},
				"scheduler": frappe.db.get_single_value("System Settings", "enable_scheduler") or 0,
				"started": str(frappe.utils.now_datetime()),
				"tags": [],
			}
		self.saved = saved

	def prepare(self, tag: str) -> None:
		if self.saved["tags"]:
			print(f"a previous run did not finish: restoring the site first ({self.saved['tags']})")
			self.restore()
		self.saved["tags"] = [tag]
		self.saved["started"] = str(frappe.utils.now_datetime())
		with open(self.path, "w") as f:
			json.dump(self.saved, f)
		take_sla_snapshot()
		for key in LIMITS:
			update_site_config(key, 1_000_000)
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		make_officer()
		frappe.db.commit()

	def restore(self) -> None:
		reconnect()
		restore_sla_snapshot()
		for key, value in self.saved["limits"].items():
			update_site_config(key, value if value is not None else "None")
		frappe.db.set_single_value("System Settings", "enable_scheduler", self.saved["scheduler"])
		removed = [delete_run_records(tag, self.saved["started"]) for tag in self.saved["tags"]]
		remove_officer()
		frappe.db.commit()
		self.saved["tags"] = []
		os.remove(self.path)
		print(
			f"site restored: SLA state of open complaints, rate limits, scheduler; removed {'; '.join(removed)}"
		)


def reconnect(seconds: int = 300) -> None:
	"""After a MariaDB restart the driver's own connection is gone; wait until it is back."""
	deadline = time.monotonic() + seconds
	while True:
		try:
			frappe.db.sql("select 1")
			return
		except Exception:
			if time.monotonic() > deadline:
				raise
		try:
			frappe.db.connect()
		except Exception:
			time.sleep(2)


def take_sla_snapshot() -> None:
	"""Open and answered complaints: the rows a sweep may change (it never reopens a closed one)."""
	final = ", ".join(frappe.db.escape(state) for state in sorted(wf.FINAL_STATES))
	frappe.db.sql_ddl(f"drop table if exists `{SNAPSHOT}`")
	frappe.db.sql_ddl(
		f"""create table `{SNAPSHOT}` (primary key (name)) as
		select name, {", ".join(SLA_COLUMNS)} from `tabComplaint` where workflow_state not in ({final})"""
	)


def restore_sla_snapshot(chunk: int = 5000) -> None:
	"""Write back the rows the run changed (a sweep always sets `modified`), a chunk per commit."""
	if not frappe.db.sql("show tables like %s", SNAPSHOT):
		return
	names = frappe.db.sql_list(
		f"""select s.name from `{SNAPSHOT}` s join `tabComplaint` c on c.name = s.name
		where not (c.modified <=> s.modified)"""
	)
	assignments = ", ".join(f"c.`{column}` = s.`{column}`" for column in SLA_COLUMNS)
	for start in range(0, len(names), chunk):
		frappe.db.sql(
			f"""update `tabComplaint` c join `{SNAPSHOT}` s on s.name = c.name set {assignments}
			where s.name in %(names)s""",
			{"names": tuple(names[start : start + chunk])},
		)
		frappe.db.commit()
	frappe.db.sql_ddl(f"drop table `{SNAPSHOT}`")


def make_officer() -> None:
	if not frappe.db.exists("User", OFFICER):
		frappe.get_doc(
			{"doctype": "User", "email": OFFICER, "first_name": "Load Officer", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", OFFICER)
	user.new_password = OFFICER_PASSWORD
	user.add_roles(roles.OFFICER)
	unit = frappe.get_doc("Unit", OFFICER_UNIT)
	if not any(row.user == OFFICER for row in unit.officers):
		unit.append("officers", {"user": OFFICER, "role_in_unit": "Officer", "receives_assignments": 0})
		unit.save(ignore_permissions=True)


def remove_officer() -> None:
	if frappe.db.exists("Unit", OFFICER_UNIT):
		unit = frappe.get_doc("Unit", OFFICER_UNIT)
		unit.officers = [row for row in unit.officers if row.user != OFFICER]
		unit.save(ignore_permissions=True)
	for doctype, field in (
		("Notification Log", "for_user"),
		("Activity Log", "user"),
		("Access Log", "user"),
		("ToDo", "allocated_to"),
	):
		frappe.db.delete(doctype, {field: OFFICER})
	frappe.db.sql("delete from `tabSessions` where user = %s", OFFICER)
	# rows, not delete_doc: Frappe refuses to delete a user while no System Manager but the
	# Administrator exists, which is the case on a benchmark site
	contacts = frappe.get_all("Contact", filters={"email_id": OFFICER}, pluck="name")
	for doctype, field, value in (
		("Contact Email", "parent", contacts),
		("Contact", "name", contacts),
		("Has Role", "parent", [OFFICER]),
		("DefaultValue", "parent", [OFFICER]),
		("User Email", "parent", [OFFICER]),
		("Notification Settings", "name", [OFFICER]),
		("User", "name", [OFFICER]),
	):
		if value:
			frappe.db.delete(doctype, {field: ("in", value)})
	frappe.db.sql("delete from `__Auth` where doctype = 'User' and name = %s", OFFICER)
	frappe.clear_cache(user=OFFICER)


def officer_complaints(count: int = 200) -> list[str]:
	"""Complaints the officer reads: those of the districts under its province."""
	return frappe.db.sql_list(
		"""select c.name from `tabComplaint` c join `tabUnit` u on u.name = c.current_unit
		where u.parent_unit = %s and c.name like 'BM-%%' order by c.name limit %s""",
		(OFFICER_UNIT, count),
	)


def run_complaints(tag: str) -> list[str]:
	return frappe.db.sql_list(
		"""select name from `tabComplaint` where subject like %(subject)s or reporter_email like %(mail)s""",
		{"subject": f"[{tag}]%", "mail": f"%@{tag}.example.org"},
	) + frappe.db.sql_list(
		"""select complaint from `tabReporter Identity` where reporter_email like %(mail)s""",
		{"mail": f"%@{tag}.example.org"},
	)


def delete_run_records(tag: str, started: str) -> str:
	names = sorted(set(run_complaints(tag)))
	files = 0
	for start in range(0, len(names), 500):
		batch = names[start : start + 500]
		files += delete_files(batch)
		identities = frappe.get_all("Reporter Identity", filters={"complaint": ("in", batch)}, pluck="name")
		if identities:
			frappe.db.delete("Reporter Identity Sealed Text", {"parent": ("in", identities)})
			frappe.db.delete("Reporter Identity", {"name": ("in", identities)})
		for doctype, field in (
			("Complaint SLA Milestone", "parent"),
			("Complaint Step Progress", "parent"),
			("Disposition", "complaint"),
			("ToDo", "reference_name"),
			("Communication", "reference_name"),
			("Comment", "reference_name"),
			("Version", "docname"),
			("Email Queue", "reference_name"),
			("Complaint", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", batch)})
	frappe.db.delete("Communication", {"sender": ("like", f"%@{tag}.example.org")})
	queued = 0
	for doctype in RUN_LOGS:
		queued += frappe.db.count(doctype, {"creation": (">=", get_datetime(started))})
		frappe.db.delete(doctype, {"creation": (">=", get_datetime(started))})
	frappe.db.sql(
		"delete from `tabEmail Queue Recipient` where parent not in (select name from `tabEmail Queue`)"
	)
	return f"{len(names)} complaints, {files} files, {queued} queued mails/notifications/unhandled mails"


def delete_files(complaints: list[str]) -> int:
	"""Files on the complaints, their sealed identities and their mails, from the table and the disk."""
	mails = frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Complaint", "reference_name": ("in", complaints)},
		pluck="name",
	)
	rows = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": ("in", ["Complaint", "Reporter Identity", "Communication"]),
			"attached_to_name": ("in", complaints + mails),
		},
		fields=["name", "file_url"],
	)
	for row in rows:
		url = row.file_url or ""
		if url.startswith("/private/files/") or url.startswith("/files/"):
			folder = "private" if url.startswith("/private/") else "public"
			path = frappe.get_site_path(folder, "files", url.rsplit("/", 1)[-1])
			if os.path.isfile(path):
				os.remove(path)
	if rows:
		frappe.db.delete("File", {"name": ("in", [r.name for r in rows])})
	return len(rows)


def recover() -> None:
	"""Put back what a run that died left on the site (bench execute ...site_state.recover)."""
	frappe.set_user("Administrator")
	state = SiteState()
	if state.saved["tags"]:
		state.restore()
	else:
		restore_sla_snapshot()
		print("nothing to recover")
