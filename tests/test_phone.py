import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from p3m_app.core import intake_rules as ir
from p3m_app.core import phone
from p3m_app.core.errors import RuleViolation

MOBILE = "+6281234567890"
JAKARTA = "+62215551234"

# how Indonesians write the same numbers: on forms, in SMS and WhatsApp, on letterheads
WRITTEN = [
	("(021) 555-1234", JAKARTA),
	("021-5551234", JAKARTA),
	("021 555 1234", JAKARTA),
	("+62 21 555 1234", JAKARTA),
	("+62 (21) 555-1234", JAKARTA),
	("62215551234", JAKARTA),
	("0812.3456.7890", MOBILE),
	("0812 3456 7890", MOBILE),
	("0812-3456-7890", MOBILE),
	("081234567890", MOBILE),
	("+62 812-3456-7890", MOBILE),
	("+6281234567890", MOBILE),
	("6281234567890", MOBILE),
	("62 812 3456 7890", MOBILE),
	("+62 0812 3456 7890", MOBILE),
	(" 0812 3456 7890 ", MOBILE),
	("\u00a00812\u00a03456\u00a07890", MOBILE),
	("０８１２３４５６７８９０", MOBILE),
	("(0283) 617-7495", "+622836177495"),
	("0811-9999-0000", "+6281199990000"),
	("+44 20 7946 0958", "+442079460958"),
]

NOT_NUMBERS = [
	"ring me",
	"12345",
	"0000000000",
	"08123456789012345",
	"0812-3456-7890 / 0813-1111-2222",
	"+62",
]


@pytest.mark.parametrize("raw,e164", WRITTEN)
def test_common_forms_are_stored_in_e164(raw, e164):
	assert phone.normalise(raw) == e164


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_what_is_not_a_number_is_refused_with_the_text_typed(raw):
	with pytest.raises(RuleViolation) as refused:
		phone.normalise(raw)
	assert refused.value.message == "Phone number {phone} is not valid."
	assert refused.value.params == {"phone": raw.strip()}


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_no_number_is_none(raw):
	assert phone.normalise(raw) is None


@pytest.mark.parametrize(
	"e164,shown",
	[
		(MOBILE, "0812-3456-7890"),
		(JAKARTA, "(021) 5551234"),
		("+622836177495", "(0283) 6177495"),
		("+442079460958", "+44 20 7946 0958"),
		(None, ""),
		("not a number", "not a number"),
	],
)
def test_shown_in_the_national_format(e164, shown):
	assert phone.national(e164) == shown


def test_landlines_cannot_receive_sms():
	assert phone.is_mobile(MOBILE)
	assert not phone.is_mobile(JAKARTA)
	assert not phone.is_mobile(None)


def test_an_old_value_converts_when_it_can_and_is_never_lost():
	assert phone.stored_form("0812.3456.7890") == MOBILE
	assert phone.stored_form("ring me") == "ring me"
	assert phone.stored_form("021 555 1234 ext. 12") == "021 555 1234 ext. 12"
	assert phone.stored_form(None) is None


def test_an_untouched_old_value_does_not_block_its_record():
	assert phone.normalise_changed("ring me", "ring me") == "ring me"
	assert phone.normalise_changed("0812 3456 7890", "0812 3456 7890") == MOBILE
	assert phone.normalise_changed("(021) 555-1234", None) == JAKARTA
	with pytest.raises(RuleViolation):
		phone.normalise_changed("ring me too", "ring me")


def test_intake_normalises_every_phone_field_present():
	assert ir.normalise_phones({"reporter_phone": "0812.3456.7890", "caller_number": "(021) 555-1234"}) == {
		"reporter_phone": MOBILE,
		"caller_number": JAKARTA,
	}
	assert ir.normalise_phones({"reporter_phone": "", "subject": "x"}) == {"reporter_phone": None}
	with pytest.raises(RuleViolation, match="Phone number call me is not valid"):
		ir.normalise_phones({"caller_number": "call me"})
	stored = {"reporter_phone": "call me"}
	assert ir.normalise_phones({"reporter_phone": "call me"}, stored) == {"reporter_phone": "call me"}


indonesian_mobiles = st.builds(
	lambda operator, rest, style: style.format(op=operator, a=rest[:4], b=rest[4:]),
	st.sampled_from(["811", "812", "813", "821", "852", "857", "878", "896", "899"]),
	st.text("0123456789", min_size=7, max_size=8),
	st.sampled_from(["0{op}{a}{b}", "0{op}-{a}-{b}", "0{op}.{a}.{b}", "+62 {op} {a} {b}", "62{op}{a}{b}"]),
)


@given(indonesian_mobiles)
def test_normalise_is_idempotent_on_its_output(raw):
	try:
		e164 = phone.normalise(raw)
	except RuleViolation:
		return
	assert phone.normalise(e164) == e164
	assert phone.normalise(phone.national(e164)) == e164


@given(st.text(max_size=40))
def test_normalise_stores_e164_or_refuses_whatever_is_typed(raw):
	try:
		e164 = phone.normalise(raw)
	except RuleViolation:
		return
	if e164 is None:
		assert not raw.strip()
		return
	assert e164 == phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.E164)
	assert phone.normalise(e164) == e164
