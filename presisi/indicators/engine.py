"""The indicator engine: compile → one scan per unit → base facts → SQL roll-up → values.

Every indicator is a ratio of sums. Numerators and denominators are linear combinations
of aggregates; all aggregates of a unit are computed in ONE grouped scan of that unit's
analytic table (reference/performance.md: one scan beats one query per indicator by
10×). Base facts are written at banjar level (desa level when a desa-unit aggregate is
involved), then summed upward in SQL, so a kecamatan value is never an average of desa
percentages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from presisi.core.db import bulk_insert
from presisi.indicators.analytics.build import snapshot_build
from presisi.indicators.analytics.sql import id_list, qn
from presisi.indicators.analytics.tables import TABLE
from presisi.indicators.catalog import AnalyticsCatalog, build_catalog
from presisi.indicators.composite import compute_composites
from presisi.indicators.eksternal import nilai_dihitung
from presisi.indicators.expressions import ExpressionError, compile_expression
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah

DISAGG_COLUMNS = {"jenis_kelamin": ("jenis_kelamin", (1, 2)), "kelompok_umur": ("kelompok_umur", (1, 2, 3, 4, 5, 6))}
TOP_DEPTH = 2  # roll up to kabupaten/kota; a province total would mix regencies not loaded


@dataclass
class CompiledIndicator:
    indikator: Indikator
    num: list[tuple[float, str, int]]  # (coefficient, unit, aggregate index within the unit)
    den: list[tuple[float, str, int]]
    base_depth: int  # 5 = banjar, 4 = desa
    disaggs: list[str]


@dataclass
class Plan:
    indicators: list[CompiledIndicator] = field(default_factory=list)
    aggregates: dict[str, list[str]] = field(default_factory=dict)  # unit → SQL aggregate fragments
    errors: dict[str, str] = field(default_factory=dict)

    def index_of(self, unit: str, sql: str) -> int:
        sqls = self.aggregates.setdefault(unit, [])
        if sql not in sqls:
            sqls.append(sql)
        return sqls.index(sql)


def compile_plan(indicators: list[Indikator], catalog: AnalyticsCatalog) -> Plan:
    """Compile every ratio indicator; aggregates shared by several indicators are computed once."""
    plan = Plan()
    dialect = connection.vendor
    for ind in indicators:
        if ind.jenis != Indikator.RASIO:
            continue
        try:
            num = compile_expression(ind.pembilang, default_unit=ind.unit, catalog=catalog, dialect=dialect)
            den = compile_expression(ind.penyebut, default_unit=ind.unit, catalog=catalog, dialect=dialect)
        except ExpressionError as exc:
            plan.errors[ind.kode] = str(exc)
            continue
        terms = {}
        for side, expr in (("num", num), ("den", den)):
            terms[side] = [(float(coef), agg.unit, plan.index_of(agg.unit, agg.sql)) for coef, agg in expr.terms]
        units = {u for _, u, _ in terms["num"] + terms["den"]}
        only_people = units == {"individu"}
        disaggs = [d for d in (ind.disagregasi or []) if d in DISAGG_COLUMNS] if only_people else []
        plan.indicators.append(CompiledIndicator(ind, terms["num"], terms["den"], 4 if "desa" in units else 5,
                                                 disaggs))
    return plan


@dataclass
class Cells:
    """Per-unit aggregate sums: rows are banjar (or desa for the desa unit) × disaggregation cell."""

    region_ids: np.ndarray
    matrix: np.ndarray  # rows × aggregates
    disagg: dict[str, np.ndarray] = field(default_factory=dict)  # disagg column → value per row


def _scan(unit: str, sqls: list[str], pid: int, desa: list[int]) -> Cells:
    group = ["desa_id"] if unit == "desa" else ["banjar_id"]
    if unit == "individu":
        group += [DISAGG_COLUMNS[d][0] for d in DISAGG_COLUMNS]
    select = ", ".join(group + sqls)
    sql = (f"SELECT {select} FROM {qn(TABLE[unit])} t WHERE t.periode_id = {pid} AND t.desa_id IN {id_list(desa)} "
           f"GROUP BY {', '.join(group)}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    n_group = len(group)
    if not rows:
        return Cells(np.zeros(0, dtype=np.int64), np.zeros((0, len(sqls))))
    data = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    cells = Cells(data[:, 0].astype(np.int64), np.nan_to_num(data[:, n_group:]))
    for i, name in enumerate(list(DISAGG_COLUMNS)[: n_group - 1], start=1):
        cells.disagg[name] = data[:, i]
    return cells


def _sum_by(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, inverse = np.unique(keys, return_inverse=True)
    out = np.zeros((len(uniq), values.shape[1]))
    np.add.at(out, inverse, values)
    return uniq, out


def _combine(terms, per_unit: dict[str, tuple[np.ndarray, np.ndarray]], regions: np.ndarray) -> np.ndarray:
    """Σ coefficient × aggregate, aligned on ``regions`` (sorted ids; a unit missing a region adds 0)."""
    total = np.zeros(len(regions))
    for coef, unit, idx in terms:
        ids, mat = per_unit[unit]
        pos = np.searchsorted(ids, regions)
        pos_clipped = np.minimum(pos, max(len(ids) - 1, 0))
        present = (pos < len(ids)) & (ids[pos_clipped] == regions) if len(ids) else np.zeros(len(regions), bool)
        col = np.where(present, mat[pos_clipped, idx] if len(ids) else 0.0, 0.0)
        total += coef * col
    return total


def _base_facts(plan: Plan, cells: dict[str, Cells], banjar_to_desa: dict[int, int], pid: int, now) -> list[tuple]:
    facts: list[tuple] = []
    banjar_level: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    desa_level: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for unit, c in cells.items():
        if unit == "desa":
            desa_level[unit] = (c.region_ids, c.matrix)
            continue
        banjar_level[unit] = _sum_by(c.region_ids, c.matrix)
        desa_keys = np.array([banjar_to_desa.get(int(b), -1) for b in banjar_level[unit][0]])
        desa_level[unit] = _sum_by(desa_keys, banjar_level[unit][1]) if len(desa_keys) else banjar_level[unit]
    for ci in plan.indicators:
        level = banjar_level if ci.base_depth == 5 else desa_level
        units = {u for _, u, _ in ci.num + ci.den}
        if not units <= level.keys():
            continue
        regions = np.unique(np.concatenate([level[u][0] for u in units]))
        regions = regions[regions >= 0]
        num, den = _combine(ci.num, level, regions), _combine(ci.den, level, regions)
        for r, n, d in zip(regions, num, den, strict=True):
            facts.append((pid, ci.indikator.pk, int(r), ci.base_depth, "total", float(n), float(d),
                          _value(ci.indikator, n, d), "", now))
        facts += _disagg_facts(ci, cells["individu"] if ci.disaggs else None, banjar_to_desa, pid, now)
    return facts


def _disagg_facts(ci: CompiledIndicator, c: Cells | None, banjar_to_desa, pid, now) -> list[tuple]:
    if c is None:
        return []
    out = []
    for name in ci.disaggs:
        for value in DISAGG_COLUMNS[name][1]:
            mask = c.disagg[name] == value
            if not mask.any():
                continue
            ids = c.region_ids[mask]
            if ci.base_depth == 4:
                ids = np.array([banjar_to_desa.get(int(b), -1) for b in ids])
            per_unit = {"individu": _sum_by(ids, c.matrix[mask])}
            regions = per_unit["individu"][0]
            num, den = _combine(ci.num, per_unit, regions), _combine(ci.den, per_unit, regions)
            key = f"{name}:{value}"
            out += [(pid, ci.indikator.pk, int(r), ci.base_depth, key, float(n), float(d),
                     _value(ci.indikator, n, d), "", now)
                    for r, n, d in zip(regions, num, den, strict=True) if r >= 0 and (n or d)]
    return out


FACT_COLUMNS = list(NilaiIndikator.KOLOM_FAKTA)


def _value(ind: Indikator, num: float, den: float) -> float | None:
    """value = (numerator + constant) × scale / (denominator + constant); the SQL roll-up mirrors it."""
    den_total = float(den) + ind.konstanta_penyebut
    return (float(num) + ind.konstanta_pembilang) * ind.skala / den_total if den_total else None


def _rollup(pid: int, indicator_ids: list[int], parent_ids: list[int], child_depth: int, now) -> None:
    """Parents' numerator and denominator = sums over their children (ratio of sums); value computed inline."""
    if not parent_ids:
        return
    fact, ind = qn(NilaiIndikator._meta.db_table), qn(Indikator._meta.db_table)
    num, den = "SUM(f.pembilang)", "SUM(f.penyebut)"
    value = (f"CASE WHEN {den} + i.konstanta_penyebut <> 0 THEN ({num} + i.konstanta_pembilang) * i.skala "
             f"/ ({den} + i.konstanta_penyebut) END")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {fact} ({', '.join(FACT_COLUMNS)}) "
            f"SELECT f.periode_id, f.indikator_id, w.induk_id, {child_depth - 1}, f.disagregasi, {num}, {den}, "
            f"{value}, '', %s FROM {fact} f JOIN regions_wilayah w ON w.id = f.wilayah_id "
            f"JOIN {ind} i ON i.id = f.indikator_id "
            f"WHERE f.periode_id = {pid} AND f.kedalaman = {child_depth} "
            f"AND f.indikator_id IN {id_list(indicator_ids)} AND w.induk_id IN {id_list(parent_ids)} "
            f"GROUP BY f.periode_id, f.indikator_id, w.induk_id, f.disagregasi, i.konstanta_pembilang, "
            f"i.konstanta_penyebut, i.skala",
            [now],
        )


@dataclass
class HitungResult:
    periode: str
    indikator: int
    desa: int
    fakta: int
    detik: dict[str, float]
    galat: dict[str, str]

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _affected_regions(desa: list[int]) -> dict[int, list[int]]:
    """depth → region ids touched when these desa change (their banjar and all ancestors)."""
    out: dict[int, set[int]] = {5: set(Wilayah.objects.filter(induk_id__in=desa).values_list("id", flat=True)),
                                4: set(desa)}
    current = set(desa)
    for depth in (3, 2):
        current = set(Wilayah.objects.filter(id__in=current).values_list("induk_id", flat=True)) - {None}
        out[depth] = current
    return {d: sorted(ids) for d, ids in out.items()}


@transaction.atomic
def hitung_indikator(*, periode: Periode, desa: list[int] | None = None, kode: list[str] | None = None,
                     bangun_snapshot: bool = True) -> HitungResult:
    """Compute indicators for a period: all desa (default) or only ``desa`` and their parents.

    ``bangun_snapshot=False`` reuses the period's analytic rows as they are (e.g. to recompute
    after an indicator definition changed, without re-reading the registry).
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    fact_qs = NilaiIndikator.objects.filter(periode=periode)
    all_desa = list(Wilayah.objects.desa_kelurahan().values_list("id", flat=True))
    target = sorted(set(desa) & set(all_desa)) if desa is not None and fact_qs.exists() else all_desa
    if bangun_snapshot:
        snapshot_build(periode=periode, desa_ids=target)
    timings["snapshot"] = time.perf_counter() - t0

    indicators = list(Indikator.objects.filter(aktif=True, **({"kode__in": kode} if kode else {})))
    plan = compile_plan(indicators, build_catalog(periode.tanggal_referensi))
    t1 = time.perf_counter()
    cells = {unit: _scan(unit, sqls, periode.pk, target) for unit, sqls in plan.aggregates.items()}
    timings["scan"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    now = timezone.now()
    banjar_to_desa = dict(Wilayah.objects.banjar().filter(induk_id__in=target).values_list("id", "induk_id"))
    facts = _base_facts(plan, cells, banjar_to_desa, periode.pk, now)
    affected = _affected_regions(target)
    ids = [ci.indikator.pk for ci in plan.indicators]
    all_regions = [r for depth in affected.values() for r in depth]
    # external indicators' values are written by their provider (the signal below), never deleted here
    fact_qs.filter(indikator_id__in=[i.pk for i in indicators if i.jenis != Indikator.EKSTERNAL],
                   wilayah_id__in=all_regions).delete()
    bulk_insert(NilaiIndikator._meta.db_table, FACT_COLUMNS, facts)
    banjar_based = [ci.indikator.pk for ci in plan.indicators if ci.base_depth == 5]
    _rollup(periode.pk, banjar_based, affected[4], 5, now)
    for child_depth in (4, 3):
        _rollup(periode.pk, ids, affected[child_depth - 1], child_depth, now)
    composites = [i for i in indicators if i.jenis == Indikator.KOMPOSIT]
    n_comp = compute_composites(periode=periode, indicators=composites, region_ids=all_regions, now=now)
    timings["fakta"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    nilai_dihitung.send(sender=Indikator, periode=periode, desa=target)
    timings["eksternal"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0
    return HitungResult(periode=periode.kode, indikator=len(plan.indicators) + len(composites), desa=len(target),
                        fakta=len(facts) + n_comp,
                        detik={k: round(v, 3) for k, v in timings.items()}, galat=plan.errors)
