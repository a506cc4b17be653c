"""Running every active rule over the registry of one desa (or all desa of a region) in a period."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.regions.models import Wilayah
from presisi.updates.models import Periode
from presisi.validation.engine import Pelanggaran, aturan_aktif, jalankan
from presisi.validation.frames import Frame
from presisi.validation.konteks import kandidat_ganda, konteks_buat
from presisi.validation.models import ERROR, WARNING, AturanValidasi, RekapValidasi, Temuan
from presisi.validation.registry_frames import FRAME_LOADERS, individu_frame
from presisi.validation.rules import DESA_LEVEL
from presisi.validation.services.aturan import aturan_bawaan_sinkron


@dataclass
class RingkasanValidasi:
    desa: str
    periode: str
    jumlah_individu: int = 0
    jumlah_keluarga: int = 0
    error: int = 0
    warning: int = 0
    warning_belum_dijustifikasi: int = 0
    baru: int = 0
    tetap: int = 0
    selesai: int = 0
    per_aturan: dict[str, int] = field(default_factory=dict)
    detik: float = 0.0

    @property
    def lolos(self) -> bool:
        """No errors and every warning justified: the desa may submit the period."""
        return self.error == 0 and self.warning_belum_dijustifikasi == 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "lolos": self.lolos}


@dataclass
class TemuanBaru:
    """A violation ready to store: where (desa, unit, record) and what."""

    desa_id: int
    unit: str
    objek_id: int | None
    label: str
    pelanggaran: Pelanggaran
    baris: int | None = None


def frames_registri(desa_ids: list[int], periode: Periode) -> dict[str, Frame]:
    frames = {INDIVIDU: individu_frame(desa_ids, periode.tanggal_referensi)}
    for unit, loader in FRAME_LOADERS.items():
        frames[unit] = loader(desa_ids)
    return frames


def temuan_dari_frame(frame: Frame, pelanggaran: list[Pelanggaran]) -> list[TemuanBaru]:
    out = []
    for p in pelanggaran:
        if p.idx == DESA_LEVEL:
            out.append(TemuanBaru(desa_id=p.desa_id, unit=frame.unit, objek_id=None, label="desa", pelanggaran=p))
        else:
            objek = int(frame.objek_id[p.idx]) or None
            baris = int(frame.baris[p.idx]) or None
            out.append(TemuanBaru(desa_id=p.desa_id, unit=frame.unit, objek_id=objek, baris=baris,
                                  label=frame.label[p.idx] if frame.label else "", pelanggaran=p))
    return out


def _run(desa_list: list[Wilayah], periode: Periode) -> tuple[list[TemuanBaru], dict[str, Frame]]:
    ids = [d.pk for d in desa_list]
    frames = frames_registri(ids, periode)
    ktx = konteks_buat(desa_list=desa_list, periode=periode)
    all_desa = Wilayah.objects.desa_kelurahan().count()
    people = frames[INDIVIDU]
    ktx.kandidat = None if len(ids) >= all_desa else kandidat_ganda(
        tanggal_lahir=people.dates("tanggal_lahir"), kecuali_desa=ids)
    found: list[TemuanBaru] = []
    for unit in (INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN):
        rules = aturan_aktif(unit)
        found += temuan_dari_frame(frames[unit], jalankan(frames[unit], ktx, rules))
    return found, frames


def _key(desa_id: int, aturan_id: int, unit: str, objek_id: int | None, kolom: str) -> tuple:
    return desa_id, aturan_id, unit, objek_id or 0, kolom


def temuan_ganti(*, desa_ids: list[int], periode: Periode, temuan: list[TemuanBaru],
                 objek: dict[str, set[int]] | None = None) -> dict[str, int]:
    """Replace the open findings of these desa in the period by ``temuan``.

    A finding that still occurs (same rule, record and column) keeps its row, status and
    justification; one that no longer occurs becomes ``selesai``. With ``objek`` (unit → record
    ids) only the findings of those records are replaced (an import of part of a desa).
    """
    rule_ids = dict(AturanValidasi.objects.values_list("kode", "id"))
    old_qs = Temuan.objects.filter(desa_id__in=desa_ids, periode=periode).exclude(status=Temuan.SELESAI)
    old = {}
    for t in old_qs.only("id", "desa_id", "aturan_id", "unit", "objek_id", "kolom", "status", "keparahan",
                         "pesan", "nilai"):
        if objek is not None and t.objek_id is not None and t.objek_id not in objek.get(t.unit, set()):
            continue
        old[_key(t.desa_id, t.aturan_id, t.unit, t.objek_id, t.kolom)] = t
    now = timezone.now()
    new_rows, changed, seen = [], [], set()
    for item in temuan:
        p = item.pelanggaran
        key = _key(item.desa_id, rule_ids[p.aturan], item.unit, item.objek_id, p.kolom[:80])
        if key in seen:
            continue
        seen.add(key)
        nilai = "" if p.nilai is None else str(p.nilai)[:200]
        existing = old.get(key)
        if existing is None:
            new_rows.append(Temuan(desa_id=item.desa_id, periode=periode, aturan_id=key[1], unit=item.unit,
                                   objek_id=item.objek_id, baris=item.baris, label=item.label[:200],
                                   kolom=p.kolom[:80], nilai=nilai, pesan=p.pesan, keparahan=p.keparahan,
                                   dibuat=now, diubah=now))
            continue
        reopened = existing.status == Temuan.DIJUSTIFIKASI and p.keparahan == ERROR
        if (existing.pesan, existing.nilai, existing.keparahan) != (p.pesan, nilai, p.keparahan) or reopened:
            existing.pesan, existing.nilai, existing.keparahan, existing.diubah = p.pesan, nilai, p.keparahan, now
            if reopened:
                existing.status = Temuan.TERBUKA
            changed.append(existing)
    gone = [t.pk for key, t in old.items() if key not in seen]
    Temuan.objects.bulk_create(new_rows, batch_size=2000)
    Temuan.objects.bulk_update(changed, ["pesan", "nilai", "keparahan", "status", "diubah"], batch_size=500)
    for i in range(0, len(gone), 5000):
        Temuan.objects.filter(pk__in=gone[i:i + 5000]).update(status=Temuan.SELESAI, diubah=now)
    return {"baru": len(new_rows), "tetap": len(seen) - len(new_rows), "selesai": len(gone)}


def _counts(desa_ids: list[int], periode: Periode) -> dict[int, dict[str, int]]:
    rows = (Temuan.objects.filter(desa_id__in=desa_ids, periode=periode).exclude(status=Temuan.SELESAI)
            .values_list("desa_id", "keparahan", "status").annotate(n=Count("id")).order_by())
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"error": 0, "warning": 0, "terbuka": 0})
    for desa_id, keparahan, status, n in rows:
        out[desa_id][keparahan] += n
        if keparahan == WARNING and status == Temuan.TERBUKA:
            out[desa_id]["terbuka"] += n
    return out


def rekap_simpan(*, desa_list: list[Wilayah], periode: Periode, frames: dict[str, Frame], per_desa: dict,
                 pengguna=None) -> dict[int, RekapValidasi]:
    ids = [d.pk for d in desa_list]
    counts = _counts(ids, periode)
    people = Counter(frames[INDIVIDU].desa_id.tolist())
    families = Counter(frames[KELUARGA].desa_id.tolist())
    user = pengguna if getattr(pengguna, "pk", None) else None
    out = {}
    for d in desa_list:
        c = counts[d.pk]
        rekap, _ = RekapValidasi.objects.update_or_create(
            desa=d, periode=periode,
            defaults={"jumlah_individu": people.get(d.pk, 0), "jumlah_keluarga": families.get(d.pk, 0),
                      "jumlah_error": c["error"], "jumlah_warning": c["warning"],
                      "warning_belum_dijustifikasi": c["terbuka"], "dijalankan_oleh": user})
        out[d.pk] = rekap
    return out


@transaction.atomic
def validasi_jalankan_banyak(*, desa_list: list[Wilayah], periode: Periode, pengguna=None,
                             baris: dict[tuple[str, int], int] | None = None) -> list[RingkasanValidasi]:
    """Run every active rule over the desa's current registry records in one pass (one query
    per unit for all of them) and replace their open findings in the period."""
    start = time.perf_counter()
    aturan_bawaan_sinkron()
    found, frames = _run(desa_list, periode)
    if baris:
        for t in found:
            t.baris = baris.get((t.unit, t.objek_id or 0), t.baris)
    by_desa: dict[int, list[TemuanBaru]] = defaultdict(list)
    for t in found:
        by_desa[t.desa_id].append(t)
    changes = {d.pk: temuan_ganti(desa_ids=[d.pk], periode=periode, temuan=by_desa[d.pk]) for d in desa_list}
    rekap = rekap_simpan(desa_list=desa_list, periode=periode, frames=frames, per_desa=changes, pengguna=pengguna)
    elapsed = time.perf_counter() - start
    out = []
    for d in desa_list:
        r = rekap[d.pk]
        out.append(RingkasanValidasi(
            desa=d.kode, periode=periode.kode, jumlah_individu=r.jumlah_individu, jumlah_keluarga=r.jumlah_keluarga,
            error=r.jumlah_error, warning=r.jumlah_warning, warning_belum_dijustifikasi=r.warning_belum_dijustifikasi,
            per_aturan=dict(Counter(t.pelanggaran.aturan for t in by_desa[d.pk])), detik=round(elapsed, 3),
            **changes[d.pk]))
    return out


def validasi_jalankan(*, desa: Wilayah, periode: Periode, pengguna=None) -> RingkasanValidasi:
    """Re-run all active rules over one desa's registry records for the period.

    Replaces the desa × period's open findings, keeps the justification of warnings that
    still occur, and returns the counts (errors, warnings, unjustified warnings).
    """
    return validasi_jalankan_banyak(desa_list=[desa], periode=periode, pengguna=pengguna)[0]


def validasi_jalankan_wilayah(*, wilayah: Wilayah, periode: Periode, pengguna=None) -> list[RingkasanValidasi]:
    """Every desa/kelurahan under a region (a kecamatan or the whole regency) in one pass."""
    desa_list = list(Wilayah.objects.desa_kelurahan().within(wilayah.kode).order_by("kode"))
    return validasi_jalankan_banyak(desa_list=desa_list, periode=periode, pengguna=pengguna)
