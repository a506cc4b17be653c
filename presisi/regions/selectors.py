"""Reads of the region hierarchy."""

from __future__ import annotations

from typing import Any

from presisi.regions.models import Wilayah


def wilayah_list(*, tingkat: str | None = None, induk: str | None = None) -> list[dict[str, Any]]:
    qs = Wilayah.objects.all()
    if tingkat:
        qs = qs.filter(tingkat=tingkat)
    if induk:
        qs = qs.filter(induk__kode=induk)
    return list(qs.values("kode", "nama", "tingkat", "kode_bps", "lat", "lng", "luas_km2", "sintetis"))


def wilayah_geojson(*, induk: str | None = None, tingkat: str | None = None) -> dict[str, Any]:
    """A FeatureCollection of regions: polygons when loaded, points at the label point otherwise."""
    qs = Wilayah.objects.all()
    if induk:
        qs = qs.filter(induk__kode=induk)
    if tingkat:
        qs = qs.filter(tingkat=tingkat)
    features = []
    for w in qs:
        geometry = w.geometri or (
            {"type": "Point", "coordinates": [w.lng, w.lat]} if w.lat is not None and w.lng is not None else None
        )
        features.append({"type": "Feature", "id": w.kode, "geometry": geometry,
                         "properties": {"kode": w.kode, "nama": w.nama, "tingkat": w.tingkat}})
    return {"type": "FeatureCollection", "features": features}
