"""How well each program reaches the people it is meant for (targeting accuracy).

For a program and a period: the *eligible* units are those that satisfy the eligibility rule in force
on the period's reference date (``AturanKelayakan``, an indicator-language condition evaluated over
the period's analytics store); the *recipients* are the linked rows (``tertaut``) of the latest
accepted delivery of every dataset of that program (``DatasetSektor.program``) for the period, each
person mapped to the program's unit (person → keluarga / rumah tangga). Per desa, kecamatan and
kabupaten::

    inclusion error = recipients not eligible / recipients
    exclusion error = eligible not reached / eligible

Set-based: one SQL scan of the unit's analytics table (the rule as a grouped ``CASE``), one of the
person table for mapping, and numpy (``isin``/``bincount``) — no per-row Python over the regency.
Recipients whose unit is not in the period's analytics store (moved/dead before the reference date,
or outside the registry) count as recipients not eligible; unlinked rows (no match / in review) are
counted apart (``tidak_tertaut``) and not in the rates.

Writes here: the rule editor (``aturan_tambah``: analis/admin; a new dated rule is a new row, never an
edit; audited) and ``program_bawaan_muat`` (the standard programs, idempotent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils.translation import gettext as _

from presisi.accounts.access import user_profil
from presisi.accounts.models import ADMIN, ANALIS
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, NotFound, PermissionDenied, ValidationFailed
from presisi.integration.models import TERTAUT, AturanKelayakan, BarisSumber, Pengiriman, Program
from presisi.integration.program_bawaan import BERLAKU_BAWAAN, PROGRAM_BAWAAN
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import Individu

AUDIT_ATURAN_DIBUAT = "integration.sasaran.aturan_dibuat"
AUDIT_PROGRAM_DIMUAT = "integration.sasaran.program_dimuat"
UNIT_PROGRAM = ("individu", "keluarga", "rumah_tangga")
PERAN_PENYUNTING_ATURAN = frozenset({ANALIS, ADMIN})


# ---------------------------------------------------------------- programs and rules


@transaction.atomic
def program_bawaan_muat(*, pengguna=None) -> dict[str, int]:
    """Create the standard programs and, for a program without any rule, its default dated rule."""
    made = {"program": 0, "aturan": 0}
    for p in PROGRAM_BAWAAN:
        program, created = Program.objects.get_or_create(
            kode=p["kode"], defaults={"nama": p["nama"], "unit": p["unit"], "keterangan": p["keterangan"]})
        made["program"] += int(created)
        if not program.aturan.exists():
            AturanKelayakan.objects.create(program=program, ekspresi=p["ekspresi"], berlaku_mulai=BERLAKU_BAWAAN,
                                           catatan=p["catatan"], dibuat_oleh=_user(pengguna))
            made["aturan"] += 1
    if any(made.values()):
        audit_log(aksi=AUDIT_PROGRAM_DIMUAT, pengguna=pengguna, sesudah=made)
    return made


def _user(pengguna):
    return pengguna if getattr(pengguna, "is_authenticated", False) else None


def boleh_ubah_aturan(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    profil = user_profil(user)
    return bool(profil and profil.peran in PERAN_PENYUNTING_ATURAN)


@dataclass(frozen=True)
class AturanTerkompilasi:
    unit_evaluasi: str
    sql: str  # SUM(CASE WHEN <rule> THEN 1 ELSE 0 END) over alias t; grouped per record it is 0 or 1


def kompilasi_aturan(ekspresi: str, unit: str, *, tanggal: dt.date | None = None) -> AturanTerkompilasi:
    """Check and compile a rule (a condition, optionally ``unit: condition``); ``ValidationFailed`` names
    the problem in Bahasa Indonesia."""
    from presisi.indicators.catalog import build_catalog
    from presisi.indicators.expressions import ExpressionError, compile_expression, parse
    from presisi.indicators.expressions.nodes import Count

    text = (ekspresi or "").strip()
    if not text:
        raise ValidationFailed(_("Aturan kelayakan kosong."), [Finding(
            rule="aturan", column="ekspresi", value="", message=_("tulis syarat, mis. desil_dtsen in (1, 2, 3, 4)"))])
    wrapped = f"count({text})"
    try:
        parsed = parse(wrapped)
        if len(parsed.terms) != 1 or not isinstance(parsed.terms[0].aggregate, Count) \
                or parsed.terms[0].aggregate.condition is None:
            raise ValidationFailed(_("Aturan kelayakan harus berupa satu syarat."), [Finding(
                rule="aturan", column="ekspresi", value=text, message=_("contoh: desil_dtsen in (1, 2, 3, 4)"))])
        compiled = compile_expression(wrapped, default_unit=unit, catalog=build_catalog(tanggal),
                                      dialect="postgresql" if connection.vendor == "postgresql" else "sqlite")
    except ExpressionError as exc:
        raise ValidationFailed(_("Aturan kelayakan tidak valid."), [Finding(
            rule="aturan", column="ekspresi", value=text, message=str(exc))]) from exc
    agg = compiled.aggregates[0]
    if agg.unit not in UNIT_PROGRAM:
        raise ValidationFailed(_("Aturan kelayakan tidak valid."), [Finding(
            rule="aturan", column="ekspresi", value=text, message=_("unit aturan harus individu, keluarga atau "
                                                                    "rumah_tangga"))])
    return AturanTerkompilasi(agg.unit, agg.sql)


def aturan_tambah(*, pengguna, program: Program, ekspresi: str, berlaku_mulai: dt.date,
                  catatan: str = "") -> AturanKelayakan:
    """A new dated rule (analis/admin). Earlier rules stay: the rule in force at a period's reference
    date is the latest one starting on or before it."""
    if not boleh_ubah_aturan(pengguna):
        raise PermissionDenied(_("Hanya analis atau admin yang dapat mengubah aturan kelayakan."))
    if berlaku_mulai is None:
        raise ValidationFailed(_("Tanggal berlaku wajib diisi."), [Finding(rule="wajib", column="berlaku_mulai",
                                                                           message=_("isi tanggal mulai berlaku"))])
    kompilasi_aturan(ekspresi, program.unit, tanggal=berlaku_mulai)
    with transaction.atomic():
        aturan = AturanKelayakan.objects.create(program=program, ekspresi=ekspresi.strip(), berlaku_mulai=berlaku_mulai,
                                                catatan=catatan.strip()[:2000], dibuat_oleh=_user(pengguna))
        audit_log(aksi=AUDIT_ATURAN_DIBUAT, objek=aturan, pengguna=pengguna,
                  sesudah={"program": program.kode, "ekspresi": aturan.ekspresi,
                           "berlaku_mulai": berlaku_mulai.isoformat(), "catatan": aturan.catatan})
    return aturan


def aturan_berlaku(program: Program, tanggal: dt.date) -> AturanKelayakan | None:
    return (AturanKelayakan.objects.filter(program=program, berlaku_mulai__lte=tanggal)
            .order_by("-berlaku_mulai", "-id").first())


# ---------------------------------------------------------------- computing


@dataclass
class Unit:
    """The program unit's rows of the period: ids, desa, eligibility."""

    ids: np.ndarray
    desa: np.ndarray
    layak: np.ndarray


@dataclass
class Penerima:
    unit_ids: np.ndarray  # distinct program units that received
    unit_desa: np.ndarray  # desa of each (analytics, else registry, else the source row)
    baris: dict[int, list[int]] = field(default_factory=dict)  # unit id → source row numbers
    tidak_tertaut: dict[int | None, int] = field(default_factory=dict)  # desa id → unlinked rows


@dataclass
class HasilSasaran:
    program: Program
    periode: Periode
    aturan: AturanKelayakan | None
    pengiriman: list[Pengiriman]
    unit: Unit | None
    penerima: Penerima | None
    per_desa: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def ada_penerima(self) -> bool:
        return bool(self.pengiriman)


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _arr(rows: list[tuple], i: int) -> np.ndarray:
    return np.fromiter((r[i] if r[i] is not None else -1 for r in rows), dtype=np.int64, count=len(rows))


def _unit_layak(program: Program, periode: Periode, aturan: AturanKelayakan) -> Unit:
    from presisi.indicators.analytics.sql import qn
    from presisi.indicators.analytics.tables import TABLE, ensure_table

    rule = kompilasi_aturan(aturan.ekspresi, program.unit, tanggal=periode.tanggal_referensi)
    ensure_table(rule.unit_evaluasi)
    ensure_table(program.unit)
    table = qn(TABLE[rule.unit_evaluasi])
    if rule.sql.startswith("SUM(CASE WHEN ") and rule.sql.endswith(" THEN 1 ELSE 0 END)"):
        # the compiler's count(cond) is SUM(<0/1 flag>): the flag itself needs no GROUP BY (2.5x faster)
        flags = _rows(f"SELECT record_id, desa_id, {rule.sql[4:-1]} FROM {table} t WHERE periode_id = %s",
                      [periode.pk])
    else:
        flags = _rows(f"SELECT record_id, desa_id, {rule.sql} FROM {table} t WHERE periode_id = %s "
                      f"GROUP BY record_id, desa_id", [periode.pk])
    elig_eval = np.array(sorted(r[0] for r in flags if r[2]), dtype=np.int64)
    if rule.unit_evaluasi == program.unit:
        ids, desa = _arr(flags, 0), _arr(flags, 1)
        return Unit(ids, desa, np.isin(ids, elig_eval))
    # map through the period's people: a person carries its keluarga and rumah tangga
    people = _rows(f"SELECT record_id, keluarga_id, rumah_tangga_id, desa_id FROM {qn(TABLE['individu'])} "
                   f"WHERE periode_id = %s", [periode.pk])
    if program.unit == "individu":  # the people are the universe: one scan, not two
        ids, desa = _arr(people, 0), _arr(people, 3)
    else:
        universe = _rows(f"SELECT record_id, desa_id FROM {qn(TABLE[program.unit])} WHERE periode_id = %s",
                         [periode.pk])
        ids, desa = _arr(universe, 0), _arr(universe, 1)
    col = {"individu": 0, "keluarga": 1, "rumah_tangga": 2}
    eval_of_person, unit_of_person = _arr(people, col[rule.unit_evaluasi]), _arr(people, col[program.unit])
    # a unit is eligible when it holds (or belongs to) an eligible evaluation unit
    eligible_units = np.unique(unit_of_person[np.isin(eval_of_person, elig_eval)])
    return Unit(ids, desa, np.isin(ids, eligible_units))


def _pengiriman_program(program: Program, periode: Periode) -> list[Pengiriman]:
    out = []
    kirim = Pengiriman.objects.filter(dataset__program=program.kode, periode=periode, status=Pengiriman.DITERIMA)
    for ds_id in kirim.values_list("dataset_id", flat=True).distinct():
        out.append(kirim.filter(dataset_id=ds_id).select_related("dataset").order_by("-versi").first())
    return out


def _penerima(program: Program, periode: Periode, pengiriman: list[Pengiriman], unit: Unit) -> Penerima:
    from presisi.indicators.analytics.sql import id_list, qn
    from presisi.indicators.analytics.tables import TABLE

    rows = list(BarisSumber.objects.filter(pengiriman__in=pengiriman)
                .values_list("baris", "status_tautan", "individu_id", "desa_id"))
    tidak: dict[int | None, int] = {}
    linked = [(b, i, d) for b, s, i, d in rows if s == TERTAUT and i]
    for _b, s, i, d in rows:
        if not (s == TERTAUT and i):
            tidak[d] = tidak.get(d, 0) + 1
    person_ids = np.array(sorted({i for _, i, _ in linked}), dtype=np.int64)
    col = {"individu": "record_id", "keluarga": "keluarga_id", "rumah_tangga": "rumah_tangga_id"}[program.unit]
    mapped: dict[int, tuple[int, int]] = {}
    for start in range(0, len(person_ids), 5000):  # only the recipients' rows of the period's people
        chunk = person_ids[start:start + 5000].tolist()
        for rec, u, d in _rows(f"SELECT record_id, {col}, desa_id FROM {qn(TABLE['individu'])} "
                               f"WHERE periode_id = %s AND record_id IN {id_list(chunk)}", [periode.pk]):
            mapped[rec] = (u, d)
    if len(person_ids):
        missing = [int(p) for p in person_ids if int(p) not in mapped]
        reg_field = {"individu": "id", "keluarga": "keluarga_id", "rumah_tangga": "rumah_tangga_id"}[program.unit]
        for start in range(0, len(missing), 5000):
            for pid, u, d in (Individu.objects.filter(id__in=missing[start:start + 5000])
                              .values_list("id", reg_field, "desa_id")):
                mapped[pid] = (u if u is not None else -pid, d)  # no household: the person stands alone
    unit_desa_known = dict(zip(unit.ids.tolist(), unit.desa.tolist(), strict=True))
    baris: dict[int, list[int]] = {}
    unit_desa: dict[int, int] = {}
    for b, i, d in linked:
        u, d_reg = mapped.get(i, (-i, d))
        baris.setdefault(u, []).append(b)
        unit_desa.setdefault(u, unit_desa_known.get(u, d_reg if d_reg is not None else (d or -1)))
    ids = np.array(sorted(unit_desa), dtype=np.int64)
    return Penerima(ids, np.array([unit_desa[int(u)] for u in ids], dtype=np.int64), baris, tidak)


KOLOM = ("layak", "penerima", "layak_terjangkau", "penerima_tidak_layak", "layak_tidak_terjangkau", "tidak_tertaut")


def sasaran_hitung(*, program: Program, periode: Periode) -> HasilSasaran:
    """Eligible, recipients and errors per desa for one program and period (counts; no personal data)."""
    aturan = aturan_berlaku(program, periode.tanggal_referensi)
    pengiriman = _pengiriman_program(program, periode)
    hasil = HasilSasaran(program, periode, aturan, pengiriman, None, None)
    if aturan is None:
        return hasil
    unit = _unit_layak(program, periode, aturan)
    penerima = _penerima(program, periode, pengiriman, unit)
    hasil.unit, hasil.penerima = unit, penerima
    reached = np.isin(unit.ids, penerima.unit_ids)
    outside = ~np.isin(penerima.unit_ids, unit.ids)  # recipients whose unit is not in the period's registry
    desa_all = np.unique(np.concatenate([unit.desa, penerima.unit_desa]))
    index = {int(d): i for i, d in enumerate(desa_all)}
    ui = np.searchsorted(desa_all, unit.desa)
    pi = np.searchsorted(desa_all, penerima.unit_desa[outside])
    n = len(desa_all)
    layak = np.bincount(ui, weights=unit.layak.astype(float), minlength=n)
    terima = np.bincount(ui, weights=reached.astype(float), minlength=n) + np.bincount(pi, minlength=n)
    kena = np.bincount(ui, weights=(unit.layak & reached).astype(float), minlength=n)
    for d, i in index.items():
        if d < 0:
            continue
        row = {"layak": int(layak[i]), "penerima": int(terima[i]), "layak_terjangkau": int(kena[i])}
        row["penerima_tidak_layak"] = row["penerima"] - row["layak_terjangkau"]
        row["layak_tidak_terjangkau"] = row["layak"] - row["layak_terjangkau"]
        row["tidak_tertaut"] = penerima.tidak_tertaut.get(d, 0)
        hasil.per_desa[d] = row
    for d, k in penerima.tidak_tertaut.items():
        if d is not None and d not in hasil.per_desa:
            hasil.per_desa[d] = {**dict.fromkeys(KOLOM, 0), "tidak_tertaut": k}
    return hasil


def galat(row: dict[str, int]) -> dict[str, float | None]:
    """Inclusion and exclusion error of one count row (None when undefined: no recipients / no eligible)."""
    inklusi = row["penerima_tidak_layak"] / row["penerima"] if row["penerima"] else None
    eksklusi = row["layak_tidak_terjangkau"] / row["layak"] if row["layak"] else None
    return {"inklusi": inklusi, "eksklusi": eksklusi}


def rekap_wilayah(hasil: HasilSasaran) -> dict[str, dict[str, Any]]:
    """Counts and errors for every desa, kecamatan and the kabupaten (kode → row)."""
    desa = {w.pk: w for w in Wilayah.objects.filter(pk__in=list(hasil.per_desa)).select_related("induk__induk")}
    out: dict[str, dict[str, Any]] = {}

    def add(w: Wilayah, row: dict[str, int]) -> None:
        acc = out.setdefault(w.kode, {"kode": w.kode, "nama": w.nama, "kedalaman": w.kedalaman,
                                      "induk": w.induk.kode if w.induk_id else "", **dict.fromkeys(KOLOM, 0)})
        for k in KOLOM:
            acc[k] += row.get(k, 0)

    for pk, row in hasil.per_desa.items():
        w = desa.get(pk)
        if w is None:
            continue
        add(w, row)
        if w.induk_id:
            add(w.induk, row)
            if w.induk.induk_id:
                add(w.induk.induk, row)
    for row in out.values():
        row.update(galat(row))
    return out


def cari_program(kode: str) -> Program:
    program = Program.objects.filter(kode=kode).first()
    if program is None:
        raise NotFound(_("Program '%(kode)s' tidak dikenal.") % {"kode": kode})
    return program
