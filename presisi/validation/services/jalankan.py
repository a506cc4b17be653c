"""Running every active rule over the registry of one desa (or all desa of a region) in a period."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, Individu, Keluarga
from presisi.validation.engine import AturanAktif, Pelanggaran, aturan_aktif, jalankan
from presisi.validation.frames import Frame
from presisi.validation.konteks import kandidat_ganda, konteks_buat
from presisi.validation.models import ERROR, WARNING, AturanValidasi, RekapValidasi, Temuan
from presisi.validation.registry_frames import frame_registri, kamus_registri, kamus_sidik, keluarga_nomor
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


def frames_registri(desa_ids: list[int], periode: Periode,
                    aturan: dict[str, dict[str, AturanAktif]]) -> dict[str, Frame]:
    """One frame per unit with the columns its active rules use (condition rules included)."""
    frames = {}
    for unit in (KELUARGA, INDIVIDU, RUMAH_TANGGA, BANGUNAN):
        extra = set().union(*(a.kondisi.variabel for a in aturan[unit].values()
                              if a.kondisi is not None and a.unit == unit))
        frames[unit] = frame_registri(unit, desa_ids, periode.tanggal_referensi, extra)
    people = frames[INDIVIDU]
    numbers = keluarga_nomor(frames[KELUARGA])
    people.cols["no_kk"] = np.array([numbers.get(i, "") for i in people.cols["_keluarga_id"].tolist()],
                                    dtype=object)
    return frames


def _kamus_perlu_penuh(desa_ids: list[int], sidik: str) -> bool:
    """A full attribute check is needed unless every desa's last run used this dictionary."""
    checked = set(RekapValidasi.objects.filter(desa_id__in=desa_ids, kamus_sidik=sidik)
                  .values_list("desa_id", flat=True).distinct())
    return not set(desa_ids) <= checked


def kamus_hits(frames: dict[str, Frame], desa_ids: list[int], periode: Periode, *, penuh: bool) -> dict[str, list]:
    """Dictionary violations of stored records (see ``kamus_registri``). Without ``penuh`` only the
    records that still have an open dictionary finding have their attributes re-checked."""
    out = {}
    open_ids: dict[str, list[int]] = defaultdict(list)
    if not penuh:
        for unit, objek in (Temuan.objects.filter(desa_id__in=desa_ids, periode=periode, objek_id__isnull=False,
                                                  aturan__kode__in=["klasifikasi", "rentang"])
                            .exclude(status=Temuan.SELESAI).values_list("unit", "objek_id")):
            open_ids[unit].append(objek)
    for unit, frame in frames.items():
        found = kamus_registri(unit, desa_ids, atribut=penuh)
        if not penuh and open_ids.get(unit):
            found += [f for f in kamus_registri(unit, desa_ids, ids=open_ids[unit]) if f not in found]
        position = {int(i): k for k, i in enumerate(frame.objek_id.tolist())}
        out[unit] = [(position[i], name, value, rule, message) for i, name, value, rule, message in found
                     if i in position]
    return out


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
    aturan = {unit: aturan_aktif(unit) for unit in (INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN)}
    frames = frames_registri(ids, periode, aturan)
    ktx = konteks_buat(desa_list=desa_list, periode=periode)
    sidik = kamus_sidik()
    ktx.kamus_registri = kamus_hits(frames, ids, periode, penuh=_kamus_perlu_penuh(ids, sidik))
    all_desa = Wilayah.objects.desa_kelurahan().count()
    people = frames[INDIVIDU]
    ktx.kandidat = None if len(ids) >= all_desa else kandidat_ganda(
        tanggal_lahir=people.dates("tanggal_lahir"), kecuali_desa=ids, jenis_kelamin=people.num("jenis_kelamin"))
    found: list[TemuanBaru] = []
    for unit in (INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN):
        found += temuan_dari_frame(frames[unit], jalankan(frames[unit], ktx, aturan[unit]))
    return found, frames


def _key(desa_id: int, aturan_id: int, unit: str, objek_id: int | None, kolom: str) -> tuple:
    return desa_id, aturan_id, unit, objek_id or 0, kolom


def temuan_ganti(*, desa_ids: list[int], periode: Periode, temuan: list[TemuanBaru],
                 units: set[str] | None = None) -> dict[str, int]:
    """Replace the open findings of these desa in the period by ``temuan``.

    A finding that still occurs (same rule, record and column) keeps its row, status and
    justification; one that no longer occurs becomes ``selesai``. With ``units`` only the
    findings of those units are replaced (an import that did not touch the other units).
    """
    rule_ids = dict(AturanValidasi.objects.values_list("kode", "id"))
    old_qs = Temuan.objects.filter(desa_id__in=desa_ids, periode=periode).exclude(status=Temuan.SELESAI)
    if units is not None:
        old_qs = old_qs.filter(unit__in=units)
    old = {}
    for t in old_qs.only("id", "desa_id", "aturan_id", "unit", "objek_id", "kolom", "status", "keparahan",
                         "pesan", "nilai"):
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


def _per_desa(frames: dict[str, Frame], unit: str, ids: list[int]) -> Counter:
    if unit in frames:
        return Counter(frames[unit].desa_id.tolist())
    model, alive = (Individu, {"status_dasar": HIDUP}) if unit == INDIVIDU else (Keluarga, {"aktif": True})
    return Counter(dict(model.objects.filter(desa_id__in=ids, **alive).values_list("desa_id")
                        .annotate(n=Count("id")).order_by()))


def rekap_simpan(*, desa_list: list[Wilayah], periode: Periode, frames: dict[str, Frame], pengguna=None
                 ) -> dict[int, RekapValidasi]:
    """Store the counts of the run. The dictionary fingerprint is recorded only when every unit's
    stored values were checked (a file of people alone does not vouch for households)."""
    ids = [d.pk for d in desa_list]
    complete = set(frames) >= {INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN}
    counts = _counts(ids, periode)
    people = _per_desa(frames, INDIVIDU, ids)
    families = _per_desa(frames, KELUARGA, ids)
    user = pengguna if getattr(pengguna, "pk", None) else None
    out = {}
    for d in desa_list:
        c = counts[d.pk]
        values = {"jumlah_individu": people.get(d.pk, 0), "jumlah_keluarga": families.get(d.pk, 0),
                  "jumlah_error": c["error"], "jumlah_warning": c["warning"],
                  "warning_belum_dijustifikasi": c["terbuka"], "dijalankan_oleh": user}
        if complete:
            values["kamus_sidik"] = kamus_sidik()
        rekap, _ = RekapValidasi.objects.update_or_create(desa=d, periode=periode, defaults=values)
        out[d.pk] = rekap
    return out


@transaction.atomic
def validasi_jalankan_banyak(*, desa_list: list[Wilayah], periode: Periode, pengguna=None) -> list[RingkasanValidasi]:
    """Run every active rule over the desa's current registry records in one pass (one query
    per unit for all of them) and replace their open findings in the period."""
    start = time.perf_counter()
    aturan_bawaan_sinkron()
    found, frames = _run(desa_list, periode)
    return hasil_simpan(desa_list=desa_list, periode=periode, found=found, frames=frames, pengguna=pengguna,
                        start=start)


def hasil_simpan(*, desa_list: list[Wilayah], periode: Periode, found: list[TemuanBaru], frames: dict[str, Frame],
                 pengguna=None, start: float, units: set[str] | None = None) -> list[RingkasanValidasi]:
    """Store a run's findings per desa (replacing the open ones) and its summary counts.

    ``frames`` must hold every living person and active family of these desa (the counts
    of the summary and the outlier rule's baseline come from them)."""
    by_desa: dict[int, list[TemuanBaru]] = defaultdict(list)
    for t in found:
        by_desa[t.desa_id].append(t)
    changes = {d.pk: temuan_ganti(desa_ids=[d.pk], periode=periode, temuan=by_desa[d.pk], units=units)
               for d in desa_list}
    rekap = rekap_simpan(desa_list=desa_list, periode=periode, frames=frames, pengguna=pengguna)
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
