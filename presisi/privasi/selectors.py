"""Reads behind the privacy pages, API and CLI: who may do what, the data-subject report, the
correction-request and incident lists with their 3×24-hour deadlines.

Access is decided here (never in templates). A data subject is found by NIK only inside the
user's region scope and only for roles that need person-level data; a NIK outside the scope
answers exactly like an unknown one (404), so the report cannot be used to probe other regions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presisi.accounts.access import (
    can_see_personal_data,
    filter_by_scope,
    is_admin,
    user_profil,
    user_scope_code,
)
from presisi.accounts.models import ADMIN, OPERATOR_DESA, VERIFIKATOR_KECAMATAN
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.core.pdp import PREFIX as PDP_PREFIX
from presisi.core.pdp import TampilanPribadi, mask_nik, pdp_log_list
from presisi.dictionary.models import INDIVIDU, KELUARGA
from presisi.dictionary.validation import label_tampil, unit_spec
from presisi.imports.models import Impor
from presisi.privasi.models import InsidenPelanggaran, PermintaanPerbaikan
from presisi.registry import history
from presisi.registry.models import Bangunan, Individu, Keluarga, RumahTangga
from presisi.validation.models import Temuan
from presisi.validation.tampilan import label_aturan, label_kolom
from presisi.validation.tampilan import pesan_tampil as pesan_temuan_tampil

# Roles that record and decide correction requests (the operator who meets the resident, the
# verifier who checks); walidata and analis do not take requests from residents.
PERAN_PERMINTAAN = frozenset({OPERATOR_DESA, VERIFIKATOR_KECAMATAN, ADMIN})
INDIVIDU_LABEL = Individu._meta.label_lower
BATAS_AKSES = 1000
BATAS_IMPOR = 200


def _peran(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return ADMIN
    profil = user_profil(user)
    return profil.peran if profil else None


# ---------------------------------------------------------------- access


def boleh_data_subjek(user) -> bool:
    """May the role open data-subject reports at all (somewhere in its scope)? The same rule as the
    registry's person-level pages (a walidata only with the population sector)."""
    kode = user_scope_code(user)
    return bool(getattr(user, "is_superuser", False) or (kode and can_see_personal_data(user, kode)))


def boleh_permintaan(user) -> bool:
    return _peran(user) in PERAN_PERMINTAAN


def _pastikan_peran_pribadi(user) -> None:
    if not boleh_data_subjek(user):
        raise PermissionDenied(_("Peran Anda tidak berwenang melihat data perorangan."))


def nik_bersih(nik: Any) -> str:
    """The NIK typed or sent, as 16 digits; anything else is a clear refusal, never a lookup."""
    value = "".join(str(nik or "").split())
    if len(value) != 16 or not value.isdigit():
        raise ValidationFailed(_("NIK tidak sah."), [Finding(rule="nik_format", column="nik",
                                                             message="NIK harus 16 angka")])
    return value


def subjek_get(*, user, nik: Any = None, pk: int | None = None) -> Individu:
    """The data subject by NIK (or registry id) inside the user's scope; outside or unknown → 404."""
    _pastikan_peran_pribadi(user)
    qs = Individu.objects.select_related("desa", "banjar", "keluarga", "rumah_tangga__bangunan")
    person = qs.filter(nik=nik_bersih(nik)).first() if pk is None else qs.filter(pk=pk).first()
    if person is None or not can_see_personal_data(user, person.desa.kode):
        raise Http404(_("Subjek data tidak ditemukan di wilayah Anda."))
    return person


def permintaan_dalam_cakupan(user) -> QuerySet[PermintaanPerbaikan]:
    if not boleh_permintaan(user):
        raise PermissionDenied(_("Peran Anda tidak menangani permintaan perbaikan data."))
    return filter_by_scope(PermintaanPerbaikan.objects.select_related("individu", "desa", "koreksi"), user)


def permintaan_get(*, user, pk: int) -> PermintaanPerbaikan:
    obj = permintaan_dalam_cakupan(user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("Permintaan tidak ditemukan."))
    return obj


def _pastikan_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied(_("Catatan insiden pelindungan data pribadi hanya untuk admin."))


def insiden_list(*, user) -> list[InsidenPelanggaran]:
    _pastikan_admin(user)
    return list(InsidenPelanggaran.objects.all())


def insiden_get(*, user, pk: int) -> InsidenPelanggaran:
    _pastikan_admin(user)
    obj = InsidenPelanggaran.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404(_("Insiden tidak ditemukan."))
    return obj


# ---------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Tenggat:
    """Where a 3×24-hour deadline stands at ``sekarang``: hours left (negative = overdue)."""

    tenggat: dt.datetime
    selesai: bool
    sisa_menit: int

    @property
    def terlambat(self) -> bool:
        return not self.selesai and self.sisa_menit < 0

    def teks(self) -> str:
        if self.selesai:
            return _("selesai")
        jam, menit = divmod(abs(self.sisa_menit), 60)
        if self.sisa_menit < 0:
            return _("lewat %(jam)s jam %(menit)s menit") % {"jam": jam, "menit": menit}
        return _("%(jam)s jam %(menit)s menit lagi") % {"jam": jam, "menit": menit}

    def as_dict(self) -> dict[str, Any]:
        return {"tenggat": timezone.localtime(self.tenggat).isoformat(), "selesai": self.selesai,
                "sisa_menit": self.sisa_menit, "terlambat": self.terlambat, "teks": self.teks()}


def tenggat_status(tenggat: dt.datetime, *, selesai: bool, sekarang: dt.datetime | None = None) -> Tenggat:
    now = sekarang or timezone.now()
    return Tenggat(tenggat=tenggat, selesai=selesai, sisa_menit=int((tenggat - now).total_seconds() // 60))


def permintaan_list(*, user, status: str = "", terlambat: bool = False,
                    sekarang: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Requests in scope, open ones first (nearest deadline first), each with its deadline state."""
    qs = permintaan_dalam_cakupan(user)
    if status:
        qs = qs.filter(status=status)
    rows = [permintaan_dict(p, sekarang=sekarang) for p in qs[:1000]]
    if terlambat:
        rows = [r for r in rows if r["tenggat"]["terlambat"]]
    return sorted(rows, key=lambda r: (not r["terbuka"], r["tenggat"]["sisa_menit"] if r["terbuka"] else 0))


def permintaan_dict(p: PermintaanPerbaikan, *, sekarang: dt.datetime | None = None) -> dict[str, Any]:
    var = unit_spec(INDIVIDU).get(p.kolom)
    return {
        "id": p.pk, "individu": p.individu_id, "nama": p.individu.nama, "desa": p.desa.kode,
        "desa_nama": p.desa.nama, "pemohon": p.pemohon, "kanal": p.kanal, "kanal_label": str(p.get_kanal_display()),
        "kolom": p.kolom, "kolom_label": var.nama_tampil() if var else p.kolom, "nilai_tercatat": p.nilai_tercatat,
        "nilai_usulan": p.nilai_usulan, "uraian": p.uraian, "bukti": p.bukti, "status": p.status,
        "status_label": str(p.get_status_display()), "terbuka": p.terbuka, "alasan": p.alasan,
        "diterima_pada": timezone.localtime(p.diterima_pada).isoformat(),
        "diputus_pada": timezone.localtime(p.diputus_pada).isoformat() if p.diputus_pada else None,
        "koreksi": _koreksi_dict(p.koreksi) if p.koreksi_id else None,
        "tenggat": tenggat_status(p.tenggat, selesai=not p.terbuka, sekarang=sekarang).as_dict(),
    }


def _koreksi_dict(row: AuditLog) -> dict[str, Any]:
    return {"id": row.pk, "aksi": row.aksi, "judul": str(history.AKSI_LABELS.get(row.aksi, row.aksi)),
            "objek_tipe": row.objek_tipe, "objek_id": row.objek_id,
            "waktu": timezone.localtime(row.waktu).isoformat()}


def permintaan_terbuka_jumlah(user) -> dict[str, int]:
    """For the inbox: open requests in scope and how many are overdue (0/0 for roles without requests)."""
    if not boleh_permintaan(user):
        return {"terbuka": 0, "terlambat": 0}
    qs = permintaan_dalam_cakupan(user).filter(status__in=PermintaanPerbaikan.TERBUKA)
    return {"terbuka": qs.count(), "terlambat": qs.filter(tenggat__lt=timezone.now()).count()}


def koreksi_kandidat(p: PermintaanPerbaikan) -> list[dict[str, Any]]:
    """Registry corrections of this person (or their family, household, building) made since the
    request was received: what a resolution may link to."""
    person = p.individu
    q = Q(objek_tipe=INDIVIDU_LABEL, objek_id=str(person.pk)) | Q(
        objek_tipe=Keluarga._meta.label_lower, objek_id=str(person.keluarga_id))
    if person.rumah_tangga_id:
        q |= Q(objek_tipe=RumahTangga._meta.label_lower, objek_id=str(person.rumah_tangga_id))
        if person.rumah_tangga.bangunan_id:
            q |= Q(objek_tipe=Bangunan._meta.label_lower, objek_id=str(person.rumah_tangga.bangunan_id))
    rows = AuditLog.objects.filter(q, aksi__startswith="registry.", waktu__gte=p.diterima_pada).exclude(
        aksi__startswith=PDP_PREFIX).order_by("-waktu", "-id")[:50]
    return [_koreksi_dict(r) for r in rows]


# ---------------------------------------------------------------- insiden checklist

LANGKAH_INSIDEN = (
    ("ditemukan_pada", gettext_lazy("Kegagalan pelindungan diketahui dan dicatat"), True),
    ("dikendalikan_pada", gettext_lazy("Kebocoran dihentikan dan ditahan"), True),
    ("subjek_diberitahu_pada", gettext_lazy("Pemberitahuan tertulis kepada subjek data (Ps. 46 ayat 1a)"), True),
    ("lembaga_diberitahu_pada", gettext_lazy("Pemberitahuan tertulis kepada lembaga PDP (Ps. 46 ayat 1b)"), True),
    ("publik_diumumkan_pada", gettext_lazy("Pengumuman kepada masyarakat bila mengganggu layanan publik "
                                           "(Ps. 46 ayat 3)"), False),
    ("ditutup_pada", gettext_lazy("Insiden ditutup setelah pemulihan"), True),
)
LANGKAH_KODE = tuple(k for k, _label, _wajib in LANGKAH_INSIDEN)
# the two written notifications the 3×24-hour deadline is about
PEMBERITAHUAN = ("subjek_diberitahu_pada", "lembaga_diberitahu_pada")

KATEGORI_DATA = (
    ("identitas", gettext_lazy("Identitas (NIK, No. KK, nama, tempat/tanggal lahir)")),
    ("keluarga", gettext_lazy("Hubungan keluarga")),
    ("alamat", gettext_lazy("Alamat dan banjar")),
    ("kesehatan", gettext_lazy("Kesehatan (data spesifik)")),
    ("disabilitas", gettext_lazy("Disabilitas (data spesifik)")),
    ("kesejahteraan", gettext_lazy("Kesejahteraan dan kemiskinan")),
    ("pendidikan", gettext_lazy("Pendidikan dan pekerjaan")),
    ("bangunan", gettext_lazy("Bangunan dan lokasi")),
    ("akun", gettext_lazy("Akun pengguna")),
)


def insiden_dict(i: InsidenPelanggaran, *, sekarang: dt.datetime | None = None) -> dict[str, Any]:
    def waktu(value: dt.datetime | None) -> str | None:
        return timezone.localtime(value).isoformat() if value else None

    labels = dict(KATEGORI_DATA)
    diberitahu = all(getattr(i, k) for k in PEMBERITAHUAN)
    return {
        "id": i.pk, "judul": i.judul, "uraian": i.uraian, "jumlah_subjek": i.jumlah_subjek,
        "kategori_data": list(i.kategori_data),
        "kategori_label": [str(labels.get(k, k)) for k in i.kategori_data], "penanganan": i.penanganan,
        "catatan_pemberitahuan": i.catatan_pemberitahuan, "ditemukan_pada": waktu(i.ditemukan_pada),
        "ditutup": bool(i.ditutup_pada),
        "langkah": [{"kode": k, "label": str(label), "wajib": wajib, "waktu": waktu(getattr(i, k)),
                     "selesai": bool(getattr(i, k))} for k, label, wajib in LANGKAH_INSIDEN],
        "tenggat": tenggat_status(i.tenggat, selesai=diberitahu, sekarang=sekarang).as_dict(),
    }


# ---------------------------------------------------------------- data-subject report


def _waktu(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _rincian(obj: Any) -> list[dict[str, Any]]:
    return [{"bagian": b.label, "baris": [{"label": str(label), "nilai": value} for label, value in b.baris]}
            for b in history.rincian(obj, kecuali={"nik", "nama", "no_kk"})]


def _impor_terkait(person: Individu, entri: list[dict[str, Any]], tampilan: TampilanPribadi) -> list[dict[str, Any]]:
    """Import jobs that wrote this person (their audit entries name the file and its hash) or listed a
    finding about the person's NIK in the desa's uploads."""
    hashes = {e["keterangan"].split("sha256:", 1)[1][:12] for e in entri if "sha256:" in e["keterangan"]}
    out: dict[int, dict[str, Any]] = {}
    for job in Impor.objects.filter(desa_id=person.desa_id).order_by("-dibuat")[:BATAS_IMPOR]:
        menulis = job.sha256[:12] in hashes and not job.dry_run
        disebut = any(person.nik in str(t.get("label", "")) + str(t.get("nilai", "")) for t in job.temuan or [])
        if menulis or disebut:
            out[job.pk] = {"id": job.pk, "nama_berkas": job.nama_berkas, "dibuat": _waktu(job.dibuat),
                           "pengguna": job.pengguna.get_username() if job.pengguna else "",
                           "uji_coba": job.dry_run, "hasil": job.hasil, "menulis": menulis,
                           "temuan": [{k: tampilan.teks(t.get(k)) for k in ("baris", "kolom", "nilai", "pesan")}
                                      for t in job.temuan or []
                                      if person.nik in str(t.get("label", "")) + str(t.get("nilai", ""))][:20]}
    return list(out.values())


def _entri_samar(entri: dict[str, Any], tampilan: TampilanPribadi) -> dict[str, Any]:
    # history labels a family link by its No. KK: through the door like every other number
    return {**entri, "keterangan": tampilan.teks(entri["keterangan"]),
            "perubahan": [{**p, "sebelum": tampilan.teks(p["sebelum"]), "sesudah": tampilan.teks(p["sesudah"])}
                          for p in entri["perubahan"]]}


def laporan_subjek(person: Individu, tampilan: TampilanPribadi) -> dict[str, Any]:
    """Everything held about one person and every recorded access to it (Ps. 32 UU PDP).

    The subject's own NIK/KK follow ``tampilan`` (full only when allowed and asked, and then logged
    by the caller); family members' NIKs are always masked — they are other people's data.
    """
    kel = person.keluarga
    rt = person.rumah_tangga
    bangunan = rt.bangunan if rt is not None else None
    riwayat = history.riwayat_individu(person).as_dict()
    anggota = [m for m in history.anggota_keluarga(kel) if m.pk != person.pk]
    temuan = Temuan.objects.filter(Q(unit=INDIVIDU, objek_id=person.pk) | Q(unit=KELUARGA, objek_id=kel.pk)
                                   ).select_related("aturan", "periode").order_by("-dibuat")[:200]
    # the person's own rows, and rows about their family card (e.g. the admin's KK page)
    akses = pdp_log_list(objek_tipe=INDIVIDU_LABEL, objek_id=str(person.pk), batas=BATAS_AKSES)
    akses += pdp_log_list(objek_tipe=Keluarga._meta.label_lower, objek_id=str(kel.pk), batas=BATAS_AKSES)
    akses.sort(key=lambda a: (a.waktu, a.id), reverse=True)
    return {
        "dibuat_pada": timezone.localtime().isoformat(),
        "dasar_hukum": "UU 27/2022 Pasal 32 (hak akses) — dijawab paling lambat 3 x 24 jam",
        "nik_penuh": tampilan.penuh,
        "subjek": {
            "id": person.pk, "nik": tampilan.nik(person.nik), "nik_sementara": person.nik_sementara,
            "nama": person.nama, "tempat_lahir": person.tempat_lahir, "tanggal_lahir": _waktu(person.tanggal_lahir),
            "jenis_kelamin": label_tampil(INDIVIDU, "jenis_kelamin", person.jenis_kelamin),
            "status_dasar": label_tampil(INDIVIDU, "status_dasar", person.status_dasar),
            "desa": {"kode": person.desa.kode, "nama": person.desa.nama},
            "banjar": {"kode": person.banjar.kode, "nama": person.banjar.nama},
            "dibuat": _waktu(person.dibuat), "diubah": _waktu(person.diubah),
            "rincian": _rincian(person),
        },
        "keluarga": {
            "id": kel.pk, "no_kk": tampilan.kk(kel.no_kk), "alamat": kel.alamat,
            "hubungan": label_tampil(INDIVIDU, "hubungan_keluarga", person.hubungan_keluarga),
            "rincian": _rincian(kel),
            "anggota": [{"nama": m.nama, "nik": mask_nik(m.nik),
                         "hubungan": label_tampil(INDIVIDU, "hubungan_keluarga", m.hubungan_keluarga),
                         "status_dasar": label_tampil(INDIVIDU, "status_dasar", m.status_dasar)} for m in anggota],
        },
        "rumah_tangga": None if rt is None else {
            "id": rt.pk, "kode": rt.kode,
            "hubungan": label_tampil(INDIVIDU, "hubungan_rumah_tangga", person.hubungan_rumah_tangga),
            "rincian": _rincian(rt)},
        "bangunan": None if bangunan is None else {
            "id": bangunan.pk, "kode": bangunan.kode, "lat": bangunan.lat, "lng": bangunan.lng,
            "rincian": _rincian(bangunan)},
        "peristiwa": riwayat["peristiwa"],
        "riwayat": [_entri_samar(e, tampilan) for e in riwayat["entri"]],
        "temuan": [{"periode": t.periode.kode, "aturan": t.aturan.kode, "unit": t.unit, "kolom": t.kolom,
                    "nilai": tampilan.teks(t.nilai), "pesan": tampilan.teks(t.pesan), "keparahan": t.keparahan,
                    "status": t.status,
                    # what the page shows: the rule and column by name, the stored message in the reader's language
                    "aturan_label": str(label_aturan(t.aturan.kode, t.aturan.nama)),
                    "kolom_label": label_kolom(t.kolom) or "", "status_label": str(t.get_status_display()),
                    "pesan_tampil": tampilan.teks(pesan_temuan_tampil(t.pesan))} for t in temuan],
        "impor": _impor_terkait(person, riwayat["entri"], tampilan),
        "permintaan_perbaikan": [permintaan_dict(p) for p in PermintaanPerbaikan.objects.filter(
            individu=person).select_related("individu", "desa", "koreksi")],
        "akses": [a.as_dict() for a in akses],
    }



TUJUAN_LAPORAN = "laporan subjek data (UU PDP Ps. 32)"


def buka_laporan(person: Individu, tampilan: TampilanPribadi, *, aksi: str = "lihat") -> dict[str, Any]:
    """The report through the PDP door: one log row (the subject and the family members whose names it
    shows) written first, so the report's access list includes this very access."""
    ids = [person.pk, *person.keluarga.anggota.values_list("pk", flat=True)]
    tampilan.catat(aksi=aksi, objek_tipe=INDIVIDU_LABEL, objek_ids=list(dict.fromkeys(ids)), tujuan=TUJUAN_LAPORAN)
    return laporan_subjek(person, tampilan)


def subjek_server(nik: Any) -> Individu:
    """The data subject for server operators at the command line (no region scope: they run the server)."""
    from presisi.core.exceptions import NotFound

    person = Individu.objects.select_related("desa", "banjar", "keluarga", "rumah_tangga__bangunan").filter(
        nik=nik_bersih(nik)).first()
    if person is None:
        raise NotFound("Subjek data tidak ditemukan.", [Finding(rule="nik_tidak_dikenal", column="nik",
                                                                message="tidak ada penduduk dengan NIK ini")])
    return person
