"""Historic complaints come in through Frappe's Data Import with the documented template.

Frappe's import starts every document in the workflow's first state, and commits row by row,
so this test gives its rows a unique subject and deletes them at the end.
"""

from pathlib import Path

import frappe
from frappe.core.doctype.data_import.data_import import DataImport
from frappe.tests.utils import FrappeTestCase

from p3m_app.tests import factories as f

TEMPLATE = Path(__file__).resolve().parents[4] / "docs" / "complaint_import_template.csv"


class TestComplaintImport(FrappeTestCase):
	def setUp(self):
		f.make_world()

	def tearDown(self):
		f.purge_complaints({"subject": ("like", f"%{self.run}%")})

	def test_template_imports_historic_complaints(self):
		self.run = frappe.generate_hash(length=8)
		content = (
			TEMPLATE.read_text(encoding="utf-8")
			.replace("Bantuan PKH belum cair", f"Impor uji PKH {self.run}")
			.replace("Antrean layanan lama", f"Antrean layanan lama {self.run}")
		)
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
		frappe.db.commit()  # the import job rolls back on error; keep the Data Import to read its log
		data_import.start_import()
		data_import.reload()
		errors = frappe.get_all(
			"Data Import Log", filters={"data_import": data_import.name, "success": 0}, pluck="messages"
		)
		self.assertEqual(errors, [])
		self.assertEqual(data_import.status, "Success")

		letter = frappe.get_doc("Complaint", {"subject": f"Impor uji PKH {self.run}"})
		self.assertEqual((letter.channel, letter.workflow_state), ("Letter", "Baru"))
		self.assertEqual(str(letter.received_at), "2025-09-02 09:15:00")
		self.assertEqual(letter.letter_number, "045/RT03/IX/2025")
		self.assertTrue(letter.tracking_code)
		anonymous = frappe.get_doc("Complaint", {"subject": f"Antrean layanan lama {self.run}"})
		self.assertTrue(anonymous.is_anonymous)
		self.assertFalse(anonymous.reporter_name)
