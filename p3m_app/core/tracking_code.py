"""Public tracking codes: random, unguessable, unrelated to the document name.

The alphabet leaves out 0/O, 1/I/L and U so a code read over the phone or copied by
hand is unambiguous. 12 symbols of 30 give about 5e17 codes (~59 bits).
"""

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
LENGTH = 12
GROUP = 4

_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s\-_.]")


def generate(randbelow=secrets.randbelow) -> str:
	return "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(LENGTH))


def normalize(text: str | None) -> str:
	"""Canonical form of what a citizen typed: upper case, no separators."""
	return _SEPARATORS.sub("", (text or "")).upper()


def is_well_formed(code: str | None) -> bool:
	return bool(code) and bool(_VALID.match(code))


def display(code: str) -> str:
	"""ABCD-EFGH-JKMN: easier to read aloud; normalize() undoes it."""
	return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
