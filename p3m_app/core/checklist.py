"""A complaint type's handling checklist: the steps its guideline lists, ticked one by one.

A Complaint Category holds the ordered steps (who acts, which step closes the case); a complaint
of that category gets a copy of them when its category is set, so a later edit of the category
never rewrites the record of a case already handled. Officers tick a step with a note through
the app (``tick``), which writes when and by whom; a plain save of the complaint may not change
the copied steps, and a category change that would drop ticked steps is refused.
"""

from p3m_app.core.errors import RuleViolation, _
from p3m_app.core.system_fields import normalise

# who acts in a step (Pedoman PKH, seed 004 Tabel 1 lines 396-567; Penyedia Layanan from lines
# 222-239; UPPKH Provinsi from Bab III)
ACTORS = (
	"Pendamping",
	"UPPKH Kabupaten/Kota",
	"Tim Koordinasi",
	"UPPKH Provinsi",
	"UPPKH Pusat",
	"Dinas Teknis",
	"PT Pos",
	"Penyedia Layanan",
)
# what a progress row copies from its category's step
COPIED = ("step", "actor", "closes_case", "conditional", "seed_reference")
# what only ``tick`` writes
TICKED = ("done", "done_on", "done_by", "note")
GUARDED = COPIED + TICKED
NOTE_LIMIT = 2000


def check_steps(steps: list[dict]) -> None:
	"""A category's steps: each says what is done and by whom."""
	for number, step in enumerate(steps, start=1):
		if not (step.get("step") or "").strip():
			raise RuleViolation(_("Handling step {number} needs its text."), number=number)
		if step.get("actor") and step["actor"] not in ACTORS:
			raise RuleViolation(
				_("Handling step {number}: {actor} is not one of the actors the guideline names."),
				number=number,
				actor=step["actor"],
			)


def rows_from_steps(steps: list[dict]) -> list[dict]:
	"""The progress rows of a complaint whose category has ``steps`` (in their order), none done."""
	return [
		{
			"step": (s.get("step") or "").strip(),
			"actor": s.get("actor") or None,
			"closes_case": 1 if s.get("closes_case") else 0,
			"conditional": 1 if s.get("conditional") else 0,
			"seed_reference": s.get("seed_reference") or None,
			"done": 0,
			"done_on": None,
			"done_by": None,
			"note": None,
		}
		for s in steps
	]


def done_count(rows: list[dict]) -> int:
	return sum(1 for r in rows if r.get("done"))


def check_category_change(rows: list[dict]) -> None:
	"""A new category brings new steps: refused while steps of the old one are ticked."""
	done = done_count(rows)
	if done:
		raise RuleViolation(
			_(
				"The category cannot be changed: {done} of its handling steps are already done, and a new category would drop them. Keep the category, or ask an administrator to correct the record."
			),
			done=done,
		)


def _signature(row: dict) -> tuple:
	return tuple(normalise(row.get(f)) for f in GUARDED)


def check_unchanged(stored: list[dict], incoming: list[dict]) -> None:
	"""A plain save keeps the copied steps and their ticks as stored (order, text and ticks)."""
	if [_signature(r) for r in stored] != [_signature(r) for r in incoming]:
		raise RuleViolation(
			_(
				"Handling steps are filled from the category and ticked with the Tick button; they cannot be edited."
			)
		)


def tick(rows: list[dict], number: int, note: str | None, user: str, now) -> dict:
	"""The values step ``number`` (1-based) takes when ``user`` ticks it at ``now``."""
	if not rows:
		raise RuleViolation(_("This complaint has no handling steps to tick."))
	if not isinstance(number, int) or not 1 <= number <= len(rows):
		raise RuleViolation(_("There is no handling step {number}."), number=number)
	if rows[number - 1].get("done"):
		raise RuleViolation(_("Handling step {number} is already done."), number=number)
	note = (note or "").strip()
	if not note:
		raise RuleViolation(_("Write a note saying what was done for this step."))
	if len(note) > NOTE_LIMIT:
		raise RuleViolation(
			_("The note is too long: {length} characters, at most {limit} allowed."),
			length=len(note),
			limit=NOTE_LIMIT,
		)
	return {"done": 1, "done_on": now, "done_by": user, "note": note}


def progress(rows: list[dict]) -> dict:
	"""Counts for the form, the timeline and the tracking page."""
	closing = [r for r in rows if r.get("closes_case")]
	return {
		"done": done_count(rows),
		"total": len(rows),
		"open": len(rows) - done_count(rows),
		"closing_done": bool(closing) and all(r.get("done") for r in closing),
	}


def tick_message(number: int, rows: list[dict]) -> dict:
	"""The timeline entry for a tick, in plain words (a message key with its parameters)."""
	row = rows[number - 1]
	counts = progress(rows)
	message = _("Handling step {number} of {total} done ({actor}): {step}. Note: {note}")
	if row.get("closes_case"):
		message = _(
			"Handling step {number} of {total} done ({actor}): {step}. Note: {note}. This step closes the case."
		)
	return {
		"message": message,
		"params": {
			"number": number,
			"total": counts["total"],
			"actor": row.get("actor") or "-",
			"step": row.get("step") or "",
			"note": row.get("note") or "",
		},
	}


def public_steps(rows: list[dict]) -> list[dict]:
	"""What the reporter sees: each step's text and the day it was done, never a note or a name."""
	return [
		{"step": r.get("step") or "", "done_on": _date(r.get("done_on")) if r.get("done") else None}
		for r in rows
	]


def _date(value) -> str | None:
	if not value:
		return None
	if hasattr(value, "date"):
		return value.date().isoformat()
	return str(value)[:10]
