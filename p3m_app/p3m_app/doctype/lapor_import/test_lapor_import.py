# Copyright (c) 2026, p3m_app developers
# License: MIT. See license.txt
"""The SP4N-LAPOR! round trip: import a LAPOR! export (CSV and XLSX), import it again, import a
newer one, export status and answers back; who may do it; bad files and rows."""

import csv
import io

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, today

from p3m_app import roles
from p3m_app.handling import act
from p3m_app.interop.lapor import export, importer
from p3m_app.p3m_app.report.rekapitulasi_pengaduan.rekapitulasi_pengaduan import execute as recap
from p3m_app.tests import factories as f
from p3m_app.tests.leak.transport import Request, send_all

HEADERS = ["ID Tracking", "Tanggal Laporan", "Judul", "Isi Laporan", "Kategori", "Status", "Disposisi"]
HEADERS += ["Anonim", "Rahasia", "Nama Pelapor", "No. Telepon", "Sumber"]
DAY = add_days(today(), -3)
NAMED, ANONYMOUS, SECRET = "LAP-T-0001", "LAP-T-0002", "LAP-T-0003"
SECRET_NAME, SECRET_PHONE = "Rini Rahasia Wulandari", "081377788899"


def report(tracking_id, **overrides):
	values = {
		"ID Tracking": tracking_id,
		"Tanggal Laporan": f"{DAY} 09:30",
		"Judul": "Bantuan tidak cair",
		"Isi Laporan": "Bantuan tahap tiga belum diterima.",
		"Kategori": "T Pembayaran",
		"Status": "Didisposisikan",
		"Disposisi": "Kementerian PANRB > Kab A1 (T)",
		"Anonim": "Tidak",
		"Rahasia": "Tidak",
		"Nama Pelapor": "Budi Lapor Santoso",
		"No. Telepon": "081211122233",
		"Sumber": "SMS 1708",
	}
	values.update(overrides)
	return [values[h] for h in HEADERS]


def first_file(**named_overrides):
	return [
		report(NAMED, **named_overrides),
		report(ANONYMOUS, Anonim="Ya", Status="Belum Terverifikasi", Disposisi=""),
		report(SECRET, Rahasia="Ya", **{"Nama Pelapor": SECRET_NAME, "No. Telepon": SECRET_PHONE}),
		report("LAP-T-0004", **{"Tanggal Laporan": "kemarin sore"}),
	]


def as_csv(rows, headers=HEADERS) -> bytes:
	out = io.StringIO()
	csv.writer(out).writerows([headers, *rows])
	return out.getvalue().encode("utf-8")


def as_xlsx(rows) -> bytes:
	from openpyxl import Workbook

	book = Workbook()
	sheet = book.active
	sheet.append(HEADERS)
	for row in rows:
		# dates as Excel date cells, as LAPOR!'s Excel export has them
		sheet.append([get_datetime(c) if i == 1 else c for i, c in enumerate(row)])
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


def upload(content: bytes, file_name="lapor.csv", unit=f.PROV_A, user=f.ADMIN_A) -> str:
	"""A LAPOR Import as the admin makes it in the desk: a private file, then the import."""
	frappe.set_user(user)
	try:
		file = frappe.get_doc(
			{"doctype": "File", "file_name": file_name, "content": content, "is_private": 1}
		).insert()
		return (
			frappe.get_doc({"doctype": "LAPOR Import", "import_file": file.file_url, "unit": unit})
			.insert()
			.name
		)
	finally:
		frappe.set_user("Administrator")


def start(name, user=f.ADMIN_A):
	frappe.set_user(user)
	try:
		importer.start(name)
	finally:
		frappe.set_user("Administrator")
	return frappe.get_doc("LAPOR Import", name)


def counts(doc) -> tuple:
	return (doc.created_count, doc.updated_count, doc.unchanged_count, doc.failed_count)


def complaint(tracking_id):
	return frappe.get_doc("Complaint", {"lapor_tracking_id": tracking_id})


class TestLaporImport(FrappeTestCase):
	def setUp(self):
		f.make_world()
		frappe.local.lang = "en"
		# FrappeTestCase rolls back per class; each test here starts from no imported report
		frappe.db.savepoint("lapor_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "en"
		frappe.db.rollback(save_point="lapor_test")

	def test_csv_import_keeps_the_tracking_id_and_follows_the_identity_flags(self):
		doc = start(upload(as_csv(first_file())))
		self.assertEqual((doc.status, *counts(doc)), ("Done", 3, 0, 0, 1))

		named = complaint(NAMED)
		self.assertEqual((named.from_lapor, named.channel, named.category), (1, "SMS", "T Pembayaran"))
		self.assertEqual(named.current_unit, f.KAB_A1, "the disposition path names the handling unit")
		self.assertEqual(named.workflow_state, "Verifikasi", "Didisposisikan maps to Verifikasi")
		self.assertEqual((named.reporter_name, named.lapor_status), ("Budi Lapor Santoso", "Didisposisikan"))
		self.assertEqual(str(named.received_at), f"{DAY} 09:30:00")

		anonymous = complaint(ANONYMOUS)
		self.assertTrue(anonymous.is_anonymous)
		self.assertFalse(anonymous.reporter_name or anonymous.reporter_phone)
		self.assertEqual((anonymous.current_unit, anonymous.workflow_state), (f.PROV_A, "Baru"))

		secret = complaint(SECRET)
		self.assertTrue(secret.is_confidential and secret.identity_sealed)
		self.assertFalse(secret.reporter_name or secret.reporter_phone)
		vault = frappe.get_doc("Reporter Identity", secret.name)
		self.assertEqual(vault.reporter_name, SECRET_NAME)
		for field in ("subject", "description", "lapor_disposition_path"):
			self.assertNotIn(SECRET_NAME, secret.get(field) or "")

		failed = [row for row in doc.log if row.result == "Failed"]
		self.assertEqual([(r.row_number, r.tracking_id) for r in failed], [(5, "LAP-T-0004")])
		self.assertIn('"kemarin sore" is not a date', failed[0].message)
		self.assertFalse(frappe.db.exists("Complaint", {"lapor_tracking_id": "LAP-T-0004"}))

	def test_reimporting_the_same_file_creates_nothing(self):
		content = as_csv(first_file())
		start(upload(content))
		again = start(upload(content))
		self.assertEqual(counts(again), (0, 0, 3, 1))
		self.assertEqual(frappe.db.count("Complaint", {"lapor_tracking_id": ("like", "LAP-T-%")}), 3)

	def test_a_newer_file_updates_without_overriding_the_agency(self):
		start(upload(as_csv(first_file())))
		newer = [
			report(NAMED, **{"Isi Laporan": "Sudah tiga bulan belum cair.", "Status": "Pending"}),
			report(ANONYMOUS, Anonim="Ya", Status="Diarsipkan", Disposisi=""),
			report(SECRET, Rahasia="Ya", **{"Nama Pelapor": SECRET_NAME, "No. Telepon": SECRET_PHONE}),
		]
		doc = start(upload(as_csv(newer)))
		self.assertEqual(counts(doc), (0, 2, 1, 0))

		named = complaint(NAMED)
		self.assertEqual(named.description, "Sudah tiga bulan belum cair.")
		self.assertEqual(named.lapor_status, "Pending")
		self.assertEqual(named.workflow_state, "Verifikasi", "the agency's state is not LAPOR!'s to change")
		anonymous = complaint(ANONYMOUS)
		self.assertEqual(anonymous.workflow_state, "Diarsipkan", "still Baru: LAPOR!'s archive applies")
		self.assertIn("Diarsipkan", anonymous.archive_reason)

	def test_xlsx_import(self):
		doc = start(upload(as_xlsx(first_file()[:2]), file_name="lapor.xlsx"))
		self.assertEqual(counts(doc), (2, 0, 0, 0))
		self.assertEqual(str(complaint(NAMED).received_at), f"{DAY} 09:30:00")

	def test_export_carries_status_and_answer_and_never_identity(self):
		start(upload(as_csv(first_file())))
		named, secret = complaint(NAMED), complaint(SECRET)
		frappe.set_user(f.OFFICER_A1)
		act(named.name, "Handle Directly")
		act(named.name, "Answer", response="<p>Bantuan sudah <b>dicairkan</b> pada tahap empat.</p>")
		frappe.set_user("Administrator")

		for file_format in ("csv", "xlsx"):
			frappe.set_user(f.ADMIN_A)
			content, name = export.build(str(DAY), None, file_format)
			frappe.set_user("Administrator")
			self.assertTrue(name.endswith(file_format))
			text = exported_text(content, file_format)
			self.assertIn("Bantuan sudah dicairkan pada tahap empat.", text)
			self.assertIn(f"{NAMED},Selesai,", text.replace("\t", ","))
			self.assertIn(SECRET, text)
			for identity in ("Budi Lapor Santoso", "81211122233", SECRET_NAME, "81377788899", secret.name):
				self.assertNotIn(identity, text)

		frappe.set_user(f.ADMIN_A)
		content, _name = export.build(str(add_days(today(), 1)), None, "csv")
		self.assertEqual(len(content.decode("utf-8-sig").splitlines()), 1, "nothing changed since tomorrow")

	def test_an_officer_cannot_import_or_export_and_an_admin_only_in_its_units(self):
		name = upload(as_csv(first_file()))
		with self.assertRaises(frappe.PermissionError):
			start(name, user=f.OFFICER_A1)
		frappe.set_user(f.OFFICER_A1)
		with self.assertRaises(frappe.PermissionError):
			export.build(None, None, "csv")
		frappe.set_user(f.ADMIN_A)
		with self.assertRaises(frappe.PermissionError):
			export.build(None, f.KAB_B1, "csv")
		with self.assertRaises(frappe.PermissionError):
			upload(as_csv(first_file()), unit=f.KAB_B1)
		self.assertFalse(frappe.db.exists("Complaint", {"lapor_tracking_id": NAMED}))

	def test_an_admin_of_another_branch_neither_sees_nor_updates_its_imports(self):
		name = upload(as_csv(first_file()))
		start(name)
		f.make_user("t.admin.provb@p3m.test", roles.ADMIN_INSTANSI)
		prov_b = frappe.get_doc("Unit", f.PROV_B)
		prov_b.append("officers", {"user": "t.admin.provb@p3m.test", "role_in_unit": "Admin"})
		prov_b.save(ignore_permissions=True)
		frappe.set_user("t.admin.provb@p3m.test")
		self.assertEqual(frappe.get_list("LAPOR Import", pluck="name"), [])
		self.assertFalse(frappe.has_permission("LAPOR Import", "read", name))
		frappe.set_user("Administrator")
		newer = upload(
			as_csv([report(NAMED, Judul="Diubah dari cabang lain")]),
			unit=f.PROV_B,
			user="t.admin.provb@p3m.test",
		)
		doc = start(newer, user="t.admin.provb@p3m.test")
		self.assertEqual(counts(doc), (0, 0, 0, 1))
		self.assertIn("outside your units", doc.log[0].message)
		self.assertEqual(complaint(NAMED).subject, "Bantuan tidak cair")

	def test_malformed_files_are_refused_with_a_translated_reason(self):
		frappe.local.lang = "id"
		no_id = upload(as_csv([["x", "y"]], headers=["Judul", "Isi Laporan"]))
		with self.assertRaises(frappe.ValidationError) as raised:
			start(no_id)
		self.assertIn('Berkas tidak memiliki kolom "ID Tracking"', str(raised.exception))
		broken = upload(b"PK\x03\x04 not really a workbook", file_name="lapor.xlsx")
		with self.assertRaises(frappe.ValidationError) as raised:
			start(broken)
		self.assertIn("Berkas Excel tidak dapat dibaca", str(raised.exception))
		with self.assertRaises(frappe.ValidationError):
			upload(b"%PDF-1.4", file_name="lapor.pdf")
		self.assertEqual(frappe.get_doc("LAPOR Import", no_id).status, "Draft")
		doc = start(upload(as_csv([report("LAP-T-0009", Anonim="mungkin")])))
		self.assertEqual(doc.log[0].message, 'Kolom Anonim: "mungkin" bukan Ya atau Tidak.')

	def test_only_an_import_marks_a_complaint_as_from_lapor(self):
		doc = f.make_complaint(from_lapor=1, lapor_tracking_id="LAP-FORGED")
		self.assertEqual((doc.from_lapor, doc.lapor_tracking_id), (0, None))
		doc.lapor_tracking_id = "LAP-FORGED"
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_the_recap_filters_complaints_from_lapor(self):
		start(upload(as_csv(first_file())))
		f.make_complaint(received_at=f"{DAY} 10:00:00")
		period = {"from_date": str(DAY), "to_date": today()}
		frappe.set_user(f.NASIONAL)
		only_lapor = recap({**period, "from_lapor": 1})[4]
		everything = recap(period)[4]
		total = {row["label"]: row["value"] for row in only_lapor}["Total"]
		self.assertEqual(total, 3)
		self.assertGreater({row["label"]: row["value"] for row in everything}["Total"], total)


def exported_text(content: bytes, file_format: str) -> str:
	if file_format == "csv":
		return content.decode("utf-8-sig")
	from openpyxl import load_workbook

	sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
	return "\n".join(
		",".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True)
	)


class TestLaporEndpointsOverHttp(FrappeTestCase):
	"""The export and the start of an import as Frappe's HTTP layer serves them (committed users)."""

	OFFICER = "t.lapor.http.officer@p3m.test"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		user = frappe.get_doc("User", cls.OFFICER) if frappe.db.exists("User", cls.OFFICER) else None
		if not user:
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": cls.OFFICER,
					"first_name": "Lapor Officer",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		user.add_roles(roles.OFFICER)
		user.api_key = user.api_key or frappe.generate_hash(length=15)
		secret = frappe.generate_hash(length=15)
		user.api_secret = secret
		user.save(ignore_permissions=True)
		cls.auth = f"{user.api_key}:{secret}"
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		# raw deletes: User.on_trash refuses on a site whose only System Manager is the Administrator
		frappe.db.delete("Has Role", {"parent": cls.OFFICER})
		frappe.db.delete("User", {"name": cls.OFFICER})
		frappe.db.commit()
		super().tearDownClass()

	def call(self, method, auth, http="GET", **params):
		path = f"/api/method/{method}"
		# in a thread of its own (send_all): a request run here would tear down the test's frappe.local
		(answer,) = send_all(frappe.local.site, [(Request(method, path, params, http=http), auth)])
		return answer

	def test_officers_and_guests_are_refused(self):
		for auth in (self.auth, None):
			answer = self.call("p3m_app.interop.lapor.export.download", auth, file_format="csv")
			self.assertTrue(answer.refused, answer.status)
			self.assertNotIn("ID Tracking", answer.text)
			answer = self.call("p3m_app.interop.lapor.importer.start", auth, http="POST", name="LAPOR-IMP-0")
			self.assertTrue(answer.refused, answer.status)
