"""Reads of agency map layers. Layers and exposure are aggregates (no person-level data): every signed-in
role may read them; the dashboards show the exposure indicators to the public under their own rules."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from presisi.accounts.access import in_scope
from presisi.core.exceptions import NotFound
from presisi.indicators.selectors import MIN_CELL
from presisi.integration.models import FiturSpasial, LapisanSpasial
from presisi.integration.services.spasial_paparan import BAHAYA_JENIS, UKURAN, Paparan, hitung_paparan
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah

MAKS_BARIS_FITUR = 1000


def lapisan_list(*, jenis: str | None = None):
    qs = LapisanSpasial.objects.select_related("sektor", "diunggah_oleh")
    return qs.filter(jenis=jenis) if jenis else qs


def lapisan_get(*, kode: str) -> LapisanSpasial:
    layer = LapisanSpasial.objects.select_related("sektor", "diunggah_oleh").filter(kode=kode).first()
    if layer is None:
        raise NotFound("Lapisan tidak ditemukan.", [])
    return layer


def lapisan_dict(layer: LapisanSpasial, *, rinci: bool = False) -> dict[str, Any]:
    r = layer.ringkasan or {}
    out = {
        "kode": layer.kode, "nama": layer.nama, "jenis": layer.jenis, "jenis_label": layer.get_jenis_display(),
        "bahaya": layer.bahaya, "bahaya_label": BAHAYA_JENIS.get(layer.bahaya, ""),
        "sektor": layer.sektor.kode if layer.sektor else None, "produsen": layer.produsen, "sumber": layer.sumber,
        "versi": layer.versi, "sha256": layer.sha256, "nama_berkas": layer.nama_berkas,
        "diunggah_oleh": layer.diunggah_oleh.username if layer.diunggah_oleh else None,
        "diunggah_pada": layer.diunggah_pada, "fitur": r.get("fitur"), "kelas": r.get("kelas", {}),
        "crs": r.get("crs"), "format": r.get("format"), "bbox": r.get("bbox"),
    }
    if rinci:
        out["peringatan"] = r.get("peringatan", [])
        out["riwayat"] = r.get("riwayat", [])
    return out


def fitur_list(layer: LapisanSpasial):
    return FiturSpasial.objects.filter(lapisan=layer).order_by("urutan")


def fitur_geojson(layer: LapisanSpasial) -> dict[str, Any]:
    """The layer as a GeoJSON FeatureCollection (WGS84, RFC 7946)."""
    feats = [{"type": "Feature", "id": f.urutan, "geometry": f.geometri,
              "properties": {**(f.atribut or {}), "presisi_urutan": f.urutan, "presisi_kelas": f.kelas or None}}
             for f in fitur_list(layer)]
    return {"type": "FeatureCollection", "name": layer.kode, "features": feats,
            "presisi": {"versi": layer.versi, "sha256": layer.sha256, "jenis": layer.jenis, "bahaya": layer.bahaya}}


def paparan_desa(*, periode: Periode | None, bahaya: str | None = None, kode_induk: str | None = None,
                 user=None) -> list[dict[str, Any]]:
    """Exposure per desa × hazard × highest class (counts) for a period, optionally one hazard / one parent.

    ``user`` given: counts below the small-cell limit of desa outside the user's scope are hidden (None),
    the dashboards' rule; without a user (console) everything is shown."""
    p: Paparan = hitung_paparan(periode=periode, desa=_desa_di(kode_induk))
    rows = p.baris()
    if bahaya:
        rows = [r for r in rows if r["bahaya"] == bahaya]
    if user is not None:
        for r in rows:
            if not in_scope(user, r["kode_desa"] or ""):
                for u in UKURAN:
                    if 0 < (r[u] or 0) < MIN_CELL:
                        r[u] = None
    return rows


def _desa_di(kode_induk: str | None) -> list[int] | None:
    if not kode_induk:
        return None
    return list(Wilayah.objects.desa_kelurahan().filter(kode__startswith=kode_induk.rstrip(".") + ".")
                .values_list("pk", flat=True)) + list(Wilayah.objects.filter(kode=kode_induk, kedalaman=4)
                                                       .values_list("pk", flat=True))


_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_LOCK = threading.Lock()
_MAKS_CACHE = 256


def tanda_lapisan(jenis: list[str]) -> tuple:
    """What identifies the current content of these kinds of layers (one query): a cache key part."""
    return tuple(LapisanSpasial.objects.filter(jenis__in=jenis).order_by("kode")
                 .values_list("kode", "versi", "sha256"))


def tersimpan(key: tuple, build):
    """A per-process LRU: the value for ``key`` (which must include ``tanda_lapisan``), built once."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = build()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _MAKS_CACHE:
            _CACHE.popitem(last=False)
    return value


def hapus_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def zona_desa(*, kode_desa: str, titik: tuple | None = None) -> list[dict[str, Any]]:
    """Hazard zones touching one desa (layer, hazard, class), for the profil desa: one query when cached.

    ``titik``: the desa's label point, part of the cache key (it changes whenever boundaries are reloaded)."""
    tanda = tanda_lapisan([LapisanSpasial.BAHAYA])
    if not tanda:
        return []
    return list(tersimpan(("zona_desa", kode_desa, titik, tanda), lambda: _zona_desa(kode_desa)))


def _zona_desa(kode_desa: str) -> list[dict[str, Any]]:
    from shapely.geometry import shape

    w = Wilayah.objects.filter(kode=kode_desa, geometri__isnull=False).first()
    if w is None:
        return []
    g = shape(w.geometri)
    g = g if g.is_valid else g.buffer(0)
    minx, miny, maxx, maxy = g.bounds
    rows = (FiturSpasial.objects.filter(lapisan__jenis=LapisanSpasial.BAHAYA, min_x__lte=maxx, max_x__gte=minx,
                                        min_y__lte=maxy, max_y__gte=miny)
            .select_related("lapisan").order_by("lapisan__kode", "urutan"))
    best: dict[str, dict[str, Any]] = {}
    rank = {"rendah": 1, "sedang": 2, "tinggi": 3}
    for f in rows:
        if not shape(f.geometri).intersects(g):
            continue
        cur = best.get(f.lapisan.kode)
        if cur is None or rank.get(f.kelas, 0) > rank.get(cur["kelas"], 0):
            best[f.lapisan.kode] = {"lapisan": f.lapisan.kode, "nama": f.lapisan.nama, "bahaya": f.lapisan.bahaya,
                                    "bahaya_label": BAHAYA_JENIS.get(f.lapisan.bahaya, ""), "kelas": f.kelas}
    return list(best.values())


KOLOM_PAPARAN = [("kode_desa", "Kode desa"), ("nama_desa", "Desa"), ("bahaya", "Bahaya"), ("kelas", "Kelas"),
                 *((u, label) for u, label in UKURAN.items())]
