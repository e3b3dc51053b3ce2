"""One report imported from SP4N-LAPOR! for the demo (sample/lapor_export_contoh.csv).

``bench --site SITE execute p3m_app.interop.lapor.demo.import_demo_file``: imports the sample
file as the Administrator into the root unit; running it again changes nothing.
"""

from pathlib import Path

import frappe

from p3m_app.interop.lapor import importer

SAMPLE = Path(__file__).resolve().parent / "sample" / "lapor_export_contoh.csv"
TRACKING_ID = "LAPOR-DEMO-0001"


def import_demo_file() -> str | None:
	"""The demo's LAPOR!-imported complaint (created once)."""
	existing = frappe.db.get_value("Complaint", {"lapor_tracking_id": TRACKING_ID})
	if existing:
		return existing
	root = frappe.db.get_value(
		"Unit", {"parent_unit": ("is", "not set"), "is_active": 1, "unit_type": "Complaint Unit"}
	)
	if not root:
		return None
	file = frappe.get_doc(
		{"doctype": "File", "file_name": SAMPLE.name, "content": SAMPLE.read_bytes(), "is_private": 1}
	).insert(ignore_permissions=True)
	doc = frappe.get_doc({"doctype": "LAPOR Import", "unit": root, "import_file": file.file_url})
	doc.insert(ignore_permissions=True)
	importer.run(doc.name)
	frappe.db.commit()
	return frappe.db.get_value("Complaint", {"lapor_tracking_id": TRACKING_ID})
