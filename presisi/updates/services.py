"""Writes of the update cycle: opening/closing periods and moving submissions between tiers.

Every transition service follows the same steps (``_transisi``): check region scope, state,
role and period (``workflow.periksa_transisi``) → re-run validation when the table says so →
in one transaction: lock the row, check again, change the state, write a ``RiwayatPengajuan``
row and an audit row, and queue the after-approval work on commit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presisi.accounts.access import filter_by_scope, in_scope
from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import ApplicationError, Finding, ValidationFailed
from presisi.periods.codes import normalize_periode, periode_bounds, periode_nama
from presisi.periods.locking import kunci_buat_banyak, kunci_catat
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.updates import tasks
from presisi.updates.models import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DISETUJUI,
    DIVERIFIKASI,
    DRAF,
    LABEL_STATUS,
    STATUS_TERKUNCI,
    TINGKAT_KUNCI,
    Pengajuan,
    RiwayatPengajuan,
)
from presisi.updates.workflow import (
    AJUKAN,
    BATAL,
    KEMBALIKAN,
    PUBLIKASIKAN,
    SETUJUI,
    SISTEM,
    VERIFIKASI,
    HasilValidasi,
    Transisi,
    pastikan_pengelola_periode,
    periksa_transisi,
    transisi_get,
)
from presisi.validation.konteks import kandidat_bersama
from presisi.validation.models import WARNING, Temuan
from presisi.validation.services import temuan_justifikasi_banyak, validasi_jalankan, validasi_jalankan_banyak


def _akun(pengguna):
    """The user row to store (None for the console or anonymous)."""
    return pengguna if getattr(pengguna, "is_authenticated", False) else None


def _keterangan(pengguna) -> str:
    return "" if _akun(pengguna) else "tanpa akun (konsol server)"


def _tanggal(value: dt.date | str | None, *, kolom: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(_("Tanggal tidak sah."), [Finding(
            rule="tanggal_format", column=kolom, value=value, message=_("gunakan format TTTT-BB-HH"))]) from None


# --- periods -------------------------------------------------------------------------------------------


@transaction.atomic
def periode_buka(*, kode: str, tenggat: dt.date | str | None = None, pengguna, nama: str = "") -> Periode:
    """Open a period and create one draft submission for every desa/kelurahan in the steward's regency."""
    pastikan_pengelola_periode(pengguna, tindakan="membuka periode")
    kode = normalize_periode(kode)
    mulai, referensi = periode_bounds(kode)
    batas = _tanggal(tenggat, kolom="tenggat")
    if batas is not None and batas < mulai:
        raise ValidationFailed(_("Tenggat tidak boleh sebelum awal periode."), [Finding(
            rule="tenggat_sebelum_mulai", column="tenggat", value=batas.isoformat(),
            message=f"periode {kode} dimulai {mulai.isoformat()}")])
    if Periode.objects.filter(kode=kode).exists():
        raise ValidationFailed(_("Periode %(periode)s sudah pernah dibuka.") % {"periode": kode}, [Finding(
            rule="periode_ganda", column="kode", value=kode, message="kode periode sudah ada")])
    desa = list(filter_by_scope(Wilayah.objects.desa_kelurahan(), pengguna, field="kode").order_by("kode"))
    if not desa:
        raise ValidationFailed(_("Tidak ada desa/kelurahan dalam cakupan Anda. "
                                 "Muat daftar wilayah terlebih dahulu (presisi wilayah load)."))
    akun = _akun(pengguna)
    periode = Periode.objects.create(kode=kode, nama=nama.strip() or periode_nama(kode), tanggal_mulai=mulai,
                                     tanggal_referensi=referensi, tenggat=batas, dibuka_oleh=akun)
    sekarang = timezone.now()
    Pengajuan.objects.bulk_create([
        Pengajuan(periode=periode, desa=d, status=DRAF, status_diubah=sekarang, status_diubah_oleh=akun)
        for d in desa
    ])
    kunci_buat_banyak(periode=periode, desa=desa, status=DRAF, keterangan=LABEL_STATUS[DRAF], oleh=akun)
    komentar = f"Periode {kode} dibuka."
    RiwayatPengajuan.objects.bulk_create([
        RiwayatPengajuan(pengajuan_id=pk, pengguna=akun, aksi="buka", dari="", ke=DRAF, komentar=komentar)
        for pk in Pengajuan.objects.filter(periode=periode).values_list("pk", flat=True)
    ])
    audit_log(aksi="updates.periode.dibuka", objek=periode, pengguna=pengguna,
              sesudah={**model_snapshot(periode), "jumlah_pengajuan": len(desa)},
              keterangan=_keterangan(pengguna))
    return periode


@transaction.atomic
def periode_tutup(*, periode: Periode, pengguna) -> Periode:
    """Close a period: desa can no longer submit; pending verification/approval may still finish."""
    pastikan_pengelola_periode(pengguna, tindakan="menutup periode")
    periode = Periode.objects.select_for_update().get(pk=periode.pk)
    if not periode.dibuka:
        raise ValidationFailed(_("Periode %(periode)s sudah ditutup.") % {"periode": periode.kode}, [Finding(
            rule="periode_ditutup", column="periode", value=periode.kode, message="periode sudah ditutup")])
    sebelum = model_snapshot(periode)
    periode.status = Periode.DITUTUP
    periode.ditutup_pada = timezone.now()
    periode.ditutup_oleh = _akun(pengguna)
    periode.save(update_fields=["status", "ditutup_pada", "ditutup_oleh", "diubah"])
    belum_final = periode.pengajuan.exclude(status__in=STATUS_TERKUNCI).count()
    audit_log(aksi="updates.periode.ditutup", objek=periode, pengguna=pengguna, sebelum=sebelum,
              sesudah={**model_snapshot(periode), "pengajuan_belum_disetujui": belum_final},
              keterangan=_keterangan(pengguna))
    return periode


# --- submissions ---------------------------------------------------------------------------------------


def _tolak_jika_belum_bersih(transisi: Transisi, pengajuan: Pengajuan, hasil: HasilValidasi) -> None:
    if hasil.bersih:
        return
    galat, tanpa_alasan = hasil.galat or 0, hasil.peringatan_tanpa_alasan or 0
    bagian = []
    findings = []
    # the requesting user reads these at once (flash, decision results): in their language
    if galat:
        bagian.append(_("%(n)s galat") % {"n": galat})
        findings.append(Finding(rule="validasi_galat", column="galat", value=galat,
                                message=_("%(n)s galat validasi belum diperbaiki") % {"n": galat}))
    if tanpa_alasan:
        bagian.append(_("%(n)s peringatan tanpa alasan") % {"n": tanpa_alasan})
        findings.append(Finding(rule="validasi_peringatan_tanpa_alasan", column="peringatan",
                                value=tanpa_alasan,
                                message=_("%(n)s peringatan belum diberi alasan") % {"n": tanpa_alasan}))
    raise ValidationFailed(
        _("Pengajuan %(desa)s belum dapat %(hasil)s: masih ada %(bagian)s. Perbaiki galat dan beri alasan pada "
          "peringatan, lalu ulangi.") % {"desa": pengajuan.desa.nama_lengkap, "hasil": _(transisi.hasil),
                                         "bagian": _(" dan ").join(bagian)},
        findings, extra={"validasi": hasil.as_dict(), "tautan_validasi": tautan_validasi(pengajuan)})


def _transisi(aksi: str, *, pengajuan: Pengajuan, pengguna, komentar: str = "") -> Pengajuan:
    """Run one transition of the table in ``workflow.py``; returns the updated submission.

    Validation runs *before* the transaction on purpose: the validation app stores its
    findings, and those must survive a refusal so the operator can see what to fix. The
    state is then checked again under a row lock, since it may have moved meanwhile.
    """
    transisi = transisi_get(aksi)
    komentar = (komentar or "").strip()
    pengajuan = Pengajuan.objects.select_related("periode", "desa").get(pk=pengajuan.pk)
    periksa_transisi(transisi, pengajuan=pengajuan, user=pengguna)
    if transisi.alasan_wajib and not komentar:
        raise ValidationFailed(_("Alasan wajib diisi untuk '%(aksi)s'.") % {"aksi": _(transisi.label)}, [Finding(
            rule="alasan_wajib", column="alasan",
            message=_("tuliskan alasan agar desa/kecamatan tahu yang harus diperbaiki"))])
    hasil = None
    if transisi.validasi:
        hasil = HasilValidasi.dari_ringkasan(validasi_jalankan(desa=pengajuan.desa, periode=pengajuan.periode,
                                                               pengguna=_akun(pengguna)))
        _tolak_jika_belum_bersih(transisi, pengajuan, hasil)

    with transaction.atomic():
        p = Pengajuan.objects.select_for_update().select_related("periode", "desa").get(pk=pengajuan.pk)
        periksa_transisi(transisi, pengajuan=p, user=pengguna)
        dari, sekarang, akun = p.status, timezone.now(), _akun(pengguna)
        p.status, p.status_diubah, p.status_diubah_oleh, p.catatan = transisi.ke, sekarang, akun, komentar
        fields = ["status", "status_diubah", "status_diubah_oleh", "catatan"]
        if hasil is not None:
            p.galat, p.peringatan = hasil.galat, hasil.peringatan
            p.peringatan_tanpa_alasan, p.divalidasi_pada = hasil.peringatan_tanpa_alasan, sekarang
            fields += ["galat", "peringatan", "peringatan_tanpa_alasan", "divalidasi_pada"]
        if transisi.aksi == BATAL:
            p.dibekukan_pada = None
            fields.append("dibekukan_pada")
        p.save(update_fields=fields)
        kunci_sinkron(p, oleh=akun)
        counts = hasil.as_dict() if hasil is not None else {}
        RiwayatPengajuan.objects.create(pengajuan=p, pengguna=akun, aksi=transisi.aksi, dari=dari,
                                        ke=p.status, komentar=komentar, **counts)
        audit_log(aksi=f"updates.pengajuan.{transisi.aksi}", objek=p, pengguna=pengguna,
                  sebelum={"status": dari},
                  sesudah={"status": p.status, "periode": p.periode.kode, "desa": p.desa.kode,
                           "validasi": counts or None},
                  keterangan=komentar)
        if transisi.aksi in (SETUJUI, BATAL):
            # robust: a failing snapshot must not turn a committed approval into an error page
            transaction.on_commit(partial(_jadwalkan, transisi.aksi, p.pk), robust=True)
    return p


def kunci_sinkron(pengajuan: Pengajuan, *, oleh=None) -> None:
    """Record the lock the submission's state puts on the desa's registry data (``presisi.periods``)."""
    kunci_catat(periode=pengajuan.periode, desa=pengajuan.desa, tingkat=TINGKAT_KUNCI[pengajuan.status],
                status=pengajuan.status, keterangan=LABEL_STATUS[pengajuan.status], oleh=oleh)


def _jadwalkan(aksi: str, pengajuan_id: int) -> None:
    """Approval freezes the snapshot and recomputes indicators; un-approval unfreezes it."""
    tasks.antrekan(tasks.pasca_persetujuan if aksi == SETUJUI else tasks.pasca_pembatalan,
                   pengajuan_id=pengajuan_id)


def pengajuan_ajukan(*, pengajuan: Pengajuan, pengguna, komentar: str = "") -> Pengajuan:
    """Desa operator submits the desa's data (from draft or after a return for correction)."""
    return _transisi(AJUKAN, pengajuan=pengajuan, pengguna=pengguna, komentar=komentar)


def pengajuan_verifikasi(*, pengajuan: Pengajuan, pengguna, komentar: str = "") -> Pengajuan:
    """Kecamatan verifier confirms a submission of a desa in the kecamatan."""
    return _transisi(VERIFIKASI, pengajuan=pengajuan, pengguna=pengguna, komentar=komentar)


def pengajuan_setujui(*, pengajuan: Pengajuan, pengguna, komentar: str = "") -> Pengajuan:
    """Regency data steward approves: the desa's data is locked, frozen and its indicators recomputed."""
    return _transisi(SETUJUI, pengajuan=pengajuan, pengguna=pengguna, komentar=komentar)


def pengajuan_publikasikan(*, pengajuan: Pengajuan, pengguna, komentar: str = "") -> Pengajuan:
    """Regency data steward publishes approved data."""
    return _transisi(PUBLIKASIKAN, pengajuan=pengajuan, pengguna=pengguna, komentar=komentar)


def pengajuan_kembalikan(*, pengajuan: Pengajuan, pengguna, alasan: str) -> Pengajuan:
    """Return a submitted/verified submission to the desa for correction; the reason is required."""
    return _transisi(KEMBALIKAN, pengajuan=pengajuan, pengguna=pengguna, komentar=alasan)


def pengajuan_batalkan_persetujuan(*, pengajuan: Pengajuan, pengguna, alasan: str) -> Pengajuan:
    """Un-approve (also un-publish): back to 'diverifikasi', which unlocks the data; reason required."""
    return _transisi(BATAL, pengajuan=pengajuan, pengguna=pengguna, komentar=alasan)


PENGAJUAN_SERVICES = {
    AJUKAN: pengajuan_ajukan,
    VERIFIKASI: pengajuan_verifikasi,
    SETUJUI: pengajuan_setujui,
    PUBLIKASIKAN: pengajuan_publikasikan,
    KEMBALIKAN: pengajuan_kembalikan,
    BATAL: pengajuan_batalkan_persetujuan,
}


def pengajuan_transisi(*, aksi: str, pengajuan: Pengajuan, pengguna, alasan: str = "") -> Pengajuan:
    """Dispatch by action name (web form, API, CLI); ``alasan`` is the comment or required reason."""
    transisi = transisi_get(aksi)
    if transisi.alasan_wajib:
        return PENGAJUAN_SERVICES[aksi](pengajuan=pengajuan, pengguna=pengguna, alasan=alasan)
    return PENGAJUAN_SERVICES[aksi](pengajuan=pengajuan, pengguna=pengguna, komentar=alasan)



# --- decisions for many desa at once, and the console's publishing run -----------------------------------


def tautan_validasi(pengajuan: Pengajuan) -> str:
    """The validation page filtered to the desa × period's open warnings (where they are justified)."""
    query = urlencode({"periode": pengajuan.periode.kode, "desa": pengajuan.desa.kode, "keparahan": "warning"})
    return f"{reverse('validation:temuan')}?{query}"


@dataclass
class HasilKeputusan:
    """What happened to one desa of a (bulk) decision."""

    desa: str
    nama: str
    berhasil: bool
    status: str
    pesan: str
    tautan_validasi: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _satu_keputusan(transisi: Transisi, pengajuan: Pengajuan, *, pengguna, komentar: str) -> HasilKeputusan:
    desa = pengajuan.desa
    if pengajuan.status == transisi.ke and in_scope(pengguna, desa.kode):
        # a double submit (or a colleague was faster): the decision stands once
        return HasilKeputusan(desa.kode, desa.nama, False, pengajuan.status,
                              _("Sudah %(status)s; tidak diubah lagi.")
                              % {"status": _(LABEL_STATUS[pengajuan.status]).lower()})
    try:
        hasil = pengajuan_transisi(aksi=transisi.aksi, pengajuan=pengajuan, pengguna=pengguna, alasan=komentar)
    except ApplicationError as exc:
        detail = "; ".join(f.message for f in exc.findings[:5])
        tautan = (exc.extra or {}).get("tautan_validasi") if isinstance(exc, ValidationFailed) else None
        return HasilKeputusan(desa.kode, desa.nama, False, pengajuan.status,
                              f"{exc.message} ({detail})" if detail else exc.message, tautan)
    return HasilKeputusan(desa.kode, desa.nama, True, hasil.status,
                          _("Berhasil %(hasil)s.") % {"hasil": _(transisi.hasil)})


def pengajuan_putuskan_banyak(*, periode: Periode, desa_kode: list[str], aksi: str, pengguna,
                              komentar: str = "") -> list[HasilKeputusan]:
    """One decision for several desa of a period (the board's checkboxes), reported per desa.

    Each desa goes through the single-decision service (``pengajuan_transisi``) in its own
    transaction, so one refusal does not undo the others. A comment is required for a return
    (and an un-approval); the whole request is refused up front when it is missing.
    """
    transisi = transisi_get(aksi)
    komentar = (komentar or "").strip()
    kode_list = list(dict.fromkeys(k.strip() for k in desa_kode if k and k.strip()))
    if not kode_list:
        raise ValidationFailed(_("Pilih minimal satu desa."), [Finding(
            rule="desa_kosong", column="desa", message=_("tidak ada desa yang dipilih"))])
    if transisi.alasan_wajib and not komentar:
        raise ValidationFailed(_("Alasan wajib diisi untuk '%(aksi)s'.") % {"aksi": _(transisi.label)}, [Finding(
            rule="alasan_wajib", column="alasan",
            message=_("tuliskan alasan agar desa/kecamatan tahu yang harus diperbaiki"))])
    rows = {p.desa.kode: p for p in Pengajuan.objects.select_related("periode", "desa")
            .filter(periode=periode, desa__kode__in=kode_list)}
    out = []
    for kode in kode_list:
        pengajuan = rows.get(kode)
        if pengajuan is None or not in_scope(pengguna, kode):
            out.append(HasilKeputusan(kode, "", False, "", _("Tidak ada pengajuan desa ini dalam cakupan Anda.")))
            continue
        out.append(_satu_keputusan(transisi, pengajuan, pengguna=pengguna, komentar=komentar))
    return out


def _justifikasi_terbuka(*, periode: Periode, alasan: str, desa: Wilayah | None = None) -> int:
    """Justify every open warning of the period (or of one desa) with one reason; how many."""
    qs = Temuan.objects.filter(periode=periode, keparahan=WARNING, status=Temuan.TERBUKA)
    ids = list((qs.filter(desa=desa) if desa is not None else qs).values_list("pk", flat=True))
    if not ids:
        return 0
    return len(temuan_justifikasi_banyak(temuan_ids=ids, alasan=alasan, pengguna=SISTEM)["dijustifikasi"])


def _terbitkan_langkah(aksi: str, *, periode: Periode, gagal: dict[str, str], komentar: str,
                       alasan_peringatan: str) -> int:
    """One step of ``periode_terbitkan_semua`` for every desa that can take it; warnings justified."""
    dijustifikasi = 0
    transisi = transisi_get(aksi)
    for p in (Pengajuan.objects.filter(periode=periode, status__in=transisi.dari).select_related("desa")
              .order_by("desa__kode")):
        if p.desa.kode in gagal:
            continue
        try:
            pengajuan_transisi(aksi=aksi, pengajuan=p, pengguna=SISTEM, alasan=komentar)
        except ApplicationError as exc:
            if aksi != AJUKAN:
                gagal[p.desa.kode] = exc.message
                continue
            # Submitting validates the desa again, now against the whole regency's registry: a
            # probable duplicate across two desa can be new from this side. Justify and try once more.
            dijustifikasi += _justifikasi_terbuka(periode=periode, alasan=alasan_peringatan, desa=p.desa)
            try:
                pengajuan_transisi(aksi=aksi, pengajuan=p, pengguna=SISTEM, alasan=komentar)
            except ApplicationError as again:
                gagal[p.desa.kode] = again.message
    return dijustifikasi


def periode_terbitkan_semua(*, periode: Periode, alasan_peringatan: str, komentar: str = "",
                            tutup: bool = False) -> dict[str, Any]:
    """Console only: take every desa of the period through ajukan → verifikasi → setujui → publikasikan.

    Used by ``presisi demo`` so that the public dashboards show published data. It goes the real
    way: validation runs, its open warnings are justified with ``alasan_peringatan`` (one audit row
    each), then each transition service is called for each desa, acting as ``workflow.SISTEM``.
    A desa with validation errors stays where it is; the result counts the desa per final state.
    With ``tutup`` the period is closed afterwards.
    """
    desa_list = [p.desa for p in Pengajuan.objects.filter(periode=periode).select_related("desa")
                 .order_by("desa__kode")]
    validasi_jalankan_banyak(desa_list=desa_list, periode=periode)
    dijustifikasi = _justifikasi_terbuka(periode=periode, alasan=alasan_peringatan)
    gagal: dict[str, str] = {}
    # each approval freezes its desa; the indicators are computed once; no person is written meanwhile,
    # so every validation reads the living population once
    with tasks.hitung_sekali(), kandidat_bersama():
        for aksi in (AJUKAN, VERIFIKASI, SETUJUI, PUBLIKASIKAN):
            dijustifikasi += _terbitkan_langkah(aksi, periode=periode, gagal=gagal, komentar=komentar,
                                                alasan_peringatan=alasan_peringatan)
    if tutup:  # approved data of an open period locks the registry; the next period starts from a draft
        periode_tutup(periode=periode, pengguna=SISTEM)
    status = Counter(Pengajuan.objects.filter(periode=periode).values_list("status", flat=True))
    return {"periode": periode.kode, "peringatan_dijustifikasi": dijustifikasi, "status": dict(status),
            "gagal": gagal}


# The steps that take a draft to each state of the board (``periode_sebar_status``).
JALUR_STATUS = {
    DRAF: (),
    DIAJUKAN: (AJUKAN,),
    DIVERIFIKASI: (AJUKAN, VERIFIKASI),
    DISETUJUI: (AJUKAN, VERIFIKASI, SETUJUI),
    DIKEMBALIKAN: (AJUKAN, KEMBALIKAN),
}


def periode_sebar_status(*, periode: Periode, tujuan: dict[str, str], alasan_peringatan: str,
                         alasan_kembali: str, komentar: str = "") -> dict[str, Any]:
    """Console only: take each desa (code → target state) from draft to its target state.

    ``presisi demo`` uses it so that the live period's board shows every state. Like
    ``periode_terbitkan_semua`` it goes the real way, acting as ``workflow.SISTEM``: validation runs,
    open warnings of the desa taken forward are justified with ``alasan_peringatan``, and each
    transition service is called in turn; a return carries ``alasan_kembali``. A desa that is not a
    draft, or whose step is refused, stays where it is (``gagal`` says why).
    """
    rows = {p.desa.kode: p for p in Pengajuan.objects.filter(periode=periode, desa__kode__in=list(tujuan))
            .select_related("desa")}
    maju = [rows[k] for k in sorted(rows) if tujuan[k] != DRAF and rows[k].status == DRAF]
    if maju:
        validasi_jalankan_banyak(desa_list=[p.desa for p in maju], periode=periode)
    dijustifikasi = 0
    gagal: dict[str, str] = {}
    with tasks.hitung_sekali(), kandidat_bersama():
        for p in maju:
            dijustifikasi += _justifikasi_terbuka(periode=periode, alasan=alasan_peringatan, desa=p.desa)
            for aksi in JALUR_STATUS[tujuan[p.desa.kode]]:
                alasan = alasan_kembali if aksi == KEMBALIKAN else komentar
                try:
                    p = pengajuan_transisi(aksi=aksi, pengajuan=p, pengguna=SISTEM, alasan=alasan)
                except ApplicationError as exc:
                    gagal[p.desa.kode] = exc.message
                    break
    status = Counter(Pengajuan.objects.filter(periode=periode).values_list("status", flat=True))
    return {"periode": periode.kode, "peringatan_dijustifikasi": dijustifikasi, "status": dict(status),
            "gagal": gagal}
