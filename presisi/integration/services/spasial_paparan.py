"""Exposure to hazard zones and network length per desa, written as external indicators.

Set-based throughout: the period's people are summed per building in ONE grouped SQL query over
the analytics store (living people of the period, age and the Washington Group disability flag
already derived there), building points come from the registry, and every zone of a hazard is
matched against an STRtree of the points in one vectorised shapely query (the zones are the
query geometries, so shapely prepares them). A building in overlapping zones counts once, in the
highest class. Values reach the dashboards through ``indicators.eksternal`` (fact rows and the
ratio-of-sums roll-up like every other indicator).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db import connection
from shapely.geometry import shape

from presisi.indicators.analytics.tables import TABLE
from presisi.indicators.eksternal import nilai_eksternal_tulis
from presisi.integration.models import FiturSpasial, LapisanSpasial
from presisi.integration.services.spasial_baca import PERINGKAT_KELAS
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import Bangunan

BAHAYA_JENIS = {
    "tsunami": "tsunami",
    "banjir": "banjir",
    "longsor": "tanah longsor",
    "abrasi": "abrasi dan gelombang pasang",
    "gunung_api": "letusan gunung api",
}
UKURAN = {  # measure → (label, the desa total it is a share of)
    "penduduk": "penduduk",
    "balita": "balita (umur < 5 tahun)",
    "lansia": "lansia (umur ≥ 60 tahun)",
    "disabilitas": "penyandang disabilitas",
    "bangunan": "bangunan",
}
JARINGAN = {LapisanSpasial.JALAN: "panjang_jalan_km", LapisanSpasial.AIR: "panjang_jaringan_air_km"}
KELAS_NAMA = {1: "rendah", 2: "sedang", 3: "tinggi"}
AMBANG_INDIKATOR = 2  # the indicator total counts classes sedang–tinggi; each class is a disaggregation


def kode_indikator(ukuran: str, bahaya: str) -> str:
    return f"{ukuran}_terpapar_{bahaya}"


@dataclass
class Paparan:
    """Exposure of one period: per (desa id, hazard, highest class) the five counts; totals per desa."""

    periode: str | None
    sel: dict[tuple[int, str, int], np.ndarray] = field(default_factory=dict)  # counts in UKURAN order
    total: dict[int, np.ndarray] = field(default_factory=dict)
    bahaya: list[str] = field(default_factory=list)
    panjang: dict[str, dict[int, float]] = field(default_factory=dict)  # network kind → desa id → km
    detik: dict[str, float] = field(default_factory=dict)
    bangunan: int = 0
    penduduk: int = 0

    def baris(self) -> list[dict[str, Any]]:
        """One row per desa × hazard × class, with codes and names (for tables, API and CLI)."""
        ids = {d for d, _b, _k in self.sel} | {d for per in self.panjang.values() for d in per}
        names = dict(Wilayah.objects.filter(pk__in=ids).values_list("pk", "kode"))
        nama = dict(Wilayah.objects.filter(pk__in=ids).values_list("pk", "nama"))
        out = []
        for (desa_id, bahaya, kelas), counts in sorted(self.sel.items(), key=lambda kv: (names.get(kv[0][0], ""),
                                                                                         kv[0][1], kv[0][2])):
            row = {"kode_desa": names.get(desa_id), "nama_desa": nama.get(desa_id), "bahaya": bahaya,
                   "kelas": KELAS_NAMA[kelas]}
            row.update({u: int(v) for u, v in zip(UKURAN, counts, strict=True)})
            out.append(row)
        return out


def _tabel_ada(unit: str) -> bool:
    with connection.cursor() as cursor:
        return TABLE[unit] in set(connection.introspection.table_names(cursor))


def _orang_per_bangunan(periode: Periode | None, desa_ids: list[int]) -> tuple[np.ndarray, np.ndarray,
                                                                                dict[int, np.ndarray]]:
    """(building ids, [people, under-fives, elderly, disabled] per building) and desa id → the same totals.

    Two grouped scans without a join (people per household, household → building), matched in numpy:
    on SQLite the joined GROUP BY over 216,000 people is the slow part."""
    empty = np.zeros(0, dtype=np.int64), np.zeros((0, 4), dtype=np.int64), {}
    if periode is None or not desa_ids or not (_tabel_ada("individu") and _tabel_ada("rumah_tangga")):
        return empty
    qn = connection.ops.quote_name
    ind, rt = qn(TABLE["individu"]), qn(TABLE["rumah_tangga"])
    sums = ("COUNT(*), SUM(CASE WHEN umur < 5 THEN 1 ELSE 0 END), SUM(CASE WHEN umur >= 60 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN disabilitas = 1 THEN 1 ELSE 0 END)")
    desa_sql = f"desa_id IN ({', '.join(str(int(d)) for d in desa_ids)})"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rumah_tangga_id, {sums} FROM {ind} WHERE periode_id = %s AND {desa_sql} "
                       f"AND rumah_tangga_id IS NOT NULL GROUP BY rumah_tangga_id", [periode.pk])
        per_rt = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 5)
        cursor.execute(f"SELECT record_id, bangunan_id FROM {rt} WHERE periode_id = %s AND {desa_sql} "
                       f"AND bangunan_id IS NOT NULL", [periode.pk])
        rt_b = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
        cursor.execute(f"SELECT desa_id, {sums} FROM {ind} WHERE periode_id = %s AND {desa_sql} GROUP BY desa_id",
                       [periode.pk])
        per_d = {int(r[0]): np.array(r[1:], dtype=np.int64) for r in cursor.fetchall()}
    if not len(per_rt) or not len(rt_b):
        return empty[0], empty[1], per_d
    order = np.argsort(rt_b[:, 0])
    rt_sorted, b_sorted = rt_b[order, 0], rt_b[order, 1]
    pos = np.minimum(np.searchsorted(rt_sorted, per_rt[:, 0]), len(rt_sorted) - 1)
    found = rt_sorted[pos] == per_rt[:, 0]
    bangunan, inverse = np.unique(b_sorted[pos[found]], return_inverse=True)
    totals = np.zeros((len(bangunan), 4), dtype=np.int64)
    np.add.at(totals, inverse, per_rt[found, 1:])
    return bangunan, totals, per_d


def _zona(bahaya: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """hazard → (zone geometries, class rank) over every hazard layer of that hazard."""
    rows = (FiturSpasial.objects.filter(lapisan__jenis=LapisanSpasial.BAHAYA, lapisan__bahaya__in=bahaya)
            .values_list("lapisan__bahaya", "geometri", "kelas"))
    geoms: dict[str, list] = defaultdict(list)
    ranks: dict[str, list] = defaultdict(list)
    for b, g, kelas in rows:
        geoms[b].append(shape(g))
        ranks[b].append(PERINGKAT_KELAS.get(kelas, 1))
    return {b: (np.array(geoms[b], dtype=object), np.array(ranks[b], dtype=np.int64)) for b in geoms}


def _desa_target(desa: list[int] | None) -> list[int]:
    qs = Wilayah.objects.desa_kelurahan()
    if desa is not None:
        qs = qs.filter(pk__in=desa)
    return list(qs.values_list("pk", flat=True))


def hitung_paparan(*, periode: Periode | None, desa: list[int] | None = None) -> Paparan:
    """Exposure (and network length) for a period, for all desa or only these desa ids."""
    t0 = time.perf_counter()
    target = _desa_target(desa)
    bahaya = sorted(set(LapisanSpasial.objects.filter(jenis=LapisanSpasial.BAHAYA, bahaya__in=list(BAHAYA_JENIS))
                        .values_list("bahaya", flat=True)))
    hasil = Paparan(periode.kode if periode else None, bahaya=bahaya)
    b = (Bangunan.objects.filter(aktif=True, desa_id__in=target, lat__isnull=False, lng__isnull=False)
         .values_list("pk", "desa_id", "lng", "lat"))
    arr = np.array(list(b), dtype=float).reshape(-1, 4)
    bid, bdesa = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64)
    hasil.bangunan = len(bid)
    b_ids, b_counts, per_d = _orang_per_bangunan(periode, target)
    hasil.detik["baca"] = time.perf_counter() - t0
    # counts per building in UKURAN order: people, under-fives, elderly, disabled, the building itself
    counts = np.zeros((len(bid), 5), dtype=np.int64)
    counts[:, 4] = 1
    if len(b_ids) and len(bid):
        pos = np.minimum(np.searchsorted(b_ids, bid), len(b_ids) - 1)
        hit = b_ids[pos] == bid
        counts[hit, :4] = b_counts[pos[hit]]
    hasil.penduduk = int(counts[:, 0].sum())
    for d in target:
        tot = per_d.get(d, np.zeros(4, dtype=np.int64))
        hasil.total[d] = np.append(tot, int((bdesa == d).sum()))
    t1 = time.perf_counter()
    if bahaya and len(bid):
        tree = shapely.STRtree(shapely.points(arr[:, 2], arr[:, 3]))
        for nama, (zones, ranks) in _zona(bahaya).items():
            zi, pi = tree.query(zones, predicate="intersects")
            best = np.zeros(len(bid), dtype=np.int64)
            np.maximum.at(best, pi, ranks[zi])
            for kelas in (1, 2, 3):
                mask = best == kelas
                if not mask.any():
                    continue
                keys, inv = np.unique(bdesa[mask], return_inverse=True)
                sums = np.zeros((len(keys), 5), dtype=np.int64)
                np.add.at(sums, inv, counts[mask])
                for d, row in zip(keys, sums, strict=True):
                    hasil.sel[(int(d), nama, kelas)] = row
    hasil.detik["zona"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    hasil.panjang = panjang_jaringan(target)
    hasil.detik["jaringan"] = time.perf_counter() - t2
    hasil.detik["total"] = time.perf_counter() - t0
    hasil.detik = {k: round(v, 3) for k, v in hasil.detik.items()}
    return hasil


def panjang_jaringan(desa_ids: list[int]) -> dict[str, dict[int, float]]:
    """network kind → desa id → km of line inside the desa boundary (geodesic length on WGS84)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    out: dict[str, dict[int, float]] = {}
    batas = [(pk, shape(g)) for pk, g in Wilayah.objects.filter(pk__in=desa_ids, geometri__isnull=False)
             .values_list("pk", "geometri")]
    for jenis in JARINGAN:
        lines = [shape(g) for g in FiturSpasial.objects.filter(lapisan__jenis=jenis).values_list("geometri",
                                                                                                  flat=True)]
        if not lines:
            continue
        tree = shapely.STRtree(lines)
        per: dict[int, float] = {}
        for pk, poly in batas:
            poly = poly if poly.is_valid else shapely.make_valid(poly)
            km = 0.0
            for idx in tree.query(poly, predicate="intersects"):
                part = shapely.intersection(lines[idx], poly)
                if not part.is_empty:
                    km += geod.geometry_length(part) / 1000
            per[pk] = round(km, 3)
        out[jenis] = per
    return out


def nilai_indikator(p: Paparan) -> dict[str, dict[tuple[int, str], tuple[float, float]]]:
    """The external indicators' desa values: exposed (classes sedang–tinggi) / desa total, per class too."""
    nilai: dict[str, dict[tuple[int, str], tuple[float, float]]] = {}
    for bahaya in p.bahaya:
        for j, ukuran in enumerate(UKURAN):
            per: dict[tuple[int, str], tuple[float, float]] = {}
            for d, tot in p.total.items():
                exposed = sum(int(p.sel[(d, bahaya, k)][j]) for k in (2, 3) if (d, bahaya, k) in p.sel)
                per[(d, "total")] = (exposed, int(tot[j]))
                for k, kelas in KELAS_NAMA.items():
                    cell = p.sel.get((d, bahaya, k))
                    if cell is not None:
                        per[(d, f"kelas:{kelas}")] = (int(cell[j]), int(tot[j]))
            nilai[kode_indikator(ukuran, bahaya)] = per
    for jenis, kode in JARINGAN.items():
        if jenis in p.panjang:
            nilai[kode] = {(d, "total"): (km, 0.0) for d, km in p.panjang[jenis].items()}
    return nilai


def paparan_simpan(*, periode: Periode | None, desa: list[int] | None = None) -> Paparan:
    """Compute exposure for a period and write it as indicator values (nothing when there is no period)."""
    p = hitung_paparan(periode=periode, desa=desa)
    if periode is not None:
        t = time.perf_counter()
        nilai_eksternal_tulis(periode=periode, nilai=nilai_indikator(p), desa=list(p.total))
        p.detik["tulis"] = round(time.perf_counter() - t, 3)
    return p


def saat_indikator_dihitung(sender, *, periode: Periode, desa: list[int], **kwargs) -> None:
    """Receiver of ``indicators.eksternal.nilai_dihitung``: recompute exposure for the same desa."""
    if LapisanSpasial.objects.exists():
        paparan_simpan(periode=periode, desa=desa)
