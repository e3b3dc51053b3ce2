import random

from p3m_app.core import tracking_code as tc


def test_generated_codes_are_well_formed_and_unambiguous():
	for _ in range(500):
		code = tc.generate()
		assert tc.is_well_formed(code)
		assert not set(code) & set("0O1IL")


def test_codes_do_not_repeat_in_a_large_sample():
	codes = {tc.generate() for _ in range(20000)}
	assert len(codes) == 20000


def test_generation_uses_the_given_random_source():
	rng = random.Random(7)
	first = tc.generate(rng.randrange)
	assert tc.generate(random.Random(7).randrange) == first


def test_display_and_normalize_round_trip():
	code = tc.generate()
	shown = tc.display(code)
	assert shown.count("-") == 2
	assert tc.normalize(shown) == code
	assert tc.normalize(" " + shown.lower() + " ") == code


def test_malformed_codes_are_rejected():
	for bad in ["", None, "ABC", "ABCDEFGHJKM0", "ABCDEFGHJKMNP", "abcdefghjkmn", "P3M-2026-000001"]:
		assert not tc.is_well_formed(bad)
