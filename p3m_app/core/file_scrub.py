"""Hidden details removed from the files of anonymous and confidential reports.

A photo can carry where it was taken (EXIF GPS), the camera or phone and its owner's name; a
document its author, the last editor, the company and the folder it was saved in. For a report
whose reporter is anonymous or sealed, ``scrub(filename, content)`` returns the same file without
them, of the same type and still opening as before:

- JPEG: EXIF, XMP, IPTC/Photoshop, comments, extra JFIF thumbnails and whatever follows the image
  (multi-picture or motion-photo trailers) are dropped byte by byte, so pixels are not re-encoded.
  A photo turned by its EXIF orientation is first turned for real (re-encoded by Pillow at quality
  95), so it does not end up on its side. The colour profile (ICC) stays: it describes colours.
- PNG: only image chunks stay (IHDR, PLTE, IDAT, IEND, transparency, colour, density, animation);
  text (Author, Comment, Software...), eXIf and tIME chunks go.
- WebP: the EXIF and XMP chunks go (orientation is not applied: phones do not write it in WebP).
- PDF (pypdf): the document information (/Info: Author, Creator, Producer...), XMP streams
  (/Metadata) anywhere in the file, /PieceInfo, the file identifier (/ID), the author of
  comment-like annotations (/T), and EXIF/XMP in the JPEG images it embeds. The document is
  written afresh, so earlier saved revisions go too. A PDF that needs a password is refused.
- DOCX/XLSX (OOXML) and ODT (ODF): docProps/core.xml, app.xml and custom.xml (creator,
  lastModifiedBy, company, manager, title, template...), and ODF meta.xml, are replaced by empty
  ones; the author and initials on comments and tracked changes, Excel's comment authors, people
  and saved folder (absPath), Word's attached template path and ODF's printer settings are blanked;
  JPEG and PNG images inside are scrubbed as above; entry dates and the zip comment are reset.

A file of one of these types that cannot be parsed is refused (``RuleViolation``): its details
could not be removed, so it is not kept. Plain text has no hidden details and is returned as is.
Left as they are, and so still able to carry such details: OLE ``.doc``/``.xls`` (their summary
stream holds author and company), ``.mp3`` (ID3 tags) and ``.mp4`` (its ``udta`` box, in which
phones may write a location); the rest of a document's content (text, revision ids) is the
reporter's own. Files of any other type are not accepted by the portal and returned unchanged.
"""

import io
import re
import struct
import zipfile

from p3m_app.core.errors import RuleViolation, _

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
JPEG_QUALITY = 95


class Unparsable(Exception):
	"""The file is not what its type says; its details cannot be removed."""


def scrub(filename: str, content: bytes) -> bytes:
	"""The file without its hidden details; RuleViolation when that cannot be done."""
	ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
	scrubber = SCRUBBERS.get(ext)
	if scrubber is None:
		return content
	try:
		return scrubber(content)
	except Exception:  # a broken or hostile file may fail anywhere in a parser
		raise RuleViolation(
			_(
				"{file} could not be checked for hidden details (such as its author or where a photo "
				"was taken), so it cannot be accepted with an anonymous or confidential report. Send a "
				"copy that opens without a password, or a photo of it."
			),
			file=filename,
		) from None


def scrub_all(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
	"""Each file without its hidden details, and under a neutral name: a name such as
	``KTP_Budi_Santoso.jpg`` identifies a reporter as surely as the photo's metadata."""
	return [(neutral_name(name, i), scrub(name, content)) for i, (name, content) in enumerate(files, 1)]


def neutral_name(filename: str, number: int) -> str:
	extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
	extension = "".join(c for c in extension if c.isalnum())[:8]
	return f"lampiran-{number}.{extension}" if extension else f"lampiran-{number}"


def needs_scrub(values) -> bool:
	"""Files of anonymous and confidential reports lose their hidden details."""
	return any(values.get(f) for f in ("is_anonymous", "is_confidential", "identity_sealed"))


# -- images --------------------------------------------------------------------------------


def scrub_jpeg(content: bytes) -> bytes:
	if jpeg_orientation(content) not in (None, 1):
		return reencode_jpeg(content)
	return strip_jpeg(content)


def jpeg_orientation(content: bytes) -> int | None:
	from PIL import Image

	with Image.open(io.BytesIO(content)) as image:
		if image.format not in ("JPEG", "MPO"):
			raise Unparsable("not a JPEG")
		return image.getexif().get(0x0112)


def reencode_jpeg(content: bytes) -> bytes:
	from PIL import Image, ImageOps

	with Image.open(io.BytesIO(content)) as image:
		icc = image.info.get("icc_profile")
		turned = ImageOps.exif_transpose(image)
		out = io.BytesIO()
		turned.save(out, "JPEG", quality=JPEG_QUALITY, icc_profile=icc)
	return strip_jpeg(out.getvalue())


def strip_jpeg(data: bytes) -> bytes:
	"""The JPEG's segments without metadata, up to its end marker (nothing after it)."""
	if data[:2] != b"\xff\xd8":
		raise Unparsable("no JPEG start")
	out, i = bytearray(b"\xff\xd8"), 2
	while i < len(data):
		if data[i] != 0xFF:
			raise Unparsable("JPEG marker expected")
		while data[i + 1] == 0xFF:  # fill bytes
			i += 1
		marker = data[i + 1]
		if marker == 0xD9:
			return bytes(out + b"\xff\xd9")
		if 0xD0 <= marker <= 0xD7 or marker == 0x01:
			out += data[i : i + 2]
			i += 2
			continue
		(length,) = struct.unpack(">H", data[i + 2 : i + 4])
		segment = data[i : i + 2 + length]
		if length < 2 or len(segment) < 2 + length:
			raise Unparsable("truncated JPEG segment")
		if keep_jpeg_segment(marker, segment):
			out += segment
		i += 2 + length
		if marker == 0xDA:  # a scan's entropy-coded data runs up to the next real marker
			end = next_jpeg_marker(data, i)
			out += data[i:end]
			i = end
	return bytes(out)  # no end marker: kept as sent, decoders accept it


def keep_jpeg_segment(marker: int, segment: bytes) -> bool:
	"""Image data and tables stay; of the application segments only JFIF, ICC and Adobe colour."""
	if marker == 0xE0:
		return segment[4:9] == b"JFIF\x00"
	if marker == 0xE2:
		return segment[4:16] == b"ICC_PROFILE\x00"
	if marker == 0xEE:
		return segment[4:9] == b"Adobe"
	return not (0xE1 <= marker <= 0xEF or marker == 0xFE)  # EXIF, XMP, IPTC, comments...


def next_jpeg_marker(data: bytes, i: int) -> int:
	while True:
		i = data.find(b"\xff", i)
		if i < 0 or i + 1 >= len(data):
			return len(data)
		follower = data[i + 1]
		if follower == 0 or 0xD0 <= follower <= 0xD7:  # stuffed byte or restart marker
			i += 2
		elif follower == 0xFF:
			i += 1
		else:
			return i


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = {
	*(b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"),
	*(b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"),
}


def scrub_png(data: bytes) -> bytes:
	if not data.startswith(_PNG_SIGNATURE):
		raise Unparsable("no PNG signature")
	out, i = bytearray(_PNG_SIGNATURE), len(_PNG_SIGNATURE)
	while i + 12 <= len(data):
		length, kind = struct.unpack(">I4s", data[i : i + 8])
		chunk = data[i : i + 12 + length]
		if len(chunk) < 12 + length:
			raise Unparsable("truncated PNG chunk")
		if kind in _PNG_KEEP:
			out += chunk
		if kind == b"IEND":
			return bytes(out)
		i += 12 + length
	raise Unparsable("PNG without IEND")


def scrub_webp(data: bytes) -> bytes:
	if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
		raise Unparsable("not a WebP")
	end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
	chunks, i = [], 12
	while i + 8 <= end:
		kind, size = struct.unpack("<4sI", data[i : i + 8])
		chunk = bytearray(data[i : i + 8 + size + (size & 1)])
		if i + 8 + size > end:
			raise Unparsable("truncated WebP chunk")
		if kind == b"VP8X":
			chunk[8] &= ~0x0C & 0xFF  # no EXIF (0x08) and no XMP (0x04) any more
		if kind not in (b"EXIF", b"XMP "):
			chunks.append(bytes(chunk))
		i += 8 + size + (size & 1)
	body = b"WEBP" + b"".join(chunks)
	return b"RIFF" + struct.pack("<I", len(body)) + body


def scrub_embedded_image(data: bytes) -> bytes:
	"""An image inside a document: by its content, whatever its name; no re-encoding."""
	if data.startswith(b"\xff\xd8"):
		return strip_jpeg(data)
	if data.startswith(_PNG_SIGNATURE):
		return scrub_png(data)
	return data


# -- PDF -------------------------------------------------------------------------------------

_MARKUP_ANNOTATIONS = {
	"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
	"/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/FileAttachment",
	"/Sound", "/Redact",
}  # fmt: skip


def scrub_pdf(content: bytes) -> bytes:
	# pypdf ~=3.17 (Frappe 15's) has no public way to drop /Info or /ID: its writer's fields are used
	from pypdf import PdfReader, PdfWriter
	from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject

	reader = PdfReader(io.BytesIO(content))
	if reader.is_encrypted and not reader.decrypt(""):
		raise Unparsable("the PDF needs a password")
	writer = PdfWriter(clone_from=reader)
	writer._info.get_object().clear()
	writer._ID = None
	for obj in writer._objects:
		if not isinstance(obj, DictionaryObject):
			continue
		if obj.get("/Type") == "/Metadata":
			empty(obj)  # an XMP stream, referenced or left over in the file
		for key in ("/Metadata", "/PieceInfo"):
			if key in obj:
				empty(obj.pop(key).get_object())
		if obj.get("/Subtype") in _MARKUP_ANNOTATIONS and "/T" in obj:
			obj[NameObject("/T")] = TextStringObject("")
		if (
			isinstance(obj, StreamObject)
			and obj.get("/Subtype") == "/Image"
			and obj.get("/Filter") == "/DCTDecode"
		):
			# the encoded stream refuses set_data for this filter; the base class sets the bytes
			StreamObject.set_data(obj, strip_jpeg(obj._data))
	out = io.BytesIO()
	writer.write(out)
	return out.getvalue()


def empty(obj) -> None:
	"""A PDF dictionary or stream left without content (it may still be written, unreferenced)."""
	from pypdf.generic import DictionaryObject, StreamObject

	if isinstance(obj, StreamObject):
		for key in ("/Filter", "/DecodeParms"):
			obj.pop(key, None)
		StreamObject.set_data(obj, b"")
	elif isinstance(obj, DictionaryObject):
		obj.clear()


# -- office documents ----------------------------------------------------------------------

_EMPTY_PARTS = {
	"docProps/core.xml": (
		'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
		' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
		' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
	),
	"docProps/app.xml": (
		'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
		' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
	),
	"docProps/custom.xml": (
		'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
		' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
	),
	"meta.xml": (
		'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
		' office:version="{version}"><office:meta/></office:document-meta>'
	),
}
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BLANKED_SOURCE = [  # (part name pattern, pattern, replacement) on the XML text of other parts
	(r"^word/.*\.xml$", r'\b((?:w|w15):(?:author|initials|userId|providerId))="[^"]*"', r'\1=""'),
	(r"^word/settings\.xml$", r"<w:attachedTemplate\b[^>]*/>", ""),
	(r"^word/_rels/settings\.xml\.rels$", r"<Relationship\b[^>]*/attachedTemplate\"[^>]*/>", ""),
	(r"^xl/comments\d*\.xml$", r"<author>[^<]*</author>", "<author></author>"),
	(r"^xl/persons/.*\.xml$", r'\b(displayName|userId|providerId)="[^"]*"', r'\1=""'),
	(r"^xl/workbook\.xml$", r'(<[\w:]*absPath\b[^>]*\burl=")[^"]*"', r'\1"'),
	(r"^(content|styles)\.xml$", r"<dc:creator>[^<]*</dc:creator>", "<dc:creator/>"),
	(r"^(content|styles)\.xml$", r"<meta:creator-initials>[^<]*</meta:creator-initials>", ""),
	(
		r"^settings\.xml$",
		r'(<config:config-item config:name="Printer(?:Name|Setup)"[^>]*>)[^<]*(</config:config-item>)',
		r"\1\2",
	),
]
_BLANKED = [(re.compile(part), re.compile(pattern), repl) for part, pattern, repl in _BLANKED_SOURCE]
_ODF_VERSION = re.compile(rb'office:version="([0-9.]+)"')


def scrub_package(content: bytes) -> bytes:
	"""An OOXML or ODF zip package, entry by entry, in the same order and compression."""
	out = io.BytesIO()
	with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
		entries = source.infolist()
		if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
			raise Unparsable("the package unpacks too large")
		for entry in entries:
			data = scrub_part(entry.filename, source.read(entry))
			info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
			info.compress_type = entry.compress_type
			target.writestr(info, data)
	return out.getvalue()


def scrub_part(name: str, data: bytes) -> bytes:
	if name in _EMPTY_PARTS:
		version = _ODF_VERSION.search(data)
		empty = _EMPTY_PARTS[name].replace("{version}", version.group(1).decode() if version else "1.2")
		return (_XML_DECLARATION + empty).encode()
	if name.lower().endswith((".xml", ".rels")):
		text = None
		for part, pattern, repl in _BLANKED:
			if part.search(name):
				text = pattern.sub(repl, data.decode("utf-8") if text is None else text)
		return data if text is None else text.encode("utf-8")
	return scrub_embedded_image(data)


SCRUBBERS = {
	"jpg": scrub_jpeg,
	"jpeg": scrub_jpeg,
	"png": scrub_png,
	"webp": scrub_webp,
	"pdf": scrub_pdf,
	"docx": scrub_package,
	"xlsx": scrub_package,
	"odt": scrub_package,
}
