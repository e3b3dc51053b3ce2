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


def check_referral_target(
	*,
	current_unit: str,
	target: str | None,
	target_is_active: bool,
	target_is_ancestor: bool,
	target_is_complaint_unit: bool,
	referred_before: set[str],
) -> None:
	"""A referral climbs the tree: to an active complaint-handling unit above the holder, and
	never twice to the same unit (a unit that sent it back down has decided where it belongs)."""
	if not target:
		raise RuleViolation(_("{unit} has no unit above it to refer the complaint to."), unit=current_unit)
	if target == current_unit:
		raise RuleViolation(_("A complaint cannot be referred to the unit that already holds it."))
	if not target_is_active:
		raise RuleViolation(_("Unit {unit} is inactive and cannot receive complaints."), unit=target)
	if not target_is_complaint_unit:
		raise RuleViolation(
			_("Unit {unit} does not handle complaints; use Copy To to inform it."), unit=target
		)
	if not target_is_ancestor:
		raise RuleViolation(
			_("Unit {unit} is not above {current}: a referral goes up the tree."),
			unit=target,
			current=current_unit,
		)
	if target in referred_before:
		raise RuleViolation(
			_(
				"This complaint was already referred to {unit}, which sent it back; referring it there again would make a cycle."
			),
			unit=target,
		)


def check_take_over(*, current_unit: str, taker: str | None, reason: str, state_is_open: bool) -> None:
	"""A higher unit may handle an urgent case directly (BOS / BOP PAUD duties), saying why."""
	if not state_is_open:
		raise RuleViolation(_("Only an open complaint can be taken over."))
	if not taker:
		raise RuleViolation(_("Only a unit above {unit} can take the complaint over."), unit=current_unit)
	if not (reason or "").strip():
		raise RuleViolation(_("Give the reason for taking the complaint over (why it is urgent)."))


def check_copy_target(
	*, current_unit: str, target: str, target_is_active: bool, target_type: str, target_is_ancestor: bool
) -> None:
	"""A copy (tembusan) informs the Inspektorat, the PPID or a higher unit; it moves nothing."""
	if target == current_unit:
		raise RuleViolation(_("The unit holding the complaint already has it."))
	if not target_is_active:
		raise RuleViolation(_("Unit {unit} is inactive."), unit=target)
	if target_type not in ("Inspektorat", "PPID") and not target_is_ancestor:
		raise RuleViolation(
			_("A copy goes to an Inspektorat, a PPID or a unit above {current}; {unit} is none of these."),
			current=current_unit,
			unit=target,
		)
