"""Demo data for work across levels: a PKH complaint referred from a Kabupaten up to UPPKH Pusat,
a take-over by the province, and a copy (tembusan) to the Inspektorat.

Called by p3m_app.demo.setup after the units and users exist; safe to run again. Each step is
taken as the demo user who would take it, so the ledger and the notifications are real.
"""

import frappe

from p3m_app import collaboration
from p3m_app.core import workflow_rules as wf
from p3m_app.handling import act

DISTRICT = "Kabupaten Brebes"
OFFICER = "demo.officer@p3m.test"
PROVINCE_ADMIN = "demo.instansi@p3m.test"


def setup(inspektorat: str) -> None:
	referral = handled_at_district("[Demo Rujukan] Data peserta tidak sesuai Master Database")
	if referral:
		as_user(
			OFFICER,
			act,
			referral,
			wf.ACTION_REFER_UP,
			refer_reason="Perbaikan Master Database hanya dapat diputuskan UPPKH Pusat.",
		)
	take_over = handled_at_district("[Demo Ambil Alih] Pembayaran tertahan tiga bulan")
	if take_over:
		as_user(
			PROVINCE_ADMIN,
			collaboration.take_over,
			take_over,
			"Mendesak dan penting: pembayaran tertahan, ditangani langsung oleh provinsi.",
		)
	copied = handled_at_district("[Demo Tembusan] Indikasi pungutan oleh operator")
	if copied:
		as_user(
			OFFICER,
			collaboration.copy_to,
			copied,
			inspektorat,
			"Tembusan: indikasi pungutan liar, untuk pengawasan Inspektorat.",
		)


def handled_at_district(subject: str) -> str | None:
	"""A PKH complaint recorded, verified and taken up at the district; None if it exists already."""
	if frappe.db.exists("Complaint", {"subject": subject}):
		return None
	category = "Data Peserta" if "Master" in subject else "Pembayaran"
	doc = as_user(
		OFFICER,
		lambda: frappe.get_doc(
			{
				"doctype": "Complaint",
				"subject": subject,
				"channel": "Letter",
				"letter_number": "12/PKH-BRB/XII/2026",
				"letter_date": frappe.utils.today(),
				"classification": "Pengaduan",
				"program": "PKH",
				"category": category,
				"current_unit": DISTRICT,
				"description": "Disampaikan pendamping dari pertemuan kelompok bulanan.",
				"province": "Jawa Tengah",
				"district": DISTRICT,
				"is_anonymous": 1,
			}
		).insert(),
	)
	as_user(OFFICER, act, doc.name, wf.ACTION_VERIFY)
	as_user(OFFICER, act, doc.name, wf.ACTION_HANDLE)
	return doc.name


def as_user(user: str, fn, *args, **kwargs):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user(previous)
