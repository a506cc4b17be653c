"""Reads from the registry. Counts are grouped in the database and rolled up by region code."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count

from presisi.regions.codes import BANJAR
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, Bangunan, Individu, Keluarga, RumahTangga

COUNTED = {
    "penduduk": (Individu, {"status_dasar": HIDUP}),
    "keluarga": (Keluarga, {"aktif": True}),
    "rumah_tangga": (RumahTangga, {"aktif": True}),
    "bangunan": (Bangunan, {"aktif": True}),
}


def _counts_by(field: str, within: Wilayah | None) -> dict[str, dict[int, int]]:
    """metric → {region id → count}, one GROUP BY query per table."""
    out: dict[str, dict[int, int]] = {}
    for metric, (model, filters) in COUNTED.items():
        qs = model.objects.filter(**filters)
        if within is not None and within.kedalaman >= 4:
            qs = qs.filter(desa_id=within.pk if within.kedalaman == 4 else within.induk_id)
        elif within is not None:
            qs = qs.filter(desa__kode__startswith=within.kode + ".")
        out[metric] = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
    return out


def wilayah_statistik(*, kode: str | None = None) -> dict[str, Any]:
    """Counts (people alive, families, households, buildings) for a region and each child region.

    Without ``kode`` the top region is the single kabupaten/kota loaded (or every province).
    """
    region = Wilayah.objects.get(kode=kode) if kode else _top_region()
    children = list(Wilayah.objects.filter(induk=region).order_by("kode")) if region else []
    child_is_banjar = bool(children) and children[0].tingkat == BANJAR
    if region is not None and region.tingkat == BANJAR:
        counts = _counts_by("banjar_id", region.induk)
        totals = {m: counts[m].get(region.pk, 0) for m in COUNTED}
        return {"wilayah": _region_dict(region), "total": totals, "anak": []}
    if child_is_banjar:
        counts = _counts_by("banjar_id", region)
        per_child = {c.pk: {m: counts[m].get(c.pk, 0) for m in COUNTED} for c in children}
    else:
        counts = _counts_by("desa_id", region)
        per_child = _rollup_desa_counts(counts, children)
    rows = [{**_region_dict(c), **per_child.get(c.pk, dict.fromkeys(COUNTED, 0))} for c in children]
    if region is None:
        return {"wilayah": None, "total": {}, "anak": rows}
    totals = {m: sum(counts[m].values()) for m in COUNTED}
    if region.kedalaman == 4 and not child_is_banjar:
        totals = {m: counts[m].get(region.pk, 0) for m in COUNTED}
    return {"wilayah": _region_dict(region), "total": totals, "anak": rows}


def _rollup_desa_counts(counts: dict[str, dict[int, int]], children: list[Wilayah]) -> dict[int, dict[str, int]]:
    """Sum desa-level counts into the child regions they fall under (by code prefix)."""
    if not children:
        return {}
    desa_codes = dict(Wilayah.objects.desa_kelurahan().values_list("id", "kode"))
    child_by_code = {c.kode: c.pk for c in children}
    depth = children[0].kedalaman
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    for metric, by_desa in counts.items():
        for desa_id, n in by_desa.items():
            prefix = ".".join(desa_codes.get(desa_id, "").split(".")[:depth])
            if prefix in child_by_code:
                out[child_by_code[prefix]][metric] += n
    return out


def _top_region() -> Wilayah | None:
    kab = Wilayah.objects.filter(kedalaman=2).order_by("kode")
    if kab.count() == 1:
        return kab.first()
    return Wilayah.objects.filter(kedalaman=1).order_by("kode").first()


def _region_dict(w: Wilayah) -> dict[str, Any]:
    return {"kode": w.kode, "nama": w.nama, "tingkat": w.tingkat, "lat": w.lat, "lng": w.lng,
            "sintetis": w.sintetis}


def statistik_kabupaten() -> dict[str, Any]:
    """Counts per kecamatan and per desa for the loaded regency (``presisi stats``)."""
    top = _top_region()
    if top is None:
        return {"wilayah": None, "total": {}, "kecamatan": []}
    base = wilayah_statistik(kode=top.kode)
    kecamatan = []
    for kec in base["anak"]:
        kecamatan.append({**kec, "desa": wilayah_statistik(kode=kec["kode"])["anak"]})
    return {"wilayah": base["wilayah"], "total": base["total"], "kecamatan": kecamatan}
