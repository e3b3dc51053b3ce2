"""The identity and scope rule the leak suite enforces, written as data.

Scope
	A user's scope is every complaint whose ``current_unit`` (or, read only, ``origin_unit`` or a
	``reader_units`` entry: a unit sent a copy, asked for help, or referred or taken over from) is
	one of the user's units or a unit below one of them. P3M Admin Nasional's scope is every
	complaint. Out-of-scope complaints are invisible: their names, tracking codes and contents
	never appear in any response to that user, and neither do the records hanging off them
	(dispositions, mails, files, comments, assignments, meetings, logs).

Identity, by kind of report (only ever inside the scope)
	anonymous     no identity exists, so none can be shown.
	named         ``NAMED_IDENTITY_FIELDS`` are shown to the roles in ``IDENTITY_READERS["named"]``:
	              Admin Instansi, Officer, Pimpinan, Inspektorat (for what reached its unit) and
	              Admin Nasional. Never to PPID, a Website User or Guest.
	confidential  the identity lives in the Reporter Identity vault; it, and the sender,
	              recipients and content of the complaint's e-mails, are shown only to
	              ``IDENTITY_READERS["confidential"]``: Admin Nasional, and a P3M Confidential
	              Reader whose units reach the complaint.

A user's role counts only in the units where the user holds it (Unit Officer table).
"""

from collections.abc import Iterable, Mapping

from p3m_app import roles

ANONYMOUS, NAMED, CONFIDENTIAL = "anonymous", "named", "confidential"

NAMED_IDENTITY_FIELDS = (
	"reporter_name",
	"reporter_email",
	"reporter_phone",
	"reporter_id_number",
	"reporter_address",
	"caller_number",
	"social_media_account",
	"participant_number",
)
SCOPE_FIELDS = ("current_unit", "origin_unit")

IDENTITY_READERS = {
	ANONYMOUS: frozenset(),
	NAMED: frozenset(
		{roles.ADMIN_NASIONAL, roles.ADMIN_INSTANSI, roles.OFFICER, roles.PIMPINAN, roles.INSPEKTORAT}
	),
	CONFIDENTIAL: frozenset({roles.ADMIN_NASIONAL, roles.CONFIDENTIAL_READER}),
}
# roles whose scope is every complaint, whatever their units
NATIONAL_ROLES = frozenset({roles.ADMIN_NASIONAL})


def reach(units: Iterable[str], parent_of: Mapping[str, str | None]) -> set[str]:
	"""The units given and every unit below them, from a {unit: parent} map."""
	units = set(units)
	found = set()
	for unit in parent_of:
		node = unit
		while node is not None:
			if node in units:
				found.add(unit)
				break
			node = parent_of.get(node)
	return found


def in_scope(user_roles: Iterable[str], reached: set[str], complaint: Mapping) -> bool:
	if NATIONAL_ROLES & set(user_roles):
		return True
	return any(complaint.get(field) in reached for field in SCOPE_FIELDS) or bool(
		reached & set(complaint.get("reader_units") or ())
	)


def may_see_identity(kind: str, user_roles: Iterable[str], in_scope_: bool) -> bool:
	"""Whether a user holding ``user_roles`` in the units that reach the complaint sees its identity."""
	return in_scope_ and bool(IDENTITY_READERS[kind] & set(user_roles))
