"""The import reaper: jobs left "berjalan" by a dead worker are failed with a finding, and uploads
(they hold NIKs) still kept past the retention period are deleted; every job keeps its summary.

Run by ``presisi impor bersihkan`` and by the task worker before each import job it processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding
from presisi.core.models import AuditLog
from presisi.imports import limits
from presisi.imports.models import Impor
from presisi.imports.pipeline import keterangan_impor

AKSI_BERSIHKAN = "imports.impor.dibersihkan"
TERHENTI = "impor_terhenti"
DIHAPUS_RETENSI = "berkas_dihapus_retensi"


@dataclass
class HasilBersihkan:
    terhenti: list[int] = field(default_factory=list)  # jobs failed because their worker died
    berkas_dihapus: list[int] = field(default_factory=list)  # jobs whose upload was deleted
    batas_menit: int = 0
    retensi_hari: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"terhenti": self.terhenti, "jumlah_terhenti": len(self.terhenti),
                "berkas_dihapus": self.berkas_dihapus, "jumlah_berkas_dihapus": len(self.berkas_dihapus),
                "batas_menit": self.batas_menit, "retensi_hari": self.retensi_hari}


def _gagal(qs, *, rule: str, message: str, now: dt.datetime, cek_tulis: bool = False) -> list[int]:
    ids = []
    for impor in qs.defer("isi"):
        written = cek_tulis and _sudah_ditulis(impor)
        text = message if not written else (
            "proses pekerja mati setelah data berkas ini tersimpan (satu transaksi, lengkap) tetapi sebelum "
            "ringkasannya dicatat; lihat riwayat desa, atau unggah ulang (uji coba) untuk melihat ringkasannya")
        finding = Finding(rule=rule, column="berkas", value=impor.nama_berkas, message=text,
                          severity="info" if written else "error")
        # conditional on the state read: a worker that finishes meanwhile keeps its own outcome
        done = qs.filter(pk=impor.pk).update(
            status=Impor.SELESAI if written else Impor.GAGAL, hasil=Impor.DITERIMA if written else Impor.DITOLAK,
            progres=100, pesan_progres=text[:200], temuan=[finding.as_dict(), *(impor.temuan or [])],
            jumlah_temuan=(impor.jumlah_temuan or 0) + 1, jumlah_error=(impor.jumlah_error or 0) + (not written),
            ringkasan={**(impor.ringkasan or {}), "pesan": text}, selesai=now, diubah=now, isi=None)
        if done:
            ids.append(impor.pk)
    return ids


def _sudah_ditulis(impor: Impor) -> bool:
    """Did the job's registry write commit before its worker died (its audit rows exist)?"""
    return AuditLog.objects.filter(keterangan=keterangan_impor(impor.nama_berkas, impor.sha256),
                                   waktu__gte=impor.mulai or impor.dibuat).exists()


def impor_bersihkan(*, sekarang: dt.datetime | None = None) -> HasilBersihkan:
    now = sekarang or timezone.now()
    out = HasilBersihkan(batas_menit=limits.batas_berjalan_menit(), retensi_hari=limits.retensi_berkas_hari())
    silent = now - dt.timedelta(minutes=out.batas_menit)
    with transaction.atomic():
        out.terhenti = _gagal(
            Impor.objects.filter(status=Impor.BERJALAN, diubah__lt=silent), rule=TERHENTI, now=now, cek_tulis=True,
            message=(f"impor berhenti tanpa kabar lebih dari {out.batas_menit} menit (proses pekerja mati) sebelum "
                     "datanya tersimpan; penyimpanan adalah satu transaksi, jadi tidak ada data yang diubah. Unggah "
                     "ulang berkasnya"))
        old = now - dt.timedelta(days=out.retensi_hari)
        # a queued job whose file goes can never run: it fails, saying why
        queued = _gagal(
            Impor.objects.filter(status=Impor.ANTRI, dibuat__lt=old), rule=DIHAPUS_RETENSI, now=now,
            message=(f"impor menunggu lebih dari {out.retensi_hari} hari; berkasnya (berisi NIK) dihapus sesuai masa "
                     "simpan dan tidak ada data yang diubah. Unggah ulang berkasnya"))
        held = Impor.objects.filter(dibuat__lt=old, isi__isnull=False).exclude(status__in=(Impor.ANTRI, Impor.BERJALAN))
        dropped = list(held.values_list("pk", flat=True))
        held.filter(pk__in=dropped).update(isi=None)
        out.berkas_dihapus = sorted(set(queued + dropped))
        if out.terhenti or out.berkas_dihapus:
            audit_log(aksi=AKSI_BERSIHKAN, objek=None, pengguna=None, sesudah=out.as_dict())
    return out
