"""Demo data for the oversight flows: a forward to the Inspektorat, published answers, a meeting.

Called by p3m_app.demo.setup after the demo complaints exist; safe to run again.
"""

import frappe
from frappe.utils import add_days, now_datetime

from p3m_app.core import workflow_rules as wf
from p3m_app.handling import forward_to_inspektorat
from p3m_app.publication import set_published

MEETING_TITLE = "Rapat Koordinasi Pengaduan PKH (Demo)"


def demo_complaints(state: str, limit: int = 3) -> list[str]:
	return frappe.get_all(
		"Complaint",
		filters={"subject": ("like", "[Demo %"), "workflow_state": state},
		pluck="name",
		order_by="name asc",
		limit=limit,
	)


def setup(root: str, province: str, inspektorat: str, ppid_user: str) -> None:
	forward_one(inspektorat)
	publish_answers(ppid_user)
	make_meeting(root, province)


def forward_one(inspektorat: str) -> None:
	if frappe.db.exists("Complaint", {"subject": ("like", "[Demo %"), "current_unit": inspektorat}):
		return
	for name in demo_complaints(wf.VERIFICATION, limit=1):
		forward_to_inspektorat(name, inspektorat, "Dugaan pungutan liar oleh pendamping; perlu pemeriksaan.")


def publish_answers(ppid_user: str) -> None:
	if frappe.db.exists("Complaint", {"subject": ("like", "[Demo %"), "answer_publishable": 1}):
		return
	frappe.set_user(ppid_user)
	try:
		for name in demo_complaints(wf.ANSWERED, limit=2) + demo_complaints(wf.CLOSED, limit=1):
			set_published(name, 1)
	finally:
		frappe.set_user("Administrator")


def make_meeting(root: str, province: str) -> None:
	if frappe.db.exists("Coordination Meeting", {"title": MEETING_TITLE}):
		return
	linked = demo_complaints(wf.IN_PROGRESS, limit=2)
	frappe.get_doc(
		{
			"doctype": "Coordination Meeting",
			"title": MEETING_TITLE,
			"meeting_date": add_days(now_datetime(), -2),
			"status": "Held",
			"organising_unit": root,
			"participating_units": [{"unit": province}],
			"agenda": "<p>Evaluasi pengaduan penyaluran bantuan bulan ini dan tindak lanjut di provinsi.</p>",
			"minutes": "<p>Provinsi melaporkan kendala data rekening penerima.</p>",
			"decisions": "<p>Provinsi memverifikasi data rekening dalam 5 hari kerja.</p>",
			"attendance": [
				{"person": "Pimpinan UPPKH Pusat", "unit": root, "present": 1},
				{"person": "Admin Provinsi Jawa Tengah", "unit": province, "present": 1},
			],
			"complaints": [{"complaint": name, "note": "Dibahas dalam rapat."} for name in linked],
		}
	).insert()
