"""Demo data: `bench --site SITE execute p3m_app.demo.setup`. Safe to run again."""

import frappe
from frappe.utils import add_days, now_datetime

from p3m_app import demo_levels, demo_oversight, demo_pkh, roles
from p3m_app.channels.demo import make_demo_messages
from p3m_app.core import workflow_rules as wf
from p3m_app.core.intake_rules import CHANNELS
from p3m_app.handling import act
from p3m_app.interop.lapor.demo import import_demo_file

PASSWORD = "P3m-Demo-2026!"
ROOT = "UPPKH Pusat"
INSPEKTORAT = "Inspektorat Jenderal"
TREE = {
	"Provinsi Jawa Tengah": ["Kabupaten Brebes", "Kota Semarang"],
	"Provinsi Jawa Barat": ["Kabupaten Bandung", "Kota Bogor"],
}
# (name, program, default classification) from the PKH guideline and the BOS / BOP PAUD duties
CATEGORIES = {
	# the types of Tabel 1 of the PKH guideline, shipped on install (p3m_app.programs.pkh.types)
	"PKH": [
		"Data Peserta",
		"Pemenuhan Komitmen dan Verifikasi",
		"Bukan Peserta yang Merasa Berhak",
		"Pembayaran",
		"Ketersediaan Pelayanan",
		"Teknis, Administrasi dan Aspek Lain",
		"Penyimpangan / Indikasi KKN",
	],
	"BOS": [
		"BOS - Penyaluran Dana",
		"BOS - Penggunaan Dana",
		"BOS - Pelaporan dan Pertanggungjawaban",
		"BOS - Temuan Audit",
		"BOS - Pertanyaan dan Saran",
	],
	"BOP PAUD": [
		"BOP PAUD - Penyaluran Dana",
		"BOP PAUD - Penggunaan Dana",
		"BOP PAUD - Pertanyaan dan Saran",
	],
}
USERS = {
	"demo.nasional@p3m.test": ("Admin Nasional", roles.ADMIN_NASIONAL, ROOT, "Admin"),
	"demo.instansi@p3m.test": ("Admin Provinsi Jawa Tengah", None, "Provinsi Jawa Tengah", "Admin"),
	"demo.officer@p3m.test": ("Petugas Kabupaten Brebes", None, "Kabupaten Brebes", "Officer"),
	"demo.pimpinan@p3m.test": ("Pimpinan UPPKH Pusat", None, ROOT, "Pimpinan"),
	"demo.inspektorat@p3m.test": ("Auditor Inspektorat", None, INSPEKTORAT, "Inspektorat"),
	"demo.rahasia@p3m.test": ("Pemegang Identitas Rahasia", None, ROOT, "Confidential Reader"),
	"demo.ppid@p3m.test": ("PPID UPPKH Pusat", None, ROOT, "PPID"),
	"demo.pendamping@p3m.test": ("Pendamping PKH Brebes", None, "Kabupaten Brebes", "Pendamping"),
	"demo.pj@p3m.test": ("Penanggung Jawab UPPKH Pusat", None, ROOT, "Penanggung Jawab"),
}
# path of actions to reach each state, disposing Pusat -> Provinsi Jawa Tengah
PATHS = {
	wf.NEW: [],
	wf.VERIFICATION: ["Verify"],
	wf.PENDING: ["Mark Pending"],
	wf.ARCHIVED: ["Verify", "Archive"],
	wf.DISPOSED: ["Verify", "Dispose"],
	wf.IN_PROGRESS: ["Verify", "Dispose", "Accept"],
	wf.RETURNED: ["Verify", "Dispose", "Return (Bukan Wewenang)"],
	wf.ANSWERED: ["Verify", "Dispose", "Accept", "Answer"],
	wf.CLOSED: ["Verify", "Dispose", "Accept", "Answer", "Close"],
	wf.REOPENED: ["Verify", "Dispose", "Accept", "Answer", "Reopen"],
}
ACTION_VALUES = {
	"Mark Pending": {"pending_reason": "Mohon lengkapi lokasi dan waktu kejadian."},
	"Archive": {"archive_reason": "Saran umum, dicatat sebagai bahan kebijakan."},
	"Dispose": {
		"dispose_to_unit": "Provinsi Jawa Tengah",
		"disposition_instruction": "Mohon ditindaklanjuti.",
	},
	"Return (Bukan Wewenang)": {
		"return_reason": "Bukan kewenangan provinsi.",
		"return_public_explanation": "Laporan Anda menyangkut layanan pusat dan kami kembalikan ke UPPKH Pusat.",
	},
	"Answer": {"response": "<p>Laporan telah ditindaklanjuti dan bantuan sudah disalurkan.</p>"},
	"Reopen": {"reopen_reason": "Pelapor menyatakan belum puas."},
}
COUNT = 50


def setup():
	frappe.set_user("Administrator")
	complete_setup()
	make_units()
	make_categories()
	make_users()
	make_complaints()
	demo_oversight.setup(ROOT, "Provinsi Jawa Tengah", INSPEKTORAT, "demo.ppid@p3m.test")
	demo_levels.setup(INSPEKTORAT)
	demo_pkh.setup()
	# one complaint by SMS, one by WhatsApp (through the real webhooks' intake) and one from LAPOR!
	make_demo_messages()
	import_demo_file()
	frappe.db.commit()
	print(f"P3M demo ready: {frappe.db.count('Complaint')} complaints; users *@p3m.test, password {PASSWORD}")


def complete_setup():
	"""A fresh demo site has not run Frappe's setup wizard, which would block the desk: run it for Indonesia."""
	if frappe.db.get_single_value("System Settings", "setup_complete"):
		return
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	setup_complete(
		{"language": "English", "country": "Indonesia", "timezone": "Asia/Jakarta", "currency": "IDR"}
	)


def make_unit(name, level, parent=None, is_group=1, unit_type="Complaint Unit"):
	if frappe.db.exists("Unit", name):
		return
	frappe.get_doc(
		{
			"doctype": "Unit",
			"unit_name": name,
			"unit_level": level,
			"parent_unit": parent,
			"is_group": is_group,
			"unit_type": unit_type,
			"contact_email": frappe.scrub(name).replace("_", ".") + "@p3m.test",
		}
	).insert()


def make_units():
	make_unit(ROOT, "Pusat")
	make_unit(INSPEKTORAT, "Pusat", ROOT, is_group=0, unit_type="Inspektorat")
	for province, districts in TREE.items():
		make_unit(province, "Provinsi", ROOT)
		for district in districts:
			make_unit(district, "Kabupaten/Kota", province, is_group=0)


def make_categories():
	for program, names in CATEGORIES.items():
		group = f"{program} (semua)"
		if not frappe.db.exists("Complaint Category", group):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": group, "is_group": 1, "program": program}
			).insert()
		for name in names:
			if not frappe.db.exists("Complaint Category", name):
				frappe.get_doc(
					{
						"doctype": "Complaint Category",
						"category_name": name,
						"parent_complaint_category": group,
						"program": program,
						"default_unit": ROOT,
						"default_classification": "Whistleblowing" if "KKN" in name else "Pengaduan",
					}
				).insert()


def make_users():
	for email, (full_name, role, unit, unit_role) in USERS.items():
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": full_name,
					"send_welcome_email": 0,
					"new_password": PASSWORD,
				}
			)
			user.insert(ignore_permissions=True)
			if role:
				user.add_roles(role)
		if unit:
			doc = frappe.get_doc("Unit", unit)
			if not any(row.user == email for row in doc.officers):
				doc.append("officers", {"user": email, "role_in_unit": unit_role})
				doc.save()


def channel_details(channel: str, i: int, named: bool) -> dict:
	"""What staff write down for each off-line channel."""
	if channel == "Audit Finding":
		return {"audit_source": "BPKP", "audit_report_reference": f"LHP-{i + 1:03d}/2026"}
	if channel in ("Letter", "Fax"):
		return {
			"letter_number": f"{i + 1:03d}/PKH/XI/2026",
			"letter_date": add_days(now_datetime(), -(i % 21) - 2),
		}
	if channel in ("Phone", "SMS") and named:
		return {"caller_number": f"+62 812 0000 {i + 1:04d}"}
	if channel == "Social Media":
		return {
			"social_media_platform": "X (Twitter)",
			"social_media_url": f"https://x.com/warga{i + 1}/status/{i + 1}",
		}
	return {}


def make_complaints():
	states = list(PATHS)
	categories = [name for names in CATEGORIES.values() for name in names]
	existing = set(frappe.get_all("Complaint", filters={"subject": ("like", "[Demo %")}, pluck="subject"))
	for i in range(COUNT):
		subject = f"[Demo {i + 1:02d}] {categories[i % len(categories)].split(' - ')[-1]}"
		if subject in existing:
			continue
		channel = CHANNELS[i % len(CHANNELS)]
		values = {
			"doctype": "Complaint",
			"subject": subject,
			"channel": channel,
			"classification": "Whistleblowing" if "KKN" in subject else "Pengaduan",
			"category": categories[i % len(categories)],
			"program": frappe.db.get_value("Complaint Category", categories[i % len(categories)], "program"),
			"current_unit": ROOT,
			# spread over the last three weeks so the demo shows every SLA status
			"received_at": add_days(now_datetime(), -(i % 21)),
			"description": "Bantuan belum diterima sejak tiga bulan terakhir.",
			"chronology": "Pelapor sudah menanyakan ke pendamping namun belum ada kejelasan.",
			"province": "Jawa Tengah",
			"district": "Kabupaten Brebes",
			"is_anonymous": int(i % 7 == 3),
			"is_confidential": int(i % 5 == 1),
		}
		if not values["is_anonymous"]:
			values.update(reporter_name=f"Warga {i + 1}", reporter_phone=f"+62 812 0000 {i + 1:04d}")
		values.update(channel_details(channel, i, named=not values["is_anonymous"]))
		doc = frappe.get_doc(values).insert()
		for action in PATHS[states[i % len(states)]]:
			act(doc.name, action, **ACTION_VALUES.get(action, {}))
