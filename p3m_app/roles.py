"""Role names, shared by permissions, install and the demo."""

ADMIN_NASIONAL = "P3M Admin Nasional"
ADMIN_INSTANSI = "P3M Admin Instansi"
OFFICER = "P3M Officer"
PIMPINAN = "P3M Pimpinan"
INSPEKTORAT = "P3M Inspektorat"
CONFIDENTIAL_READER = "P3M Confidential Reader"
PPID = "P3M PPID"
PENDAMPING = "P3M Pendamping"
PENANGGUNG_JAWAB = "P3M Penanggung Jawab"

ALL = (
	ADMIN_NASIONAL,
	ADMIN_INSTANSI,
	OFFICER,
	PIMPINAN,
	INSPEKTORAT,
	CONFIDENTIAL_READER,
	PPID,
	PENDAMPING,
	PENANGGUNG_JAWAB,
)

# Role in a unit's officer table -> the desk role it needs.
UNIT_ROLE_TO_ROLE = {
	"Admin": ADMIN_INSTANSI,
	"Officer": OFFICER,
	"Pimpinan": PIMPINAN,
	"Inspektorat": INSPEKTORAT,
	"PPID": PPID,
	"Confidential Reader": CONFIDENTIAL_READER,
	"Pendamping": PENDAMPING,
	"Penanggung Jawab": PENANGGUNG_JAWAB,
}

ROLE_DESCRIPTIONS = {
	ADMIN_NASIONAL: "National super-admin: sees and disposes every complaint.",
	ADMIN_INSTANSI: "Agency / echelon-1 admin: verifies and disposes complaints within its units.",
	OFFICER: "Unit officer (Pejabat Penghubung): accepts, answers or returns complaints of its unit.",
	PIMPINAN: "Head of unit: reads and monitors the complaints of its units.",
	INSPEKTORAT: "Inspectorate: reads the complaints forwarded to its unit.",
	CONFIDENTIAL_READER: "Reads the sealed identity of confidential reporters within its units; every read is logged.",
	PPID: "Information and documentation officer: decides which answers are published, without identity.",
	PENDAMPING: "PKH field facilitator: records complaints heard in group meetings and visits for its unit and refers them up.",
	PENANGGUNG_JAWAB: "Person in charge at UPPKH Pusat: approves or rejects Master Database correction requests.",
}
