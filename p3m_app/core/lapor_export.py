"""What goes back to SP4N-LAPOR!: one row per report, its status mapped back, the answer, the dates
and the handling unit (what slide 26 of seed 002 monitors: status and follow-up of each report).
Built from a handful of complaint fields only, so no identity can reach the file."""

import csv
import io
from datetime import datetime

from p3m_app.core.lapor_rules import normal_header

# what goes back to LAPOR!: no identity, ever
EXPORT_HEADERS = (
	"ID Tracking",
	"Status",
	"Tanggapan",
	"Tanggal Laporan",
	"Tanggal Tanggapan",
	"Tanggal Update",
	"Unit Penanganan",
)


def export_row(complaint: dict, status_out: dict[str, str], answer_text: str) -> list:
	state = complaint.get("workflow_state") or ""
	return [
		complaint.get("lapor_tracking_id") or "",
		status_out.get(normal_header(state), state),
		answer_text,
		format_moment(complaint.get("received_at")),
		format_moment(complaint.get("answered_at")),
		format_moment(complaint.get("modified")),
		complaint.get("current_unit") or "",
	]


def format_moment(value) -> str:
	if isinstance(value, datetime):
		return value.strftime("%Y-%m-%d %H:%M:%S")
	return str(value or "")


def write_csv(rows: list[list]) -> bytes:
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow(EXPORT_HEADERS)
	writer.writerows([[neutralised(c) for c in row] for row in rows])
	return out.getvalue().encode("utf-8-sig")


def neutralised(value):
	"""A cell a spreadsheet would run as a formula is written as text."""
	if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
		return "'" + value
	return value
