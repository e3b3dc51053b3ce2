"""Files of anonymous and confidential reports lose author, place and device; they still open."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import ExifTags, Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from p3m_app.core import file_scrub
from p3m_app.core.errors import RuleViolation

SECRET = "Budi Santoso"


def exif(orientation: int | None = None) -> Image.Exif:
	data = Image.Exif()
	data[0x013B] = SECRET  # Artist
	data[0x0110] = "Pixel 7"  # Model
	if orientation:
		data[0x0112] = orientation
	data[ExifTags.IFD.GPSInfo] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}
	return data


def jpeg(size=(40, 20), orientation=None) -> bytes:
	out = io.BytesIO()
	Image.new("RGB", size, (200, 10, 10)).save(out, "JPEG", exif=exif(orientation), comment=SECRET.encode())
	return out.getvalue()


def opened(content: bytes) -> Image.Image:
	image = Image.open(io.BytesIO(content))
	image.load()
	return image


def test_jpeg_loses_exif_gps_and_comments_and_still_opens():
	original = jpeg()
	assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)
	clean = file_scrub.scrub("foto.jpg", original)
	image = opened(clean)
	assert image.size == (40, 20)
	assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
	assert SECRET.encode() not in clean and b"Exif" not in clean and b"Pixel" not in clean
	assert "comment" not in image.info


def test_jpeg_is_not_re_encoded_when_upright():
	original = jpeg()
	clean = file_scrub.scrub("foto.jpeg", original)
	assert (
		clean.endswith(b"\xff\xd9")
		and original[original.index(b"\xff\xda") :] == clean[clean.index(b"\xff\xda") :]
	)


def test_jpeg_orientation_is_applied_before_exif_goes():
	clean = file_scrub.scrub("foto.jpg", jpeg(size=(40, 20), orientation=6))
	image = opened(clean)
	assert image.size == (20, 40)  # turned for real, not left on its side
	assert not image.getexif()
	assert SECRET.encode() not in clean


def test_jpeg_trailer_after_the_image_goes():
	clean = file_scrub.scrub("foto.jpg", jpeg() + b"MotionPhoto " + SECRET.encode())
	assert clean.endswith(b"\xff\xd9") and SECRET.encode() not in clean


def test_png_loses_text_and_exif_chunks():
	info = PngImagePlugin.PngInfo()
	info.add_text("Author", SECRET)
	info.add_itxt("Comment", SECRET)
	out = io.BytesIO()
	Image.new("RGBA", (8, 8), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info, exif=exif())
	assert SECRET.encode() in out.getvalue()
	clean = file_scrub.scrub("peta.png", out.getvalue())
	image = opened(clean)
	assert image.size == (8, 8) and image.mode == "RGBA"
	assert SECRET.encode() not in clean and not image.text and not image.getexif()


def test_webp_loses_exif():
	out = io.BytesIO()
	Image.new("RGB", (16, 16), (0, 200, 0)).save(out, "WEBP", exif=exif())
	assert SECRET.encode() in out.getvalue()
	clean = file_scrub.scrub("foto.webp", out.getvalue())
	assert SECRET.encode() not in clean
	assert opened(clean).size == (16, 16) and not opened(clean).getexif()


def pdf_with_metadata(image: bytes | None = None) -> bytes:
	writer = PdfWriter()
	page = writer.add_blank_page(200, 100)
	writer.add_metadata({"/Author": SECRET, "/Creator": "Word - Dinas Sosial", "/Title": "Laporan"})
	xmp = DecodedStreamObject()
	xmp.set_data(
		f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{SECRET}</dc:creator></x:xmpmeta>'.encode()
	)
	xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
	writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
	if image:
		stream = DecodedStreamObject()
		stream.set_data(image)
		stream.update(
			{
				NameObject("/Type"): NameObject("/XObject"),
				NameObject("/Subtype"): NameObject("/Image"),
				NameObject("/Width"): NumberObject(40),
				NameObject("/Height"): NumberObject(20),
				NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
				NameObject("/BitsPerComponent"): NumberObject(8),
				NameObject("/Filter"): NameObject("/DCTDecode"),
			}
		)
		page[NameObject("/Resources")] = DictionaryObject(
			{NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(stream)})}
		)
		content = DecodedStreamObject()
		content.set_data(b"q 40 0 0 20 0 0 cm /Im0 Do Q")
		page[NameObject("/Contents")] = ArrayObject([writer._add_object(content)])
	out = io.BytesIO()
	writer.write(out)
	return out.getvalue()


def test_pdf_loses_info_xmp_and_embedded_exif_and_still_opens():
	original = pdf_with_metadata(image=jpeg())
	assert PdfReader(io.BytesIO(original)).metadata.author == SECRET
	clean = file_scrub.scrub("surat.pdf", original)
	assert SECRET.encode() not in clean and b"Dinas" not in clean and b"Exif" not in clean
	reader = PdfReader(io.BytesIO(clean))
	assert not reader.metadata
	assert "/Metadata" not in reader.trailer["/Root"]
	assert len(reader.pages) == 1
	assert opened(reader.pages[0].images[0].data).size == (40, 20)


def test_pdf_annotation_author_goes():
	writer = PdfWriter()
	page = writer.add_blank_page(100, 100)
	note = DictionaryObject(
		{
			NameObject("/Type"): NameObject("/Annot"),
			NameObject("/Subtype"): NameObject("/Text"),
			NameObject("/T"): file_scrub_text(SECRET),
			NameObject("/Contents"): file_scrub_text("Catatan"),
			NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
		}
	)
	page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
	out = io.BytesIO()
	writer.write(out)
	clean = file_scrub.scrub("surat.pdf", out.getvalue())
	assert SECRET.encode() not in clean and b"Catatan" in clean


def file_scrub_text(value: str):
	from pypdf.generic import TextStringObject

	return TextStringObject(value)


def test_password_protected_pdf_is_refused():
	writer = PdfWriter()
	writer.add_blank_page(72, 72)
	writer.encrypt("rahasia")
	out = io.BytesIO()
	writer.write(out)
	with pytest.raises(RuleViolation, match=r"surat\.pdf"):
		file_scrub.scrub("surat.pdf", out.getvalue())


CORE = (
	'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
	f' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{SECRET}</dc:creator>'
	f"<cp:lastModifiedBy>{SECRET}</cp:lastModifiedBy><dc:title>Laporan</dc:title></cp:coreProperties>"
)
APP = (
	'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
	f"<Company>Dinas Sosial</Company><Manager>{SECRET}</Manager></Properties>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (
	f'<w:document {W}><w:body><w:p><w:r><w:t>Isi laporan</w:t></w:r></w:p><w:p><w:ins w:id="1" '
	f'w:author="{SECRET}" w:date="2026-01-01T00:00:00Z"><w:r><w:t>tambahan</w:t></w:r></w:ins></w:p></w:body></w:document>'
)
COMMENTS = (
	f'<w:comments {W}><w:comment w:id="0" w:author="{SECRET}" w:initials="BS"><w:p/></w:comment></w:comments>'
)


def package(entries: list[tuple[str, bytes | str]], stored_first: bool = False) -> bytes:
	out = io.BytesIO()
	with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
		for i, (name, data) in enumerate(entries):
			z.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored_first and i == 0 else None)
	return out.getvalue()


def unpacked(content: bytes) -> dict[str, bytes]:
	with zipfile.ZipFile(io.BytesIO(content)) as z:
		assert z.testzip() is None
		return {name: z.read(name) for name in z.namelist()}


def test_docx_loses_core_app_and_author_details_and_keeps_its_text():
	original = package(
		[
			(
				"[Content_Types].xml",
				'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
			),
			("docProps/core.xml", CORE),
			("docProps/app.xml", APP),
			("word/document.xml", DOCUMENT),
			("word/comments.xml", COMMENTS),
			("word/media/image1.jpeg", jpeg()),
		]
	)
	parts = unpacked(file_scrub.scrub("laporan.docx", original))
	assert next(iter(parts)) == "[Content_Types].xml"
	for name, data in parts.items():
		assert SECRET.encode() not in data and b"Dinas" not in data and b"Exif" not in data, name
		if name.endswith(".xml"):
			ElementTree.fromstring(data)  # still well-formed
	assert b"Isi laporan" in parts["word/document.xml"] and b"tambahan" in parts["word/document.xml"]
	assert opened(parts["word/media/image1.jpeg"]).size == (40, 20)


def test_xlsx_comment_authors_and_saved_folder_go():
	original = package(
		[
			("docProps/core.xml", CORE),
			("xl/comments1.xml", f"<comments><authors><author>{SECRET}</author></authors></comments>"),
			(
				"xl/workbook.xml",
				'<workbook><x15ac:absPath xmlns:x15ac="x" url="C:\\Users\\budi.santoso\\Documents\\"/></workbook>',
			),
		]
	)
	parts = unpacked(file_scrub.scrub("data.xlsx", original))
	assert all(SECRET.encode() not in d and b"budi" not in d for d in parts.values())


def test_odt_loses_meta_and_annotation_authors_and_stays_valid():
	meta = (
		'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
		'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
		f'office:version="1.3"><office:meta><meta:initial-creator>{SECRET}</meta:initial-creator>'
		f"<dc:creator>{SECRET}</dc:creator></office:meta></office:document-meta>"
	)
	content = (
		'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
		'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:text="t"><office:body><text:p>Isi'
		f"<office:annotation><dc:creator>{SECRET}</dc:creator></office:annotation></text:p>"
		"</office:body></office:document-content>"
	)
	original = package(
		[
			("mimetype", "application/vnd.oasis.opendocument.text"),
			("meta.xml", meta),
			("content.xml", content),
		],
		stored_first=True,
	)
	clean = file_scrub.scrub("laporan.odt", original)
	with zipfile.ZipFile(io.BytesIO(clean)) as z:
		first = z.infolist()[0]
		assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
	parts = unpacked(clean)
	assert all(SECRET.encode() not in d for d in parts.values())
	assert b'office:version="1.3"' in parts["meta.xml"] and b"Isi" in parts["content.xml"]
	ElementTree.fromstring(parts["meta.xml"])


@pytest.mark.parametrize(
	"name,content",
	[
		("foto.jpg", b"\xff\xd8\xff\xe0 not really a jpeg"),
		("peta.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
		("surat.pdf", b"%PDF-1.4 not really a pdf"),
		("laporan.docx", b"PK\x03\x04 not really a zip"),
		("foto.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 \xff\xff\xff\x00"),
	],
)
def test_a_file_with_known_metadata_that_cannot_be_parsed_is_refused(name, content):
	with pytest.raises(RuleViolation) as refused:
		file_scrub.scrub(name, content)
	assert refused.value.params == {"file": name}


@pytest.mark.parametrize(
	"name,content",
	[("catatan.txt", b"Budi Santoso"), ("lama.doc", b"\xd0\xcf\x11\xe0 ole"), ("rekaman.mp4", b"xxxxftyp")],
)
def test_types_without_a_scrubber_are_kept_as_sent(name, content):
	assert file_scrub.scrub(name, content) == content


def test_which_reports_are_scrubbed():
	assert file_scrub.needs_scrub({"is_anonymous": 1})
	assert file_scrub.needs_scrub({"is_confidential": 1})
	assert file_scrub.needs_scrub({"identity_sealed": 1})
	assert not file_scrub.needs_scrub({"is_anonymous": 0, "is_confidential": 0})
	assert file_scrub.scrub_all([("a.txt", b"x")]) == [("lampiran-1.txt", b"x")]


def test_protected_reports_keep_no_file_names():
	files = file_scrub.scrub_all([("KTP_Budi Santoso.TXT", b"isi"), ("bukti", b"x")])
	assert [name for name, _content in files] == ["lampiran-1.txt", "lampiran-2"]
