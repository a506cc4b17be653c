"""Building a period's analytic rows from the registry (set-based SQL, one statement per unit).

Rows of frozen desa (approved data) are never rebuilt: that keeps every later indicator
of the period reproducible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from presisi.core.exceptions import ValidationFailed
from presisi.indicators.analytics import derived
from presisi.indicators.analytics.sql import (
    age_days,
    age_months,
    age_years,
    date_literal,
    id_list,
    json_number,
    json_text,
    qn,
)
from presisi.indicators.analytics.tables import KEYS, TABLE, UNITS, Column, ensure_table
from presisi.indicators.models import Snapshot
from presisi.indicators.params import parameter_values
from presisi.periods.codes import periode_bounds
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, DataDesa, Peristiwa

LEAVING = (Peristiwa.MATI, Peristiwa.PINDAH_KELUAR, Peristiwa.HILANG, Peristiwa.PERGI)


@dataclass
class BuildResult:
    desa: int
    baris: dict[str, int]


def _extract(col: Column, alias: str) -> str:
    if col.source == "kolom":
        return f"{alias}.{qn(col.name)}"
    return json_number(f"{alias}.atribut", col.name, col.tipe)


def _execute(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _insert(unit: str, cols: list[Column], select_sql: str) -> int:
    names = KEYS[unit] + [c.name for c in cols]
    return _execute(f"INSERT INTO {qn(TABLE[unit])} ({', '.join(qn(n) for n in names)}) {select_sql}")


def _with_params(sql: str, params: dict[str, float]) -> str:
    for key, value in params.items():
        sql = sql.replace("{" + key + "}", repr(float(value)))
    return sql


def _alive_at(ref: dt.date) -> str:
    """Living and resident on the reference date: later departures count, later arrivals do not."""
    later = f"p.tanggal > {date_literal(ref)}"
    left_later = (f"EXISTS (SELECT 1 FROM registry_peristiwa p WHERE p.individu_id = i.id AND p.jenis IN "
                  f"{id_list(LEAVING)} AND {later})")
    came_later = (f"EXISTS (SELECT 1 FROM registry_peristiwa p WHERE p.individu_id = i.id AND p.jenis = "
                  f"{Peristiwa.PINDAH_MASUK} AND {later})")
    return f"((i.status_dasar = {HIDUP} OR {left_later}) AND NOT {came_later})"


def _build_individu(pid: int, ref: dt.date, desa: list[int]) -> int:
    cols = ensure_table("individu")
    computed = {d.name for d in derived.INDIVIDU_COMPUTED} | set(derived.INDIVIDU_DERIVED)
    base_cols = [c for c in cols if c.name not in computed]
    year_ago = ref.replace(year=ref.year - 1) if not (ref.month == 2 and ref.day == 29) else ref - dt.timedelta(365)
    inner = ", ".join(
        [f"{pid} AS periode_id", "i.id AS record_id", "i.banjar_id", "i.desa_id", "i.keluarga_id", "i.rumah_tangga_id"]
        + [f"{_extract(c, 'i')} AS {qn(c.name)}" for c in base_cols]
        + [f"{age_years('i.tanggal_lahir', ref)} AS umur", f"{age_months('i.tanggal_lahir', ref)} AS umur_bulan",
           f"{age_days('i.tanggal_lahir', ref)} AS umur_hari",
           f"CASE WHEN i.tanggal_lahir > {date_literal(year_ago)} THEN 1 ELSE 2 END AS lahir_12_bulan",
           "CAST(NULL AS REAL) AS haz", "CAST(NULL AS REAL) AS waz", "CAST(NULL AS REAL) AS whz"]
    )
    outer = ", ".join(
        KEYS["individu"]
        + [qn(c.name) if c.name not in derived.INDIVIDU_DERIVED else f"{derived.INDIVIDU_DERIVED[c.name][1]}"
           for c in cols]
    )
    sql = (f"SELECT {outer} FROM (SELECT {inner} FROM registry_individu i WHERE i.desa_id IN {id_list(desa)} "
           f"AND i.tanggal_lahir <= {date_literal(ref)} AND {_alive_at(ref)}) base")
    return _insert("individu", cols, sql)


def _fill_zscores(pid: int, ref: dt.date, desa: list[int]) -> int:
    """WHO z-scores for under-fives, at the measurement date (numpy, all children at once)."""
    from presisi.indicators.growth import zscores_many

    sql = (f"SELECT a.record_id, a.jenis_kelamin, i.tanggal_lahir, {json_text('i.atribut', 'tanggal_ukur')}, "
           f"a.berat_badan, a.panjang_tinggi_badan, a.cara_ukur, a.edema FROM {qn(TABLE['individu'])} a "
           f"JOIN registry_individu i ON i.id = a.record_id WHERE a.periode_id = {pid} AND a.umur_bulan < 60 "
           f"AND a.desa_id IN {id_list(desa)} AND (a.berat_badan IS NOT NULL OR a.panjang_tinggi_badan IS NOT NULL)")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    if not rows:
        return 0
    ids, sex, born, measured, weight, height, mode, oedema = zip(*rows, strict=True)
    born_d = np.array([b if isinstance(b, dt.date) else dt.date.fromisoformat(b) for b in born], dtype="datetime64[D]")
    measured_d = np.array([dt.date.fromisoformat(m) if m else ref for m in measured], dtype="datetime64[D]")
    ages = (measured_d - born_d).astype(int)
    res = zscores_many(
        np.asarray(sex, dtype=float), ages,
        np.array([np.nan if w is None else w for w in weight], dtype=float),
        np.array([np.nan if h is None else h for h in height], dtype=float),
        np.where(np.array([m == 1 for m in mode]), "L", np.where(np.array([m == 2 for m in mode]), "H", "")),
        np.array([o == 1 for o in oedema]),
    )

    def clean(z: np.ndarray, flag: np.ndarray) -> list[float | None]:
        return [None if (np.isnan(v) or f) else float(v) for v, f in zip(z, flag, strict=True)]

    params = list(zip(clean(res.haz, res.flag_haz), clean(res.waz, res.flag_waz), clean(res.whz, res.flag_whz),
                      [pid] * len(ids), ids, strict=True))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {qn(TABLE['individu'])} SET haz = %s, waz = %s, whz = %s "
                           "WHERE periode_id = %s AND record_id = %s", params)
    return len(params)


def _member_join(pid: int, desa: list[int], group_col: str, aggregates: dict[str, str]) -> str:
    aggs = ", ".join(f"{expr} AS {qn(name)}" for name, expr in aggregates.items())
    return (f"(SELECT {group_col}, {aggs} FROM {qn(TABLE['individu'])} WHERE periode_id = {pid} "
            f"AND desa_id IN {id_list(desa)} GROUP BY {group_col}) m")


def _build_rumah_tangga(pid: int, desa: list[int], params: dict[str, float]) -> int:
    cols = ensure_table("rumah_tangga")
    member_names = set(derived.RT_MEMBER_AGGREGATES)
    second = set(derived.RT_DERIVED_2)
    first = set(derived.RT_DERIVED)
    base_cols = [c for c in cols if c.name not in member_names | first | second]
    inner = ", ".join(
        [f"{pid} AS periode_id", "r.id AS record_id", "r.banjar_id", "r.desa_id", "r.bangunan_id",
         "CASE WHEN w.tingkat = 'desa' THEN 1 ELSE 2 END AS perdesaan"]
        + [f"{_extract(c, 'r')} AS {qn(c.name)}" for c in base_cols]
        + [f"m.{qn(n)} AS {qn(n)}" for n in derived.RT_MEMBER_AGGREGATES]
    )
    level1 = ", ".join(["b0.*"] + [f"{expr} AS {qn(n)}" for n, (_, expr) in derived.RT_DERIVED.items()])
    names = [c.name for c in cols]
    outer = ", ".join(KEYS["rumah_tangga"] + [derived.RT_DERIVED_2[n][1] if n in second else qn(n) for n in names])
    # MATERIALIZED: without it the planner inlines the large derived expressions into every
    # place that reads them and evaluates them several times per household.
    sql = (f"WITH b0 AS MATERIALIZED (SELECT {inner} FROM registry_rumahtangga r "
           f"JOIN regions_wilayah w ON w.id = r.desa_id "
           f"JOIN {_member_join(pid, desa, 'rumah_tangga_id', derived.RT_MEMBER_AGGREGATES)} "
           f"ON m.rumah_tangga_id = r.id WHERE r.aktif = {_true()} AND r.desa_id IN {id_list(desa)}), "
           f"b1 AS MATERIALIZED (SELECT {level1} FROM b0) SELECT {outer} FROM b1")
    return _insert("rumah_tangga", cols, _with_params(sql, params))


def _true() -> str:
    return "TRUE" if connection.vendor == "postgresql" else "1"


def _build_keluarga(pid: int, desa: list[int]) -> int:
    cols = ensure_table("keluarga")
    member = set(derived.KELUARGA_MEMBER_AGGREGATES)
    select = ", ".join(
        [f"{pid}", "k.id", "k.banjar_id", "k.desa_id"]
        + [f"m.{qn(c.name)}" if c.name in member else _extract(c, "k") for c in cols]
    )
    sql = (f"SELECT {select} FROM registry_keluarga k JOIN "
           f"{_member_join(pid, desa, 'keluarga_id', derived.KELUARGA_MEMBER_AGGREGATES)} ON m.keluarga_id = k.id "
           f"WHERE k.aktif = {_true()} AND k.desa_id IN {id_list(desa)}")
    return _insert("keluarga", cols, sql)


def _build_bangunan(pid: int, desa: list[int]) -> int:
    cols = ensure_table("bangunan")
    select = ", ".join(
        [f"{pid}", "b.id", "b.banjar_id", "b.desa_id"]
        + ["COALESCE(m.n, 0)" if c.name == "jumlah_rumah_tangga" else _extract(c, "b") for c in cols]
    )
    households = (f"(SELECT bangunan_id, COUNT(*) AS n FROM {qn(TABLE['rumah_tangga'])} WHERE periode_id = {pid} "
                  f"AND desa_id IN {id_list(desa)} GROUP BY bangunan_id) m")
    sql = (f"SELECT {select} FROM registry_bangunan b LEFT JOIN {households} ON m.bangunan_id = b.id "
           f"WHERE b.aktif = {_true()} AND b.desa_id IN {id_list(desa)}")
    return _insert("bangunan", cols, sql)


def _build_desa(pid: int, kode_periode: str, desa: list[int]) -> int:
    cols = ensure_table("desa")
    counts = {
        "jumlah_penduduk": "individu", "jumlah_rumah_tangga": "rumah_tangga", "jumlah_keluarga": "keluarga",
    }

    def value(c: Column) -> str:
        if c.name == "luas_km2":
            return "w.luas_km2"
        if c.name in counts:
            return (f"(SELECT COUNT(*) FROM {qn(TABLE[counts[c.name]])} x WHERE x.periode_id = {pid} "
                    f"AND x.desa_id = w.id)")
        return json_number("d.atribut", c.name, c.tipe)

    picks = _desa_data_rows(kode_periode, desa)
    pick = "CASE w.id " + " ".join(f"WHEN {d} THEN {i}" for d, i in picks.items()) + " END" if picks else "NULL"
    select = ", ".join([f"{pid}", "w.id", "w.id"] + [value(c) for c in cols])
    sql = (f"SELECT {select} FROM regions_wilayah w LEFT JOIN registry_datadesa d ON d.id = {pick} "
           f"WHERE w.id IN {id_list(desa)}")
    return _insert("desa", cols, sql)


def _desa_data_rows(kode_periode: str, desa: list[int]) -> dict[int, int]:
    """desa id → the DataDesa row to use: this period's, else the latest period ending before it."""
    ref = periode_bounds(kode_periode)[1]
    best: dict[int, tuple[dt.date, int]] = {}
    for row_id, desa_id, kode in DataDesa.objects.filter(desa_id__in=desa).values_list("id", "desa_id", "periode"):
        try:
            row_ref = periode_bounds(kode)[1]
        except ValidationFailed:
            continue  # a free-text period label cannot be placed in time
        if row_ref <= ref and (desa_id not in best or row_ref > best[desa_id][0]):
            best[desa_id] = (row_ref, row_id)
    return {d: row_id for d, (_, row_id) in best.items()}


def _delete_rows(pid: int, desa: list[int]) -> None:
    for unit in UNITS:
        ensure_table(unit)
        _execute(f"DELETE FROM {qn(TABLE[unit])} WHERE periode_id = {pid} AND desa_id IN {id_list(desa)}")


# Bump when a derived-variable formula changes: every unfrozen snapshot is then rebuilt.
DERIVED_VERSION = "2026.1-3"


def registry_fingerprints(periode: Periode, desa: list[int]) -> dict[int, str]:
    """desa id → a hash of what its analytic rows depend on (row counts and last changes).

    One grouped query per registry table; services and bulk writers keep ``diubah`` current.
    """
    from django.db.models import Count, Max

    from presisi.dictionary.models import Variabel
    from presisi.registry.models import Bangunan, Individu, Keluarga, RumahTangga

    parts: dict[int, list[str]] = {d: [] for d in desa}
    for model in (Individu, Keluarga, RumahTangga, Bangunan, DataDesa):
        rows = (model.objects.filter(desa_id__in=desa).values("desa_id")
                .annotate(n=Count("id"), last=Max("diubah"), top=Max("id")).order_by())
        seen = {r["desa_id"]: f"{r['n']}/{r['top']}/{r['last'].isoformat() if r['last'] else ''}" for r in rows}
        for d in desa:
            parts[d].append(seen.get(d, "-"))
    dictionary = Variabel.objects.aggregate(n=Count("id"), last=Max("id"))
    params = sorted(parameter_values(periode.tanggal_referensi).items())
    common = f"{DERIVED_VERSION}|{periode.tanggal_referensi}|{dictionary}|{params}"
    return {d: hashlib.sha256((common + "|" + "|".join(p)).encode()).hexdigest() for d, p in parts.items()}


@transaction.atomic
def snapshot_build(*, periode: Periode, desa_ids: list[int] | None = None, paksa: bool = False) -> BuildResult:
    """(Re)build the period's analytic rows for the given desa (default: all).

    Frozen desa (approved data) are never rebuilt; desa whose registry rows have not changed
    since their last build are skipped unless ``paksa``.
    """
    all_desa = list(Wilayah.objects.desa_kelurahan().values_list("id", flat=True))
    wanted = set(desa_ids) if desa_ids is not None else set(all_desa)
    snapshots = {s.desa_id: s for s in Snapshot.objects.filter(periode=periode, desa_id__in=wanted)}
    candidates = sorted(d for d in wanted if not (d in snapshots and snapshots[d].beku))
    fingerprints = registry_fingerprints(periode, candidates)
    desa = [d for d in candidates
            if paksa or d not in snapshots or snapshots[d].sidik != fingerprints[d] or not _has_rows(periode, d)]
    if not desa:
        return BuildResult(desa=0, baris={})
    pid, ref = periode.pk, periode.tanggal_referensi
    params = parameter_values(ref)
    _delete_rows(pid, desa)
    baris = {"individu": _build_individu(pid, ref, desa)}
    baris["z_skor"] = _fill_zscores(pid, ref, desa)
    baris["rumah_tangga"] = _build_rumah_tangga(pid, desa, params)
    baris["keluarga"] = _build_keluarga(pid, desa)
    baris["bangunan"] = _build_bangunan(pid, desa)
    baris["desa"] = _build_desa(pid, periode.kode, desa)
    _record_snapshots(periode, desa, fingerprints)
    return BuildResult(desa=len(desa), baris=baris)


def _has_rows(periode: Periode, desa_id: int) -> bool:
    """A Snapshot row can outlive its analytic rows (tables dropped or rebuilt by hand)."""
    ensure_table("individu")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {qn(TABLE['desa'])} WHERE periode_id = %s AND desa_id = %s LIMIT 1",
                       [periode.pk, desa_id])
        return cursor.fetchone() is not None


def _record_snapshots(periode: Periode, desa: list[int], fingerprints: dict[int, str]) -> None:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT desa_id, COUNT(*) FROM {qn(TABLE['individu'])} WHERE periode_id = %s "
                       f"AND desa_id IN {id_list(desa)} GROUP BY desa_id", [periode.pk])
        counts = dict(cursor.fetchall())
    existing = {s.desa_id: s for s in Snapshot.objects.filter(periode=periode, desa_id__in=desa)}
    new, changed = [], []
    for d in desa:
        snap = existing.get(d) or Snapshot(periode=periode, desa_id=d)
        snap.dibangun_pada, snap.jumlah_individu, snap.sidik = now, counts.get(d, 0), fingerprints.get(d, "")
        (changed if d in existing else new).append(snap)
    Snapshot.objects.bulk_create(new)
    Snapshot.objects.bulk_update(changed, ["dibangun_pada", "jumlah_individu", "sidik"])


@transaction.atomic
def snapshot_bekukan(*, periode: Periode, desa: Wilayah) -> None:
    """Freeze a desa's data for a period (final approval): rebuild once more, then never again."""
    Snapshot.objects.filter(periode=periode, desa=desa).update(beku=False)
    snapshot_build(periode=periode, desa_ids=[desa.pk], paksa=True)
    Snapshot.objects.filter(periode=periode, desa=desa).update(beku=True)


@transaction.atomic
def snapshot_cairkan(*, periode: Periode, desa: Wilayah) -> None:
    """Unfreeze after an un-approval; the next computation rebuilds from the registry."""
    Snapshot.objects.filter(periode=periode, desa=desa).update(beku=False)
