"""Where a complaint may be disposed to."""

from p3m_app.core.errors import RuleViolation, _


def check_target(
	*,
	current_unit: str,
	target: str,
	target_is_active: bool,
	target_in_current_subtree: bool,
	chain_units: set[str],
	actor_is_national: bool,
	target_is_inspektorat: bool = False,
	inspektorat_reason: str = "",
) -> None:
	"""Refuse a disposition to the same unit, an inactive unit, a unit outside the
	disposing unit's branch (national admins may dispose anywhere), or a unit already in
	the complaint's open disposition chain (a cycle). An Inspektorat stands outside the
	branches: any level may forward to it, always with a reason."""
	if target == current_unit:
		raise RuleViolation(_("A complaint cannot be disposed to the unit that already holds it."))
	if not target_is_active:
		raise RuleViolation(_("Unit {unit} is inactive and cannot receive complaints."), unit=target)
	if target in chain_units:
		raise RuleViolation(
			_(
				"Unit {unit} already handled this complaint in the current disposition chain; disposing it there again would make a cycle."
			),
			unit=target,
		)
	if target_is_inspektorat:
		if not (inspektorat_reason or "").strip():
			raise RuleViolation(_("Give the reason for forwarding the complaint to the Inspektorat."))
		return
	if not actor_is_national and not target_in_current_subtree:
		raise RuleViolation(
			_(
				"Unit {unit} is not below {current}: dispose only to units under yours, or return the complaint."
			),
			unit=target,
			current=current_unit,
		)


def open_chain_units(dispositions: list[dict], open_statuses=("Sent", "Accepted", "Forwarded")) -> set[str]:
	"""Units on the complaint's live chain: every end of a disposition still in effect."""
	units = set()
	for row in dispositions:
		if row.get("status") in open_statuses:
			units.update(u for u in (row.get("from_unit"), row.get("to_unit")) if u)
	return units
