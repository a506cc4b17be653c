"""Reads of the customary (adat) hierarchy: desa adat with their banjar adat and desa dinas."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from presisi.regions.models import BANJAR_ADAT, DESA_ADAT, DesaAdatDesaDinas, WilayahAdat


def desa_adat_list(*, dalam: str | None = None) -> list[dict[str, Any]]:
    """Desa adat (with banjar adat and mapped desa dinas); ``dalam``: only those mapped into that region."""
    qs = WilayahAdat.objects.filter(tingkat=DESA_ADAT)
    if dalam:
        qs = qs.filter(Q(pemetaan__desa__kode=dalam) | Q(pemetaan__desa__kode__startswith=dalam + ".")).distinct()
    desa_adat = list(qs.order_by("kode"))
    ids = [d.pk for d in desa_adat]
    banjar: dict[int, list[dict[str, Any]]] = {}
    for b in WilayahAdat.objects.filter(tingkat=BANJAR_ADAT, induk_id__in=ids).order_by("kode"):
        banjar.setdefault(b.induk_id, []).append({"kode": b.kode, "nama": b.nama, "aktif": b.aktif})
    dinas: dict[int, list[dict[str, Any]]] = {}
    for m in (DesaAdatDesaDinas.objects.filter(desa_adat_id__in=ids).select_related("desa")
              .only("desa_adat_id", "desa__kode", "desa__nama", "desa__tingkat").order_by("desa__kode")):
        dinas.setdefault(m.desa_adat_id, []).append({"kode": m.desa.kode, "nama": m.desa.nama,
                                                     "tingkat": m.desa.tingkat})
    return [{"kode": d.kode, "nama": d.nama, "sintetis": d.sintetis, "aktif": d.aktif,
             "banjar_adat": banjar.get(d.pk, []), "desa_dinas": dinas.get(d.pk, [])} for d in desa_adat]


def banjar_adat_untuk_desa(desa_id: int) -> list[WilayahAdat]:
    """Active banjar adat of the desa adat mapped to a desa dinas: the choices for its families."""
    return list(WilayahAdat.objects.filter(tingkat=BANJAR_ADAT, aktif=True, induk__aktif=True,
                                           induk__pemetaan__desa_id=desa_id)
                .select_related("induk").order_by("kode").distinct())


def desa_adat_dari_desa(desa_id: int) -> list[WilayahAdat]:
    """The desa adat mapped to one desa dinas/kelurahan."""
    return list(WilayahAdat.objects.filter(tingkat=DESA_ADAT, pemetaan__desa_id=desa_id).order_by("kode"))
