"""Similar complaints and the PKH payment rule, decided without touching the database.

- Duplicates: the PKH guideline has UPPKH Pusat confirm "adanya penerimaan pengaduan yang sama di
  tingkat kabupaten/kota" (seed 004, lines 328-330). Two open complaints are alike when they share
  category and location (``duplicate_key``, stored on the complaint and indexed, so candidates are
  one index range), their words overlap (token-set Jaccard over normalised Indonesian words) and,
  where the identity is known, the same reporter filed both (compared on the server only).
- Payment: "Jika pengaduan dilaporkan oleh minimal 2 (dua) orang dan K[a]ntor Pos tidak dapat
  menyelesaikan permasalahan, maka UPPKH Kabupaten / Kota harus merekomendasikan UPPKH Pusat
  berkoordinasi dengan PT. POS Indonesia" (seed 004, lines 468-476).
"""

import re
from dataclasses import dataclass

from p3m_app.core.errors import RuleViolation, _

MIN_SCORE = 0.3  # below this a candidate is not shown
SAME_REPORTER_FLOOR = 0.6  # the same reporter on the same category and place is worth a look
PAYMENT_MARKER = "pembayaran"
MIN_PAYMENT_REPORTERS = 2  # "minimal 2 (dua) orang" (004 line 473)
KEY_LENGTH = 140

# function words and complaint boilerplate that say nothing about the case
STOPWORDS = frozenset(
	"""
	yang dan di ke dari untuk dengan pada ini itu saya kami kita anda dia mereka sudah belum tidak
	tak ada akan atau juga karena oleh dalam bisa dapat sebagai tersebut adalah para bu pak ibu
	bapak mohon tolong agar supaya namun tetapi tapi jika kalau maka lalu kemudian sejak sampai
	hingga masih telah sedang hanya saja pun lagi sangat lebih kurang bahwa yaitu yakni apa siapa
	kapan mana bagaimana mengapa kenapa nya dong kok ya bukan sama per atas bawah antara
	terhadap tentang secara setiap semua seluruh banyak beberapa hal adanya mau ingin
	""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")
# ways people write a post office or a district; removed so "KP Brebes" meets "Kantor Pos Brebes"
_PLACE_PREFIXES = re.compile(
	r"^(?:kantor\s*pos(?:\s+cabang)?|kpc|kprk|kp|pos|kab(?:upaten)?|kota|kec(?:amatan)?|prov(?:insi)?)\b\s*"
)


@dataclass(frozen=True)
class Candidate:
	name: str
	tokens: frozenset
	reporter_keys: frozenset = frozenset()


def words(text: str | None) -> frozenset:
	"""The content words of a text: lower case, letters and digits, no stopwords, no "-nya"."""
	text = re.sub(r"<[^>]+>", " ", (text or "").lower())
	result = set()
	for word in _WORD.findall(text):
		if word.endswith("nya") and len(word) > 5:
			word = word[:-3]
		if len(word) >= 3 and word not in STOPWORDS:
			result.add(word)
	return frozenset(result)


def jaccard(a: frozenset, b: frozenset) -> float:
	if not a or not b:
		return 0.0
	return len(a & b) / len(a | b)


def normalise_place(text: str | None) -> str:
	"""A district, province or payment point as a comparable key: "Kab. Brebes" -> "brebes"."""
	text = re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower())
	text = _SPACE.sub(" ", text).strip()
	previous = None
	while text and text != previous:
		previous = text
		text = _PLACE_PREFIXES.sub("", text).strip()
	return text


def duplicate_key(category: str | None, district: str | None, province: str | None) -> str | None:
	"""Category and the most specific location known; none without both."""
	place = normalise_place(district) or normalise_place(province)
	if not category or not place:
		return None
	level = "d" if normalise_place(district) else "p"
	return f"{category}|{level}:{place}"[:KEY_LENGTH]


def is_payment_category(category: str | None) -> bool:
	return PAYMENT_MARKER in (category or "").lower()


def payment_point_key(category: str | None, payment_point: str | None) -> str | None:
	"""Only payment complaints carry the key the payment rule counts by."""
	if not is_payment_category(category):
		return None
	return normalise_place(payment_point)[:KEY_LENGTH] or None


def reporter_keys(
	phone: str | None = None, email: str | None = None, id_number: str | None = None
) -> frozenset:
	"""Comparable identity keys: a phone by its national number, an e-mail in lower case, a NIK's digits."""
	keys = set()
	digits = re.sub(r"\D", "", phone or "")
	if digits.startswith("62"):
		digits = digits[2:]
	digits = digits.lstrip("0")
	if len(digits) >= 6:
		keys.add("p:" + digits)
	if email and "@" in email:
		keys.add("e:" + email.strip().lower())
	nik = re.sub(r"\D", "", id_number or "")
	if len(nik) >= 8:
		keys.add("n:" + nik)
	return frozenset(keys)


def score(tokens: frozenset, reporter: frozenset, candidate: Candidate) -> float:
	"""Text overlap; the same reporter (same category and place already) lifts it to a floor."""
	value = jaccard(tokens, candidate.tokens)
	if reporter and reporter & candidate.reporter_keys:
		value = max(value, SAME_REPORTER_FLOOR + value * (1 - SAME_REPORTER_FLOOR))
	return round(value, 3)


def rank(
	tokens: frozenset, reporter: frozenset, candidates: list, limit: int = 10, min_score: float = MIN_SCORE
) -> list[tuple[str, float]]:
	"""The best candidates, best first, as (name, score)."""
	scored = [(c.name, score(tokens, reporter, c)) for c in candidates]
	scored = [row for row in scored if row[1] >= min_score]
	scored.sort(key=lambda row: (-row[1], row[0]))
	return scored[:limit]


def distinct_reporters(key_sets: list) -> int:
	"""How many people filed these complaints: complaints sharing an identity key are one person;
	one without a known identity (anonymous, or no contact given) counts as a person of its own."""
	groups: list[set] = []
	unknown = 0
	for keys in key_sets:
		if not keys:
			unknown += 1
			continue
		merged = set(keys)
		rest = []
		for group in groups:
			if group & merged:
				merged |= group
			else:
				rest.append(group)
		groups = [*rest, merged]
	return len(groups) + unknown


def recommend_pos_coordination(category: str | None, payment_point: str | None, key_sets: list) -> bool:
	"""Seed 004 lines 468-476: a payment problem reported by at least two people at one post
	office -> recommend that UPPKH Pusat coordinate with PT Pos. ``key_sets`` holds the reporter
	keys of the open payment complaints at that point, this one included."""
	if not payment_point_key(category, payment_point):
		return False
	return distinct_reporters(key_sets) >= MIN_PAYMENT_REPORTERS


def check_master(
	*,
	name: str,
	master: str | None,
	master_exists: bool,
	master_state: str | None,
	master_master: str | None,
	has_duplicates: bool,
	final_states: frozenset,
) -> None:
	"""Raise RuleViolation unless ``name`` may be marked a duplicate of ``master``.

	A duplicate follows its master, so the master must still be open and must not itself follow
	another complaint, and a complaint others follow cannot become a duplicate (no chains, no cycles).
	"""
	if not master:
		return
	if not master_exists:
		raise RuleViolation(_("Complaint {master} does not exist."), master=master)
	if master == name:
		raise RuleViolation(_("A complaint cannot be a duplicate of itself."))
	if master_state in final_states:
		raise RuleViolation(
			_("Complaint {master} is {state}: a complaint cannot be a duplicate of a closed master."),
			master=master,
			state=master_state,
		)
	if master_master:
		raise RuleViolation(
			_(
				"Complaint {master} is itself a duplicate of {other}; mark this one as a duplicate of {other}."
			),
			master=master,
			other=master_master,
		)
	if has_duplicates:
		raise RuleViolation(
			_("Other complaints are duplicates of {name}; it cannot become a duplicate itself."), name=name
		)
