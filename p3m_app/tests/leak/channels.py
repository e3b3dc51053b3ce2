"""The leak suite's channels: complaints that came by SMS (one named, one RAHASIA), a SP4N-LAPOR!
import with a confidential row, the Open311 API read by tracking code, and the write paths the
channels open (a forged webhook, someone else's LAPOR! import).

    sms_named    Prov B, by SMS from a named reporter (the number is identity)
    sms_conf     Prov B, by SMS starting RAHASIA (the number sealed in Reporter Identity)
    lapor_conf   Prov B, imported from a LAPOR! export as Rahasia (name and number sealed)

Phone numbers are stored E.164 and shown nationally, so every form of a number is a secret.
"""

import frappe
from frappe.installer import update_site_config

from p3m_app.core import phone
from p3m_app.tests.leak import rule
from p3m_app.tests.leak.calls import LIST_DOCTYPES as CALL_LIST_DOCTYPES
from p3m_app.tests.leak.calls import ListSpec, api, call
from p3m_app.tests.leak.transport import Request

CHANNEL = "Leak SMS"
CHANNEL_SECRETS = {
	"LeakChannelSecret-sms": "shared secret of a messaging channel",
	"LeakChannelToken-sms": "access token of a messaging channel",
}
SMS = {
	"sms_named": ("leak-sms-named", "0811-5550-9001", "LeakSmsNamed bantuan PKH belum cair", rule.NAMED),
	"sms_conf": (
		"leak-sms-conf",
		"0811-5550-9002",
		"RAHASIA LeakSmsConf pendamping minta uang",
		rule.CONFIDENTIAL,
	),
}
LAPOR_ID = "LEAK-LAPOR-0001"
LAPOR_FILE = "leak-lapor-export.csv"
LAPOR_IDENTITY = {"reporter_name": "LeakNameLapor", "reporter_phone": "0811-5550-9003"}
TRACK_LIMIT = 100_000  # the Open311 reads share the portal's per-address limit
LIST_DOCTYPES = {
	"Messaging Channel": ListSpec([["channel_name", "like", "Leak%"]], "channel_name", full=False),
	"Messaging Message": ListSpec([["message_key", "like", "Leak%"]], "complaint", full=False),
	"LAPOR Import": ListSpec([["unit", "like", "Leak %"]], "name", full=False),
	"LAPOR Import Log": ListSpec(
		[["tracking_id", "like", "LEAK-%"]], "complaint", parent="LAPOR Import", full=False
	),
}


def phone_forms(number: str) -> set[str]:
	"""Every form a stored number can take in an answer: E.164, its digits, the national form."""
	e164 = phone.normalise(number)
	return {number, e164, e164.lstrip("+"), phone.national(e164)}


def identity_secrets(identity: dict, key: str) -> dict[str, str]:
	out = {}
	for fieldname, value in identity.items():
		forms = phone_forms(value) if fieldname.endswith("phone") else {value}
		out.update({form: f"{fieldname} of {key}" for form in forms})
	return out


def build(w, spec_type, fixture_type) -> None:
	"""Add the channel complaints to the world ``w`` (committed by the caller)."""
	from p3m_app.channels import messaging
	from p3m_app.intake import followups
	from p3m_app.tests.leak import world

	frappe.get_doc(
		{
			"doctype": "Messaging Channel",
			"channel_name": CHANNEL,
			"provider": "Generic SMS Gateway",
			"number": "+6281155509000",
			"unit": world.PROV_B,
			"enabled": 0,  # no reply leaves while the fixture is made
			"secret": next(iter(CHANNEL_SECRETS)),
			"access_token": list(CHANNEL_SECRETS)[1],
		}
	).insert(ignore_permissions=True)
	channel = frappe.get_doc("Messaging Channel", CHANNEL)
	for key, (provider_id, number, text, kind) in SMS.items():
		messaging.receive(channel, messaging.Inbound(provider_id, number, text))
		name = frappe.db.get_value(
			"Messaging Message", {"message_key": f"{CHANNEL}:{provider_id}"}, "complaint"
		)
		followups.run(name)
		marker = text.split()[1] if kind == rule.CONFIDENTIAL else text.split()[0]
		add_fixture(w, spec_type, fixture_type, key, kind, name, marker, {"reporter_phone": number})
		message = frappe.db.get_value(
			"Communication", {"reference_name": name, "communication_medium": "SMS"}
		)
		if kind == rule.CONFIDENTIAL:  # its sealed message is read by every per-document call
			w.channel_documents.append(("Communication", message, key))
	frappe.db.set_value("Messaging Channel", CHANNEL, "enabled", 1)
	w.lapor_import = import_lapor(world.PROV_B)
	w.channel_documents += [
		("Messaging Channel", CHANNEL, "sms_named"),
		("LAPOR Import", w.lapor_import, "lapor_conf"),
	]
	name = frappe.db.get_value("Complaint", {"lapor_tracking_id": LAPOR_ID})
	add_fixture(
		w, spec_type, fixture_type, "lapor_conf", rule.CONFIDENTIAL, name, "LeakLaporContent", LAPOR_IDENTITY
	)
	w.complaints["lapor_conf"].content[LAPOR_ID] = "LAPOR! tracking ID of lapor_conf"
	w.channel_secrets = dict(CHANNEL_SECRETS)
	w.saved_track_limit = frappe.conf.get("p3m_portal_track_limit")
	update_site_config("p3m_portal_track_limit", TRACK_LIMIT)


def add_fixture(w, spec_type, fixture_type, key, kind, name, marker, identity) -> None:
	from p3m_app.core import tracking_code

	doc = frappe.get_doc("Complaint", name)
	spec = spec_type(key, kind, doc.current_unit, {}, recorded_at=doc.origin_unit)
	fixture = fixture_type(spec, doc.name, doc.tracking_code, doc.origin_unit)
	fixture.content = {
		doc.name: f"name of complaint {key}",
		doc.tracking_code: f"tracking code of {key}",
		tracking_code.display(doc.tracking_code): f"tracking code of {key}",
		marker: f"text of {key}",
	}
	fixture.identity = identity_secrets(identity, key)
	w.complaints[key] = fixture


def import_lapor(unit: str) -> str:
	from p3m_app.interop.lapor import importer

	header = (
		"ID Tracking,Tanggal Laporan,Judul,Isi Laporan,Kategori,Status,Disposisi,Anonim,Rahasia,"
		"Nama Pelapor,No. Telepon"
	)
	row = (
		f"{LAPOR_ID},2026-11-20 08:00:00,LeakLaporTitle,LeakLaporContent pungutan liar di sekolah,,"
		f"Didisposisikan,,Tidak,Ya,{LAPOR_IDENTITY['reporter_name']},{LAPOR_IDENTITY['reporter_phone']}"
	)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": LAPOR_FILE,
			"is_private": 1,
			"content": f"{header}\n{row}\n".encode(),
		}
	).insert(ignore_permissions=True)
	doc = frappe.get_doc({"doctype": "LAPOR Import", "unit": unit, "import_file": file.file_url})
	doc.insert(ignore_permissions=True)
	importer.run(doc.name)
	return doc.name


def forbidden(w, user) -> dict[str, str]:
	"""Channel secrets reach nobody the suite probes (System Manager and Admin Nasional only)."""
	return {s: f"{what} (System Manager / Admin Nasional only)" for s, what in w.channel_secrets.items()}


def purge() -> None:
	imports = frappe.get_all("LAPOR Import", filters={"unit": ("like", "Leak %")}, pluck="name")
	if imports:
		frappe.db.delete("LAPOR Import Log", {"parent": ("in", imports)})
		frappe.db.delete("LAPOR Import", {"name": ("in", imports)})
	for name in frappe.get_all("File", filters={"file_name": LAPOR_FILE}, pluck="name"):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.delete("Messaging Message", {"channel": CHANNEL})  # inbound, and replies queued since
	if frappe.db.exists("Messaging Channel", CHANNEL):
		frappe.delete_doc("Messaging Channel", CHANNEL, force=True, ignore_permissions=True)


def restore_track_limit(previous) -> None:
	update_site_config("p3m_portal_track_limit", previous)  # None removes the key


# --------------------------------------------------------------------------- reads


@call("once", "GET /open311/v2/requests/<code>.json", "p3m_app.interop.lapor.export.download")
def channel_reads(w) -> list[Request]:
	"""Open311 shows a request to whoever holds its code (what the tracking page shows, never the
	reporter); the LAPOR! export carries no identity and only the caller's units."""
	out = []
	for fixture in w.complaints.values():
		code = fixture.tracking_code
		for path, params in (
			(f"/open311/v2/requests/{code}.json", {}),
			("/open311/v2/requests.json", {"service_request_id": code}),
		):
			out.append(
				Request(
					"GET /open311/v2/requests/<code>.json",
					path,
					params,
					"GET",
					f"Complaint {fixture.key}",
					frozenset(fixture.content),
				)
			)
	for file_format in ("csv", "xlsx"):
		out.append(api("p3m_app.interop.lapor.export.download", since="2000-01-01", file_format=file_format))
	return out


# listed, counted and grouped like the other doctypes of the suite
CALL_LIST_DOCTYPES.update(LIST_DOCTYPES)


# --------------------------------------------------------------------------- writes


def import_untouched(name: str):
	"""(changed, restore) of a LAPOR Import: run again if its start time or status moved."""
	before = frappe.db.get_value("LAPOR Import", name, ["started_at", "status"])

	def changed():
		now = frappe.db.get_value("LAPOR Import", name, ["started_at", "status"])
		return None if now == before else f"LAPOR Import {name} run again ({now[1]})"

	def restore():
		frappe.db.set_value(
			"LAPOR Import", name, {"started_at": before[0], "status": before[1]}, update_modified=False
		)

	return changed, restore


def write_probes(w, probe_type, rows) -> list:
	"""A webhook with a wrong secret stores nothing; nobody but its unit's admins runs an import."""
	forged = api(
		"p3m_app.channels.api.sms_inbound",
		f"Messaging Channel {CHANNEL} (wrong secret)",
		http="POST",
		channel=CHANNEL,
		message_id="leak-forged",
		**{"from": "081155509009", "text": "LeakForged pesan palsu"},
	)
	out = [
		probe_type(
			user, forged, *rows("Messaging Message", {"message_key": f"{CHANNEL}:leak-forged"}, "stored")
		)
		for user in ("guest", "citizen")
	]
	for user in ("sibling", "child", "pimpinan"):
		start = api(
			"p3m_app.interop.lapor.importer.start",
			f"LAPOR Import {w.lapor_import}",
			http="POST",
			name=w.lapor_import,
		)
		out.append(
			probe_type(
				user,
				start,
				*import_untouched(w.lapor_import),
			)
		)
	return out
