import pytest

from p3m_app.core import mail_rules as mr


@pytest.mark.parametrize(
	"headers,sender,subject",
	[
		({"auto-submitted": "auto-replied"}, "a@x.org", "Re: hi"),
		({"x-autoreply": "yes"}, "a@x.org", "hi"),
		({"precedence": "bulk"}, "a@x.org", "hi"),
		({"content-type": "multipart/report; report-type=delivery-status"}, "a@x.org", "hi"),
		({}, "MAILER-DAEMON@mx.example.org", "hi"),
		({}, "noreply@bank.example", "hi"),
		({}, "a@x.org", "Automatic reply: Pengaduan"),
		({}, "a@x.org", "Out of Office: Pengaduan"),
		({}, "a@x.org", "Undeliverable: Pengaduan"),
	],
)
def test_machines_are_recognised(headers, sender, subject):
	assert mr.automated_reason(headers, sender, subject)


def test_people_are_not_machines():
	assert mr.automated_reason({"auto-submitted": "no"}, "siti@example.org", "Jalan rusak") is None
	assert mr.automated_reason({}, "replyguy@example.org", "Re: Pengaduan [ABCD-EFGH-JKMN]") is None


def test_tracking_code_in_subject():
	assert mr.tracking_code_in("Re: Pengaduan [ABCD-EFGH-JKMN]") == "ABCDEFGHJKMN"
	assert mr.tracking_code_in("re: abcdefghjkmn") == "ABCDEFGHJKMN"
	assert mr.tracking_code_in("Re: P3M-2026-000001") is None


def test_same_sender():
	assert mr.same_sender("Siti@Example.org", "siti@example.org ")
	assert not mr.same_sender("eve@example.org", "siti@example.org")
	assert not mr.same_sender("eve@example.org", None)


def test_subject_with_code_is_added_once():
	once = mr.subject_with_code("Pengaduan diterima", "ABCDEFGHJKMN")
	assert once == "Pengaduan diterima [ABCD-EFGH-JKMN]"
	assert mr.subject_with_code(once, "ABCDEFGHJKMN") == once
