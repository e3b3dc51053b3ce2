"""Where a breached milestone escalates to, decided on a unit's chain of ancestors.

The SLA sweep computes the same answer for every late complaint at once in SQL, with
correlated subqueries on the unit tree's nested set (p3m_app.sla.sweep); this is the rule it
follows, written once so it can be read and tested without a database.
"""

from dataclasses import dataclass

from p3m_app.core import sla_policy as sla


@dataclass(frozen=True)
class UnitNode:
	name: str
	level: str | None = None
	has_admin: bool = False  # an officer of the unit has role_in_unit "Admin"


@dataclass(frozen=True)
class Target:
	unit: str | None = None
	national: bool = False
	admins_only: bool = False  # only the unit's Admin officers are alerted

	@property
	def label(self) -> str:
		"""What the escalation log names: the unit, Admin Nasional, or nothing."""
		return self.unit or ("Admin Nasional" if self.national else "")


def target(escalate: str, escalate_to: str | None, holding: list, ladder_parent: str | None) -> Target:
	"""``holding``: the holding unit then its ancestors, nearest first (UnitNode each);
	``ladder_parent``: the parent of the unit the complaint was last escalated to (or of the
	holding unit), the next rung for "Next Level Up"."""
	if escalate == sla.ESCALATE_NONE:
		return Target()
	if escalate == sla.ESCALATE_UP:
		return Target(unit=ladder_parent) if ladder_parent else Target(national=True)
	if escalate == sla.ESCALATE_UNIT:
		return Target(unit=escalate_to) if escalate_to else Target(national=True)
	if escalate == sla.ESCALATE_LEVEL:
		found = next((u.name for u in holding if u.level == escalate_to), None)
		return Target(unit=found) if found else Target(national=True)
	if escalate == sla.ESCALATE_ADMIN:
		found = next((u.name for u in holding if u.has_admin), None)
		return Target(unit=found, admins_only=True) if found else Target(national=True)
	return Target(national=True)
