"""Master Database correction requests (PKH), without Frappe.

Pedoman PKH (seed 004), Tabel 1, types *terkait data peserta PKH* (lines 402-419) and *terkait
pemenuhan komitmen dan verifikasi* (lines 421-444): when the evidence suffices, the Kabupaten/Kota
sends the statement and supporting documents to UPPKH Pusat with a recommendation to correct the
Master Database (l. 406-407, 426-427); the participant is told in writing that it went to Pusat and
takes at most 1 month (l. 409-411, 429-431); Pusat tells its decision to the Kabupaten/Kota (for the
pendamping), the participant and any provider (l. 413-416, 433-436); an approved correction may be
the basis of the next payment (l. 418-419, 443-444). Changes to the Master Database need the
approval of the Penanggung Jawab UPPKH-Pusat (l. 346-351).
"""

from datetime import date

from dateutil.relativedelta import relativedelta

from p3m_app.core.errors import RuleViolation, _

DRAFT, SUBMITTED, APPROVED, REJECTED = "Draft", "Submitted", "Approved", "Rejected"
STATUSES = (DRAFT, SUBMITTED, APPROVED, REJECTED)
OPEN_STATUSES = frozenset({DRAFT, SUBMITTED})

SUBMIT, APPROVE, REJECT = "Submit", "Approve", "Reject"
# action -> (the status it starts from, the status it ends in)
TRANSITIONS = {SUBMIT: (DRAFT, SUBMITTED), APPROVE: (SUBMITTED, APPROVED), REJECT: (SUBMITTED, REJECTED)}

PROGRAM = "PKH"
# the two complaint types of Tabel 1 whose handling is a Master Database correction; matched on the
# category's name, so "Data Peserta", "PKH - Data Kepesertaan" or "Pemenuhan Komitmen dan
# Verifikasi" all qualify whatever prefix an agency gives its categories
CATEGORY_KEYWORDS = ("data peserta", "data kepesertaan", "pemenuhan komitmen")
# "membutuhkan waktu maksimal 1 (satu) bulan" (004 l. 410-411, 430-431)
PROCESSING_MONTHS = 1
# unit roles (Unit Officer.role_in_unit) that send a request for the unit holding the complaint
REQUESTING_UNIT_ROLES = frozenset({"Officer", "Admin"})
# the unit role at UPPKH Pusat that decides (004 l. 350-351)
DECIDING_UNIT_ROLE = "Penanggung Jawab"


def eligible(program: str | None, category: str | None) -> bool:
	"""Whether a complaint's type is handled with a Master Database correction."""
	if (program or "") != PROGRAM or not category:
		return False
	name = category.casefold()
	return any(keyword in name for keyword in CATEGORY_KEYWORDS)


def check_eligible(program: str | None, category: str | None) -> None:
	if not eligible(program, category):
		raise RuleViolation(
			_(
				"A Master Database correction is requested only for PKH complaints about participant "
				"data or commitment fulfilment and verification."
			)
		)


def due_date(submitted_on: date) -> date:
	"""The day Pusat's decision is due: one calendar month after the request was sent (a request
	sent on 31 January is due on the last day of February)."""
	return submitted_on + relativedelta(months=PROCESSING_MONTHS)


def is_overdue(status: str, due: date | None, today: date) -> bool:
	return status == SUBMITTED and due is not None and due < today


def next_status(status: str, action: str) -> str:
	"""The status ``action`` leads to from ``status``, or a refusal naming what is possible."""
	if action not in TRANSITIONS:
		raise RuleViolation(_("Unknown action {action}."), action=action)
	start, end = TRANSITIONS[action]
	if status != start:
		raise RuleViolation(
			_("A request that is {status} cannot be given the action {action}."), status=status, action=action
		)
	return end


def check_requester(actor_unit_roles: set[str], actor_is_national: bool, holding_unit: str) -> None:
	"""Only an officer or admin of the unit holding the complaint (or Admin Nasional) sends a request."""
	if actor_is_national or actor_unit_roles & REQUESTING_UNIT_ROLES:
		return
	raise RuleViolation(
		_("Only officers and admins of {unit}, which holds the complaint, can request a correction."),
		unit=holding_unit,
	)


def check_submission(recommendation: str | None, evidence_files: int) -> None:
	if not (recommendation or "").strip():
		raise RuleViolation(_("Write the recommendation for correcting the Master Database."))
	if evidence_files < 1:
		raise RuleViolation(
			_(
				"A correction request without evidence cannot be sent: attach at least one private file "
				"(statement, supporting documents) to the request first."
			)
		)


def check_decider(
	*,
	actor: str,
	submitted_by: str | None,
	actor_unit_roles: set[str],
	actor_is_national: bool,
	target_unit: str,
) -> None:
	"""The Penanggung Jawab of the target unit (UPPKH Pusat) or Admin Nasional decides, never the
	person who sent the request (four eyes, even for Admin Nasional)."""
	if submitted_by and actor == submitted_by:
		raise RuleViolation(_("You sent this correction request; someone else must decide on it."))
	if actor_is_national or DECIDING_UNIT_ROLE in actor_unit_roles:
		return
	raise RuleViolation(
		_("Only the Penanggung Jawab of {unit} decides on a Master Database correction."), unit=target_unit
	)


def check_reason(reason: str | None) -> None:
	if not (reason or "").strip():
		raise RuleViolation(_("Give the reason for the decision."))


def may_decide(
	actor: str, submitted_by: str | None, actor_unit_roles: set[str], actor_is_national: bool
) -> bool:
	"""For the form: whether to offer Approve and Reject to ``actor``."""
	try:
		check_decider(
			actor=actor,
			submitted_by=submitted_by,
			actor_unit_roles=actor_unit_roles,
			actor_is_national=actor_is_national,
			target_unit="",
		)
	except RuleViolation:
		return False
	return True
