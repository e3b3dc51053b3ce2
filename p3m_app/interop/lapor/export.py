"""The file an admin uploads to SP4N-LAPOR!: status and answer of the reports that came from it.

One row per complaint from LAPOR! held in the admin's units and changed since a date: LAPOR!
tracking ID, the status mapped back (LAPOR Settings), the answer once given, the dates and the
handling unit. Nothing else of the complaint is read, so no identity can reach the file; a
confidential report's answer is stored already masked (p3m_app.identity).
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime
from frappe.utils.xlsxutils import make_xlsx

from p3m_app.core import lapor_export, portal_rules
from p3m_app.interop.lapor import access, settings
from p3m_app.p3m_app.report import common

# the only complaint fields the export reads
FIELDS = (
	"lapor_tracking_id",
	"workflow_state",
	"response",
	"received_at",
	"answered_at",
	"modified",
	"current_unit",
)
MAX_ROWS = 50000


@frappe.whitelist(methods=["GET"])
def download(since: str | None = None, unit: str | None = None, file_format: str = "xlsx") -> None:
	"""Send the export as a file (admins only, within their units)."""
	content, filename = build(since, unit, file_format)
	frappe.response["type"] = "binary"
	frappe.response["filename"] = filename
	frappe.response["filecontent"] = content


def build(since: str | None, unit: str | None, file_format: str) -> tuple[bytes, str]:
	access.check_admin(unit)
	if file_format not in ("xlsx", "csv"):
		frappe.throw(_("Choose the format xlsx or csv."), title=_("Invalid Filter"))
	try:
		since_at = get_datetime(getdate(since)) if since else None
	except Exception:
		frappe.throw(
			_("{0} is not a date.").format(frappe.utils.escape_html(str(since)[:40])),
			title=_("Invalid Filter"),
		)
	status_out = settings.status_out()
	rows = [
		lapor_export.export_row(c, status_out, answer_text(c))
		for c in complaints(since_at, common.view_bounds(unit))
	]
	stamp = now_datetime().strftime("%Y%m%d-%H%M")
	if file_format == "csv":
		return lapor_export.write_csv(rows), f"lapor-tindak-lanjut-{stamp}.csv"
	data = [list(lapor_export.EXPORT_HEADERS)] + [[lapor_export.neutralised(c) for c in r] for r in rows]
	return make_xlsx(data, "LAPOR").getvalue(), f"lapor-tindak-lanjut-{stamp}.xlsx"


def complaints(since_at, bounds) -> list[dict]:
	"""Complaints from LAPOR! in the viewer's reach changed since ``since_at`` (one query)."""
	if bounds is not None and not bounds:
		return []
	values = {"since": since_at}
	scope = common.scope_sql("c.current_unit", bounds)
	since_sql = " and c.modified >= %(since)s" if since_at else ""
	columns = ", ".join(f"c.`{f}`" for f in FIELDS)
	return frappe.db.sql(
		f"""select {columns} from `tabComplaint` c
		where c.from_lapor = 1 and c.lapor_tracking_id is not null {since_sql} {scope}
		order by c.modified asc limit {MAX_ROWS}""",
		values,
		as_dict=True,
	)


def answer_text(complaint: dict) -> str:
	"""The answer once it was given (a draft response is not sent to LAPOR!)."""
	if not complaint.get("answered_at"):
		return ""
	return portal_rules.html_to_text(complaint.get("response") or "")
