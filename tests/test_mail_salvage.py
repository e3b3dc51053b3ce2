"""The lenient mail reader never raises and keeps what it cannot read."""

from p3m_app.core import mail_salvage as ms


def test_plain_mail():
	raw = (
		b"From: Budi <budi@example.org>\r\nSubject: Jalan rusak\r\nMessage-ID: <a@b>\r\n\r\nMohon diperbaiki."
	)
	out = ms.salvage(raw)
	assert (out.from_email, out.from_name, out.subject, out.message_id) == (
		"budi@example.org",
		"Budi",
		"Jalan rusak",
		"a@b",
	)
	assert out.text == "Mohon diperbaiki."
	assert out.problems == []


def test_no_from_and_invalid_address():
	assert ms.salvage(b"Subject: x\r\n\r\nisi").from_email == ""
	assert "no From header" in ms.salvage(b"Subject: x\r\n\r\nisi").problems
	out = ms.salvage(b"From: foo\r\nSubject: x\r\n\r\nisi")
	assert (out.from_email, out.from_name) == ("", "foo")


def test_broken_mime_charset_and_html_only():
	raw = (
		b'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="XX"\r\n\r\n'
		b"--XX\r\nContent-Type: text/html; charset=no-such-charset\r\n\r\n<p>Halo \xff</p>\r\n"
		b"--XX\r\nContent-Type: image/jpeg; name=foto.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		b"/9j/!!!broken\r\n--XX"
	)
	out = ms.salvage(raw)
	assert out.text.startswith("Halo")
	assert [a[0] for a in out.attachments] == ["foto.jpg"]
	assert any("charset" in p for p in out.problems)


def test_empty_and_garbage():
	for raw in (b"", b"\x00\xff\xfe", "no headers at all", b"Subject: =?utf-8?B?!!!?=\r\n\r\n"):
		out = ms.salvage(raw)
		assert isinstance(out.text, str) and isinstance(out.subject, str)


def test_huge_subject_is_cut_and_digest_is_stable():
	out = ms.salvage(b"Subject: " + b"a" * 50000 + b"\r\n\r\nx")
	assert len(out.subject) == ms.MAX_HEADER
	assert ms.digest(b"x") == ms.digest("x") != ms.digest(b"y")
