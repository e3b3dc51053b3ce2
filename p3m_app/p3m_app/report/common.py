"""What every P3M report settles before it queries: the viewer's reach, the period, the filters.

A report shows only units inside the viewer's reach (their units and every unit below), the
same rule the Complaint list follows. Naming a unit outside it is refused, never answered with
an empty (or worse, a full) table. No helper here ever selects a reporter's identity.
"""

import frappe
from frappe import _
from frappe.query_builder import Criterion, DocType
from frappe.utils import cint, getdate, today

from p3m_app import permissions
from p3m_app.core import report_period, unit_scope
from p3m_app.core.errors import RuleViolation
from p3m_app.core.working_calendar import CalendarRangeError
from p3m_app.sla import calendars
from p3m_app.utils import throw

# filters that compare a Complaint field for equality (from_lapor: a Check, compared only when ticked)
COMPLAINT_FILTERS = ("program", "classification", "category", "channel", "from_lapor")


def view_bounds(unit: str | None = None, user: str | None = None) -> list[tuple[int, int]] | None:
	"""Nested-set ranges the report may show; None means every unit (national reach)."""
	user = user or frappe.session.user
	if unit:
		bounds = frappe.db.get_value("Unit", unit, ["lft", "rgt"])
		if not bounds:
			frappe.throw(
				_("Unit {0} does not exist.").format(unit),
				frappe.DoesNotExistError,
				title=_("Invalid Filter"),
			)
		if not permissions.unit_in_reach(unit, user):
			frappe.throw(
				_(
					"Unit {0} is outside the units you can see; choose one of your units or a unit below them."
				).format(unit),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		return [(int(bounds[0]), int(bounds[1]))]
	if permissions.is_unrestricted(user):
		return None
	return permissions.unit_bounds(user)


def no_reach_message(bounds) -> str | None:
	if bounds is not None and not bounds:
		return _("You are not an officer of any active unit, so there is nothing to show.")
	return None


def scope_sql(column: str, bounds) -> str:
	"""' and <column in reach>' for a query's where clause (only integers reach the SQL)."""
	if bounds is None:
		return ""
	return " and " + unit_scope.sql_condition(column, bounds)


def units_in_view(bounds) -> list[dict]:
	"""Every unit the report may show, in tree order (one query)."""
	if bounds is not None and not bounds:
		return []
	unit = DocType("Unit")
	query = (
		frappe.qb.from_(unit)
		.select(unit.name, unit.unit_level, unit.parent_unit, unit.lft, unit.rgt, unit.is_active)
		.orderby(unit.lft)
	)
	if bounds is not None:
		query = query.where(Criterion.any([(unit.lft >= low) & (unit.lft <= high) for low, high in bounds]))
	return query.run(as_dict=True)


def period(filters) -> tuple:
	"""Checked (from, to) dates and the half-open datetime range for ``received_at``."""
	try:
		start, end = report_period.check_period(
			filters.get("from_date"), filters.get("to_date"), getdate(today())
		)
	except RuleViolation as violation:
		throw(violation, title=_("Invalid Period"))
	return start, end, *report_period.datetime_range(start, end)


def month(filters) -> tuple:
	"""Checked first and last day of the month filter, and its datetime range."""
	try:
		first, last = report_period.parse_month(filters.get("month"), getdate(today()))
	except RuleViolation as violation:
		throw(violation, title=_("Invalid Period"))
	return first, last, *report_period.datetime_range(first, last)


def complaint_conditions(filters, alias: str = "c", fields=COMPLAINT_FILTERS) -> tuple[str, dict]:
	"""' and c.field = %(field)s' for each equality filter given, with its parameters."""
	sql, values = "", {}
	for fieldname in fields:
		if fieldname == "from_lapor" and not cint(filters.get(fieldname)):
			continue
		if filters.get(fieldname):
			sql += f" and {alias}.`{fieldname}` = %({fieldname})s"
			values[fieldname] = filters.get(fieldname)
	return sql, values


class WorkingDays:
	"""Working days between two moments on a unit's own calendar; one calendar per unit per run."""

	def __init__(self):
		self._calendars = {}

	def __call__(self, unit: str | None, start, end) -> int | None:
		if not start or not end:
			return None
		if unit not in self._calendars:
			self._calendars[unit] = calendars.calendar_for_unit(unit)
		try:
			return self._calendars[unit].working_days_between(start, end)
		except CalendarRangeError:
			return None  # outside the holiday calendar: unknown rather than wrong


def column(fieldname: str, label: str, fieldtype: str = "Int", options: str | None = None, width: int = 110):
	col = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
	if options:
		col["options"] = options
	return col


def not_stated(value):
	return value if value else _("(Not stated)")
