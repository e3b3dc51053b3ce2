"""SMS and WhatsApp rules: signatures, threading, codes in text, answers that fit, retries."""

from datetime import datetime, timedelta

import pytest

from p3m_app.core import messaging_rules as mr

BODY = b'{"object":"whatsapp_business_account","entry":[]}'
NOW = datetime(2026, 12, 1, 10, 0)


def test_a_signature_is_the_hmac_of_the_raw_body():
	header = mr.signature("app-secret", BODY)
	assert header.startswith("sha256=") and len(header) == 7 + 64
	assert mr.valid_signature(header, BODY, "app-secret")
	assert mr.valid_signature(header.upper().replace("SHA256=", "sha256="), BODY, "app-secret")


@pytest.mark.parametrize(
	"header, body, secret",
	[
		(None, BODY, "app-secret"),  # unsigned
		("", BODY, "app-secret"),
		(mr.signature("other-secret", BODY), BODY, "app-secret"),  # forged with another key
		(mr.signature("app-secret", BODY), BODY + b" ", "app-secret"),  # body changed after signing
		(mr.signature("app-secret", BODY)[7:], BODY, "app-secret"),  # without the sha256= prefix
		(mr.signature("", BODY), BODY, ""),  # a channel without a secret accepts nothing
		(mr.signature("app-secret", BODY), BODY, None),
	],
)
def test_forged_or_unsigned_bodies_are_refused(header, body, secret):
	assert not mr.valid_signature(header, body, secret)


def test_shared_secrets_compare_exactly():
	assert mr.same_secret("s3cret", "s3cret")
	assert not mr.same_secret("s3cret", "s3cret ")
	assert not mr.same_secret("", "")
	assert not mr.same_secret(None, "s3cret")


@pytest.mark.parametrize(
	"text, codes",
	[
		("Kode ABCD-EFGH-JKMN, bantuan belum cair", ["ABCDEFGHJKMN"]),
		("abcd efgh jkmn tambahan info", ["ABCDEFGHJKMN"]),
		("ABCDEFGHJKMN", ["ABCDEFGHJKMN"]),
		("kode: abcd.efgh.jkmn", ["ABCDEFGHJKMN"]),
		("ABCD-EFGH-JKMNP is too long", []),
		("ABCD-EFGH-JKM1 has a digit one", []),
		("no code here", []),
		("", []),
		(None, []),
	],
)
def test_codes_are_found_however_typed(text, codes):
	assert mr.codes_in(text) == codes


def test_at_most_a_few_candidates_are_looked_up():
	text = " ".join(["ABCD-EFGH-JKM" + c for c in "NPQRST"])
	assert len(mr.codes_in(text)) == 3


@pytest.mark.parametrize(
	"text, word, rest",
	[
		("BARU bantuan tidak cair", "BARU", "bantuan tidak cair"),
		("baru: jalan rusak", "BARU", "jalan rusak"),
		("RAHASIA ada pungli di kantor", "RAHASIA", "ada pungli di kantor"),
		("Barusan saya ditolak", None, "Barusan saya ditolak"),
		("  bantuan belum cair ", None, "bantuan belum cair"),
	],
)
def test_keywords_open_a_new_or_confidential_report(text, word, rest):
	assert mr.keyword(text) == (word, rest)


def test_a_code_from_the_reporters_number_threads():
	decision = mr.thread("P3M-1", True, ["P3M-2", "P3M-3"], None)
	assert (decision.action, decision.complaint) == (mr.THREAD, "P3M-1")


def test_a_code_quoted_by_another_number_does_not_thread():
	assert mr.thread("P3M-1", False, [], None).action == mr.NEW
	assert mr.thread("P3M-1", False, ["P3M-2"], None) == mr.Decision(
		mr.THREAD, "P3M-2", "only open complaint"
	)


def test_the_only_open_complaint_of_a_number_gets_the_message():
	assert mr.thread(None, False, ["P3M-2"], None).complaint == "P3M-2"


def test_several_open_complaints_ask_for_the_code():
	assert mr.thread(None, False, ["P3M-2", "P3M-3"], None).action == mr.ASK_FOR_CODE


def test_keywords_open_a_new_report_even_with_open_ones():
	assert mr.thread(None, False, ["P3M-2"], mr.KEYWORD_NEW).action == mr.NEW
	assert mr.thread(None, False, ["P3M-2", "P3M-3"], mr.KEYWORD_CONFIDENTIAL).action == mr.NEW


def test_a_first_message_opens_a_complaint():
	assert mr.thread(None, False, [], None).action == mr.NEW


def test_complaint_fields_from_text():
	fields = mr.complaint_fields("Bantuan PKH belum cair\nSudah tiga bulan <script>x</script>")
	assert fields["subject"] == "Bantuan PKH belum cair"
	assert "<script>" not in fields["description"] and "tiga bulan" in fields["description"]
	long = mr.complaint_fields("kata " * 40)
	assert len(long["subject"]) <= mr.SUBJECT_LIMIT and not long["subject"].endswith(" ")
	assert mr.complaint_fields("")["subject"] is None


def test_a_long_answer_becomes_the_link():
	assert mr.shorten("<p>Sudah <b>cair</b>.</p>", 100, "https://x/lacak") == ("Sudah cair.", False)
	assert mr.shorten("<p>" + "panjang " * 100 + "</p>", 100, "https://x/lacak") == ("https://x/lacak", True)


def test_whatsapp_needs_a_template_outside_the_24_hour_window():
	assert mr.needs_template(None, NOW)
	assert not mr.needs_template(NOW - timedelta(hours=23, minutes=59), NOW)
	assert mr.needs_template(NOW - timedelta(hours=24), NOW)


def test_retries_back_off_then_stop():
	waits = [mr.next_attempt(n, NOW) for n in range(1, len(mr.BACKOFF_MINUTES) + 1)]
	assert waits[:-1] == [NOW + timedelta(minutes=m) for m in mr.BACKOFF_MINUTES[:-1]]
	assert waits[-1] is None


def test_limits():
	assert not mr.over_limit(30, 30)
	assert mr.over_limit(31, 30)
	assert not mr.over_limit(10_000, 0)
	assert not mr.over_limit(10_000, None)


def whatsapp_payload(messages=(), statuses=(), number_id="1055"):
	return {
		"object": "whatsapp_business_account",
		"entry": [
			{
				"id": "WABA",
				"changes": [
					{
						"field": "messages",
						"value": {
							"messaging_product": "whatsapp",
							"metadata": {"display_phone_number": "6281100", "phone_number_id": number_id},
							"messages": list(messages),
							"statuses": list(statuses),
						},
					}
				],
			}
		],
	}


def test_whatsapp_text_media_and_status_are_read():
	payload = whatsapp_payload(
		messages=[
			{"from": "6281234567890", "id": "wamid.1", "type": "text", "text": {"body": "Halo"}},
			{
				"from": "6281234567890",
				"id": "wamid.2",
				"type": "image",
				"image": {"id": "MEDIA1", "mime_type": "image/jpeg", "caption": "foto"},
			},
			{
				"from": "6281234567890",
				"id": "wamid.3",
				"type": "document",
				"document": {"id": "M2", "filename": "a.pdf"},
			},
		],
		statuses=[{"id": "wamid.out", "status": "delivered", "recipient_id": "6281234567890"}],
	)
	messages, statuses, numbers = mr.whatsapp_messages(payload)
	assert [m["id"] for m in messages] == ["wamid.1", "wamid.2", "wamid.3"]
	assert messages[0]["text"] == "Halo" and not messages[0]["media_id"]
	assert (messages[1]["media_id"], messages[1]["text"], messages[1]["mime_type"]) == (
		"MEDIA1",
		"foto",
		"image/jpeg",
	)
	assert messages[2]["filename"] == "a.pdf"
	assert statuses == [{"id": "wamid.out", "status": "delivered"}]
	assert numbers == {"1055"}


@pytest.mark.parametrize(
	"payload",
	[
		None,
		[],
		{"object": "page"},
		{"object": "whatsapp_business_account", "entry": "x"},
		{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": "x"}]}]},
	],
)
def test_malformed_whatsapp_payloads_yield_nothing(payload):
	assert mr.whatsapp_messages(payload)[:2] == ([], [])


def test_a_message_without_sender_or_id_is_skipped():
	payload = whatsapp_payload(
		messages=[{"id": "wamid.1", "type": "text", "text": {"body": "x"}}, {"from": "62812"}]
	)
	assert mr.whatsapp_messages(payload)[0] == []


@pytest.mark.parametrize(
	"current, reported, stored",
	[
		("Queued", "sent", "Sent"),
		("Sent", "delivered", "Delivered"),
		("Delivered", "read", "Read"),
		("Read", "delivered", None),  # out of order: never backwards
		("Delivered", "sent", None),
		("Sent", "failed", "Failed"),
		("Delivered", "failed", None),
		("Sent", "unknown", None),
		("Sent", "sent", None),
	],
)
def test_delivery_status_only_moves_forward(current, reported, stored):
	assert mr.advanced_status(current, reported) == stored


def test_generic_gateway_field_names():
	assert mr.generic_sms({"message_id": "9", "from": "0812", "text": "hi"}) == {
		"id": "9",
		"from": "0812",
		"text": "hi",
	}
	assert mr.generic_sms({"MessageSid": "S1", "From": "+62812", "Body": "x"}) == {
		"id": "S1",
		"from": "+62812",
		"text": "x",
	}
	assert mr.generic_sms({"msisdn": "62812", "message": "x"}) is None  # no id: a retry could not be told
	assert mr.generic_sms({"id": "1", "text": "x"}) is None
