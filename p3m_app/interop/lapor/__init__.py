"""SP4N-LAPOR! exchange by file: import the agency's LAPOR! export, export status and answers back.

- ``settings``: the column and status maps (LAPOR Settings), shipped defaults created on migrate;
- ``importer``: a LAPOR Import turns a CSV/XLSX into complaints keyed by ``lapor_tracking_id``;
- ``export``: the file an admin uploads to LAPOR! (status, answer, dates, unit; never identity);
- ``access``: who reads and runs imports (admins, within their units);
- ``demo``: one imported report for the demo.
The rules themselves are pure (``p3m_app.core.lapor_rules``).
"""

# complaint fields only an import writes
COMPLAINT_FIELDS = frozenset(
	{"from_lapor", "lapor_tracking_id", "lapor_status", "lapor_disposition_path", "lapor_digest"}
)
