"""The leak suite's fixture: a small unit tree, one user per probe role, and complaints of every kind.

    Leak Pusat
    ├── Leak Prov A            PPID, Pimpinan, Admin (write probes)
    │   └── Leak Kab A1        Officer ("child"), Pendamping
    ├── Leak Prov B            Officer ("sibling")
    └── Leak Inspektorat       Inspektorat

Complaints (each string below is unique, so a response can be searched for it):
    named_b      Prov B, named reporter, phone channel                      (disposed down from Pusat)
    anon_b       Prov B, anonymous, recorded there
    named_a1     Kab A1, named, social media, PKH Data Peserta; private file, comment, tag, share,
                 follow, ToDo, a ticked handling step, a logged letter, a correction request with
                 private evidence
    conf_portal  Prov A, confidential from the portal (identity in Reporter Identity)
    conf_mail    Kab A1, e-mail complaint marked confidential later (its mails carry the identity)
    insp         forwarded from Pusat to the Inspektorat, named
    copy_insp    Prov B, named, recorded there; a copy (tembusan) sent to the Inspektorat
and a coordination meeting of Prov A with Kab A1 about named_a1 and conf_mail.

The requests of the suite run in other threads with their own database connections, so the
fixture is committed; ``destroy`` deletes everything it made (and anything a request left behind)
so no other test ever sees it. ``build`` first removes leftovers of an interrupted run.
"""

from dataclasses import dataclass, field

import frappe
from frappe.utils import add_days, now_datetime

from p3m_app import roles
from p3m_app.collaboration import copy_to
from p3m_app.core import tracking_code
from p3m_app.handling import act, forward_to_inspektorat
from p3m_app.tests import factories
from p3m_app.tests.leak import rule

PUSAT, PROV_A, KAB_A1, PROV_B, INSPEKTORAT = (
	"Leak Pusat",
	"Leak Prov A",
	"Leak Kab A1",
	"Leak Prov B",
	"Leak Inspektorat",
)
# name: (level, parent, unit type)
UNITS = {
	PUSAT: ("Pusat", None, "Complaint Unit"),
	PROV_A: ("Provinsi", PUSAT, "Complaint Unit"),
	KAB_A1: ("Kabupaten/Kota", PROV_A, "Complaint Unit"),
	PROV_B: ("Provinsi", PUSAT, "Complaint Unit"),
	INSPEKTORAT: ("Pusat", PUSAT, "Inspektorat"),
}
PARENT_OF = {name: parent for name, (_level, parent, _type) in UNITS.items()}

GUEST = "Guest"
ADMIN_A = "leak.admin.prova@p3m.test"
OUTSIDER = "leak.outsider@p3m.test"  # an officer of no unit: the target of share / assign probes


@dataclass(frozen=True)
class ProbeUser:
	key: str
	email: str
	unit: str | None = None
	unit_role: str | None = None  # role_in_unit in the Unit Officer table
	website_user: bool = False

	@property
	def desk_roles(self) -> set[str]:
		role = roles.UNIT_ROLE_TO_ROLE.get(self.unit_role)
		return {role} if role else set()


# the users every request of the suite is sent as
PROBE_USERS = (
	ProbeUser("sibling", "leak.sibling@p3m.test", PROV_B, "Officer"),
	ProbeUser("child", "leak.child@p3m.test", KAB_A1, "Officer"),
	ProbeUser("ppid", "leak.ppid@p3m.test", PROV_A, "PPID"),
	ProbeUser("inspektorat", "leak.inspektorat@p3m.test", INSPEKTORAT, "Inspektorat"),
	ProbeUser("pimpinan", "leak.pimpinan@p3m.test", PROV_A, "Pimpinan"),
	ProbeUser("pendamping", "leak.pendamping@p3m.test", KAB_A1, "Pendamping"),
	ProbeUser("citizen", "leak.citizen@p3m.test", website_user=True),
	ProbeUser("guest", GUEST),
)
# users the fixture needs besides the probe users
HELPER_USERS = (ProbeUser("admin_a", ADMIN_A, PROV_A, "Admin"), ProbeUser("outsider", OUTSIDER))
ALL_USERS = PROBE_USERS + HELPER_USERS


@dataclass(frozen=True)
class ComplaintSpec:
	key: str
	kind: str  # rule.ANONYMOUS / NAMED / CONFIDENTIAL
	unit: str  # where it ends up
	values: dict
	identity: dict = field(default_factory=dict)
	recorded_at: str = PUSAT  # where it is recorded (origin_unit); disposed down to ``unit`` from there
	copy_to: str | None = None  # a unit sent a copy (tembusan), which then reads the complaint


def _identity(tag: str, number: int, **extra) -> dict:
	"""Values that share no word with each other: the app masks every word of a sealed name
	wherever it stands in free text, which would hide a leak of a value sharing that word."""
	return {
		"reporter_name": f"LeakName{tag}",
		"reporter_email": f"leak.reporter{number}@example.org",
		"reporter_phone": f"+62 811 5550 {number:04d}",
		"reporter_id_number": f"32019900{number:08d}",
		"reporter_address": f"LeakAddress{number} Gang Melati",
		"participant_number": f"99{number:011d}",
		**extra,
	}


PKH_DATA_CATEGORY = "Data Peserta"  # shipped on install, with its handling steps
# what the PKH pack writes on named_a1: a ticked step's note, a letter, a correction request
PKH_SECRETS = {
	"step_note": "LeakStepNote-KabA1",
	"letter_reference": "LeakLetterRef-KabA1",
	"recommendation": "LeakRecommendation-KabA1",
	"provider": "LeakProvider-KabA1",
	"evidence": "LeakEvidence-KabA1",
}


COMPLAINTS = (
	ComplaintSpec(
		"named_b",
		rule.NAMED,
		PROV_B,
		{"channel": "Phone"},
		_identity("ProvBNamed", 1001, caller_number="+62 811 5559 1001"),
	),
	ComplaintSpec(
		"anon_b", rule.ANONYMOUS, PROV_B, {"channel": "Web Portal", "is_anonymous": 1}, recorded_at=PROV_B
	),
	ComplaintSpec(
		"named_a1",
		rule.NAMED,
		KAB_A1,
		{"channel": "Social Media", "social_media_platform": "X (Twitter)", "category": PKH_DATA_CATEGORY},
		_identity("KabAoneNamed", 2002, social_media_account="leak_social_kaba1_named"),
	),
	ComplaintSpec(
		"conf_portal",
		rule.CONFIDENTIAL,
		PROV_A,
		{"channel": "Web Portal", "is_confidential": 1},
		_identity("ConfidentialPortal", 3003),
	),
	ComplaintSpec(
		"conf_mail",
		rule.CONFIDENTIAL,
		KAB_A1,
		{"channel": "Email"},
		{
			"reporter_name": "LeakNameConfidentialMail",
			"reporter_email": "leak.reporter5005@example.org",
		},
	),
	ComplaintSpec(
		"insp",
		rule.NAMED,
		INSPEKTORAT,
		{"channel": "Phone", "classification": "Whistleblowing"},
		_identity("InspektoratNamed", 4004),
	),
	ComplaintSpec(
		"copy_insp",
		rule.NAMED,
		PROV_B,
		{"channel": "Phone"},
		_identity("CopiedToInspektorat", 7007),
		recorded_at=PROV_B,
		copy_to=INSPEKTORAT,
	),
)

# what the confidential mail says: the reporter introduces themself (sealed with the identity)
MAIL_SECRETS = {
	"mail_phone": "+62 811 5550 5005",
	"mail_id_number": "3201990000005005",
	"mail_address": "LeakAddress5005 Gang Kenanga",
	"mail_body": "LeakMailBody-Confidential",
	"mail_reply_body": "LeakMailReply-Confidential",
}
INBOX = "pengaduan.leak@p3m.test"
OUTGOING_ACCOUNT = "Leak Outgoing"
FILE_NAME = "leak-evidence-kaba1.txt"
FILE_CONTENT = b"LeakFileContent-KabA1: foto rekening dan KTP pelapor"
TAG = "leak-tag"
# a historic-complaint import an admin uploaded and has not run: its file holds reporters too
IMPORT_FILE_NAME = "leak-import-historic.csv"
# a mail of the complaints inbox that even the lenient reader could not store: it waits in Frappe's
# Unhandled Email queue, which only Admin Nasional, the root unit's admins and System Managers read
UNHANDLED_SECRET = "LeakUnhandledMail-RawBody"
IMPORT_SECRETS = {
	"LeakSubject-import": "subject in the pending import file",
	"LeakNameImportRow": "reporter_name in the pending import file",
	"+62 811 5550 6006": "reporter_phone in the pending import file",
	"leak.reporter6006@example.org": "reporter_email in the pending import file",
}
CATEGORY = "Leak Kategori"


@dataclass
class FixtureComplaint:
	spec: ComplaintSpec
	name: str
	tracking_code: str
	origin_unit: str
	# secret string -> what it is (for the leak message)
	content: dict[str, str] = field(default_factory=dict)  # forbidden out of scope
	identity: dict[str, str] = field(default_factory=dict)  # forbidden unless the rule allows

	@property
	def key(self) -> str:
		return self.spec.key

	@property
	def kind(self) -> str:
		return self.spec.kind

	def as_scope_row(self) -> dict:
		readers = [self.spec.copy_to] if self.spec.copy_to else []
		return {"current_unit": self.spec.unit, "origin_unit": self.origin_unit, "reader_units": readers}


class LeakWorld:
	def __init__(self):
		self.complaints: dict[str, FixtureComplaint] = {}
		self.api_keys: dict[str, str] = {}  # email -> "key:secret"
		self.meeting: str | None = None
		self.meeting_secrets: dict[str, str] = {}
		self.documents: list[tuple[str, str, str]] = []  # (doctype, name, complaint key or "meeting")
		self.file_url: str | None = None
		self.data_import: str | None = None
		self.import_file_url: str | None = None
		self.communications: list[str] = []
		self.correction_request: str | None = None
		self.unhandled_mail: str | None = None
		# SMS, LAPOR! and Open311 (p3m_app.tests.leak.channels)
		self.channel_documents: list[tuple[str, str, str]] = []
		self.channel_secrets: dict[str, str] = {}
		self.lapor_import: str | None = None
		self.saved_track_limit = None
		self._forbidden: dict[str, dict[str, str]] = {}

	# ---------------------------------------------------------------- build

	def build(self) -> "LeakWorld":
		purge()
		previous_user = frappe.session.user
		frappe.set_user("Administrator")
		try:
			self._make_outgoing_account()
			self._make_users()
			self._make_units()
			self._grant_desk_roles()
			self._make_category()
			for spec in COMPLAINTS:
				self._make_complaint(spec)
			self._attach_everything()
			self._pkh_pack()
			self._make_meeting()
			self._make_import()
			self._make_unhandled_mail()
			_channels().build(self, ComplaintSpec, FixtureComplaint)
			self._collect_documents()
			frappe.db.commit()
		except Exception:
			frappe.db.rollback()
			purge()
			raise
		finally:
			frappe.set_user(previous_user)
		return self

	def _make_outgoing_account(self):
		"""Frappe queues mail only with a default outgoing account; without one, paths that notify
		by mail fail before they write, which would hide what they would have done."""
		if not frappe.db.exists("Email Account", {"default_outgoing": 1}):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": OUTGOING_ACCOUNT,
					"email_id": "noreply.leak@p3m.test",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "127.0.0.1",
					"no_smtp_authentication": 1,
				}
			).insert(ignore_permissions=True)

	def _make_users(self):
		for user in ALL_USERS:
			if user.email == GUEST:
				continue
			doc = frappe.get_doc(
				{
					"doctype": "User",
					"email": user.email,
					"first_name": f"Leak {user.key}",
					"send_welcome_email": 0,
					"user_type": "Website User" if user.website_user else "System User",
					"document_follow_notify": 1,
				}
			)
			doc.api_key = frappe.generate_hash(length=15)
			secret = frappe.generate_hash(length=15)
			doc.api_secret = secret
			doc.flags.ignore_permissions = True
			doc.insert()
			if user.email == OUTSIDER:
				doc.add_roles(roles.OFFICER)
			self.api_keys[user.email] = f"{doc.api_key}:{secret}"
			if frappe.db.exists("Notification Settings", user.email):
				frappe.db.set_value("Notification Settings", user.email, "enable_email_notifications", 0)

	def _make_units(self):
		for name, (level, parent, unit_type) in UNITS.items():
			officers = [
				{"user": u.email, "role_in_unit": u.unit_role, "receives_assignments": 0}
				for u in ALL_USERS
				if u.unit == name
			]
			frappe.get_doc(
				{
					"doctype": "Unit",
					"unit_name": name,
					"unit_level": level,
					"parent_unit": parent,
					"is_group": int(any(p == name for p in PARENT_OF.values())),
					"is_active": 1,
					"unit_type": unit_type,
					"officers": officers,
				}
			).insert(ignore_permissions=True)

	def _grant_desk_roles(self):
		"""The units grant them already; stated here so the fixture does not depend on it."""
		for user in ALL_USERS:
			if user.desk_roles:
				frappe.get_doc("User", user.email).add_roles(*user.desk_roles)

	def _make_category(self):
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": CATEGORY,
				"program": "PKH",
				"default_unit": PUSAT,
			}
		).insert(ignore_permissions=True)

	def _make_complaint(self, spec: ComplaintSpec):
		tag = spec.key.replace("_", "-")
		values = factories.complaint_values(
			**{
				"subject": f"LeakSubject-{tag}",
				"description": f"LeakDescription-{tag}: bantuan belum diterima.",
				"category": CATEGORY,
				"current_unit": spec.recorded_at,
				# the factory's default reporter is not part of this fixture
				**dict.fromkeys(("reporter_name", "reporter_phone", "reporter_email")),
				**spec.values,
				**spec.identity,
			}
		)
		doc = frappe.get_doc(values).insert(ignore_permissions=True)
		confidential_mail = spec.key == "conf_mail"
		if confidential_mail:
			self._receive_mail(doc)
		if spec.unit == INSPEKTORAT:
			act(doc.name, "Verify")
			forward_to_inspektorat(doc.name, INSPEKTORAT, "LeakReason-Inspektorat dugaan pungli")
		elif spec.unit != spec.recorded_at:
			act(doc.name, "Verify")
			path = [spec.unit]
			while PARENT_OF[path[0]] != spec.recorded_at:
				path.insert(0, PARENT_OF[path[0]])
			for unit in path:
				act(
					doc.name, "Dispose", dispose_to_unit=unit, disposition_instruction="Mohon ditindaklanjuti"
				)
				act(doc.name, "Accept")
		if spec.copy_to:
			copy_to(doc.name, spec.copy_to, "LeakReason-Tembusan untuk pengawasan")
		if confidential_mail:
			# marked confidential once it reached the unit: the app seals what the mails carry
			doc = frappe.get_doc("Complaint", doc.name)
			doc.is_confidential = 1
			doc.save(ignore_permissions=True)
		doc = frappe.get_doc("Complaint", doc.name)
		code = doc.tracking_code
		fixture = FixtureComplaint(spec, doc.name, code, doc.origin_unit)
		fixture.content = {
			doc.name: f"name of complaint {spec.key}",
			code: f"tracking code of {spec.key}",
			tracking_code.display(code): f"tracking code of {spec.key}",
			values["subject"]: f"subject of {spec.key}",
			f"LeakDescription-{tag}": f"description of {spec.key}",
		}
		fixture.identity = _channels().identity_secrets(spec.identity, spec.key)
		if confidential_mail:
			fixture.identity.update({value: f"{key} of {spec.key}" for key, value in MAIL_SECRETS.items()})
		self.complaints[spec.key] = fixture

	def _receive_mail(self, doc):
		"""The reporter's mail and the unit's reply, as Frappe's mail intake stores them."""
		name, address = doc.reporter_name, doc.reporter_email
		received = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": doc.subject,
				"sender": address,
				"sender_full_name": name,
				"recipients": INBOX,
				"content": (
					f"<p>Selamat siang, saya {name} ({address}, HP {MAIL_SECRETS['mail_phone']}, "
					f"NIK {MAIL_SECRETS['mail_id_number']}), tinggal di {MAIL_SECRETS['mail_address']}.</p>"
					f"<p>{MAIL_SECRETS['mail_body']}: bantuan saya dipotong oleh pendamping.</p>"
				),
				"reference_doctype": "Complaint",
				"reference_name": doc.name,
				"message_id": f"<{frappe.generate_hash(length=12)}@example.org>",
			}
		).insert(ignore_permissions=True)
		reply = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": f"Re: {doc.subject}",
				"sender": INBOX,
				"recipients": f"{name} <{address}>",
				"content": f"<p>Yth. {name}, {MAIL_SECRETS['mail_reply_body']}: laporan Anda kami terima.</p>",
				"reference_doctype": "Complaint",
				"reference_name": doc.name,
				"in_reply_to": received.name,
			}
		).insert(ignore_permissions=True)
		self.communications = [received.name, reply.name]

	def _attach_everything(self):
		from frappe.desk.doctype.tag.tag import add_tag
		from frappe.desk.form.assign_to import add as assign
		from frappe.desk.form.document_follow import follow_document
		from frappe.share import add_docshare

		c = self.complaints
		named_a1 = c["named_a1"]
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": FILE_NAME,
				"attached_to_doctype": "Complaint",
				"attached_to_name": named_a1.name,
				"is_private": 1,
				"content": FILE_CONTENT,
			}
		).insert(ignore_permissions=True)
		self.file_url = file.file_url
		named_a1.content[FILE_CONTENT.decode().split(":")[0]] = "content of named_a1's private file"
		named_a1.content[file.file_url.rsplit("/", 1)[-1]] = "file name attached to named_a1"

		complaint = frappe.get_doc("Complaint", named_a1.name)
		complaint.add_comment("Comment", "LeakComment-KabA1: pelapor pernah melapor sebelumnya")
		named_a1.content["LeakComment-KabA1"] = "comment on named_a1"
		add_docshare(
			"Complaint", named_a1.name, user="leak.child@p3m.test", flags={"ignore_share_permission": 1}
		)
		if not follow_document("Complaint", named_a1.name, "leak.child@p3m.test"):
			frappe.get_doc(
				{
					"doctype": "Document Follow",
					"ref_doctype": "Complaint",
					"ref_docname": named_a1.name,
					"user": "leak.child@p3m.test",
				}
			).insert(ignore_permissions=True)
		# one assignment on each complaint that has a holder: the assignee-count oracle needs them
		assignees = {
			"named_b": "leak.sibling@p3m.test",
			"named_a1": "leak.child@p3m.test",
			"conf_portal": ADMIN_A,
			"conf_mail": "leak.child@p3m.test",
			"insp": "leak.inspektorat@p3m.test",
		}
		for key, user in assignees.items():
			assign(
				{
					"assign_to": [user],
					"doctype": "Complaint",
					"name": c[key].name,
					"description": f"LeakTodo-{key}",
				}
			)
		for fixture in c.values():
			add_tag(TAG, "Complaint", fixture.name)

	def _pkh_pack(self):
		"""A ticked handling step, a logged letter and a correction request with private evidence on
		named_a1: each holds text only the complaint's readers may see."""
		from p3m_app.programs.pkh.checklist import tick_step
		from p3m_app.programs.pkh.letters import record_letter

		named_a1 = self.complaints["named_a1"]
		tick_step(named_a1.name, 1, f"{PKH_SECRETS['step_note']}: pelapor diwawancarai")
		record_letter(named_a1.name, "Receipt", "Post", PKH_SECRETS["letter_reference"])
		request = frappe.get_doc(
			{
				"doctype": "Master Data Correction Request",
				"complaint": named_a1.name,
				"recommendation": f"{PKH_SECRETS['recommendation']}: perbaiki nama anak",
				"provider": PKH_SECRETS["provider"],
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "leak-evidence-correction.txt",
				"attached_to_doctype": "Master Data Correction Request",
				"attached_to_name": request.name,
				"is_private": 1,
				"content": f"{PKH_SECRETS['evidence']}: akta kelahiran".encode(),
			}
		).insert(ignore_permissions=True)
		self.correction_request = request.name
		named_a1.content.update({value: f"{key} of named_a1" for key, value in PKH_SECRETS.items()})

	def _make_meeting(self):
		c = self.complaints
		meeting = frappe.get_doc(
			{
				"doctype": "Coordination Meeting",
				"title": "LeakMeeting-ProvA",
				"meeting_date": add_days(now_datetime(), -1),
				"status": "Held",
				"organising_unit": PROV_A,
				"participating_units": [{"unit": KAB_A1}],
				"agenda": "<p>LeakAgenda-ProvA: penyaluran bantuan</p>",
				"minutes": "<p>LeakMinutes-ProvA: rekening dibekukan</p>",
				"decisions": "<p>LeakDecision-ProvA: verifikasi ulang</p>",
				"complaints": [
					{"complaint": c["named_a1"].name, "note": "LeakMeetingNote-named-a1"},
					{"complaint": c["conf_mail"].name},
				],
				"attendance": [{"person": "LeakAttendee-Person", "unit": KAB_A1, "present": 1}],
			}
		).insert(ignore_permissions=True)
		self.meeting = meeting.name
		self.meeting_secrets = {
			meeting.name: "name of the coordination meeting",
			"LeakMeeting-ProvA": "title of the coordination meeting",
			"LeakAgenda-ProvA": "agenda of the coordination meeting",
			"LeakMinutes-ProvA": "minutes of the coordination meeting",
			"LeakDecision-ProvA": "decisions of the coordination meeting",
			"LeakMeetingNote-named-a1": "note on named_a1 in the coordination meeting",
			"LeakAttendee-Person": "attendee of the coordination meeting",
		}

	def _make_import(self):
		header = (
			"Series,Subject,Description,Channel,Classification,Program,Category,Received At,"
			"Current Unit,Reporter Name,Reporter Phone,Reporter Email,Anonymous,Confidential"
		)
		row = (
			"P3M-.YYYY.-.######,LeakSubject-import,Bantuan belum diterima,Phone,Pengaduan,PKH,,"
			f"2025-09-02 09:15:00,{PROV_A},LeakNameImportRow,+62 811 5550 6006,"
			"leak.reporter6006@example.org,0,0"
		)
		data_import = frappe.get_doc(
			{"doctype": "Data Import", "reference_doctype": "Complaint", "import_type": "Insert New Records"}
		).insert(ignore_permissions=True)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": IMPORT_FILE_NAME,
				"attached_to_doctype": "Data Import",
				"attached_to_name": data_import.name,
				"is_private": 1,
				"content": f"{header}\n{row}\n".encode(),
			}
		).insert(ignore_permissions=True)
		data_import.import_file = file.file_url
		data_import.save(ignore_permissions=True)
		self.data_import, self.import_file_url = data_import.name, file.file_url

	def _make_unhandled_mail(self):
		self.unhandled_mail = (
			frappe.get_doc(
				{
					"doctype": "Unhandled Email",
					"message_id": "<leak-unhandled@p3m.test>",
					"reason": "LeakUnhandled",
					"raw": f"From: nobody\nSubject: x\n\n{UNHANDLED_SECRET} NIK 3201990000009009",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def _collect_documents(self):
		"""One document of each kind the per-document calls aim at."""
		c = self.complaints
		docs = [("Complaint", f.name, f.key) for f in c.values()]
		for key in ("conf_portal", "conf_mail"):
			docs.append(("Reporter Identity", c[key].name, key))
		docs += [("Communication", name, "conf_mail") for name in self.communications]
		first = {
			"File": {"attached_to_name": c["named_a1"].name},
			"Comment": {"reference_name": c["named_a1"].name, "comment_type": "Comment"},
			"ToDo": {"reference_name": c["conf_mail"].name},
			"Disposition": {"complaint": c["named_a1"].name},
			"Version": {"ref_doctype": "Complaint", "docname": c["named_b"].name},
		}
		owner = {"File": "named_a1", "Comment": "named_a1", "ToDo": "conf_mail", "Disposition": "named_a1"}
		for doctype, filters in first.items():
			name = frappe.db.get_value(doctype, filters, "name", order_by="creation asc")
			if name:
				docs.append((doctype, name, owner.get(doctype, "named_b")))
		docs.append(("Master Data Correction Request", self.correction_request, "named_a1"))
		docs.append(("Coordination Meeting", self.meeting, "meeting"))
		self.documents = docs + self.channel_documents

	# ---------------------------------------------------------------- the rule, applied

	def probe_user(self, key: str) -> ProbeUser:
		return next(u for u in ALL_USERS if u.key == key)

	def scope_keys(self, user: ProbeUser) -> set[str]:
		"""The fixture complaints (by key), and "meeting", that ``user`` may see under ``rule``."""
		reached = rule.reach([user.unit] if user.unit else [], PARENT_OF)
		keys = {
			key
			for key, fixture in self.complaints.items()
			if rule.in_scope(user.desk_roles, reached, fixture.as_scope_row())
		}
		# a meeting is read by the units in reach of its organiser or of a participating unit
		if rule.NATIONAL_ROLES & user.desk_roles or reached & {PROV_A, KAB_A1}:
			keys.add("meeting")
		return keys

	def forbidden(self, user: ProbeUser) -> dict[str, str]:
		"""{secret string: why it must not reach ``user``} under ``rule``."""
		if user.key not in self._forbidden:
			self._forbidden[user.key] = self._forbidden_for(user)
		return self._forbidden[user.key]

	def _forbidden_for(self, user: ProbeUser) -> dict[str, str]:
		scope = self.scope_keys(user)
		out = {}
		for key, fixture in self.complaints.items():
			if key not in scope:
				out.update({s: f"{what} (out of scope)" for s, what in fixture.content.items()})
			if not rule.may_see_identity(fixture.kind, user.desk_roles, key in scope):
				reason = "out of scope" if key not in scope else f"{fixture.kind} identity"
				out.update({s: f"{what} ({reason})" for s, what in fixture.identity.items()})
		if "meeting" not in scope:
			out.update({s: f"{what} (out of scope)" for s, what in self.meeting_secrets.items()})
		if not rule.NATIONAL_ROLES & user.desk_roles:
			out.update({s: f"{what} (System Manager only)" for s, what in IMPORT_SECRETS.items()})
			out[UNHANDLED_SECRET] = "raw body of a queued unhandled mail (admins of the inbox only)"
		out.update(_channels().forbidden(self, user))
		return out

	def names(self) -> list[str]:
		return [f.name for f in self.complaints.values()]


# ------------------------------------------------------------------- teardown


NOTHING = "__no_leak_fixture__"  # an "in" filter that matches no row


def fixture_users() -> list[str]:
	return [u.email for u in ALL_USERS if u.email != GUEST]


def purge() -> None:
	"""Delete everything the fixture (or a request made against it) created, and commit."""
	previous_user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		_purge()
		frappe.db.commit()
	finally:
		frappe.set_user(previous_user)


def _purge() -> None:
	_channels().purge()
	units = list(UNITS)
	users = fixture_users()
	complaints = frappe.get_all(
		"Complaint",
		or_filters={
			"current_unit": ("in", units),
			"origin_unit": ("in", units),
			"subject": ("like", "LeakSubject-%"),
		},
		pluck="name",
	)
	meetings = frappe.get_all(
		"Coordination Meeting",
		or_filters={"organising_unit": ("in", units), "title": ("like", "Leak%")},
		pluck="name",
	)
	dispositions = frappe.get_all(
		"Disposition", filters={"complaint": ("in", complaints or [NOTHING])}, pluck="name"
	)
	communications = frappe.get_all(
		"Communication",
		or_filters={
			"reference_name": ("in", complaints or [NOTHING]),
			"sender": ("like", "%leak%@example.org"),
			"recipients": ("like", "%leak%@example.org%"),
		},
		pluck="name",
	)
	imports = frappe.get_all(
		"Data Import", filters={"import_file": ("like", f"%{IMPORT_FILE_NAME.split('.')[0]}%")}, pluck="name"
	)
	corrections = frappe.get_all(
		"Master Data Correction Request", filters={"complaint": ("in", complaints or [NOTHING])}, pluck="name"
	)
	docs = [*complaints, *meetings, *dispositions, *communications, *imports, *corrections] or [NOTHING]
	files = frappe.get_all(
		"File",
		filters={"is_folder": 0},
		or_filters={
			"attached_to_name": ("in", docs),
			"file_name": ("in", (FILE_NAME, IMPORT_FILE_NAME, "leak-evidence-correction.txt")),
		},
		pluck="name",
	)
	for name in files:
		frappe.delete_doc("File", name, force=True, ignore_permissions=True, delete_permanently=True)
	by_reference = (
		("Complaint SLA Milestone", "parent", complaints),
		("Disposition", "complaint", complaints),
		("Reporter Identity", "name", complaints),
		("Communication Link", "parent", communications),
		("Communication Link", "link_name", docs),
		("Communication", "name", communications),
		("ToDo", "reference_name", docs),
		("DocShare", "share_name", docs),
		("Document Follow", "ref_docname", docs),
		("Comment", "reference_name", docs),
		("Version", "docname", [*docs, *users, *units]),
		("Tag Link", "document_name", docs),
		("Workflow Action", "reference_name", docs),
		("Notification Log", "document_name", docs),
		("Access Log", "reference_document", docs),
		("View Log", "reference_name", docs),
		("Energy Point Log", "reference_name", docs),
		("Activity Log", "reference_name", docs),
		("Coordination Meeting Complaint", "parent", meetings),
		("Coordination Meeting Unit", "parent", meetings),
		("Coordination Meeting Attendance", "parent", meetings),
		("Coordination Meeting", "name", meetings),
		("Data Import Log", "data_import", imports),
		("Data Import", "name", imports),
		("Master Data Correction Request", "name", corrections),
		("Complaint", "name", complaints),
		# what the users did or received
		("Notification Log", "for_user", users),
		("Notification Log", "from_user", users),
		("Access Log", "user", users),
		("View Log", "viewed_by", users),
		("Activity Log", "user", users),
		("Route History", "user", users),
		("Energy Point Log", "user", users),
		("ToDo", "allocated_to", users),
		("DocShare", "user", users),
		("Document Follow", "user", users),
		("Deleted Document", "deleted_name", [*docs, *files, *users, *units]),
	)
	for doctype, fieldname, values in by_reference:
		if values:
			frappe.db.delete(doctype, {fieldname: ("in", values)})
	purge_references([*docs, *files])
	queues = frappe.get_all(
		"Email Queue",
		or_filters={
			"reference_name": ("in", docs),
			"sender": ("like", "%noreply.leak@p3m.test%"),
			"message": ("like", "%leak.%@%"),
		},
		pluck="name",
	)
	if queues:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queues)})
		frappe.db.delete("Email Queue", {"name": ("in", queues)})
	frappe.db.delete("Email Queue Recipient", {"recipient": ("like", "%leak%@%")})
	frappe.db.delete("Unhandled Email", {"reason": "LeakUnhandled"})
	frappe.db.delete("Tag Link", {"tag": TAG})
	frappe.db.delete("Tag", {"name": TAG})
	if frappe.db.exists("Email Account", OUTGOING_ACCOUNT):
		frappe.delete_doc(
			"Email Account", OUTGOING_ACCOUNT, force=True, ignore_permissions=True, delete_permanently=True
		)
	if frappe.db.exists("Complaint Category", CATEGORY):  # a nested set: delete_doc keeps lft/rgt right
		frappe.delete_doc(
			"Complaint Category", CATEGORY, force=True, ignore_permissions=True, delete_permanently=True
		)
	# units children first (nested set), then the users they listed
	existing = [u for u in units if frappe.db.exists("Unit", u)]
	for unit in sorted(existing, key=lambda u: -depth(u)):
		frappe.db.delete("Assignment Rule", {"document_type": "Complaint", "name": f"P3M Unit: {unit}"})
		frappe.delete_doc("Unit", unit, force=True, ignore_permissions=True, delete_permanently=True)
	from frappe.utils.password import delete_all_passwords_for

	for user in users:
		if frappe.db.exists("User", user):
			# User.on_trash refuses on a site with no System Manager besides Administrator (a fresh
			# test site); what it would clean up is deleted above and here
			frappe.delete_doc(
				"User",
				user,
				force=True,
				ignore_permissions=True,
				ignore_on_trash=True,
				delete_permanently=True,
			)
		delete_all_passwords_for("User", user)
		frappe.db.delete("Notification Settings", {"name": user})
		frappe.db.delete("DefaultValue", {"parent": user})
	contacts = set(frappe.get_all("Contact Email", filters={"email_id": ("in", users)}, pluck="parent"))
	contacts |= set(frappe.get_all("Contact", filters={"user": ("in", users)}, pluck="name"))
	for contact in contacts:
		if frappe.db.exists("Contact", contact):
			frappe.delete_doc(
				"Contact", contact, force=True, ignore_permissions=True, delete_permanently=True
			)
	frappe.db.delete("Contact Email", {"email_id": ("in", users)})
	frappe.db.delete("Deleted Document", {"deleted_name": ("in", [*users, *units])})


def purge_references(names: list[str]) -> None:
	"""Rows of any child table under, or any Dynamic Link pointing at, the given documents (what
	other parts of the app hang off a complaint or a mail, now or later)."""
	names = [n for n in names if n and n != NOTHING]
	if not names:
		return
	tables = frappe.get_all("DocType", filters={"istable": 1, "is_virtual": 0}, pluck="name")
	links = frappe.get_all(
		"DocField", filters={"fieldtype": "Dynamic Link"}, fields=["parent", "fieldname"], distinct=True
	)
	targets = [(table, "parent") for table in tables] + [(row.parent, row.fieldname) for row in links]
	for doctype, fieldname in targets:
		if frappe.db.table_exists(doctype) and not frappe.get_meta(doctype).issingle:
			frappe.db.delete(doctype, {fieldname: ("in", names)})


def _channels():
	"""SMS, LAPOR! and Open311 (imported late: its calls register in the call table)."""
	from p3m_app.tests.leak import channels

	return channels


def depth(unit: str) -> int:
	level = 0
	while PARENT_OF.get(unit):
		unit = PARENT_OF[unit]
		level += 1
	return level
