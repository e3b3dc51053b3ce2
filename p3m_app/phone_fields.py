"""Phone fields of the app's records: stored in E.164 (p3m_app.core.phone), shown in the national format.

Complaint phones are normalised in its controller (every channel saves through it); this module
does the same for a unit's contact number and the sealed Reporter Identity, and gives the desk
forms the national forms of the numbers (``__onload.phones_national``, read by
public/js/phone_display.js), computed with the library that parsed them.
"""

from frappe import _

from p3m_app.core import phone
from p3m_app.core.errors import RuleViolation
from p3m_app.core.intake_rules import PHONE_FIELDS
from p3m_app.utils import throw


def national_forms(doc, fieldnames) -> dict:
	"""{stored number: national form} for the phone fields of ``doc`` the current user may read."""
	forms = {}
	for fieldname in fieldnames:
		value = doc.get(fieldname)
		if value and doc.has_permlevel_access_to(fieldname):
			forms[value] = phone.national(value)
	return forms


def normalise_field(doc, fieldname: str, title: str) -> None:
	"""Store ``doc.fieldname`` in E.164, refusing what is not a number (an untouched old value that
	cannot be converted stays as it was)."""
	before = doc.get_doc_before_save()
	try:
		doc.set(fieldname, phone.normalise_changed(doc.get(fieldname), before and before.get(fieldname)))
	except RuleViolation as violation:
		throw(violation, title=title)


def unit_validate(doc) -> None:
	normalise_field(doc, "contact_phone", _("Invalid Unit"))


def unit_onload(doc) -> None:
	doc.set_onload("phones_national", national_forms(doc, ("contact_phone",)))


def identity_validate(doc) -> None:
	"""The vault's numbers come from a checked complaint; converting them never refuses, so a sealed
	identity is never lost."""
	for fieldname in PHONE_FIELDS:
		doc.set(fieldname, phone.stored_form(doc.get(fieldname)))


def identity_onload(doc) -> None:
	doc.set_onload("phones_national", national_forms(doc, PHONE_FIELDS))
