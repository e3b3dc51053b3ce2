"""Which month the monthly report covers, who receives it, and whether a unit's report still has
to go out.

Pedoman PKH (seed 004, lines 360-363): "Memberikan laporan perkembangan pemantauan pengaduan dan
penanganannya setiap bulan kepada Tim Teknis Pusat. Laporan tersebut setidaknya memuat jenis
pengaduan, lokasi, frekuensinya, dan menggarisbawahi kasus pengaduan yang perlu mendapatkan
perhatian khusus." On the 1st of a month the previous month's report goes to each unit's
recipients, once: a dispatch already sent is never sent again.
"""

import re
from datetime import date, timedelta

from p3m_app.core.errors import RuleViolation, _

PENDING, SENT, FAILED = "Preparing", "Sent", "Failed"
STATUSES = (PENDING, SENT, FAILED)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def report_month(today: date) -> str:
	""" "YYYY-MM" of the month before ``today``'s: the 1st of December reports November."""
	last = today.replace(day=1) - timedelta(days=1)
	return last.strftime("%Y-%m")


def should_send(status: str | None) -> bool:
	"""A unit's report for a month goes out unless it already went (pending or failed is retried)."""
	return status != SENT


def check_recipients(rows: list[dict]) -> None:
	"""Each row names a user or an e-mail address (a valid one), and no address twice per report."""
	seen = set()
	for index, row in enumerate(rows, start=1):
		user, email = (row.get("user") or "").strip(), (row.get("email") or "").strip()
		if not user and not email:
			raise RuleViolation(
				_("Report recipient row {row}: choose a user or enter an e-mail."), row=str(index)
			)
		if email and not EMAIL.match(email):
			raise RuleViolation(
				_("Report recipient row {row}: {email} is not an e-mail address."),
				row=str(index),
				email=email,
			)
		key = (row.get("report"), (email or user).casefold())
		if key in seen:
			raise RuleViolation(
				_("Report recipient row {row}: {recipient} is already listed for this report."),
				row=str(index),
				recipient=email or user,
			)
		seen.add(key)


def addresses(rows: list[tuple], user_emails: dict) -> list[str]:
	"""Mail addresses of the active rows, in order, each once. ``rows``: (user, email, active);
	``user_emails``: user -> the address on the User record (a disabled user has none)."""
	result, seen = [], set()
	for user, email, active in rows:
		if not int(active or 0):
			continue
		address = (email or "").strip() or (user_emails.get(user) or "").strip()
		if address and address.casefold() not in seen:
			seen.add(address.casefold())
			result.append(address)
	return result


def file_stem(report: str, unit: str, period: str) -> str:
	"""A file name safe on every mail client: letters, digits, dashes."""
	text = f"{report} {unit} {period}"
	return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
