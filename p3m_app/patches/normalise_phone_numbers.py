"""Phone numbers stored before they were parsed become E.164 (p3m_app.core.phone): 5,000 rows a
batch, one UPDATE per field and batch. A number that cannot be converted without loss stays as it
was; the patch prints how many and lists where they are (record and field, never the number, which
is a reporter's identity) in one Error Log, so an officer can correct them."""

import re

import frappe

BATCH = 5000
FIELDS = {
	"Complaint": ("reporter_phone", "caller_number"),
	"Reporter Identity": ("reporter_phone", "caller_number"),
	"Unit": ("contact_phone",),
}
E164 = "^[+][1-9][0-9]{6,14}$"
LISTED = 2000


def execute():
	kept = []
	converted = 0
	for doctype, fields in FIELDS.items():
		fields = [f for f in fields if frappe.db.has_column(doctype, f)]
		if fields:
			done, left = normalise_table(doctype, fields)
			converted += done
			kept += left
	print(f"P3M phone numbers: {converted} converted to E.164, {len(kept)} kept as written")
	if kept:
		lines = [f"{doctype} {name}: {field}" for doctype, name, field in kept[:LISTED]]
		if len(kept) > LISTED:
			lines.append(f"... and {len(kept) - LISTED} more")
		frappe.log_error(
			title="P3M phone numbers kept as written",
			message="These numbers could not be read as phone numbers and were left unchanged; "
			"correct them on the record:\n" + "\n".join(lines),
		)


def normalise_table(doctype: str, fields: list[str]) -> tuple[int, list[tuple]]:
	from p3m_app.core import phone

	table = f"`tab{doctype}`"
	not_e164 = " or ".join(
		f"(`{f}` is not null and `{f}` != '' and `{f}` not regexp %(e164)s)" for f in fields
	)
	columns = ", ".join(f"`{f}`" for f in fields)
	converted, kept, last = 0, [], ""
	while True:
		rows = frappe.db.sql(
			f"""select name, {columns} from {table} where name > %(last)s and ({not_e164})
			order by name limit %(batch)s""",
			{"last": last, "e164": E164, "batch": BATCH},
			as_dict=True,
		)
		if not rows:
			return converted, kept
		last = rows[-1].name
		for field in fields:
			changes = {}
			for row in rows:
				value = row.get(field)
				if not value or re.match(E164, value):
					continue
				new = phone.stored_form(value)
				if new == value:
					kept.append((doctype, row.name, field))
				else:
					changes[row.name] = new
			if changes:
				set_values(table, field, changes)
				converted += len(changes)


def set_values(table: str, field: str, changes: dict) -> None:
	"""One UPDATE for the batch: each row gets its own converted number."""
	cases = " ".join(["when %s then %s"] * len(changes))
	params = [v for pair in changes.items() for v in pair]
	frappe.db.sql(
		f"update {table} set `{field}` = case name {cases} end where name in %s",
		(*params, tuple(changes)),
	)
