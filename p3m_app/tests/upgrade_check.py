"""Checks for tests/upgrade_backup.sh: what a site holds before an upgrade or a backup, and whether it
is all still there afterwards.

Runs through ``bench execute`` on the site, also under an OLDER release of the app (the script
copies this file into that release's tree), so ``attach_files`` and ``snapshot`` use only Frappe.
The snapshot keeps hashes, never an identity or tracking code in clear.

	bench --site S execute p3m_app.tests.upgrade_check.attach_files
	bench --site S execute p3m_app.tests.upgrade_check.snapshot --kwargs '{"path": "/tmp/x/before.json"}'
	bench --site S execute p3m_app.tests.upgrade_check.verify --kwargs '{"path": "...", "mode": "upgrade"}'
"""

import hashlib
import json
import os

import frappe

COMPLAINT_FIELDS = (
	"tracking_code",
	"subject",
	"workflow_state",
	"current_unit",
	"channel",
	"classification",
	"program",
	"category",
	"is_confidential",
	"reporter_name",
	"reporter_email",
	"reporter_phone",
	"reporter_id_number",
	"reporter_address",
	"caller_number",
	"social_media_account",
	"portal_user",
	"description",
	"received_at",
	"response",
)
DISPOSITION_FIELDS = (
	"complaint",
	"status",
	"from_unit",
	"to_unit",
	"instruction",
	"response",
	"return_reason",
)
IDENTITY_FIELDS = (
	"complaint",
	"reporter_name",
	"reporter_email",
	"reporter_phone",
	"reporter_id_number",
	"reporter_address",
	"participant_number",
	"caller_number",
	"social_media_account",
	"portal_user",
)
REPORTER_FIELDS = (
	"reporter_name",
	"reporter_email",
	"reporter_phone",
	"reporter_id_number",
	"reporter_address",
	"caller_number",
	"social_media_account",
	"participant_number",
)
SEALED = "Reporter Identity Sealed Text"
FINAL = ("Selesai", "Diarsipkan")
MARKER = "P3M upgrade/backup test attachment"
PUBLIC_NOTICE = "p3m-upgrade-public-notice.txt"


def _sha(value) -> str:
	return hashlib.sha256(json.dumps(value, default=str, sort_keys=True).encode()).hexdigest()[:16]


def _columns(doctype, wanted):
	present = set(frappe.db.get_table_columns(doctype))
	return [f for f in wanted if f in present]


def _rows(doctype, fields):
	cols = ", ".join(f"`{f}`" for f in ("name", *fields))
	return frappe.db.sql(f"select {cols} from `tab{doctype}` order by name", as_dict=True)


def _disk_path(file_url: str) -> str:
	if file_url.startswith("/private/files/"):
		return frappe.get_site_path("private", "files", file_url.rsplit("/", 1)[1])
	return frappe.get_site_path("public", "files", file_url.rsplit("/", 1)[1])


PHONE_FIELDS = ("reporter_phone", "caller_number")


def _value(row, fieldname):
	"""A field as compared: phone numbers in their E.164 form, which the upgrade stores (patch
	normalise_phone_numbers), so a converted number counts as kept; one it cannot read stays as is.
	The library, not the app's module: the snapshot runs on the older release's code."""
	value = row.get(fieldname)
	if fieldname not in PHONE_FIELDS or not value:
		return value
	import phonenumbers

	text = value.strip()
	if text.isdigit() and text.startswith("62") and len(text) > 10:
		text = "+" + text
	try:
		number = phonenumbers.parse(text, "ID")
	except phonenumbers.NumberParseException:
		return value
	if not phonenumbers.is_valid_number(number):
		return value
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _file_sha(path):
	if not os.path.isfile(path):
		return None
	with open(path, "rb") as f:
		return hashlib.sha256(f.read()).hexdigest()[:16]


def attach_files(count: int = 3):
	"""Private attachments on a named, a confidential and one more complaint (the older demo had
	none), so the upgrade and the restore have private files to keep."""
	picks = []
	for confidential in (0, 1, 0):
		name = frappe.db.get_value(
			"Complaint",
			{"is_confidential": confidential, "name": ["not in", picks or [""]]},
			"name",
			order_by="name",
		)
		if name:
			picks.append(name)
	for name in picks[:count]:
		file_name = f"p3m-upgrade-{frappe.scrub(name)}.txt"
		if frappe.db.exists("File", {"file_name": file_name, "attached_to_name": name}):
			continue
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": "Complaint",
				"attached_to_name": name,
				"is_private": 1,
				"content": f"{MARKER} for {name}\n".encode(),
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("File", {"file_name": PUBLIC_NOTICE}):
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": PUBLIC_NOTICE,
				"is_private": 0,
				"content": b"Pengumuman publik\n",
			}
		).insert(ignore_permissions=True)
	confidential = picks[1] if len(picks) > 1 else None
	if confidential and not frappe.db.exists("Communication", {"reference_name": confidential}):
		# a reporter's mail on a confidential complaint: the app seals it into the vault
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "pelapor.upgrade@example.invalid",
				"sender_full_name": "Pelapor Upgrade Rahasia",
				"subject": "Tambahan informasi",
				"content": "Saya Pelapor Upgrade Rahasia, telepon 081299887766, menambahkan bukti.",
				"reference_doctype": "Complaint",
				"reference_name": confidential,
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	print(f"attached private files to {len(picks[:count])} complaints, mail on {confidential}")


def collect() -> dict:
	"""Hashes of everything an upgrade or a restore must keep."""
	complaint_fields = _columns("Complaint", COMPLAINT_FIELDS)
	disposition_fields = _columns("Disposition", DISPOSITION_FIELDS)
	identity_fields = _columns("Reporter Identity", IDENTITY_FIELDS)
	complaints = _rows("Complaint", complaint_fields)
	sealed = {}
	for row in frappe.db.sql(
		f"""select parent, source_doctype, source_name, source_field, original from `tab{SEALED}`
		order by parent, source_doctype, source_name, source_field, original""",
		as_dict=True,
	):
		sealed.setdefault(row.parent, []).append(
			[row.source_doctype, row.source_name, row.source_field, row.original]
		)
	files, public_files = {}, {}
	for row in frappe.get_all(
		"File",
		filters={"is_folder": 0},
		fields=["file_url", "is_private", "attached_to_doctype", "attached_to_name", "file_name"],
	):
		if row.is_private and row.file_url:
			files[row.file_url] = {
				"sha": _file_sha(_disk_path(row.file_url)),
				"attached": f"{row.attached_to_doctype}/{row.attached_to_name}",
			}
		elif row.file_url:
			public_files[row.file_url] = _file_sha(_disk_path(row.file_url))
	open_names = [c.name for c in complaints if c.get("workflow_state") not in FINAL]
	milestones = {}
	for row in frappe.db.sql(
		"""select parent, milestone from `tabComplaint SLA Milestone`
		where parenttype = 'Complaint' order by parent, milestone""",
		as_dict=True,
	):
		milestones.setdefault(row.parent, []).append(row.milestone)
	return {
		"fields": {
			"complaint": complaint_fields,
			"disposition": disposition_fields,
			"identity": identity_fields,
		},
		"complaints": {c.name: _sha([_value(c, f) for f in complaint_fields]) for c in complaints},
		"dispositions": {
			d.name: _sha([d.get(f) for f in disposition_fields])
			for d in _rows("Disposition", disposition_fields)
		},
		"identities": {
			i.name: _sha([[_value(i, f) for f in identity_fields], sealed.get(i.name, [])])
			for i in _rows("Reporter Identity", identity_fields)
		},
		"sealed_rows": sum(len(v) for v in sealed.values()),
		"private_files": files,
		"public_files": public_files,
		"open": open_names,
		"milestones": {n: milestones.get(n, []) for n in open_names},
	}


def snapshot(path: str):
	data = collect()
	with open(path, "w") as f:
		json.dump(data, f)
	print(
		f"snapshot: {len(data['complaints'])} complaints, {len(data['dispositions'])} dispositions, "
		f"{len(data['identities'])} identities ({data['sealed_rows']} sealed texts), "
		f"{len(data['private_files'])} private files, {len(data['open'])} open"
	)


class _Table:
	def __init__(self):
		self.rows, self.failed = [], 0

	def add(self, check, before, after, ok):
		self.rows.append((check, str(before), str(after), "ok" if ok else "LOST/FAIL"))
		self.failed += not ok

	def print(self, title):
		width = max(len(r[0]) for r in self.rows)
		print(f"{title}")
		print(f"  {'check'.ljust(width)}  {'before':>8}  {'after':>8}  result")
		for check, before, after, result in self.rows:
			print(f"  {check.ljust(width)}  {before:>8}  {after:>8}  {result}")


def _same(table, label, before: dict, after: dict):
	"""Every record of ``before`` still there with the same hashed values."""
	kept = sum(1 for name, digest in before.items() if after.get(name) == digest)
	table.add(label, len(before), kept, kept == len(before))


def verify(path: str, mode: str = "upgrade"):
	"""Compare the site with the snapshot at ``path``; ``mode`` "upgrade" adds the SLA checks,
	"restore" the scan of public files. Exits 1 on any loss."""
	with open(path) as f:
		before = json.load(f)
	fields = before["fields"]
	now = _recollect(fields)
	table = _Table()
	_same(table, "complaints (name, tracking code, text, identity)", before["complaints"], now["complaints"])
	_same(table, "dispositions", before["dispositions"], now["dispositions"])
	_same(table, "reporter identities (sealed values)", before["identities"], now["identities"])
	table.add(
		"sealed texts in the vault",
		before["sealed_rows"],
		now["sealed_rows"],
		now["sealed_rows"] >= before["sealed_rows"],
	)
	files_before = before["private_files"]
	kept = sum(
		1
		for url, f in files_before.items()
		if f["sha"] and now["private_files"].get(url, {}).get("sha") == f["sha"]
	)
	table.add("private files (row + bytes on disk)", len(files_before), kept, kept == len(files_before))
	public_before = {url: sha for url, sha in before.get("public_files", {}).items() if sha}
	kept = sum(1 for url, sha in public_before.items() if sha and now["public_files"].get(url) == sha)
	table.add("public files (row + bytes on disk)", len(public_before), kept, kept == len(public_before))
	missing_before = sum(1 for f in files_before.values() if not f["sha"])
	table.add("private files missing on disk before", 0, missing_before, True)
	if mode == "upgrade":
		_sla_checks(table, before)
	else:
		_public_checks(table)
	table.print(f"{mode} check on {frappe.local.site}")
	if table.failed:
		print(f"{mode}: FAILED ({table.failed} checks)")
		raise SystemExit(1)
	print(f"{mode}: all {len(table.rows)} checks passed")


def _recollect(fields):
	"""collect(), hashing the fields the snapshot hashed (columns added since are left out)."""
	saved = COMPLAINT_FIELDS, DISPOSITION_FIELDS, IDENTITY_FIELDS
	globals().update(
		COMPLAINT_FIELDS=tuple(fields["complaint"]),
		DISPOSITION_FIELDS=tuple(fields["disposition"]),
		IDENTITY_FIELDS=tuple(fields["identity"]),
	)
	try:
		return collect()
	finally:
		globals().update(COMPLAINT_FIELDS=saved[0], DISPOSITION_FIELDS=saved[1], IDENTITY_FIELDS=saved[2])


def _sla_checks(table, before):
	from p3m_app.patches.recompute_upgraded_slas import stale_open

	counts = stale_open()
	table.add(
		"open complaints under a policy",
		len(before["open"]),
		counts["with_policy"],
		counts["with_policy"] == len(before["open"]),
	)
	table.add("open complaints with stale deadlines", 0, counts["stale"], counts["stale"] == 0)
	table.add("open complaints outside the calendar", 0, counts["range_errors"], counts["range_errors"] == 0)
	policy_milestones = {}
	for row in frappe.get_all(
		"SLA Policy Milestone", filters={"parenttype": "SLA Policy"}, fields=["parent", "milestone"]
	):
		policy_milestones.setdefault(row.parent, set()).add(row.milestone)
	open_rows = frappe.get_all(
		"Complaint",
		filters={"workflow_state": ["not in", FINAL]},
		fields=["name", "sla_policy", "sla_current_due", "sla_status", "paused_since"],
	)
	rows = {}
	for row in frappe.get_all(
		"Complaint SLA Milestone",
		filters={"parenttype": "Complaint"},
		fields=["parent", "milestone", "escalate_to", "escalate"],
	):
		rows.setdefault(row.parent, []).append(row)
	complete = sum(
		1
		for c in open_rows
		if {r.milestone for r in rows.get(c.name, [])} == policy_milestones.get(c.sla_policy)
	)
	table.add(
		"open: one milestone row per policy milestone", len(open_rows), complete, complete == len(open_rows)
	)
	changed = sum(
		1
		for c in open_rows
		if sorted(r.milestone for r in rows.get(c.name, [])) != before["milestones"].get(c.name)
	)
	table.add("open: milestone set changed by the new engine", "-", changed, True)
	targets = sum(
		1 for c in open_rows for r in rows.get(c.name, []) if r.escalate in ("Unit Level", "Named Unit")
	)
	named = sum(
		1
		for c in open_rows
		for r in rows.get(c.name, [])
		if r.escalate in ("Unit Level", "Named Unit") and r.escalate_to
	)
	table.add("open: level/unit escalations naming a target", targets, named, named == targets)
	due = sum(
		1 for c in open_rows if c.sla_current_due or c.paused_since or c.sla_status in ("Met", "Breached")
	)
	table.add(
		"open: current deadline set (or paused/met/breached)", len(open_rows), due, due == len(open_rows)
	)
	received = frappe.db.count(
		"Complaint", {"workflow_state": ["not in", FINAL], "level_received_at": ["is", "set"]}
	)
	table.add("open: holding level's receipt backfilled", "-", received, True)


def _reporter_strings():
	values = set()
	for doctype, fields in (("Reporter Identity", REPORTER_FIELDS), ("Complaint", REPORTER_FIELDS)):
		for row in frappe.db.sql(
			f"select {', '.join(f'`{f}`' for f in _columns(doctype, fields))} from `tab{doctype}`",
			as_list=True,
		):
			values.update(str(v).strip() for v in row if v and len(str(v).strip()) >= 6)
	originals = frappe.db.sql(f"select original from `tab{SEALED}` where length(original) >= 6", pluck=True)
	values.update(str(v).strip() for v in originals)
	return values


def _public_checks(table):
	"""Nothing private in public files: no File row of a complaint's records public, and no file in
	public/files named like a private file, with a private file's bytes or holding a reporter string."""
	public_rows = frappe.db.count(
		"File",
		{
			"is_private": 0,
			"is_folder": 0,
			"attached_to_doctype": [
				"in",
				(
					"Complaint",
					"Reporter Identity",
					"Disposition",
					"Communication",
					"Master Data Correction Request",
				),
			],
		},
	)
	table.add("public File rows of complaint records", 0, public_rows, public_rows == 0)
	private = frappe.get_all(
		"File", filters={"is_private": 1, "is_folder": 0}, fields=["file_name", "file_url"]
	)
	private_names = {os.path.basename(f.file_url or "") for f in private} | {f.file_name for f in private}
	private_shas = {_file_sha(_disk_path(f.file_url)) for f in private if f.file_url} - {None}
	strings = [s.encode() for s in _reporter_strings()]
	root = frappe.get_site_path("public", "files")
	scanned = named = same_bytes = with_identity = 0
	for folder, _dirs, names in os.walk(root):
		for name in names:
			full = os.path.join(folder, name)
			scanned += 1
			named += name in private_names
			with open(full, "rb") as f:
				data = f.read()
			same_bytes += hashlib.sha256(data).hexdigest()[:16] in private_shas
			with_identity += any(s in data for s in strings) or MARKER.encode() in data
	table.add(f"public files scanned ({len(strings)} reporter strings)", "-", scanned, True)
	table.add("public files named like a private file", 0, named, named == 0)
	table.add("public files with a private file's bytes", 0, same_bytes, same_bytes == 0)
	table.add("public files holding a reporter string", 0, with_identity, with_identity == 0)
