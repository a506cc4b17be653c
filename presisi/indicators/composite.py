"""Composite indices (modelled on IDM / Indeks Desa): normalised components → dimensions → index → class.

Computed at every level from the component values at that level (each of which is already a
ratio of sums), so a kecamatan index is not an average of desa indices.
"""

from __future__ import annotations

from collections import defaultdict

from presisi.core.db import bulk_insert
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.regions.models import Wilayah


def normalise(value: float, lo: float, hi: float, arah: str) -> float:
    """Goalpost normalisation (x − min)/(max − min), clipped to [0, 1], inverted when lower is better."""
    if hi == lo:
        return 0.0
    score = min(1.0, max(0.0, (value - lo) / (hi - lo)))
    return 1.0 - score if arah == Indikator.TURUN else score


def composite_score(ind: Indikator, values: dict[str, float]) -> float | None:
    """The index for one region from its component values (missing components are skipped)."""
    by_dim: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for comp in ind.komponen:
        value = values.get(comp["indikator"])
        if value is None:
            continue
        score = normalise(value, float(comp.get("min", 0)), float(comp.get("max", 100)), comp.get("arah", "naik"))
        by_dim[comp.get("dimensi", "umum")].append((score, float(comp.get("bobot", 1))))
    if not by_dim:
        return None
    weights = ind.dimensi or {}
    total_w = sum(float(weights.get(d, 1)) for d in by_dim)
    index = sum(
        float(weights.get(d, 1)) * sum(s * w for s, w in items) / sum(w for _, w in items)
        for d, items in by_dim.items()
    )
    return index / total_w


def status_class(ind: Indikator, score: float | None) -> str:
    if score is None:
        return ""
    for band in ind.kelas or []:
        if score <= float(band["batas"]) + 1e-12:
            return band["label"]
    return (ind.kelas or [{"label": ""}])[-1]["label"]


def compute_composites(*, periode, indicators: list[Indikator], region_ids: list[int], now) -> int:
    if not indicators or not region_ids:
        return 0
    comp_codes = {c["indikator"] for ind in indicators for c in ind.komponen}
    ind_ids = dict(Indikator.objects.filter(kode__in=comp_codes).values_list("id", "kode"))
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for wid, iid, nilai in NilaiIndikator.objects.filter(
        periode=periode, indikator_id__in=ind_ids, wilayah_id__in=region_ids, disagregasi="total",
        nilai__isnull=False,
    ).values_list("wilayah_id", "indikator_id", "nilai"):
        values[wid][ind_ids[iid]] = nilai
    depth = dict(Wilayah.objects.filter(id__in=region_ids).values_list("id", "kedalaman"))
    NilaiIndikator.objects.filter(periode=periode, indikator__in=indicators, wilayah_id__in=region_ids).delete()
    rows = []
    lowest = {"banjar": 5, "desa": 4, "kecamatan": 3, "kabupaten": 2}
    for ind in indicators:
        # a desa-level index (IDM-like) is not produced for banjar
        deepest = lowest.get(ind.level_estimasi, 5)
        for wid in (w for w in region_ids if depth[w] <= deepest):
            score = composite_score(ind, values.get(wid, {}))
            if score is None:
                continue
            rows.append((periode.pk, ind.pk, wid, depth[wid], "total", score, 1.0, score * ind.skala,
                         status_class(ind, score), now))
    return bulk_insert(NilaiIndikator._meta.db_table, NilaiIndikator.KOLOM_FAKTA, rows)
