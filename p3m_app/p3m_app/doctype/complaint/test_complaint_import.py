"""Historic complaints come in through Frappe's Data Import with the documented template."""

from pathlib import Path

import frappe
from frappe.core.doctype.data_import.data_import import DataImport
from frappe.tests.utils import FrappeTestCase

from p3m_app.tests import factories as f

TEMPLATE = Path(__file__).resolve().parents[4] / "docs" / "complaint_import_template.csv"


class TestComplaintImport(FrappeTestCase):
	def setUp(self):
		f.make_world()

	def test_template_imports_historic_complaints(self):
		content = TEMPLATE.read_text(encoding="utf-8").replace("Bantuan PKH belum cair", "Impor uji PKH")
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "complaints.csv", "content": content, "is_private": 1}
		).insert(ignore_permissions=True)
		data_import: DataImport = frappe.get_doc(
			{
				"doctype": "Data Import",
				"reference_doctype": "Complaint",
				"import_type": "Insert New Records",
				"import_file": file.file_url,
			}
		).insert(ignore_permissions=True)
		data_import.start_import()
		data_import.reload()
		errors = frappe.get_all(
			"Data Import Log", filters={"data_import": data_import.name, "success": 0}, pluck="messages"
		)
		self.assertEqual(errors, [])
		self.assertEqual(data_import.status, "Success")

		closed = frappe.get_doc("Complaint", {"subject": "Impor uji PKH"})
		self.assertEqual((closed.channel, closed.workflow_state), ("Letter", "Selesai"))
		self.assertEqual(closed.letter_number, "045/RT03/IX/2025")
		self.assertTrue(closed.tracking_code)
		anonymous = frappe.get_doc("Complaint", {"subject": "Antrean layanan lama"})
		self.assertTrue(anonymous.is_anonymous)
		self.assertFalse(anonymous.reporter_name)
