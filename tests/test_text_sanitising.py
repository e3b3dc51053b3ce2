"""Reporter text comes out as plain text: no tag survives or re-forms, the words stay readable."""

import html

import nh3
import pytest

from p3m_app.core import portal_rules as pr

BYPASSES = [
	"<<x>img src=x onerror=alert(1)>",
	"<<script>script>alert(1)<</script>/script>",
	"&lt;img src=x onerror=alert(1)&gt;",
	"&amp;lt;img src=x onerror=alert(1)&amp;gt;",
	"&#60;script&#62;alert(1)&#60;/script&#62;",
	"&#x3c;svg onload=alert(1)&#x3e;",
	"<svg/onload=alert(1)>",
	"<img src=x onerror=alert(1)",
	"<img src=x onerror=alert(1)//",
	"<iframe src=javascript:alert(1)>",
	"<scr<script>ipt>alert(1)</scr</script>ipt>",
	"<a href='javascript:alert(1)'>klik</a>",
	"<!--><img src=x onerror=alert(1)>-->",
	'<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<template><img src=x onerror=alert(1)></template>",
	"\x00<img src=x onerror=alert(1)>",
	"<im\x00g src=x onerror=alert(1)>",
]


def has_tag(text: str) -> bool:
	"""Whether a browser would see markup in the text: removing every tag changes what it reads."""
	return html.unescape(nh3.clean(text, tags=set(), attributes={})) != html.unescape(text)


@pytest.mark.parametrize("attack", BYPASSES)
def test_no_tag_survives_or_re_forms(attack):
	text = pr.strip_markup(attack)
	assert not has_tag(text), text
	assert "onerror" not in text.lower() or "<" not in text
	assert pr.strip_markup(text) == text  # a fixed point: cleaning again changes nothing


@pytest.mark.parametrize(
	"plain",
	[
		"3 < 5 and 6 > 4",
		"Tom & Jerry",
		"Bantuan Rp 200.000 -> belum diterima",
		"javascript:alert(1)",
		"a < b > c",
		"Nilai <= 5 & >= 2",
		"Jl. Merdeka No. 5\nRT 01/RW 02",
	],
)
def test_plain_text_stays_intact(plain):
	assert pr.strip_markup(plain) == plain


def test_entities_become_characters_and_words_stay():
	assert pr.strip_markup("Tom &amp; Jerry") == "Tom & Jerry"
	assert pr.strip_markup("<p>Halo <b>dunia</b></p>") == "Halo dunia"
	assert pr.strip_markup("caf&eacute; &quot;kopi&quot;") == 'café "kopi"'


def test_code_and_hidden_content_goes_with_its_tags():
	for block in ("script", "style", "iframe", "object", "template", "noscript"):
		assert pr.strip_markup(f"a <{block}>rahasia</{block}> b") == "a  b"
	assert pr.strip_markup("a <embed src=x.swf> b") == "a  b"  # a void element: it holds nothing


def test_control_characters_go_and_whitespace_is_trimmed():
	assert pr.strip_markup("  \x00ha\x07lo\x1b  ") == "halo"
	assert pr.strip_markup("&#7;x") == "x"


def test_input_that_does_not_settle_loses_every_angle_bracket():
	deep = "&" + "amp;" * (pr.MAX_PASSES + 2) + "lt;img src=x onerror=alert(1)&gt;"
	text = pr.strip_markup(deep)
	assert "<" not in text and not has_tag(text)


def test_mail_html_becomes_readable_lines():
	markup = (
		"<html><head><title>Judul</title><style>p{color:red}</style></head><body>"
		"<p>Yth. Bapak/Ibu,</p><p>Jalan <b>rusak</b> &amp; berlubang.<br>Mohon diperbaiki.</p>"
		"<div>Budi</div><script>alert(1)</script></body></html>"
	)
	assert pr.html_to_text(markup) == "Yth. Bapak/Ibu,\nJalan rusak & berlubang.\nMohon diperbaiki.\nBudi"
	assert pr.html_to_text("<p>a</p>\n\n\n\n<p>b</p>") == "a\n\nb"
	assert pr.html_to_text("") == ""


def test_submission_and_free_text_use_the_sanitiser():
	assert pr.clean_text("<<x>img src=x onerror=alert(1)>Foto", "Info") == "Foto"


def test_the_tag_detector_sees_tags():
	assert has_tag("<img src=x onerror=alert(1)>") and has_tag("x<!-- y -->") and has_tag("<svg/onload=1>")
	assert not has_tag("3 < 5 and 6 > 4") and not has_tag("Tom &amp; Jerry")
