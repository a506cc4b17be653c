"""Writes to the region hierarchy: region lists (CSV) and boundaries (GeoJSON).

Both loaders check the whole input first and write nothing when any row or feature is
wrong; a valid file is applied in one transaction and can be re-sent without change.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from shapely import make_valid
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.ops import unary_union
from shapely.validation import explain_validity

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.text import normalize_name
from presisi.regions.codes import (
    DEPTH,
    PROVINSI,
    PROVINSI_NAMES,
    code_problems,
    normalize_code,
    normalize_tingkat,
    parent_code,
)
from presisi.regions.models import Wilayah

REQUIRED_COLUMNS = ("kode", "nama", "tingkat", "kode_induk")
OPTIONAL_COLUMNS = ("kode_bps", "kode_pos", "lat", "lng")


@dataclass
class LoadSummary:
    dibuat: int = 0
    diubah: int = 0
    tetap: int = 0
    per_tingkat: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"dibuat": self.dibuat, "diubah": self.diubah, "tetap": self.tetap, "per_tingkat": self.per_tingkat}


def read_text(data: bytes | str | Path) -> str:
    """Decode a file as UTF-8 (with or without BOM); a wrong encoding is a clear error."""
    if isinstance(data, Path):
        data = data.read_bytes()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "Berkas bukan teks UTF-8. Simpan ulang sebagai 'CSV UTF-8'.",
            [Finding(rule="encoding", message=f"byte tidak sah pada posisi {exc.start}")],
        ) from exc


def _parse_region_rows(text: str) -> tuple[list[dict[str, Any]], list[Finding]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if not text.strip():
        return [], [Finding(rule="berkas_kosong", message="berkas kosong")]
    if missing:
        return [], [Finding(rule="kolom_wajib", row=1, column=", ".join(missing),
                            message=f"kolom wajib tidak ada: {', '.join(missing)} "
                                    f"(harus: {', '.join(REQUIRED_COLUMNS)})")]
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    for i, raw in enumerate(reader, start=2):
        rows.append({"baris": i, **{k: (raw.get(k) or "").strip() for k in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}})
    if not rows:
        return [], [Finding(rule="berkas_kosong", message="berkas tidak berisi baris data")]
    return rows, []


def _validate_region_rows(rows: list[dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for r in rows:
        r["kode"] = normalize_code(r["kode"])
        r["kode_induk"] = normalize_code(r["kode_induk"])
        r["tingkat"] = normalize_tingkat(r["tingkat"])
    in_file = {r["kode"] for r in rows}
    parents_needed = {r["kode_induk"] for r in rows if r["kode_induk"]} - in_file
    in_db = set(Wilayah.objects.filter(kode__in=parents_needed).values_list("kode", flat=True))
    for r in rows:
        row, kode = r["baris"], r["kode"]
        if not r["nama"]:
            findings.append(Finding(rule="nama_wajib", row=row, column="nama", value=kode, message="nama wajib diisi"))
        for problem in code_problems(kode, r["tingkat"]):
            column = "tingkat" if "tingkat" in problem and "tidak dikenal" in problem else "kode"
            value = r["tingkat"] if column == "tingkat" else kode
            findings.append(Finding(rule="kode_wilayah", row=row, column=column, value=value, message=problem))
        if kode in seen:
            findings.append(Finding(rule="kode_ganda", row=row, column="kode", value=kode,
                                    message=f"kode sudah muncul di baris {seen[kode]}"))
        else:
            seen[kode] = row
        expected_parent = parent_code(kode)
        induk = r["kode_induk"]
        if r["tingkat"] == PROVINSI:
            if induk:
                findings.append(Finding(rule="induk_salah", row=row, column="kode_induk", value=induk,
                                        message="provinsi tidak punya induk"))
            continue
        if induk != expected_parent:
            findings.append(Finding(rule="induk_salah", row=row, column="kode_induk", value=induk,
                                    message=f"induk harus {expected_parent} (awalan kode {kode})"))
        elif induk not in in_file and induk not in in_db and not (len(induk) == 2 and induk in PROVINSI_NAMES):
            findings.append(Finding(rule="induk_tidak_dikenal", row=row, column="kode_induk", value=induk,
                                    message="wilayah induk tidak ada di berkas maupun di basis data"))
    return findings


@transaction.atomic
def wilayah_load_csv(*, data: bytes | str | Path, sintetis: bool = False) -> LoadSummary:
    """Load a region list (``kode,nama,tingkat,kode_induk`` and optional ``kode_bps,kode_pos,lat,lng``).

    Creates missing regions and updates changed names/codes. Raises ``ValidationFailed``
    with one finding per bad row and writes nothing when any row is wrong.
    """
    rows, findings = _parse_region_rows(read_text(data))
    if not findings:
        findings = _validate_region_rows(rows)
    if findings:
        raise ValidationFailed(f"Berkas wilayah ditolak: {len(findings)} kesalahan.", findings)
    return _apply_region_rows(rows, sintetis=sintetis)


def _float_or_none(value: str) -> float | None:
    try:
        return float(value) if value not in ("", None) else None
    except ValueError:
        return None


def _apply_region_rows(rows: list[dict[str, Any]], *, sintetis: bool) -> LoadSummary:
    summary = LoadSummary()
    rows = sorted(rows, key=lambda r: DEPTH[r["tingkat"]])
    codes = {r["kode"] for r in rows} | {r["kode_induk"] for r in rows if r["kode_induk"]}
    existing = {w.kode: w for w in Wilayah.objects.filter(kode__in=codes)}
    for prov in sorted({r["kode_induk"] for r in rows if len(r["kode_induk"]) == 2} - existing.keys()):
        if prov in {r["kode"] for r in rows}:
            continue
        existing[prov] = Wilayah.objects.create(kode=prov, nama=PROVINSI_NAMES[prov], tingkat=PROVINSI, kedalaman=1)
        summary.dibuat += 1
    for r in rows:
        values = {
            "nama": r["nama"],
            "tingkat": r["tingkat"],
            "kedalaman": DEPTH[r["tingkat"]],
            "induk": existing.get(r["kode_induk"]) if r["kode_induk"] else None,
        }
        for opt in ("kode_bps", "kode_pos"):
            if r.get(opt):
                values[opt] = r[opt]
        for opt in ("lat", "lng"):
            if _float_or_none(r.get(opt, "")) is not None:
                values[opt] = _float_or_none(r[opt])
        current = existing.get(r["kode"])
        if current is None:
            existing[r["kode"]] = Wilayah.objects.create(kode=r["kode"], sintetis=sintetis, **values)
            summary.dibuat += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
            summary.diubah += 1
        else:
            summary.tetap += 1
        summary.per_tingkat[r["tingkat"]] = summary.per_tingkat.get(r["tingkat"], 0) + 1
    return summary


# --- boundaries -------------------------------------------------------------------------

CODE_PROPERTIES = ("kode", "kode_wilayah", "kode_desa", "kd_desa", "kdepum", "kode_kemendagri", "id")
NAME_PROPERTIES = ("nama", "nama_desa", "namobj", "desa", "name", "wadmkd")


@dataclass
class BoundaryReport:
    cocok_kode: int = 0
    cocok_nama: int = 0
    fitur_tidak_cocok: list[dict[str, Any]] = field(default_factory=list)
    wilayah_tanpa_batas: list[str] = field(default_factory=list)
    induk_diturunkan: int = 0

    @property
    def cocok(self) -> int:
        return self.cocok_kode + self.cocok_nama

    def as_dict(self) -> dict[str, Any]:
        return {
            "cocok": self.cocok,
            "cocok_kode": self.cocok_kode,
            "cocok_nama": self.cocok_nama,
            "fitur_tidak_cocok": self.fitur_tidak_cocok,
            "wilayah_tanpa_batas": self.wilayah_tanpa_batas,
            "induk_diturunkan": self.induk_diturunkan,
        }


def _feature_code_and_name(props: dict[str, Any]) -> tuple[str, str]:
    code = next((str(props[k]) for k in CODE_PROPERTIES if props.get(k) not in (None, "")), "")
    name = next((str(props[k]) for k in NAME_PROPERTIES if props.get(k) not in (None, "")), "")
    return normalize_code(code), name


def _geometry_problem(geom: dict[str, Any] | None) -> tuple[MultiPolygon | None, str | None]:
    if not geom:
        return None, "fitur tanpa geometri"
    if geom.get("type") not in ("Polygon", "MultiPolygon"):
        return None, f"geometri harus Polygon/MultiPolygon, bukan {geom.get('type')}"
    try:
        shp = shape(geom)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        return None, f"koordinat geometri rusak: {exc}"
    if shp.is_empty:
        return None, "geometri kosong"
    minx, miny, maxx, maxy = shp.bounds
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90):
        return None, "koordinat di luar rentang bujur/lintang (harus WGS84 derajat)"
    if not shp.is_valid:
        return None, f"geometri tidak sah: {explain_validity(shp)}"
    return (shp if isinstance(shp, MultiPolygon) else MultiPolygon([shp])), None


def approx_area_km2(geom) -> float:
    """Area on a local equirectangular projection; within ~0.5% of geodesic at desa scale."""
    lat = geom.centroid.y
    kx = 111.320 * math.cos(math.radians(lat))
    ky = 110.574
    return round(geom.area * kx * ky, 3)


def _match_features(features: list[dict[str, Any]], candidates: dict[str, Wilayah]) -> tuple[
    list[tuple[Wilayah, MultiPolygon, int]], list[Finding], BoundaryReport
]:
    by_name: dict[str, list[Wilayah]] = {}
    for w in candidates.values():
        by_name.setdefault(normalize_name(w.nama), []).append(w)
    report, findings = BoundaryReport(), []
    resolved: list[tuple[int, Wilayah | None, list[Wilayah], MultiPolygon, str, str]] = []
    for i, feat in enumerate(features, start=1):
        code, name = _feature_code_and_name(feat.get("properties") or {})
        geom, problem = _geometry_problem(feat.get("geometry"))
        if problem:
            label = code or name or f"fitur {i}"
            findings.append(Finding(rule="geometri", row=i, column="geometry", value=label, message=problem))
            continue
        by_code = candidates.get(code)
        options = by_name.get(normalize_name(name), []) if name and by_code is None else []
        resolved.append((i, by_code, options, geom, code, name))
    # A file holds one level (desa polygons, say): a name shared by a desa and its kecamatan
    # (Banjarangkan) resolves to the level most features matched unambiguously.
    depths = [r.kedalaman for _, r, _, _, _, _ in resolved if r is not None]
    depths += [opts[0].kedalaman for _, r, opts, _, _, _ in resolved if r is None and len(opts) == 1]
    level = max(set(depths), key=depths.count) if depths else None
    matched: list[tuple[Wilayah, MultiPolygon, int]] = []
    used: dict[str, int] = {}
    for i, by_code, options, geom, code, name in resolved:
        region = by_code
        if region is None:
            same_level = [o for o in options if o.kedalaman == level] if len(options) > 1 else options
            region = same_level[0] if len(same_level) == 1 else None
        if region is None:
            report.fitur_tidak_cocok.append({"fitur": i, "kode": code, "nama": name})
            continue
        if by_code is not None:
            report.cocok_kode += 1
        else:
            report.cocok_nama += 1
        if region.kode in used:
            findings.append(Finding(rule="fitur_ganda", row=i, column="kode", value=region.kode,
                                    message=f"wilayah ini sudah dicocokkan dengan fitur {used[region.kode]}"))
            continue
        used[region.kode] = i
        matched.append((region, geom, i))
    return matched, findings, report


@transaction.atomic
def wilayah_load_boundaries(*, data: bytes | str | Path, turunkan_induk: bool = True) -> BoundaryReport:
    """Attach GeoJSON boundaries to regions, matching by code, then by normalised name.

    Every feature's geometry must be a valid (non self-intersecting) polygon; any invalid
    feature rejects the whole file. Unmatched features and regions are reported. With
    ``turunkan_induk`` parents without a boundary get the union of their children's.
    """
    try:
        doc = json.loads(read_text(data))
    except json.JSONDecodeError as exc:
        raise ValidationFailed("Berkas bukan GeoJSON yang sah.",
                               [Finding(rule="json", row=exc.lineno, message=exc.msg)]) from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or not features:
        raise ValidationFailed("GeoJSON harus FeatureCollection dengan minimal satu fitur.",
                               [Finding(rule="geojson", message="tidak ada 'features'")])
    candidates = {w.kode: w for w in Wilayah.objects.filter(kedalaman__gte=2)}
    matched, findings, report = _match_features(features, candidates)
    if findings:
        raise ValidationFailed(f"Batas wilayah ditolak: {len(findings)} kesalahan.", findings)
    if not matched:
        raise ValidationFailed("Tidak ada fitur yang cocok dengan wilayah di basis data.",
                               [Finding(rule="tidak_cocok", message="muat daftar wilayah terlebih dahulu")])
    for region, geom, _ in matched:
        _set_geometry(region, geom)
    touched = {r.kode for r, _, _ in matched}
    depths = {r.kedalaman for r, _, _ in matched}
    report.wilayah_tanpa_batas = sorted(
        w.kode for w in candidates.values() if w.kedalaman in depths and w.kode not in touched
        and w.geometri is None
    )
    if turunkan_induk:
        report.induk_diturunkan = _derive_parent_geometries(min(depths))
    return report


def _set_geometry(region: Wilayah, geom: MultiPolygon) -> None:
    label = geom.representative_point()  # always inside, unlike the centroid
    region.geometri = mapping(geom)
    region.lat, region.lng = round(label.y, 6), round(label.x, 6)
    region.luas_km2 = approx_area_km2(geom)
    region.save(update_fields=["geometri", "lat", "lng", "luas_km2"])


def _derive_parent_geometries(child_depth: int) -> int:
    """Union children's polygons upward for parents with no boundary of their own."""
    derived = 0
    for depth in range(child_depth - 1, 1, -1):
        parents = Wilayah.objects.filter(kedalaman=depth, geometri__isnull=True)
        for parent in parents:
            children = [c.geometri for c in Wilayah.objects.filter(induk=parent, geometri__isnull=False)]
            if not children:
                continue
            union = make_valid(unary_union([shape(c) for c in children]))
            polys = [g for g in getattr(union, "geoms", [union]) if g.geom_type == "Polygon"]
            if union.geom_type == "MultiPolygon":
                polys = list(union.geoms)
            _set_geometry(parent, MultiPolygon(polys) if polys else union)
            derived += 1
    return derived
