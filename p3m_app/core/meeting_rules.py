"""Coordination meetings (rapat koordinasi): which units, complaints and attendees a meeting may list,
and which units make a meeting visible.

A meeting belongs to its organising unit; the units taking part may read it too, so one meeting
can bring several branches of the tree around the same complaints.
"""

from p3m_app.core.errors import RuleViolation, _
from p3m_app.core.unit_scope import Bounds, sql_condition

# what a unit taking part may do; changing a meeting stays with the organising unit
READ_PTYPES = frozenset({"read", "select", "print", "email", "export", "report"})


def added(before: list[str], after: list[str]) -> list[str]:
	"""Values in ``after`` that ``before`` lacks: a save checks only what it adds, so a meeting
	stays editable after one of its units is closed or one of its complaints moves away."""
	known = set(before)
	return [value for value in after if value and value not in known]


def check_participants(organising_unit: str, participating_units: list[str]) -> None:
	"""Each unit is listed once."""
	seen = {organising_unit}
	for unit in participating_units:
		if unit in seen:
			raise RuleViolation(_("Unit {unit} is listed twice among the meeting's units."), unit=unit)
		seen.add(unit)


def check_active(new_units: list[str], inactive_units: set[str]) -> None:
	"""Only active units can be invited."""
	for unit in new_units:
		if unit in inactive_units:
			raise RuleViolation(_("Unit {unit} is inactive and cannot take part in a meeting."), unit=unit)


def check_complaints(complaints: list[str]) -> None:
	"""A complaint is discussed once per meeting; its notes go in one row."""
	seen = set()
	for complaint in complaints:
		if complaint in seen:
			raise RuleViolation(
				_("Complaint {complaint} is linked twice; keep one row and put every note in it."),
				complaint=complaint,
			)
		seen.add(complaint)


def check_attendance(attendees: list[tuple[str, str | None]], meeting_units: set[str]) -> None:
	"""An attendee speaks for the organising unit or a participating one (or for no unit)."""
	for person, unit in attendees:
		if unit and unit not in meeting_units:
			raise RuleViolation(
				_("{person} attends for {unit}, which neither organises nor takes part in the meeting."),
				person=person,
				unit=unit,
			)


def scope_condition(
	bounds: list[Bounds],
	meeting_table: str = "`tabCoordination Meeting`",
	units_table: str = "`tabCoordination Meeting Unit`",
) -> str:
	"""SQL keeping meetings whose organising unit or any participating unit lies in ``bounds``."""
	if not bounds:
		return "1=0"
	organiser = sql_condition(f"{meeting_table}.`organising_unit`", bounds)
	participant = sql_condition("meeting_unit.`unit`", bounds)
	return (
		f"({organiser} or exists (select 1 from {units_table} meeting_unit"
		f" where meeting_unit.`parent` = {meeting_table}.`name`"
		f" and meeting_unit.`parenttype` = 'Coordination Meeting' and {participant}))"
	)
