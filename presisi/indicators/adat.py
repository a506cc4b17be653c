"""Indicators grouped by desa adat (Bali's customary villages), computed on the fly.

Desa adat do not nest in the administrative tree (a desa adat may span several desa dinas, a desa
dinas may hold several desa adat), so their figures cannot be summed from banjar/desa facts. They are
computed from the period's analytic rows, the same rows and the same compiled aggregates the engine
uses, grouped by each family's banjar adat → desa adat (one grouped scan per unit). Families without
a banjar adat form their own group (key ``None``), so the groups always add up to the administrative
totals of the same region.

Only indicators whose numerator and denominator count people or families can be grouped this way;
a household counts with its head's family (any member's when no head is recorded). Building and
desa-level aggregates have no family link and are reported as unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.indicators.analytics.sql import id_list, qn
from presisi.indicators.analytics.tables import TABLE, ensure_table
from presisi.indicators.catalog import build_catalog
from presisi.indicators.engine import _value, compile_plan
from presisi.indicators.models import Indikator
from presisi.indicators.selectors import MIN_CELL, _tandai, is_public, suppress
from presisi.periods.models import Periode
from presisi.periods.terbit import status_data
from presisi.regions.models import DesaAdatDesaDinas, Wilayah, WilayahAdat

UNITS = ("individu", "keluarga", "rumah_tangga")  # units with a family link
KUNCI = "kelompok_adat_"
TANPA = 0  # group key of families without a banjar adat (returned as None)


@dataclass
class Kelompok:
    penduduk: int = 0
    keluarga: int = 0
    rumah_tangga: int = 0
    nilai: dict[int, tuple[float, float, float | None]] = field(default_factory=dict)  # indikator id → num, den, v


@dataclass
class HasilAdat:
    kelompok: dict[int | None, Kelompok]  # desa adat id (None = no banjar adat) → figures
    tidak_tersedia: set[int] = field(default_factory=set)  # indicators that cannot be grouped by desa adat


def _filter(wilayah: Wilayah) -> str:
    if wilayah.kedalaman >= 5:
        return f"t.banjar_id = {int(wilayah.pk)}"
    desa = list(Wilayah.objects.within(wilayah.kode).desa_kelurahan().values_list("id", flat=True))
    return f"t.desa_id IN {id_list(desa)}"


def _family_join(unit: str, pid: int) -> str:
    """SQL joining a unit's analytic row ``t`` to its family ``k`` in the registry."""
    if unit == "individu":
        return "LEFT JOIN registry_keluarga k ON k.id = t.keluarga_id"
    if unit == "keluarga":
        return "LEFT JOIN registry_keluarga k ON k.id = t.record_id"
    heads = ("COALESCE(MIN(CASE WHEN hubungan_rumah_tangga = 1 THEN keluarga_id END), MIN(keluarga_id))"
             if any(c.name == "hubungan_rumah_tangga" for c in ensure_table("individu")) else "MIN(keluarga_id)")
    return (f"LEFT JOIN (SELECT rumah_tangga_id AS rt_, {heads} AS kk_ FROM {qn(TABLE['individu'])} "
            f"WHERE periode_id = {int(pid)} AND rumah_tangga_id IS NOT NULL GROUP BY rumah_tangga_id) m "
            f"ON m.rt_ = t.record_id LEFT JOIN registry_keluarga k ON k.id = m.kk_")


def _scan(unit: str, sqls: list[str], pid: int, where: str) -> dict[int, list[float]]:
    """group key → [row count, aggregate…] for one unit's analytic rows."""
    ensure_table(unit)
    inner = (f"SELECT t.*, COALESCE(ba.induk_id, {TANPA}) AS {KUNCI} FROM {qn(TABLE[unit])} t "
             f"{_family_join(unit, pid)} "
             f"LEFT JOIN regions_wilayahadat ba ON ba.id = k.banjar_adat_id "
             f"WHERE t.periode_id = {int(pid)} AND {where}")
    select = ", ".join([KUNCI, "COUNT(*)", *sqls])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM ({inner}) t GROUP BY {KUNCI}")
        rows = cursor.fetchall()
    return {int(r[0]): [float(v or 0) for v in r[1:]] for r in rows}


def nilai_per_desa_adat(*, periode: Periode, indikator: list[Indikator], wilayah: Wilayah) -> HasilAdat:
    """Population, families and each indicator's numerator/denominator/value per desa adat within ``wilayah``."""
    plan = compile_plan([i for i in indikator if i.jenis == Indikator.RASIO], build_catalog(periode.tanggal_referensi))
    where = _filter(wilayah)
    scans = {unit: _scan(unit, plan.aggregates.get(unit, []), periode.pk, where) for unit in UNITS}
    keys = sorted(set().union(*scans.values()))
    hasil = HasilAdat({(None if g == TANPA else g): Kelompok() for g in keys})
    for g in keys:
        k = hasil.kelompok[None if g == TANPA else g]
        k.penduduk = int(scans["individu"].get(g, [0])[0])
        k.keluarga = int(scans["keluarga"].get(g, [0])[0])
        k.rumah_tangga = int(scans["rumah_tangga"].get(g, [0])[0])
    ok = {ci.indikator.pk for ci in plan.indicators if {u for _, u, _ in ci.num + ci.den} <= set(UNITS)}
    hasil.tidak_tersedia = {i.pk for i in indikator} - ok
    for ci in plan.indicators:
        if ci.indikator.pk not in ok:
            continue
        for g in keys:
            num = sum(coef * _agg(scans[unit], g, idx) for coef, unit, idx in ci.num)
            den = sum(coef * _agg(scans[unit], g, idx) for coef, unit, idx in ci.den)
            hasil.kelompok[None if g == TANPA else g].nilai[ci.indikator.pk] = (num, den, _value(ci.indikator, num,
                                                                                                  den))
    return hasil


def _agg(scan: dict[int, list[float]], g: int, idx: int) -> float:
    row = scan.get(g)
    return row[idx + 1] if row else 0.0  # +1: the row count comes first


def nilai_rasio(ind: Indikator, num: float, den: float) -> float | None:
    """An indicator's value from summed numerator and denominator (the engine's formula)."""
    return _value(ind, num, den)


KOLOM_ADAT = [("kode", "Kode desa adat"), ("nama", "Desa adat"), ("desa_dinas", "Desa dinas"),
              ("penduduk", "Penduduk"), ("keluarga", "Keluarga"), ("pembilang", "Pembilang"),
              ("penyebut", "Penyebut"), ("nilai", "Nilai"), ("status_data", "Status data")]


def nama_desa_adat(ids: list[int], wilayah: Wilayah) -> dict[int, tuple[str, str, str]]:
    """desa adat id → (code, name, its desa dinas inside ``wilayah`` — "(sebagian)" when it spans beyond)."""
    out: dict[int, tuple[str, str, list[str], bool]] = {}
    rows = (DesaAdatDesaDinas.objects.filter(desa_adat_id__in=ids).select_related("desa_adat", "desa")
            .only("desa_adat__kode", "desa_adat__nama", "desa__kode", "desa__nama").order_by("desa__kode"))
    for m in rows:
        kode, nama, desa, partial = out.get(m.desa_adat_id, (m.desa_adat.kode, m.desa_adat.nama, [], False))
        inside = m.desa.kode == wilayah.kode or m.desa.kode.startswith(wilayah.kode + ".") \
            or wilayah.kode.startswith(m.desa.kode + ".")
        out[m.desa_adat_id] = (kode, nama, [*desa, m.desa.nama] if inside else desa, partial or not inside)
    missing = set(ids) - out.keys()  # a desa adat left without a mapping still keeps its families' figures
    for w in WilayahAdat.objects.filter(pk__in=missing):
        out[w.pk] = (w.kode, w.nama, [], False)
    sebagian = _("sebagian")
    part = f" ({sebagian})"
    return {i: (k, n, ", ".join(d) + (part if p else "")) for i, (k, n, d, p) in out.items()}


def nilai_desa_adat(*, indikator: Indikator, periode: Periode, induk: str | None = None, user=None,
                    publik: bool | None = None, sementara: bool = False) -> list[dict[str, Any]]:
    """One indicator per desa adat within region ``induk`` (default: the regency), for the API and CLI.

    Rows follow the value rows of ``nilai_list``: small cells suppressed for the public, values of a
    region not yet published withheld (the groups cut across desa, so the whole region must be published).
    The last row, ``kode`` empty, holds the families without a banjar adat (only when there are any).
    """
    wilayah = (Wilayah.objects.defer("geometri").filter(kode=induk).first() if induk
               else Wilayah.objects.defer("geometri").filter(kedalaman=2).order_by("kode").first())
    if wilayah is None:
        raise ValidationFailed("Wilayah tidak dikenal.", [Finding(rule="induk", column="induk", value=induk,
                                                                  message="kode wilayah tidak ada")])
    hasil = nilai_per_desa_adat(periode=periode, indikator=[indikator], wilayah=wilayah)
    names = nama_desa_adat([g for g in hasil.kelompok if g is not None], wilayah)
    public = is_public(user, publik)
    status = status_data([periode.pk])
    boleh_sementara = sementara and not is_public(user)
    rows = []
    for g in sorted(hasil.kelompok, key=lambda g: (g is None, names.get(g, ("",))[0])):
        k = hasil.kelompok[g]
        num, den, value = k.nilai.get(indikator.pk, (None, None, None))
        kode, nama, dinas = names[g] if g is not None else ("", _("Belum ditetapkan banjar adatnya"), "")
        row = {"kode": kode, "nama": nama, "tingkat": "desa_adat" if g is not None else "", "desa_dinas": dinas,
               "penduduk": k.penduduk, "keluarga": k.keluarga, "pembilang": num, "penyebut": den,
               "nilai": None if value is None else round(value, indikator.desimal), "kelas": "",
               "disagregasi": "total"}
        if num is not None:
            row = suppress(row, public, indikator)
        for c in ("penduduk", "keluarga"):
            if public and 0 < row[c] < MIN_CELL:
                row[c] = None
        rows.append(_tandai(row, status, periode.pk, wilayah.kode, boleh_sementara))
    return rows
