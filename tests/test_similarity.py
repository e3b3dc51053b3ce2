"""Similar complaints and the PKH payment rule (seed 004 lines 328-330, 468-476)."""

import pytest

from p3m_app.core import similarity as s
from p3m_app.core.errors import RuleViolation

FINAL = frozenset({"Selesai", "Diarsipkan"})


def test_words_drop_stopwords_short_words_markup_and_nya():
	assert s.words("<p>Bantuan PKH saya belum cair di Kantor Pos, uangnya tidak ada</p>") == frozenset(
		{"bantuan", "pkh", "cair", "kantor", "pos", "uang"}
	)
	assert s.words(None) == frozenset()


def test_jaccard():
	assert s.jaccard(frozenset("ab"), frozenset("ab")) == 1.0
	assert s.jaccard(frozenset("ab"), frozenset("bc")) == pytest.approx(1 / 3)
	assert s.jaccard(frozenset(), frozenset("a")) == 0.0


def test_close_text_ranks_above_a_different_one():
	new = s.words("Bantuan PKH tahap tiga belum cair di kantor pos Brebes")
	close = s.Candidate("A", s.words("Bantuan tahap tiga belum cair, kantor pos Brebes tutup"))
	far = s.Candidate("B", s.words("Pendamping tidak pernah datang ke pertemuan kelompok"))
	assert [name for name, _score in s.rank(new, frozenset(), [far, close])] == ["A"]


def test_same_reporter_lifts_the_score_to_a_floor():
	me = s.reporter_keys(phone="+62 812-1111-2222")
	candidate = s.Candidate(
		"A", s.words("uang belum masuk rekening"), s.reporter_keys(phone="0812 1111 2222")
	)
	assert s.score(s.words("antrian panjang sekali"), me, candidate) >= s.SAME_REPORTER_FLOOR
	assert s.score(s.words("antrian panjang sekali"), frozenset(), candidate) == 0.0


def test_reporter_keys_normalise_phone_email_and_nik():
	assert s.reporter_keys("+62 812 1111 2222", " Siti@Example.org ", "3329 0101 0101 0001") == frozenset(
		{"p:81211112222", "e:siti@example.org", "n:3329010101010001"}
	)
	assert s.reporter_keys("123", "no-address", "12") == frozenset()


def test_places_and_keys_normalise_how_people_write_them():
	assert s.normalise_place("Kab. Brebes") == s.normalise_place("KABUPATEN  BREBES") == "brebes"
	assert s.normalise_place("KP Brebes") == s.normalise_place("Kantor Pos Brebes") == "brebes"
	assert s.duplicate_key("Pembayaran", "Kab. Brebes", "Jawa Tengah") == "Pembayaran|d:brebes"
	assert s.duplicate_key("Pembayaran", "", "Jawa Tengah") == "Pembayaran|p:jawa tengah"
	assert s.duplicate_key(None, "Brebes", None) is None
	assert s.duplicate_key("Pembayaran", None, None) is None


def test_payment_point_key_only_for_payment_categories():
	assert s.payment_point_key("PKH - Pembayaran", "Kantor Pos Brebes") == "brebes"
	assert s.payment_point_key("PKH - Data Peserta", "Kantor Pos Brebes") is None
	assert s.payment_point_key("PKH - Pembayaran", "") is None


def test_distinct_reporters_merge_shared_keys_and_count_unknown_ones_apart():
	a = s.reporter_keys(phone="0812 1111 2222")
	a_again = s.reporter_keys(phone="+62 812 1111 2222", email="a@x.org")
	b = s.reporter_keys(email="b@x.org")
	assert s.distinct_reporters([a, a_again]) == 1
	assert s.distinct_reporters([a, a_again, b]) == 2
	assert s.distinct_reporters([frozenset(), frozenset()]) == 2


def test_payment_rule_needs_two_people_at_one_post_office():
	a = s.reporter_keys(phone="0812 1111 2222")
	b = s.reporter_keys(phone="0813 3333 4444")
	assert s.recommend_pos_coordination("Pembayaran", "Kantor Pos Brebes", [a, b])
	assert not s.recommend_pos_coordination("Pembayaran", "Kantor Pos Brebes", [a, a])
	assert not s.recommend_pos_coordination("Pembayaran", "", [a, b])
	assert not s.recommend_pos_coordination("Data Peserta", "Kantor Pos Brebes", [a, b])


def check(**overrides):
	facts = dict(
		name="C2",
		master="C1",
		master_exists=True,
		master_state="Ditindaklanjuti",
		master_master=None,
		has_duplicates=False,
		final_states=FINAL,
	)
	facts.update(overrides)
	s.check_master(**facts)


def test_check_master_accepts_an_open_master():
	check()
	check(master=None)


@pytest.mark.parametrize(
	"overrides, words",
	[
		({"master": "C2"}, "itself"),
		({"master_state": "Selesai"}, "closed master"),
		({"master_state": "Diarsipkan"}, "closed master"),
		({"master_master": "C0"}, "itself a duplicate"),
		({"has_duplicates": True}, "cannot become a duplicate"),
		({"master_exists": False}, "does not exist"),
	],
)
def test_check_master_refuses(overrides, words):
	with pytest.raises(RuleViolation) as raised:
		check(**overrides)
	assert words in str(raised.value)
