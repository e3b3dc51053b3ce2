"""Complaint names from a database sequence, so that concurrent intakes do not queue for a number.

Frappe's naming series counts in ``tabSeries`` with ``SELECT ... FOR UPDATE``: an intake holds
that row lock from naming until its commit, and every other intake waits for it. Complaint names
keep their series format (``P3M-.YYYY.-.######`` unless the naming series field says otherwise),
but the number comes from a MariaDB SEQUENCE per prefix (one for ``P3M-2026-``, the next for
``P3M-2027-``), which hands out numbers without holding a lock. A number taken by an insert that
is then rolled back is not handed out again, so names may skip numbers; they never repeat.

A prefix's sequence is made the first time it is needed, starting after the highest number that
prefix already has (names made by Frappe's series before, or before a restore). The statement that
makes it runs on a connection of its own: on the intake's connection it would commit the intake's
open transaction.
"""

import hashlib
import re

import frappe
from frappe.model.naming import parse_naming_series

DEFAULT_SERIES = "P3M-.YYYY.-.######"


def next_name(doc) -> str:
	return parse_naming_series(
		doc.get("naming_series") or DEFAULT_SERIES, doc=doc, number_generator=next_number
	)


def next_number(prefix: str, digits: int) -> str:
	sequence = sequence_name(prefix)
	try:
		number = nextval(sequence)
	except Exception as error:
		if not is_unknown_sequence(error):
			raise
		create_sequence(prefix, sequence)
		number = nextval(sequence)
	return str(number).zfill(digits)


UNKNOWN_SEQUENCE = 4091  # MariaDB's ER_UNKNOWN_SEQUENCES


def is_unknown_sequence(error: Exception) -> bool:
	return (
		frappe.db.is_table_missing(error) or (getattr(error, "args", None) or (None,))[0] == UNKNOWN_SEQUENCE
	)


def nextval(sequence: str) -> int:
	return frappe.db.sql(f"select nextval(`{sequence}`)")[0][0]


def sequence_name(prefix: str) -> str:
	"""A valid, distinct identifier for any prefix (``P3M-2026-`` and ``P3M_2026_`` differ)."""
	slug = re.sub(r"[^a-z0-9]+", "_", prefix.lower()).strip("_")[:32]
	digest = hashlib.sha1(prefix.encode(), usedforsecurity=False).hexdigest()[:8]
	return f"p3m_complaint_name_{slug}_{digest}"


def create_sequence(prefix: str, sequence: str) -> None:
	start = highest_number(prefix) + 1
	connection = frappe.database.get_db(
		host=frappe.conf.db_host,
		port=frappe.conf.db_port,
		user=frappe.conf.db_name,
		password=frappe.conf.db_password,
		cur_db_name=frappe.conf.db_name,
	)
	try:
		# "if not exists": another worker may make it at the same moment; both then use the one made
		connection.sql_ddl(f"create sequence if not exists `{sequence}` start with {start} nocache nocycle")
	finally:
		connection.close()


def highest_number(prefix: str) -> int:
	"""What Frappe's series reached for the prefix, or the highest existing name's number if that is
	higher (a restored site, names made by this module)."""
	series = frappe.db.sql("select `current` from `tabSeries` where name = %s", prefix)
	names = frappe.db.sql(
		"""select max(cast(substring(name, %(start)s) as unsigned)) from `tabComplaint`
		where name like %(pattern)s""",
		{"start": len(prefix) + 1, "pattern": like_prefix(prefix)},
	)
	return max(int(series[0][0] or 0) if series else 0, int(names[0][0] or 0) if names else 0)


def like_prefix(prefix: str) -> str:
	return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
