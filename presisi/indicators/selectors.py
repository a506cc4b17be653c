"""Reads of indicators: catalogue, values by level and period, a region's profile.

Unauthenticated readers see public indicators only, and any value whose numerator or
denominator is below ``MIN_CELL`` is suppressed (small-cell disclosure control).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.db.models import QuerySet

from presisi.core.exceptions import Finding, NotFound, ValidationFailed
from presisi.core.i18n import teks
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.periods.models import Periode
from presisi.periods.terbit import StatusData, status_data
from presisi.regions.codes import DEPTH
from presisi.regions.models import Wilayah

MIN_CELL = 5
LEVELS = {"kabupaten": 2, "kota": 2, "kecamatan": 3, "desa": 4, "kelurahan": 4, "banjar": 5}


def is_public(user, publik: bool | None = None) -> bool:
    """Public = unauthenticated, unless the caller (e.g. the operator's CLI) says otherwise."""
    return (not getattr(user, "is_authenticated", False)) if publik is None else publik


def indikator_list(*, user=None, tema: str | None = None, publik: bool | None = None) -> QuerySet[Indikator]:
    qs = Indikator.objects.filter(aktif=True).select_related("walidata")
    if tema:
        qs = qs.filter(tema=tema)
    if is_public(user, publik):
        qs = qs.filter(akses_publik=True)
    return qs


def indikator_get(*, kode: str, user=None, publik: bool | None = None) -> Indikator:
    ind = indikator_list(user=user, publik=publik).filter(kode=kode).first()
    if ind is None:
        raise NotFound("Indikator tidak ditemukan.", [
            Finding(rule="tidak_ada", column="indikator", value=kode, message="indikator tidak ada atau tidak publik")])
    return ind


def indikator_dict(ind: Indikator) -> dict[str, Any]:
    return {
        "kode": ind.kode, "nama": ind.nama, "tema": ind.tema, "jenis": ind.jenis, "unit": ind.unit,
        "pembilang": ind.pembilang, "penyebut": ind.penyebut, "skala": ind.skala, "satuan": ind.satuan,
        "desimal": ind.desimal, "arah": ind.arah, "konsep": ind.konsep, "definisi": ind.definisi,
        "interpretasi": ind.interpretasi, "metode": ind.metode, "ukuran": ind.ukuran,
        "klasifikasi_penyajian": ind.klasifikasi_penyajian, "komposit": ind.jenis == Indikator.KOMPOSIT,
        "komponen": ind.komponen, "kelas": ind.kelas, "kegiatan": ind.kegiatan,
        "variabel_pembangun": ind.variabel_pembangun, "level_estimasi": ind.level_estimasi,
        "akses_publik": ind.akses_publik, "disagregasi": ind.disagregasi, "sdgs_desa": ind.sdgs_desa,
        "walidata": ind.walidata.kode if ind.walidata else None, "versi": ind.versi,
        "terjemahan": ind.terjemahan or {},
    }


# Texts of an indicator that have English beside Indonesian (the ``en:`` of the standard YAML).
TEKS_TERJEMAHAN = ("nama", "satuan", "ukuran", "konsep", "definisi", "interpretasi", "metode",
                   "klasifikasi_penyajian")


def indikator_tampil(ind: Indikator) -> dict[str, Any]:
    """``indikator_dict`` as the reader reads it: texts in the active language (API: Accept-Language),
    Indonesian where no translation exists. The ETag (``indikator_sidik``) stays language-independent."""
    row = indikator_dict(ind)
    for field in TEKS_TERJEMAHAN:
        row[field] = teks(ind, field)
    return row


def indikator_sidik(ind: Indikator) -> str:
    """A content hash of the indicator's metadata (its API representation): the strong ETag that an
    edit must send back as If-Match, so two stewards editing one indicator never silently overwrite
    each other. A hash, not a counter: the standard set's loader rewrites rows without the services."""
    body = json.dumps(indikator_dict(ind), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:20]


PEOPLE_UNITS = {"individu", "keluarga", "rumah_tangga", "bangunan"}


def suppress(row: dict[str, Any], public: bool, ind: Indikator) -> dict[str, Any]:
    """Hide small cells from the public: counts below ``MIN_CELL`` people/households/buildings.

    Indicators built only from desa-level data (facilities, roads) count villages, not
    people, and are never hidden.
    """
    about_people = not ind.variabel_pembangun or bool(PEOPLE_UNITS & set(ind.variabel_pembangun))
    small = about_people and ind.jenis in (Indikator.RASIO, Indikator.EKSTERNAL) and (
        0 < row["pembilang"] < MIN_CELL or 0 < row["penyebut"] + ind.konstanta_penyebut < MIN_CELL
    )
    if public and small:
        return {**row, "pembilang": None, "penyebut": None, "nilai": None, "disembunyikan": True}
    return {**row, "disembunyikan": False}


def nilai_list(*, indikator: Indikator, periode: Periode, tingkat: str = "desa", induk: str | None = None,
               disagregasi: str = "total", user=None, publik: bool | None = None) -> list[dict[str, Any]]:
    """Values of one indicator for every region of a level (optionally within a parent region)."""
    depth = LEVELS.get(tingkat, DEPTH.get(tingkat))
    if depth is None:
        raise ValidationFailed("Tingkat tidak dikenal.", [Finding(rule="tingkat", column="tingkat", value=tingkat,
                                                                   message=f"pilihan: {', '.join(LEVELS)}")])
    qs = NilaiIndikator.objects.filter(indikator=indikator, periode=periode, kedalaman=depth, disagregasi=disagregasi)
    if induk:
        qs = qs.filter(wilayah__kode__startswith=induk + ".")
    rows = qs.select_related("wilayah").order_by("wilayah__kode")
    public = is_public(user, publik)
    return [
        suppress({"kode": r.wilayah.kode, "nama": r.wilayah.nama, "tingkat": r.wilayah.tingkat,
                   "pembilang": r.pembilang, "penyebut": r.penyebut, "nilai": _round(r.nilai, indikator.desimal),
                   "kelas": r.kelas, "disagregasi": r.disagregasi}, public, indikator)
        for r in rows
    ]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def profil_wilayah(*, kode: str, periode: Periode, user=None, publik: bool | None = None) -> dict[str, Any]:
    """All indicators of a region for a period, with its parents' and the regency's values beside it."""
    region = Wilayah.objects.defer("geometri").get(kode=kode)
    chain = [w for w in region.leluhur() if w.kedalaman >= 2] + [region]  # leluhur() defers geometry
    ids = [w.pk for w in chain]
    indicators = {i.pk: i for i in indikator_list(user=user, publik=publik)}
    facts = NilaiIndikator.objects.filter(periode=periode, wilayah_id__in=ids, disagregasi="total",
                                          indikator_id__in=indicators)
    by_ind: dict[int, dict[int, NilaiIndikator]] = {}
    for f in facts:
        by_ind.setdefault(f.indikator_id, {})[f.wilayah_id] = f
    public = is_public(user, publik)
    rows = []
    for iid, per_region in by_ind.items():
        ind = indicators[iid]
        own = per_region.get(region.pk)
        row = {"kode": ind.kode, "nama": ind.nama, "tema": ind.tema, "satuan": ind.satuan, "arah": ind.arah}
        for w in chain:
            f = per_region.get(w.pk)
            cell = suppress({"pembilang": f.pembilang, "penyebut": f.penyebut,
                              "nilai": _round(f.nilai, ind.desimal), "kelas": f.kelas}, public, ind) if f else None
            row[w.tingkat if w.pk != region.pk else "wilayah"] = cell
        row["ada"] = own is not None
        rows.append(row)
    rows.sort(key=lambda r: (r["tema"], r["kode"]))
    return {"wilayah": {"kode": region.kode, "nama": region.nama, "tingkat": region.tingkat},
            "periode": periode.kode, "pembanding": [w.tingkat for w in chain[:-1]], "indikator": rows}


# --- published / provisional marking (issue #10) ------------------------------------------------------------
# The rule is ``presisi.periods.terbit`` (the lock record keeps each desa's submission state).
STATUS_DATA_KOLOM = ("status_data", "Status data")


def _status_data(periode: Periode) -> StatusData:
    return status_data([periode.pk])


def _tandai(cell: dict[str, Any], status, pid: int, kode: str, sementara: bool) -> dict[str, Any]:
    if status.terbit(pid, kode):
        return {**cell, "status_data": "terbit"}
    if not sementara:
        return {**cell, "pembilang": None, "penyebut": None, "nilai": None, "kelas": None,
                "status_data": "belum_terbit"}
    return {**cell, "status_data": "tetap" if status.tetap(pid, kode) else "sementara"}


def tandai_nilai(rows: list[dict[str, Any]], *, periode: Periode, user, sementara: bool = False) -> list[dict]:
    """Value rows with ``status_data``; values not published are withheld unless a signed-in user asks
    for provisional figures (``sementara``), which are then marked."""
    status = _status_data(periode)
    sementara = sementara and not is_public(user)
    return [_tandai(r, status, periode.pk, r["kode"], sementara) for r in rows]


def tandai_profil(profil: dict[str, Any], *, periode: Periode, user, sementara: bool = False) -> dict[str, Any]:
    """``profil_wilayah``'s cells marked and withheld by the same rule."""
    status = _status_data(periode)
    sementara = sementara and not is_public(user)
    kode = {"wilayah": profil["wilayah"]["kode"]}
    region = Wilayah.objects.defer("geometri").get(kode=profil["wilayah"]["kode"])
    for w in region.leluhur():
        kode[w.tingkat] = w.kode
    for row in profil["indikator"]:
        for key, cell in list(row.items()):
            if isinstance(cell, dict) and key in kode:
                row[key] = _tandai(cell, status, periode.pk, kode[key], sementara)
    return profil


_PARAMETER_DISEBUT = re.compile(r"\bparameter ([a-z][a-z0-9_]*)")


def parameter_bernama(teks: str) -> str:
    """A definition that names a parameter by its code ("… di bawah parameter garis_kemiskinan …") shows
    the parameter's name instead, in the active language; an unknown code stays as written."""
    if not teks or "parameter " not in teks:
        return teks
    from presisi.indicators.models import Parameter

    kode = set(_PARAMETER_DISEBUT.findall(teks))
    nama = {}
    for p in Parameter.objects.filter(kode__in=kode).order_by("kode", "-berlaku_dari"):
        nama.setdefault(p.kode, _teks(p, "nama"))
    return _PARAMETER_DISEBUT.sub(lambda m: nama.get(m.group(1), m.group(0)).lower()
                                  if m.group(1) in nama else m.group(0), teks)


def _teks(obj, field: str) -> str:
    try:
        from presisi.core.i18n import teks
    except ImportError:  # the data's English is not in this tree
        return getattr(obj, field)
    return teks(obj, field)
