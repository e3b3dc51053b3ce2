"""The PKH complaint types of Tabel 1 of the Pedoman Pengaduan PKH (seed 004, lines 391-567),
each with its handling checklist, shipped at install and on every migrate.

The steps say, in short, what Tabel 1's "Langkah Penanganan" column says, each naming who acts
and the seed lines it comes from. A step the guideline opens with "Jika ..." / "Apabila ..." is
``conditional``; ``closes_case`` marks the step after which the reporter has the result (the
letter to the reporter, or UPPKH Pusat's decision). The names "Data Peserta" and "Ketersediaan
Pelayanan" are matched by the shipped SLA policies (p3m_app/setup/data/sla_policies.json) and stay.

Idempotent: a missing type is created under the group "PKH (semua)"; an existing one only gets
the group as its parent when it has none, and the steps when it has none, so what an agency
changed is kept. Default units stay empty: routing decides where a complaint starts.
"""

import frappe

PROGRAM = "PKH"
GROUP = "PKH (semua)"

KAB = "UPPKH Kabupaten/Kota"
PUSAT = "UPPKH Pusat"


def step(text, actor, ref, closes=False, conditional=False):
	return {
		"step": text,
		"actor": actor,
		"seed_reference": f"004 baris {ref}",
		"closes_case": int(closes),
		"conditional": int(conditional),
	}


# lines 405-416 and 425-436 are word for word the same for both types
_SEND_TO_PUSAT = (
	"Jika bukti mencukupi, kirim pernyataan dan dokumen pendukung ke UPPKH Pusat dengan rekomendasi "
	"perbaikan Master Database."
)
_TELL_IN_WRITING = (
	"Beri tahu peserta secara tertulis bahwa pernyataan dan buktinya sudah dikirim ke UPPKH Pusat "
	"dan diproses paling lama 1 (satu) bulan."
)
_PUSAT_DECIDES = (
	"UPPKH Pusat menyampaikan keputusan kepada UPPKH Kabupaten/Kota (diteruskan ke Pendamping), "
	"kepada peserta, dan kepada pihak terkait lain (mis. penyedia layanan) melalui surat, email, atau fax."
)
_NEXT_PAYMENT = "Jika berimplikasi pada pembayaran, perbaikan menjadi dasar pembayaran berikutnya."

TYPES = (
	{
		"category_name": "Data Peserta",
		"description": "Terkait data peserta PKH dan Master Database (Pedoman PKH Tabel 1, baris 402-419; "
		"diproses paling lama 1 bulan, baris 410-411).",
		"steps": (
			step(_SEND_TO_PUSAT, KAB, "405-407", conditional=True),
			step(_TELL_IN_WRITING, KAB, "408-411"),
			step(_PUSAT_DECIDES, PUSAT, "412-416", closes=True),
			step(_NEXT_PAYMENT, PUSAT, "417-419", conditional=True),
		),
	},
	{
		"category_name": "Pemenuhan Komitmen dan Verifikasi",
		"description": "Terkait pemenuhan komitmen peserta dan verifikasi (Pedoman PKH Tabel 1, baris 421-444).",
		"steps": (
			step(_SEND_TO_PUSAT, KAB, "425-427", conditional=True),
			step(_TELL_IN_WRITING, KAB, "428-431"),
			step(_PUSAT_DECIDES, PUSAT, "432-436", closes=True),
			step(
				"Jika masalahnya ada pada penyedia layanan, beri tahu Tim Koordinasi Kabupaten/Kota dan "
				"laporkan kepada Bupati/Walikota untuk tindakan korektif paling lama 3 (tiga) bulan.",
				KAB,
				"437-441",
				conditional=True,
			),
			step(_NEXT_PAYMENT, PUSAT, "442-444", conditional=True),
		),
	},
	{
		"category_name": "Bukan Peserta yang Merasa Berhak",
		"description": "Pengaduan dari bukan peserta PKH yang merasa seharusnya mendapat bantuan (exclusion "
		"error); memakai formulir C-2 (Pedoman PKH Tabel 1, baris 446-466; baris 160-161).",
		"steps": (
			step(
				"Bantu pelapor mendaftarkan pengaduannya ke UPPKH Pusat: formulir pengaduan (C-2), nomor "
				"hotline, alamat website, alamat email.",
				"Pendamping",
				"450-453",
			),
			step(
				"Jelaskan kriteria peserta PKH (rumah tangga sangat miskin, memiliki anak 0-15 tahun, ada ibu "
				"hamil) dan cakupan wilayah PKH yang bertahap; bila perlu lakukan sosialisasi kembali.",
				"Pendamping",
				"454-459",
				closes=True,
			),
			step(
				"Jika pengaduan exclusion error dari satu daerah cukup banyak, kirim rekomendasi ke UPPKH "
				"Pusat melalui koordinasi dengan Tim Koordinasi Kabupaten/Kota dan Tim Koordinasi Provinsi.",
				KAB,
				"460-465",
				conditional=True,
			),
			step(
				"UPPKH Pusat berkoordinasi dengan Tim Koordinasi / Pengendali Pusat untuk penanganan selanjutnya.",
				PUSAT,
				"465-466",
				conditional=True,
			),
		),
	},
	{
		"category_name": "Pembayaran",
		"description": "Permasalahan pembayaran: keterlambatan, antrian panjang, dan sebagainya (Pedoman PKH "
		"Tabel 1, baris 468-486).",
		"steps": (
			step(
				"Jika dilaporkan oleh minimal 2 (dua) orang dan Kantor Pos tidak dapat menyelesaikannya, "
				"rekomendasikan UPPKH Pusat berkoordinasi dengan PT Pos Indonesia.",
				KAB,
				"472-476",
				conditional=True,
			),
			step(
				"PT Pos Indonesia mengambil tindak lanjut yang diperlukan dengan Kantor Pos yang bersangkutan.",
				"PT Pos",
				"475-476",
				conditional=True,
			),
			step(
				"Jika masalah berlangsung terus-menerus dan meluas di beberapa daerah, rekomendasikan UPPKH "
				"Pusat meninjau ulang kerja sama dengan PT Pos Indonesia.",
				KAB,
				"477-480",
				conditional=True,
			),
			step(
				"Kirim surat kepada pelapor tentang hasil penyelidikan dan tindak lanjut yang diambil.",
				KAB,
				"481-483",
				closes=True,
			),
			step(
				"Informasikan kepada masyarakat penanganan dan tindak lanjut yang dilakukan.", KAB, "484-486"
			),
		),
	},
	{
		"category_name": "Ketersediaan Pelayanan",
		"description": "Permasalahan ketersediaan layanan pendidikan dan kesehatan (Pedoman PKH Tabel 1, "
		"baris 488-513; tindakan korektif paling lama 3 bulan, baris 440-441).",
		"steps": (
			step(
				"Klasifikasikan tindak lanjut yang diperlukan dan teruskan penyelesaiannya kepada dinas teknis "
				"terkait di kabupaten/kota.",
				KAB,
				"492-497",
			),
			step("Dinas teknis terkait menyelesaikan permasalahan layanan.", "Dinas Teknis", "495-497"),
			step("Laporkan permasalahan kepada Tim Koordinasi Kabupaten/Kota.", KAB, "498-500"),
			step(
				"Jika perlu koordinasi dengan tingkat pemerintahan yang lebih tinggi, Tim Koordinasi "
				"Kabupaten/Kota mengoordinasikannya dengan dinas/departemen teknis provinsi dan pusat bersama "
				"Tim Koordinasi Provinsi dan/atau Tim Pengendali PKH Pusat.",
				"Tim Koordinasi",
				"501-506",
				conditional=True,
			),
			step(
				"Kirim surat pemberitahuan kepada pelapor tentang hasil penyelidikan dan bahwa permasalahan "
				"telah ditangani dinas terkait.",
				KAB,
				"507-510",
				closes=True,
			),
			step("Informasikan kepada masyarakat tahap penanganan dan tindak lanjut.", KAB, "511-513"),
		),
	},
	{
		"category_name": "Teknis, Administrasi dan Aspek Lain",
		"description": "Permasalahan teknis, administrasi, dan aspek lain pelaksanaan PKH, termasuk kinerja "
		"pendamping dan operator (Pedoman PKH Tabel 1, baris 515-542).",
		"steps": (
			step(
				"Jika terkait tugas dan kewenangan UPPKH Kabupaten/Kota (termasuk format dan bahan dari UPPKH "
				"Pusat), perbaiki penyebabnya sesuai ketentuan; bila perlu berkonsultasi dengan UPPKH Pusat.",
				KAB,
				"519-524",
				conditional=True,
			),
			step(
				"Jika terkait kinerja pelaksana kabupaten/kota sampai Pendamping dan operator, ambil tindakan "
				"korektif, bila perlu sanksi (peringatan sampai pemberhentian), dan laporkan ke UPPKH Pusat.",
				KAB,
				"525-531",
				conditional=True,
			),
			step(
				"Jika terkait desain, mekanisme dan prosedur program, teruskan ke UPPKH Pusat dengan "
				"rekomendasi perbaikan peraturan.",
				KAB,
				"532-535",
				conditional=True,
			),
			step("Informasikan kepada pelapor tindakan/keputusan yang diambil.", KAB, "536-538", closes=True),
			step(
				"Jika perlu perubahan sistem teknis dan administrasi, UPPKH Pusat segera memberi tahu seluruh "
				"pemangku kepentingan PKH di pusat dan daerah.",
				PUSAT,
				"539-542",
				conditional=True,
			),
		),
	},
	{
		"category_name": "Penyimpangan / Indikasi KKN",
		"default_classification": "Whistleblowing",
		"description": "Penyimpangan atau indikasi korupsi, kolusi dan nepotisme dalam pelaksanaan PKH "
		"(Pedoman PKH Tabel 1, baris 544-566); UPPKH Kabupaten/Kota tidak menangani kasus korupsi sendiri.",
		"steps": (
			step(
				"Kumpulkan informasi terkait, berkoordinasi dengan UPPKH Pusat dan pihak terkait, dan pantau "
				"perkembangan penanganan kasus.",
				KAB,
				"548-553",
			),
			step(
				"Jika terlapor adalah staf, konsultan atau pendamping PKH, bebastugaskan selama penyelidikan; "
				"berhentikan bila terbukti, atau pulihkan hak dan tanggung jawabnya bila tidak bersalah.",
				PUSAT,
				"555-562",
				conditional=True,
			),
			step(
				"Sampaikan perkembangan dan tindakan korektif/sanksi hasil penyelidikan kepada masyarakat "
				"umum, pendamping dan penerima manfaat.",
				KAB,
				"552-554",
			),
			step(
				"Kirim pemberitahuan kepada pelapor tentang hasil penyelidikan dan tindak lanjut yang dapat "
				"ditempuh bila pelapor tidak puas.",
				KAB,
				"563-566",
				closes=True,
			),
		),
	},
)


def ensure_types() -> None:
	"""Create what is missing; never overwrite what an agency changed."""
	if not frappe.db.exists("P3M Program", PROGRAM):
		return
	if not frappe.db.exists("Complaint Category", GROUP):
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": GROUP,
				"is_group": 1,
				"program": PROGRAM,
				"description": "Jenis pengaduan PKH menurut Tabel 1 Pedoman Pengaduan PKH (seed 004, baris 391-567).",
			}
		).insert(ignore_permissions=True)
	for values in TYPES:
		name = values["category_name"]
		rows = [dict(s) for s in values["steps"]]
		if not frappe.db.exists("Complaint Category", name):
			fields = {k: v for k, v in values.items() if k != "steps"}
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					**fields,
					"program": PROGRAM,
					"parent_complaint_category": GROUP,
					"handling_steps": rows,
				}
			).insert(ignore_permissions=True)
			continue
		doc = frappe.get_doc("Complaint Category", name)
		changed = False
		if not doc.parent_complaint_category and not doc.is_group:
			doc.parent_complaint_category = GROUP
			changed = True
		if not doc.get("handling_steps"):
			doc.set("handling_steps", rows)
			changed = True
		if changed:
			doc.save(ignore_permissions=True)
