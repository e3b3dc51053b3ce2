"""Demo of the PKH pack (seed 004), step by step as the guideline describes it:

a pendamping records a complaint heard at a group meeting in Kabupaten Brebes; the Kabupaten
verifies it, ticks its handling steps and sends the reporter a receipt; it asks UPPKH Pusat to
correct the Master Database, with evidence, and tells the reporter by letter that this may take up
to a month; the Penanggung Jawab at Pusat approves; the monthly report is produced for Pusat.

Called by p3m_app.demo.setup once the units and users exist; safe to run again. Each step runs as
the demo user who would take it.
"""

import frappe
from frappe.utils import today

from p3m_app import report_dispatch
from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act
from p3m_app.portal import pendamping
from p3m_app.portal.context import acting_as
from p3m_app.programs.pkh import corrections, letters
from p3m_app.programs.pkh.checklist import tick_step

DISTRICT, PROVINCE, PUSAT = "Kabupaten Brebes", "Provinsi Jawa Tengah", "UPPKH Pusat"
PENDAMPING = "demo.pendamping@p3m.test"
OFFICER = "demo.officer@p3m.test"
PENANGGUNG_JAWAB = "demo.pj@p3m.test"
SUBJECT = "[Demo PKH] Nama anak kedua salah di Master Database"
# Tim Teknis Pusat receives the monthly report (004 ll. 360-363)
REPORT_RECIPIENT = "tim.teknis.pusat@p3m.test"


def setup() -> None:
	serve_areas()
	add_report_recipient()
	if frappe.db.exists("Complaint", {"subject": SUBJECT}):
		return
	name = record_at_group_meeting()
	as_user(OFFICER, handle_at_district, name)
	request = as_user(OFFICER, request_correction, name)
	as_user(PENANGGUNG_JAWAB, corrections.approve, request, "Akta kelahiran sah; nama diperbaiki.")
	rows = len(report_dispatch.run_report(report_dispatch.REPORT, PUSAT, today()[:7])[1])
	print(f"PKH walk-through: {name}, correction {request} approved; monthly report {rows} rows")


def serve_areas() -> None:
	"""Nearest level first: a PKH complaint from Kabupaten Brebes lands at UPPKH Kabupaten Brebes."""
	for unit, program, area in (
		(PROVINCE, None, {"province": "Jawa Tengah"}),
		(DISTRICT, "PKH", {"province": "Jawa Tengah", "district": DISTRICT}),
	):
		doc = frappe.get_doc("Unit", unit)
		if not doc.get("service_areas"):
			doc.program = program
			doc.append("service_areas", area)
			doc.save(ignore_permissions=True)


def add_report_recipient() -> None:
	doc = frappe.get_doc("Unit", PUSAT)
	if not doc.get("report_recipients"):
		doc.append("report_recipients", {"report": report_dispatch.REPORT, "email": REPORT_RECIPIENT})
		doc.save(ignore_permissions=True)


def record_at_group_meeting() -> str:
	form = {
		"recorded_via": "Group Meeting",
		"classification": "Pengaduan",
		"program": "PKH",
		"category": "Data Peserta",
		"subject": SUBJECT,
		"description": "Nama anak kedua tertulis salah sehingga bantuan pendidikan tidak cair.",
		"chronology": "Disampaikan ketua kelompok pada pertemuan bulanan.",
		"province": "Jawa Tengah",
		"district": DISTRICT,
		"reporter_name": "Ibu Warsini",
		"reporter_address": "Desa Kaliwadas RT 02/RW 03, Bumiayu, Brebes",
		"reporter_type": "Peserta PKH",
		"participant_number": "3329010001234",
	}
	with acting_as(PENDAMPING):
		pendamping.save(form, [], pendamping.pendamping_units(PENDAMPING))
	return frappe.db.get_value("Complaint", {"subject": SUBJECT})


def handle_at_district(name: str) -> None:
	act(name, wf.ACTION_VERIFY)
	act(name, wf.ACTION_HANDLE)
	tick_step(name, 1, "Pelapor dan pendamping diwawancarai; salinan akta kelahiran dikumpulkan.")
	letters.record_letter(name, "Receipt", "Hand delivered", "001/UPPKH-BRB/XII/2026")


def request_correction(name: str) -> str:
	request = frappe.get_doc(
		{
			"doctype": corrections.DOCTYPE,
			"complaint": name,
			"recommendation": "Perbaiki nama anak kedua sesuai akta kelahiran terlampir.",
			"provider": "SD Negeri 2 Bumiayu",
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "akta-kelahiran-anak-kedua.txt",
			"is_private": 1,
			"attached_to_doctype": corrections.DOCTYPE,
			"attached_to_name": request.name,
			"content": b"Salinan akta kelahiran dan surat pernyataan peserta.",
		}
	).insert(ignore_permissions=True)
	corrections.submit(request.name)
	# the reporter has no e-mail: told by letter that Pusat may take up to a month (004 ll. 409-411)
	letters.record_letter(name, "In Process", "Post", "002/UPPKH-BRB/XII/2026")
	return request.name


def as_user(user: str, fn, *args):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		return fn(*args)
	finally:
		frappe.set_user(previous)
