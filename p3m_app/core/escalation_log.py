"""The escalation log the SLA sweep appends to a complaint: one line "milestone|due at|escalated to".

One definition for the sweep that writes it, the engine and timeline that read it, and the reports
that count it.
"""

from datetime import datetime

SEPARATOR = "|"
# the due-at format, as MariaDB's date_format writes it and as Python's strftime reads it
SQL_DUE_FORMAT = "%Y-%m-%d %H:%i:%s.%f"
DUE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def parse(log: str | None) -> list[tuple[str, str, str]]:
	"""(milestone, due at as written, escalated to) per escalation, oldest first; junk lines skipped."""
	entries = []
	for line in (log or "").splitlines():
		parts = line.split(SEPARATOR)
		if len(parts) == 3 and parts[0]:
			entries.append((parts[0], parts[1], parts[2]))
	return entries


def due_key(due_at: datetime | None) -> str:
	return due_at.strftime(DUE_FORMAT) if due_at else ""
