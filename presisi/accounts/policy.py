"""The access matrix: one declarative row per URL route (and so per OpenAPI operation) saying what each
role gets when it reads (GET) or writes (POST/PATCH/PUT/DELETE), inside its own region and outside it.

``tests/web/test_matrix.py`` walks every route of the URL resolver and every operation of the
generated OpenAPI schema, signs in as every role, fills the URL with ids of its own region and of
foreign ones (another desa, another kecamatan, another regency) and checks the answer's class against
this table; a route without a row fails the test. ``docs/SECURITY.md`` shows the same table
(``tabel_markdown``), checked by the test too.

Outcome letters:

- ``A`` allowed: 2xx/3xx, or a 4xx about the request itself (400 invalid input, 409 locked, 415);
- ``R`` refused: 401/403 or a redirect to the sign-in page (the role may not, though the record may
  be its own);
- ``H`` hidden: 404, like an id that does not exist. Records and person-level pages of another
  region are always hidden, never refused, so an id is never confirmed (IDOR);
- ``N`` no such method (405).

A role refused a whole route (e.g. the analis, who never justifies a finding) gets ``R`` for every id,
foreign or not: the answer does not depend on the id, so it confirms nothing.

A cell is one letter for all regions, or ``own/foreign`` (``A/H``) for routes whose URL names a
region or a regional record (``param`` kinds in ``REGIONAL``).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from presisi.accounts.models import ADMIN, ANALIS, OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA

ANONIM = "anonim"
# the walidata of the population sector (Dukcapil): the only walidata with person-level access
WALIDATA_DUKCAPIL = "walidata_dukcapil"
PERAN_MATRIKS = (ANONIM, OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA, WALIDATA_DUKCAPIL, ANALIS, ADMIN)
LABEL_PERAN = {ANONIM: "anonim", OPERATOR_DESA: "operator", VERIFIKATOR_KECAMATAN: "verifikator",
               WALIDATA: "walidata", WALIDATA_DUKCAPIL: "walidata dukcapil", ANALIS: "analis", ADMIN: "admin"}
HASIL = {"A", "R", "H", "N"}
# URL parameter kinds that place a request in a region (own vs foreign matters)
REGIONAL = {"desa", "wilayah", "keluarga", "individu", "rumah_tangga", "bangunan", "impor", "temuan", "perbaikan",
            "baris_tautan", "ganda"}

# shorthand for the usual rows
PUBLIK = "A A A A A A A"
MASUK = "R A A A A A A"
PRIBADI_BACA = "R A/H A/H R/H A/H R/H A/H"
PRIBADI_TULIS = "R A/H R/H R/H R/H R/H A/H"
KHUSUS_ADMIN = "R R R R R R A"
KABUPATEN = "R R R A A R A"  # walidata and admin: periods, rules, computing indicators
PENYUNTING = "R R R A A A A"  # the indicator catalogue: walidata, analis, admin
MEMUTUSKAN = "R A A A A R A"  # every role that handles a desa's data; never the analis
HANYA_POST = "R N N N N N N"  # a form target: GET is 405 once signed in
TOLAK = "R R R R R R R"
# a sector dataset's walidata (demo: dinsos) and the admin; the Dukcapil walidata manages another sector: 404
KELOLA_DATASET = "R R R A H R A"


@dataclass(frozen=True)
class Aturan:
    rute: str  # route name, namespaced ("v1:registri-individu"); fnmatch pattern for the Django admin
    baca: str | None  # GET, one cell per role in PERAN_MATRIKS order; None: the route has no GET
    tulis: str | None = None  # every write method the route has; None: no write
    param: dict[str, str] = field(default_factory=dict)  # URL kwarg → kind of value
    catatan: str = ""

    def regional(self) -> bool:
        return any(kind in REGIONAL for kind in self.param.values())

    def harapan(self, *, tulis: bool, peran: str, milik: bool = True) -> str:
        cells = (self.tulis if tulis else self.baca or "").split()
        cell = cells[PERAN_MATRIKS.index(peran)]
        own, _, foreign = cell.partition("/")
        return own if milik or not foreign else foreign


D = {"kode": "desa"}
P = {"kode": "periode"}
KEL = {"pk": "keluarga"}
IND = {"pk": "individu"}
RT = {"pk": "rumah_tangga"}
BG = {"pk": "bangunan"}
# record linkage (issue #12)
BARIS = {"baris_id": "baris_tautan"}
GANDA = {"pk": "ganda"}
TINJAU_DAFTAR = "R A A A A R A"
TINJAU_BARIS = "R A/H A/H A/H H R A/H"
GANDA_DAFTAR = "R A A R R R A"
GANDA_PASANGAN = "R A/H A/H R R R A/H"
DS = {"kode": "dataset"}

ATURAN: tuple[Aturan, ...] = (
    # ---- sign-in and language (Django)
    Aturan("login", PUBLIK, PUBLIK),
    Aturan("logout", "N N N N N N N", PUBLIK),
    Aturan("password_change", MASUK, MASUK),
    Aturan("password_change_done", MASUK),
    Aturan("password_reset", PUBLIK, PUBLIK),
    Aturan("password_reset_done", PUBLIK),
    Aturan("password_reset_confirm", PUBLIK, param={"uidb64": "teks", "token": "teks"}),
    Aturan("password_reset_complete", PUBLIK),
    Aturan("set_language", PUBLIK, PUBLIK),
    # ---- own account: second factor, sessions, password (every signed-in role, for itself only)
    Aturan("akun:index", MASUK),
    Aturan("akun:2fa_daftar", MASUK, MASUK),
    Aturan("akun:2fa_verifikasi", MASUK, MASUK),
    Aturan("akun:2fa_kode_cadangan", MASUK, MASUK),
    Aturan("akun:2fa_nonaktifkan", HANYA_POST, MASUK),
    Aturan("akun:sesi", MASUK),
    Aturan("akun:sesi_akhiri", HANYA_POST, MASUK),
    Aturan("akun:ganti_sandi", MASUK, MASUK),
    Aturan("akun:ganti_sandi_selesai", MASUK),
    Aturan("admin:login", PUBLIK, PUBLIK, catatan="formulir masuk admin; hanya akun darurat yang diterima"),
    Aturan("admin:logout", PUBLIK, PUBLIK),
    Aturan("admin:*", TOLAK, TOLAK, catatan="Django admin: hanya akun darurat (superuser)"),
    # ---- public aggregates (published data)
    Aturan("web:home", PUBLIK),
    Aturan("web:tugas", MASUK),
    Aturan("web:wilayah", PUBLIK, param={"kode": "wilayah_publik"}),
    Aturan("web:wilayah_adat", PUBLIK, catatan="desa adat, banjar adat dan desa dinasnya (data rujukan)"),
    Aturan("api-schema", PUBLIK),
    Aturan("api-docs", PUBLIK),
    Aturan("v1:wilayah-list", PUBLIK),
    Aturan("v1:wilayah-geojson", PUBLIK),
    Aturan("v1:wilayah-adat-list", PUBLIK),
    Aturan("v1:statistik", PUBLIK),
    Aturan("v1:statistik-wilayah", PUBLIK, param={"kode": "wilayah_publik"}),
    Aturan("v1:kamus-variabel", PUBLIK),
    Aturan("v1:kamus-klasifikasi", PUBLIK),
    Aturan("v1:kamus-xlsx", PUBLIK),
    Aturan("v1:indikator-list", PUBLIK, PENYUNTING),
    Aturan("v1:indikator-hitung", None, KABUPATEN),
    Aturan("v1:indikator-detail", PUBLIK, PENYUNTING, param={"kode": "indikator"}),
    Aturan("v1:indikator-nilai", PUBLIK, param={"kode": "indikator"}),
    Aturan("v1:wilayah-profil", PUBLIK, param={"kode": "wilayah_publik"}),
    Aturan("dashboards:indeks", PUBLIK),
    Aturan("dashboards:dasbor", PUBLIK, param={"kode": "dasbor"}),
    Aturan("dashboards:unduh", PUBLIK, param={"kode": "dasbor", "tabel": "tabel", "fmt": "fmt"}),
    Aturan("dashboards:profil", PUBLIK, param={"kode": "wilayah_publik"}),
    Aturan("dashboards:profil_pdf", PUBLIK, param={"kode": "wilayah_publik"}),
    Aturan("dashboards:profil_unduh", PUBLIK, param={"kode": "wilayah_publik", "tabel": "tabel_profil",
                                                     "fmt": "fmt"}),
    Aturan("dashboards:atur_list", "R R R R R A A"),
    Aturan("dashboards:atur", "R R R R R A A", "R R R R R A A", param={"kode": "dasbor"}),
    # ---- registry: person-level, own region only
    Aturan("registry:mulai", "R A A R A R A", catatan="peran tanpa data perorangan: 403"),
    Aturan("registry:desa", PRIBADI_BACA, param=D),
    Aturan("registry:keluarga_baru", PRIBADI_TULIS, PRIBADI_TULIS, param=D),
    Aturan("registry:rumah_tangga_baru", PRIBADI_TULIS, PRIBADI_TULIS, param=D),
    Aturan("registry:bangunan_baru", PRIBADI_TULIS, PRIBADI_TULIS, param=D),
    Aturan("registry:penduduk_xlsx", PRIBADI_BACA, param=D),
    Aturan("registry:keluarga", PRIBADI_BACA, param=KEL),
    Aturan("registry:keluarga_ubah", PRIBADI_TULIS, PRIBADI_TULIS, param=KEL),
    Aturan("registry:anggota_baru", PRIBADI_TULIS, PRIBADI_TULIS, param=KEL),
    Aturan("registry:kelahiran", PRIBADI_TULIS, PRIBADI_TULIS, param=KEL),
    Aturan("registry:kedatangan", PRIBADI_TULIS, PRIBADI_TULIS, param=KEL),
    Aturan("registry:keluarga_riwayat", PRIBADI_BACA, param=KEL),
    Aturan("registry:individu", PRIBADI_BACA, param=IND),
    Aturan("registry:individu_ubah", PRIBADI_TULIS, PRIBADI_TULIS, param=IND),
    Aturan("registry:individu_peristiwa", PRIBADI_TULIS, PRIBADI_TULIS, param={"pk": "individu", "jenis": "jenis"}),
    Aturan("registry:individu_pindah_kk", PRIBADI_TULIS, PRIBADI_TULIS, param=IND),
    Aturan("registry:individu_ganti_nik", PRIBADI_TULIS, PRIBADI_TULIS, param=IND,
           catatan="NIK bukan sementara: ditolak 400 dengan temuan"),
    Aturan("registry:individu_riwayat", PRIBADI_BACA, param=IND),
    Aturan("registry:rumah_tangga", PRIBADI_BACA, param=RT),
    Aturan("registry:rumah_tangga_ubah", PRIBADI_TULIS, PRIBADI_TULIS, param=RT),
    Aturan("registry:rumah_tangga_anggota", HANYA_POST, PRIBADI_TULIS, param=RT),
    Aturan("registry:rumah_tangga_riwayat", PRIBADI_BACA, param=RT),
    Aturan("registry:bangunan", PRIBADI_BACA, param=BG),
    Aturan("registry:bangunan_ubah", PRIBADI_TULIS, PRIBADI_TULIS, param=BG),
    Aturan("registry:bangunan_riwayat", PRIBADI_BACA, param=BG),
    Aturan("registry:pdp_log", KHUSUS_ADMIN),
    Aturan("v1:registri-keluarga-list", PRIBADI_BACA, PRIBADI_TULIS, param=D),
    Aturan("v1:registri-individu-list", PRIBADI_BACA, param=D),
    Aturan("v1:registri-rumah-tangga-list", PRIBADI_BACA, PRIBADI_TULIS, param=D),
    Aturan("v1:registri-bangunan-list", PRIBADI_BACA, PRIBADI_TULIS, param=D),
    Aturan("v1:registri-keluarga", PRIBADI_BACA, PRIBADI_TULIS, param=KEL),
    Aturan("v1:registri-keluarga-anggota", None, PRIBADI_TULIS, param=KEL),
    Aturan("v1:registri-keluarga-peristiwa", None, PRIBADI_TULIS, param=KEL),
    Aturan("v1:registri-keluarga-riwayat", PRIBADI_BACA, param=KEL),
    Aturan("v1:registri-individu", PRIBADI_BACA, PRIBADI_TULIS, param=IND),
    Aturan("v1:registri-individu-peristiwa", None, PRIBADI_TULIS, param=IND),
    Aturan("v1:registri-individu-ganti-nik", None, PRIBADI_TULIS, param=IND),
    Aturan("v1:registri-individu-riwayat", PRIBADI_BACA, param=IND),
    Aturan("v1:registri-rumah-tangga", PRIBADI_BACA, PRIBADI_TULIS, param=RT),
    Aturan("v1:registri-rumah-tangga-riwayat", PRIBADI_BACA, param=RT),
    Aturan("v1:registri-bangunan", PRIBADI_BACA, PRIBADI_TULIS, param=BG),
    Aturan("v1:registri-bangunan-riwayat", PRIBADI_BACA, param=BG),
    Aturan("v1:registri-pdp-log", KHUSUS_ADMIN),
    # ---- imports: only the roles that produce data upload; jobs are read inside the scope
    Aturan("imports:unggah", "R A R R R R A", "R A R R R R A"),
    Aturan("imports:banyak", MASUK),
    Aturan("imports:detail", "R A/H A/H A/H A/H A/H A/H", param={"impor_id": "impor"}),
    Aturan("imports:temuan-xlsx", "R A/H A/H A/H A/H A/H A/H", param={"impor_id": "impor"}),
    Aturan("imports:templat", MASUK, param={"kode": "desa"}),
    Aturan("imports:registri", PRIBADI_BACA, param=D, catatan="registri desa sebagai templat terisi; NIK lengkap, "
                                                               "dicatat sebagai ekspor PDP"),
    Aturan("v1:impor-list", MASUK, "R A R R R R A"),
    Aturan("v1:impor-banyak", None, "R A R R R R A"),
    Aturan("v1:impor-detail", "R A/H A/H A/H A/H A/H A/H", param={"impor_id": "impor"}),
    Aturan("v1:impor-temuan-xlsx", "R A/H A/H A/H A/H A/H A/H", param={"impor_id": "impor"}),
    Aturan("v1:impor-templat", MASUK, param={"kode": "desa"}),
    Aturan("v1:impor-registri", PRIBADI_BACA, param=D),
    # ---- validation
    Aturan("validation:temuan", MASUK),
    Aturan("validation:justifikasi_banyak", None, MEMUTUSKAN),
    Aturan("validation:justifikasi", None, "R A/H A/H A/H A/H R A/H", param={"temuan_id": "temuan"}),
    Aturan("v1:validasi-aturan", MASUK, KABUPATEN),
    Aturan("v1:validasi-temuan", MASUK),
    Aturan("v1:validasi-temuan-justifikasi-banyak", None, MEMUTUSKAN),
    Aturan("v1:validasi-temuan-justifikasi", None, "R A/H A/H A/H A/H R A/H",
           param={"temuan_id": "temuan"}),
    Aturan("v1:validasi-jalankan", None, MEMUTUSKAN, catatan="desa di badan permintaan: asing 404"),
    # ---- update periods and submissions
    Aturan("updates:index", MASUK),
    Aturan("updates:buka", HANYA_POST, KABUPATEN),
    Aturan("updates:progres", MASUK, param=P),
    Aturan("updates:tutup", HANYA_POST, KABUPATEN, param=P),
    Aturan("updates:keputusan", MEMUTUSKAN, MEMUTUSKAN, param=P,
           catatan="aksi dan desa diperiksa per desa oleh layanan; hasil per desa"),
    Aturan("updates:keputusan_hasil", MASUK, param=P, catatan="hanya laporan sesi sendiri"),
    Aturan("updates:pengajuan", "R A/H A/H A/H A/H A/H A/H", param={"kode": "periode", "desa": "desa"}),
    Aturan("updates:aksi", HANYA_POST, "R A/H A/H A/H A/H R A/H",
           param={"kode": "periode", "desa": "desa", "aksi": "aksi"}),
    Aturan("v1:tugas", MASUK),
    Aturan("v1:periode-list", MASUK, KABUPATEN),
    Aturan("v1:periode-tutup", None, KABUPATEN, param=P),
    Aturan("v1:periode-progres", MASUK, param=P),
    Aturan("v1:pengajuan-list", MASUK, param=P),
    Aturan("v1:pengajuan-keputusan", None, MEMUTUSKAN, param=P),
    Aturan("v1:pengajuan-detail", "R A/H A/H A/H A/H A/H A/H", param={"kode": "periode", "desa": "desa"}),
    Aturan("v1:pengajuan-tinjauan", "R A/H A/H A/H A/H A/H A/H", param={"kode": "periode", "desa": "desa"}),
    # ---- UU PDP duties: data-subject report, correction requests (own region), breach incidents (admin)
    Aturan("privasi:indeks", "R A A R A R A"),
    Aturan("privasi:subjek_cari", "R A A R A R A", "R A A R A R A"),
    Aturan("privasi:subjek", "R A/H A/H R A/H R A/H", param=IND),
    Aturan("privasi:subjek_berkas", "R A/H A/H R A/H R A/H", param={"pk": "individu", "fmt": "fmt_laporan"}),
    Aturan("privasi:perbaikan_list", "R A A R R R A"),
    Aturan("privasi:perbaikan_baru", "R A A R R R A", "R A A R R R A"),
    Aturan("privasi:perbaikan", "R A/H A/H R R R A/H", "R A/H A/H R R R A/H", param={"pk": "perbaikan"}),
    Aturan("privasi:insiden_list", KHUSUS_ADMIN),
    Aturan("privasi:insiden_baru", KHUSUS_ADMIN, KHUSUS_ADMIN),
    Aturan("privasi:insiden", KHUSUS_ADMIN, KHUSUS_ADMIN, param={"pk": "insiden"}),
    Aturan("v1:privasi-laporan-subjek", None, "R A A R A R A"),
    Aturan("v1:privasi-laporan-subjek-detail", "R A/H A/H R A/H R A/H", param=IND),
    Aturan("v1:privasi-perbaikan-list", "R A A R R R A", "R A A R R R A"),
    Aturan("v1:privasi-perbaikan", "R A/H A/H R R R A/H", param={"pk": "perbaikan"}),
    Aturan("v1:privasi-perbaikan-aksi", None, "R A/H A/H R R R A/H",
           param={"pk": "perbaikan", "aksi": "aksi_perbaikan"}),
    Aturan("v1:privasi-insiden-list", KHUSUS_ADMIN, KHUSUS_ADMIN),
    Aturan("v1:privasi-insiden", KHUSUS_ADMIN, KHUSUS_ADMIN, param={"pk": "insiden"}),
    # ---- sector integration (issue #12): catalogue read by every role; datasets managed by the walidata
    # of their sector and the admin (other roles 403; another sector's dataset 404); rows of a delivery
    # are shown only to person-level roles in their scope and to the dataset's managers (masked NIK)
    Aturan("integration:sektor_list", MASUK),
    Aturan("integration:sektor_baru", KABUPATEN, KABUPATEN),
    Aturan("integration:sektor_detail", MASUK, param=DS),
    Aturan("integration:sektor_ubah", KELOLA_DATASET, KELOLA_DATASET, param=DS),
    Aturan("integration:sektor_kirim", KELOLA_DATASET, KELOLA_DATASET, param=DS),
    Aturan("integration:sektor_konektor", KELOLA_DATASET, KELOLA_DATASET, param=DS),
    Aturan("integration:konektor_ubah", KELOLA_DATASET, KELOLA_DATASET, param={"pk": "konektor"}),
    Aturan("integration:pengiriman_detail", MASUK, MASUK, param={"pk": "pengiriman"},
           catatan="POST: tombol Tampilkan NIK"),
    Aturan("v1:sektor-dataset-list", MASUK, KABUPATEN),
    Aturan("v1:sektor-dataset-detail", MASUK, KELOLA_DATASET, param=DS),
    Aturan("v1:sektor-pengiriman-list", MASUK, KELOLA_DATASET, param=DS, catatan="POST: kirim data (dorong)"),
    Aturan("v1:sektor-pengiriman-detail", MASUK, param={"pk": "pengiriman"}),
    # ---- sector integration: where the sources disagree (counts for all; items for person-level roles)
    # and targeting accuracy (aggregates; Musyawarah Desa lists for person-level roles; rules: analis/admin)
    Aturan("integration:selisih", MASUK, catatan="cakupan: desa/kecamatan/sektor walidata; daftar per orang via PDP"),
    Aturan("integration:selisih_unduh", MASUK, param={"fmt": "fmt"}, catatan="tanpa akses perorangan: jumlah saja"),
    Aturan("integration:sasaran", MASUK, "R R R R R A A", catatan="tulis: aturan kelayakan baru (analis/admin)"),
    Aturan("integration:sasaran_wilayah", "R A/H A/H A/H A/H A/H A/H",
           param={"program": "program", "kode_wilayah": "wilayah"}),
    Aturan("v1:sektor-selisih", MASUK),
    Aturan("v1:sektor-sasaran", MASUK),
    Aturan("v1:pengajuan-transisi", None, "R A/H R/H R/H R/H R/H R/H",
           param={"kode": "periode", "desa": "desa", "aksi": "aksi"}),
    # ---- record linkage (issue #12): review queue (walidata: his sectors' datasets; desa/kecamatan roles:
    # rows of their region; never the analis) and registry duplicates (operator, verifikator, admin)
    Aturan("integration:tinjau", TINJAU_DAFTAR),
    Aturan("integration:tinjau_baris", TINJAU_BARIS, TINJAU_BARIS, param=BARIS,
           catatan="walidata: hanya dataset sektornya (dukcapil di matriks: sektor lain, 404)"),
    Aturan("integration:ganda", GANDA_DAFTAR),
    Aturan("integration:ganda_pasangan", GANDA_PASANGAN, GANDA_PASANGAN, param=GANDA,
           catatan="gabung: hanya operator desa kedua record atau admin (403 bagi verifikator)"),
    Aturan("v1:tautan-tinjau-list", TINJAU_DAFTAR),
    Aturan("v1:tautan-tinjau", TINJAU_BARIS, param=BARIS),
    Aturan("v1:tautan-tinjau-keputusan", None, TINJAU_BARIS, param=BARIS),
    Aturan("v1:tautan-ganda-list", GANDA_DAFTAR),
    Aturan("v1:tautan-ganda", GANDA_PASANGAN, param=GANDA),
    Aturan("v1:tautan-ganda-keputusan", None, GANDA_PASANGAN, param=GANDA),
    # spatial sector layers (issue #12 item 6): aggregates, every signed-in role reads; uploads by the walidata of
    # the layer's sector (BPBD, PUPR, DLH — the matrix walidata holds dinkes/dinsos: refused) and the admin
    Aturan("integration:spasial_list", MASUK, KHUSUS_ADMIN),
    Aturan("integration:spasial_detail", MASUK, param={"kode": "lapisan"}),
    Aturan("v1:sektor-lapisan-list", MASUK, KHUSUS_ADMIN),
    Aturan("v1:sektor-lapisan-detail", MASUK, param={"kode": "lapisan"}),
    Aturan("v1:sektor-lapisan-geojson", MASUK, param={"kode": "lapisan"}),
    Aturan("v1:sektor-paparan", MASUK),
)


def aturan_untuk(nama_rute: str) -> Aturan | None:
    """The row of a route: its exact name first, then a pattern (the Django admin's many routes)."""
    for aturan in ATURAN:
        if aturan.rute == nama_rute:
            return aturan
    for aturan in ATURAN:
        if any(ch in aturan.rute for ch in "*?[") and fnmatch.fnmatchcase(nama_rute, aturan.rute):
            return aturan
    return None


def tabel_markdown() -> str:
    """The matrix as a Markdown table (docs/SECURITY.md)."""
    head = ["rute", "metode", *[LABEL_PERAN[p] for p in PERAN_MATRIKS]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for aturan in ATURAN:
        for metode, cells in (("baca", aturan.baca), ("tulis", aturan.tulis)):
            if cells is not None:
                lines.append(f"| `{aturan.rute}` | {metode} | " + " | ".join(cells.split()) + " |")
    return "\n".join(lines)
