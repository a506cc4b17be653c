"""Writes of the privacy app: correction requests, breach incidents and log retention.

Every write leaves an audit row whose action is one of the constants below. A correction is made
by the registry's own services (``presisi.registry.services``); a request only records it and
links to the audit row of the correction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.models import AuditLog
from presisi.core.pdp import PREFIX as PDP_PREFIX
from presisi.dictionary.models import INDIVIDU
from presisi.dictionary.validation import unit_spec
from presisi.privasi.models import TENGGAT_PDP, InsidenPelanggaran, PermintaanPerbaikan
from presisi.privasi.selectors import KATEGORI_DATA, koreksi_kandidat
from presisi.registry import history
from presisi.registry.identitas import IDENTITY_FIELDS, KOLOM_ALASAN, KOLOM_KOREKSI, KOREKSI_IDENTITAS
from presisi.registry.models import Individu
from presisi.registry.services import individu_update

PERBAIKAN_DICATAT = "privasi.perbaikan.dicatat"
PERBAIKAN_DIPROSES = "privasi.perbaikan.diproses"
PERBAIKAN_SELESAI = "privasi.perbaikan.selesai"
PERBAIKAN_DITOLAK = "privasi.perbaikan.ditolak"
INSIDEN_DICATAT = "privasi.insiden.dicatat"
INSIDEN_DIUBAH = "privasi.insiden.diubah"
LOG_DIBERSIHKAN = "privasi.log.dibersihkan"
KOREKSI_INDIVIDU = "registry.individu.diubah"

# Which state each decision leaves from; a decided request (selesai/ditolak) never changes again.
DARI = {
    PermintaanPerbaikan.DIPROSES: (PermintaanPerbaikan.DIAJUKAN,),
    PermintaanPerbaikan.SELESAI: PermintaanPerbaikan.TERBUKA,
    PermintaanPerbaikan.DITOLAK: PermintaanPerbaikan.TERBUKA,
}
BATCH_HAPUS = 5000


def _teks(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _wajib(data: dict[str, Any], keys: tuple[str, ...]) -> list[Finding]:
    return [Finding(rule="wajib", column=k, message="wajib diisi") for k in keys if not _teks(data.get(k))]


def _raise(findings: list[Finding], pesan: str) -> None:
    if findings:
        raise ValidationFailed(pesan, findings)


# ---------------------------------------------------------------- correction requests


@transaction.atomic
def permintaan_catat(*, individu: Individu, pemohon: str, kanal: str, kolom: str, uraian: str,
                     nilai_usulan: str = "", bukti: str = "", diterima_pada: dt.datetime | None = None,
                     pengguna=None) -> PermintaanPerbaikan:
    """Record a request to correct one dictionary variable of a person; the deadline is 3×24 hours
    after it was received."""
    data = {"pemohon": pemohon, "kanal": kanal, "kolom": kolom, "uraian": uraian}
    findings = _wajib(data, ("pemohon", "kanal", "kolom", "uraian"))
    if kanal and kanal not in dict(PermintaanPerbaikan.KANAL_CHOICES):
        findings.append(Finding(rule="kanal", column="kanal", value=kanal, message="kanal tidak dikenal"))
    if kolom and kolom not in unit_spec(INDIVIDU):
        findings.append(Finding(rule="kolom_tidak_dikenal", column="kolom", value=kolom,
                                message="bukan variabel kamus data penduduk"))
    for key, value, size in (("pemohon", pemohon, 150), ("nilai_usulan", nilai_usulan, 300)):
        if len(_teks(value)) > size:
            findings.append(Finding(rule="terlalu_panjang", column=key, message=f"paling banyak {size} karakter"))
    received = diterima_pada or timezone.now()
    if received > timezone.now() + dt.timedelta(minutes=5):
        findings.append(Finding(rule="waktu_masa_depan", column="diterima_pada", value=received.isoformat(),
                                message="waktu diterima tidak boleh di masa depan"))
    _raise(findings, "Permintaan perbaikan belum lengkap.")
    tercatat = history.nilai_rekaman(individu, kolom)
    p = PermintaanPerbaikan.objects.create(
        individu=individu, desa_id=individu.desa_id, pemohon=_teks(pemohon), kanal=kanal, kolom=kolom,
        nilai_tercatat=_teks(tercatat.isoformat() if hasattr(tercatat, "isoformat") else tercatat)[:300],
        nilai_usulan=_teks(nilai_usulan), uraian=_teks(uraian), bukti=_teks(bukti), diterima_pada=received,
        tenggat=received + TENGGAT_PDP, dicatat_oleh=pengguna if getattr(pengguna, "pk", None) else None)
    audit_log(aksi=PERBAIKAN_DICATAT, objek=p, pengguna=pengguna,
              sesudah=model_snapshot(p, ["individu", "kanal", "kolom", "status", "tenggat"]))
    return p


def _putus(p: PermintaanPerbaikan, status: str, pengguna) -> PermintaanPerbaikan:
    p = PermintaanPerbaikan.objects.select_for_update().select_related("individu").get(pk=p.pk)
    if p.status not in DARI[status]:
        raise ValidationFailed("Status permintaan tidak dapat diubah.", [Finding(
            rule="status_permintaan", column="status", value=p.status,
            message=f"dari '{p.status}' tidak dapat menjadi '{status}'")])
    return p


@transaction.atomic
def permintaan_proses(*, permintaan: PermintaanPerbaikan, pengguna=None) -> PermintaanPerbaikan:
    p = _putus(permintaan, PermintaanPerbaikan.DIPROSES, pengguna)
    p.status = PermintaanPerbaikan.DIPROSES
    p.save(update_fields=["status", "diubah"])
    audit_log(aksi=PERBAIKAN_DIPROSES, objek=p, pengguna=pengguna, sebelum={"status": PermintaanPerbaikan.DIAJUKAN},
              sesudah={"status": p.status})
    return p


def _koreksi_baru(individu: Individu, kolom: str, sejak_id: int) -> AuditLog | None:
    """The audit row of the correction just made: an identity change writes its own row first and a
    second one for the rest; the link goes to the row where the requested field changed (a row whose
    only change is the timestamp is no correction)."""
    rows = list(AuditLog.objects.filter(objek_tipe=individu._meta.label_lower, objek_id=str(individu.pk),
                                        aksi__in=[KOREKSI_INDIVIDU, KOREKSI_IDENTITAS], pk__gt=sejak_id)
                .order_by("pk"))
    return next((r for r in rows if _nilai(r.sebelum, kolom) != _nilai(r.sesudah, kolom)), None)


def _nilai(image: dict | None, kolom: str) -> Any:
    image = image or {}
    return image[kolom] if kolom in image else (image.get("atribut") or {}).get(kolom)


@transaction.atomic
def permintaan_selesaikan(*, permintaan: PermintaanPerbaikan, pengguna=None, terapkan: bool = False,
                          koreksi_id: int | None = None, catatan: str = "") -> PermintaanPerbaikan:
    """Close a request as done, linked to the registry correction that answers it.

    ``terapkan``: make the proposed correction now through ``individu_update`` (identity fields are
    declared as an identity correction with the request as the reason). Otherwise ``koreksi_id``
    names a correction already made in the registry since the request was received.
    """
    p = _putus(permintaan, PermintaanPerbaikan.SELESAI, pengguna)
    if terapkan:
        data: dict[str, Any] = {p.kolom: p.nilai_usulan}
        if p.kolom in IDENTITY_FIELDS:
            data |= {KOLOM_KOREKSI: True, KOLOM_ALASAN: f"permintaan perbaikan #{p.pk}: {p.uraian}"[:300]}
        last = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        individu_update(individu=p.individu, data=data, pengguna=pengguna)
        koreksi = _koreksi_baru(p.individu, p.kolom, last)
        if koreksi is None:
            raise ValidationFailed("Nilai usulan sama dengan data tercatat; tidak ada yang dikoreksi.", [Finding(
                rule="tanpa_perubahan", column=p.kolom, value=p.nilai_usulan,
                message="pilih koreksi yang sudah dibuat atau tolak permintaan dengan alasan")])
    else:
        allowed = {k["id"] for k in koreksi_kandidat(p)}
        if koreksi_id is None or int(koreksi_id) not in allowed:
            raise ValidationFailed("Koreksi registri tidak dikenal.", [Finding(
                rule="koreksi_tidak_dikenal", column="koreksi", value=koreksi_id,
                message="pilih entri koreksi data orang ini (atau keluarga/rumah tangganya) sejak permintaan "
                        "diterima")])
        koreksi = AuditLog.objects.get(pk=koreksi_id)
    p.status, p.koreksi, p.alasan = PermintaanPerbaikan.SELESAI, koreksi, _teks(catatan)
    p.diputus_oleh = pengguna if getattr(pengguna, "pk", None) else None
    p.diputus_pada = timezone.now()
    p.save()
    audit_log(aksi=PERBAIKAN_SELESAI, objek=p, pengguna=pengguna, sesudah={"status": p.status, "koreksi": koreksi.pk,
                                                                             "koreksi_aksi": koreksi.aksi})
    return p


@transaction.atomic
def permintaan_tolak(*, permintaan: PermintaanPerbaikan, alasan: str, pengguna=None) -> PermintaanPerbaikan:
    """Refuse a request; the reason is required (the subject is told why)."""
    if not _teks(alasan):
        raise ValidationFailed("Alasan penolakan wajib diisi.", [Finding(rule="wajib", column="alasan",
                                                                         message="wajib diisi")])
    p = _putus(permintaan, PermintaanPerbaikan.DITOLAK, pengguna)
    before = p.status
    p.status, p.alasan = PermintaanPerbaikan.DITOLAK, _teks(alasan)
    p.diputus_oleh = pengguna if getattr(pengguna, "pk", None) else None
    p.diputus_pada = timezone.now()
    p.save()
    audit_log(aksi=PERBAIKAN_DITOLAK, objek=p, pengguna=pengguna, sebelum={"status": before},
              sesudah={"status": p.status, "alasan": p.alasan})
    return p


# ---------------------------------------------------------------- breach incidents

INSIDEN_TEKS = ("judul", "uraian", "penanganan", "catatan_pemberitahuan")
INSIDEN_WAKTU = ("dikendalikan_pada", "subjek_diberitahu_pada", "lembaga_diberitahu_pada", "publik_diumumkan_pada",
                 "ditutup_pada")


def _insiden_periksa(data: dict[str, Any], *, ditemukan: dt.datetime) -> list[Finding]:
    findings: list[Finding] = []
    known = dict(KATEGORI_DATA)
    for k in data.get("kategori_data") or []:
        if k not in known:
            findings.append(Finding(rule="kategori_data", column="kategori_data", value=k,
                                    message="kategori data tidak dikenal"))
    jumlah = data.get("jumlah_subjek")
    if jumlah is not None and (not isinstance(jumlah, int) or jumlah < 0):
        findings.append(Finding(rule="jumlah_subjek", column="jumlah_subjek", value=jumlah,
                                message="harus bilangan bulat tidak negatif"))
    if len(_teks(data.get("judul"))) > 200:
        findings.append(Finding(rule="terlalu_panjang", column="judul", message="paling banyak 200 karakter"))
    now = timezone.now() + dt.timedelta(minutes=5)
    for key in ("ditemukan_pada", *INSIDEN_WAKTU):
        value = data.get(key)
        if isinstance(value, dt.datetime) and value > now:
            findings.append(Finding(rule="waktu_masa_depan", column=key, value=value.isoformat(),
                                    message="waktu tidak boleh di masa depan"))
        if key != "ditemukan_pada" and isinstance(value, dt.datetime) and value < ditemukan:
            findings.append(Finding(rule="sebelum_ditemukan", column=key, value=value.isoformat(),
                                    message="tidak boleh sebelum insiden diketahui"))
    return findings


@transaction.atomic
def insiden_catat(*, data: dict[str, Any], pengguna=None) -> InsidenPelanggaran:
    """Record a breach: title, when it was discovered, what happened; the 3×24-hour clock starts."""
    findings = _wajib(data, ("judul", "uraian"))
    ditemukan = data.get("ditemukan_pada")
    if not isinstance(ditemukan, dt.datetime):
        findings.append(Finding(rule="wajib", column="ditemukan_pada", message="waktu diketahui wajib diisi"))
        ditemukan = timezone.now()
    findings += _insiden_periksa(data, ditemukan=ditemukan)
    _raise(findings, "Catatan insiden belum lengkap.")
    i = InsidenPelanggaran(ditemukan_pada=ditemukan, tenggat=ditemukan + TENGGAT_PDP,
                           dicatat_oleh=pengguna if getattr(pengguna, "pk", None) else None,
                           kategori_data=list(dict.fromkeys(data.get("kategori_data") or [])),
                           jumlah_subjek=data.get("jumlah_subjek") or 0)
    for key in (*INSIDEN_TEKS, *INSIDEN_WAKTU):
        if key in data:
            setattr(i, key, data[key] if key in INSIDEN_WAKTU else _teks(data[key]))
    i.save()
    audit_log(aksi=INSIDEN_DICATAT, objek=i, pengguna=pengguna, sesudah=model_snapshot(i))
    return i


@transaction.atomic
def insiden_ubah(*, insiden: InsidenPelanggaran, data: dict[str, Any], pengguna=None) -> InsidenPelanggaran:
    """Update an incident: texts, categories, count and checklist timestamps (``None`` clears a step).
    The discovery time, and so the deadline, never moves."""
    i = InsidenPelanggaran.objects.select_for_update().get(pk=insiden.pk)
    data = {k: v for k, v in data.items() if k != "ditemukan_pada"}
    findings = _insiden_periksa(data, ditemukan=i.ditemukan_pada)
    if "judul" in data and not _teks(data["judul"]):
        findings.append(Finding(rule="wajib", column="judul", message="wajib diisi"))
    _raise(findings, "Perubahan insiden ditolak.")
    before = model_snapshot(i)
    for key in (*INSIDEN_TEKS, *INSIDEN_WAKTU):
        if key in data:
            setattr(i, key, data[key] if key in INSIDEN_WAKTU else _teks(data[key]))
    if "kategori_data" in data:
        i.kategori_data = list(dict.fromkeys(data["kategori_data"] or []))
    if "jumlah_subjek" in data:
        i.jumlah_subjek = data["jumlah_subjek"] or 0
    i.save()
    after = model_snapshot(i)
    if before != after:
        changed = [k for k in after if before.get(k) != after.get(k) and k != "diubah"]
        audit_log(aksi=INSIDEN_DIUBAH, objek=i, pengguna=pengguna, sebelum={k: before[k] for k in changed},
                  sesudah={k: after[k] for k in changed})
    return i


# ---------------------------------------------------------------- log retention


def retensi_hari() -> dict[str, int]:
    """Days each log is kept (0 = kept for ever), from settings (see docs/PRIVACY.md)."""
    return {"log_pdp": int(getattr(settings, "PRESISI_RETENSI_LOG_PDP_HARI", 0) or 0),
            "audit": int(getattr(settings, "PRESISI_RETENSI_AUDIT_HARI", 0) or 0)}


def _hapus_bertahap(qs) -> int:
    """Delete in batches by id: the log can hold millions of rows, and one huge DELETE would hold
    its locks (and, for the rows a correction request links to, load them all) at once."""
    total = 0
    while True:
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:BATCH_HAPUS])
        if not ids:
            return total
        with transaction.atomic():
            AuditLog.objects.filter(pk__in=ids).delete()
        total += len(ids)


def log_bersihkan(*, dry_run: bool = False, sekarang: dt.datetime | None = None, pengguna=None) -> dict[str, Any]:
    """Delete processing-log rows (``pdp.*``) and other audit rows older than their retention.

    A retention of 0 days keeps that log for ever. The clean-up itself is audited (after the
    deletion, so its own row is never among the deleted).
    """
    now = sekarang or timezone.now()
    hari = retensi_hari()
    pdp = AuditLog.objects.filter(aksi__startswith=PDP_PREFIX)
    audit = AuditLog.objects.exclude(aksi__startswith=PDP_PREFIX)
    out: dict[str, Any] = {"dry_run": dry_run}
    for key, qs in (("log_pdp", pdp), ("audit", audit)):
        if hari[key] <= 0:
            out[key] = {"hari": 0, "batas": None, "jumlah": 0}
            continue
        batas = now - dt.timedelta(days=hari[key])
        old = qs.filter(waktu__lt=batas)
        jumlah = old.count() if dry_run else _hapus_bertahap(old)
        out[key] = {"hari": hari[key], "batas": timezone.localtime(batas).isoformat(), "jumlah": jumlah}
    if not dry_run:
        audit_log(aksi=LOG_DIBERSIHKAN, pengguna=pengguna, sesudah={k: out[k] for k in ("log_pdp", "audit")})
    return out
