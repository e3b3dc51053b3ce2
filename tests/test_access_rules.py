"""Pure rules behind the access hardening: client address, system-managed fields, redaction."""

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p3m_app.core import client_address as ca
from p3m_app.core import redaction, system_fields
from p3m_app.core.errors import RuleViolation

# -- client address ----------------------------------------------------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies():
	assert ca.client_address("203.0.113.9", "1.2.3.4", []) == "203.0.113.9"
	assert ca.client_address("127.0.0.1", "1.2.3.4, 5.6.7.8", None) == "127.0.0.1"


def test_forwarded_for_from_an_untrusted_peer_is_ignored():
	assert ca.client_address("198.51.100.7", "1.2.3.4", ["127.0.0.1"]) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client():
	trusted = ["127.0.0.1", "10.0.0.0/8"]
	assert ca.client_address("127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9"
	# a forged first entry is skipped: the proxy appended the real peer last
	assert ca.client_address("127.0.0.1", "1.1.1.1, 203.0.113.9", trusted) == "203.0.113.9"
	assert ca.client_address("127.0.0.1", "203.0.113.9, 10.1.2.3", trusted) == "203.0.113.9"
	assert ca.client_address("127.0.0.1", "10.1.2.3", trusted) == "10.1.2.3"


def test_unreadable_hops_and_peers():
	assert ca.client_address("127.0.0.1", "junk, 203.0.113.9", ["127.0.0.1"]) == "203.0.113.9"
	assert ca.client_address("127.0.0.1", "203.0.113.9, junk", ["127.0.0.1"]) == "127.0.0.1"
	assert ca.client_address(None, "203.0.113.9", ["127.0.0.1"]) == "0.0.0.0"
	assert ca.client_address("::1", "2001:db8::5", ["::1"]) == "2001:db8::5"


def test_trusted_proxies_accept_text_and_skip_bad_entries():
	assert [str(n) for n in ca.parse_networks("127.0.0.1, 10.0.0.0/8 nonsense")] == [
		"127.0.0.1/32",
		"10.0.0.0/8",
	]


@given(st.lists(st.ip_addresses(v=4).map(str), max_size=5), st.ip_addresses(v=4).map(str))
def test_without_trust_the_header_never_matters(chain, peer):
	assert ca.client_address(peer, ", ".join(chain), []) == peer


# -- system-managed fields ---------------------------------------------------------------------


def test_unchanged_values_in_other_shapes_pass():
	stored = {
		"paused_days": 0,
		"sla_current_due": datetime(2026, 12, 1, 9, 30, 5, 123456),
		"tracking_code": "ABC",
	}
	incoming = {"paused_days": None, "sla_current_due": "2026-12-01 09:30:05.123456", "tracking_code": "ABC"}
	assert system_fields.changed_fields(stored, incoming) == []
	assert system_fields.changed_fields({"reporter_rating": 0.6}, {"reporter_rating": "0.6"}) == []


def test_changes_are_named_and_refused():
	stored = {"tracking_code": "ABC", "origin_unit": "Kab A", "paused_days": 2, "sla_escalations": "x\n"}
	incoming = {"tracking_code": "XYZ", "origin_unit": "Kab B", "paused_days": 0, "sla_escalations": ""}
	assert system_fields.changed_fields(stored, incoming) == [
		"origin_unit",
		"paused_days",
		"sla_escalations",
		"tracking_code",
	]
	with pytest.raises(RuleViolation, match=r"Origin Unit, .*can only be changed by the system"):
		system_fields.check_unchanged(stored, incoming, {"origin_unit": "Origin Unit"})


def test_allowed_fields_and_ordinary_fields_pass():
	assert (
		system_fields.changed_fields(
			{"inspektorat_reason": ""}, {"inspektorat_reason": "KKN"}, frozenset({"inspektorat_reason"})
		)
		== []
	)
	assert system_fields.changed_fields({"subject": "a"}, {"subject": "b"}) == []


# -- redaction ---------------------------------------------------------------------------------

IDENTITY = {
	"reporter_name": "Budi Santoso",
	"reporter_email": "budi.s@example.org",
	"reporter_phone": "+62 812-3456-7890",
	"reporter_id_number": "3201010101010001",
	"reporter_address": "Jl. Melati 7",
}


def test_every_identity_value_is_masked_however_it_is_written():
	text = (
		"Saya budi santoso (BUDI), hp 0812 3456 7890 / 6281234567890 / (0812) 3456.7890, "
		"email Budi.S@example.org, NIK 3201 0101 0101 0001, alamat Jl.  Melati 7."
	)
	masked = redaction.redact(text, IDENTITY)
	for secret in ("udi", "antoso", "3456", "example.org", "0101", "Melati"):
		assert secret.lower() not in masked.lower()
	assert masked.startswith("Saya ••• (•••), hp •••")


def test_other_words_and_numbers_stay():
	text = "Santosa dan Budiman menerima Rp 81234567 pada 3201."
	assert redaction.redact(text, IDENTITY) == text


def test_nothing_to_mask():
	assert redaction.redact(None, IDENTITY) is None
	assert redaction.redact("", IDENTITY) == ""
	assert redaction.redact("Budi", {}) == "Budi"
	assert redaction.redact(3, IDENTITY) == 3
	assert redaction.redact_all({"description": "Pak Budi", "subject": "Bantuan", "n": 3}, IDENTITY) == {
		"description": "Pak •••"
	}


@given(st.text(max_size=200))
def test_redaction_never_leaves_the_full_name(noise):
	masked = redaction.redact(f"{noise} Budi Santoso {noise}", IDENTITY)
	assert "budi santoso" not in masked.lower()


def test_any_identifier_is_masked_in_a_confidential_text():
	text = (
		"NIK 3201990000005005, hp +62 811 5550 5005 / 0812-3456-7890 / (021) 555-1234, "
		"mail a.b@x.co.id. Kejadian 08-12-2026 pukul 10.30, Rp 1.500.000, KKS 12345678."
	)
	masked = redaction.redact(text, {}, identifiers=True)
	assert masked == (
		"NIK •••, hp ••• / ••• / •••, mail •••. Kejadian 08-12-2026 pukul 10.30, Rp 1.500.000, KKS 12345678."
	)
	assert redaction.redact(text, {}) == text
