"""Reading and checking an agency map layer: GeoJSON FeatureCollection or zipped ESRI shapefile.

Nothing here writes. ``baca_lapisan`` turns the uploaded bytes into checked features (shapely
geometries in WGS84 lon/lat, hazard class, attributes) plus findings: errors reject the whole
file, warnings (a geometry repaired with ``make_valid``, a feature outside the regency, a
reprojection) are kept in the layer's summary. Every finding names the feature number (1-based,
in file order), the property, the value and the rule, in Bahasa Indonesia.
"""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.conf import settings
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity, make_valid

from presisi.core.exceptions import Finding

PERINGATAN = "warning"

# Limits (a layer of a regency is a few MB; these stop a zip bomb or a country-wide file).
MAKS_BYTE = getattr(settings, "PRESISI_SPASIAL_MAKS_BYTE", 50 * 1024 * 1024)
MAKS_BYTE_TERURAI = getattr(settings, "PRESISI_SPASIAL_MAKS_BYTE_TERURAI", 200 * 1024 * 1024)
MAKS_FITUR = getattr(settings, "PRESISI_SPASIAL_MAKS_FITUR", 20_000)
MAKS_TITIK = getattr(settings, "PRESISI_SPASIAL_MAKS_TITIK", 2_000_000)
MAKS_TEMUAN = 500

POLIGON, GARIS, BEBAS = "poligon", "garis", "bebas"
# Geometry family per layer kind: zones and areas are polygons, networks are lines.
GEOMETRI_JENIS = {"bahaya": POLIGON, "kawasan_lindung": POLIGON, "jalan": GARIS, "air": GARIS, "lainnya": BEBAS}
TIPE_GEOMETRI = {POLIGON: ("Polygon", "MultiPolygon"), GARIS: ("LineString", "MultiLineString"),
                 BEBAS: ("Point", "MultiPoint", "Polygon", "MultiPolygon", "LineString", "MultiLineString")}
NAMA_GEOMETRI = {POLIGON: "poligon (Polygon/MultiPolygon)", GARIS: "garis (LineString/MultiLineString)"}

# InaRISK-style hazard class: the property that holds it and the spellings accepted.
KOLOM_KELAS = ("kelas", "class", "tingkat", "kelas_bahaya", "hazard_class", "kelas_risiko", "tingkat_bahaya")
NILAI_KELAS = {
    "rendah": "rendah", "low": "rendah", "1": "rendah",
    "sedang": "sedang", "medium": "sedang", "moderate": "sedang", "menengah": "sedang", "2": "sedang",
    "tinggi": "tinggi", "high": "tinggi", "3": "tinggi",
}
PERINGKAT_KELAS = {"rendah": 1, "sedang": 2, "tinggi": 3}
CRS_WGS84 = ("EPSG:4326", "CRS84", "OGC:1.3:CRS84", "OGC::CRS84", "EPSG::4326")


@dataclass
class FiturBaca:
    urutan: int
    geometri: Any  # shapely geometry, lon/lat
    kelas: str
    atribut: dict[str, Any]


@dataclass
class HasilBaca:
    fitur: list[FiturBaca] = field(default_factory=list)
    galat: list[Finding] = field(default_factory=list)
    peringatan: list[Finding] = field(default_factory=list)
    crs: str = "EPSG:4326"
    format: str = ""

    def tambah(self, f: Finding) -> None:
        target = self.peringatan if f.severity == PERINGATAN else self.galat
        if len(target) < MAKS_TEMUAN:
            target.append(f)


def _galat(rule: str, message: str, row: int | None = None, column: str | None = None, value: Any = None) -> Finding:
    return Finding(rule=rule, message=message, row=row, column=column, value=value)


def _peringatan(rule: str, message: str, row: int | None = None, column: str | None = None,
                value: Any = None) -> Finding:
    return Finding(rule=rule, message=message, row=row, column=column, value=value, severity=PERINGATAN)


# --- formats -------------------------------------------------------------------------------------------------


def _crs_geojson(doc: dict[str, Any]) -> str | None:
    """The CRS named by an old-style GeoJSON ``crs`` member (RFC 7946 dropped it: no member = WGS84)."""
    crs = doc.get("crs")
    if not crs:
        return None
    name = str(((crs.get("properties") or {}).get("name")) or "") if isinstance(crs, dict) else str(crs)
    return name or None


def _baca_geojson(data: bytes, hasil: HasilBaca) -> list[tuple[dict | None, dict]]:
    hasil.format = "geojson"
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        hasil.tambah(_galat("format", f"berkas bukan GeoJSON yang sah: {exc}"))
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"),
                                                                                              list):
        hasil.tambah(_galat("format", "GeoJSON harus berupa FeatureCollection dengan daftar 'features'",
                            column="type", value=doc.get("type") if isinstance(doc, dict) else type(doc).__name__))
        return []
    nama_crs = _crs_geojson(doc)
    if nama_crs and not any(nama_crs.upper().endswith(c.upper()) for c in CRS_WGS84):
        hasil.crs = nama_crs
    out = []
    for f in doc["features"]:
        if not isinstance(f, dict):
            out.append((None, {}))
            continue
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        out.append((f.get("geometry"), props))
    return out


def _zip_terurai(arsip: zipfile.ZipFile, hasil: HasilBaca) -> dict[str, bytes] | None:
    """Members by lower-case extension, counting unpacked bytes while reading (a header can lie)."""
    members: dict[str, bytes] = {}
    total = 0
    shp = [i for i in arsip.infolist() if i.filename.lower().endswith(".shp") and not i.filename.startswith("__MACOSX")]
    if len(shp) != 1:
        hasil.tambah(_galat("shapefile", f"arsip .zip harus berisi tepat satu berkas .shp (ditemukan {len(shp)})"))
        return None
    base = shp[0].filename[:-4]
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        info = next((i for i in arsip.infolist() if i.filename.lower() == (base + ext).lower()), None)
        if info is None:
            continue
        buf = bytearray()
        with arsip.open(info) as fh:
            while chunk := fh.read(1 << 20):
                total += len(chunk)
                if total > MAKS_BYTE_TERURAI:
                    hasil.tambah(_galat("ukuran", f"isi arsip melebihi batas {MAKS_BYTE_TERURAI // (1 << 20)} MB"))
                    return None
                buf += chunk
        members[ext] = bytes(buf)
    missing = [e for e in (".shp", ".shx", ".dbf") if e not in members]
    if missing:
        hasil.tambah(_galat("shapefile", f"shapefile tidak lengkap: tidak ada {', '.join(missing)}",
                            value=shp[0].filename))
        return None
    return members


def _baca_shapefile(data: bytes, hasil: HasilBaca) -> list[tuple[dict | None, dict]]:
    import shapefile  # pyshp: imported here so GeoJSON uploads never need it

    hasil.format = "shapefile"
    try:
        arsip = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        hasil.tambah(_galat("format", "berkas .zip rusak atau bukan arsip zip"))
        return []
    members = _zip_terurai(arsip, hasil)
    if members is None:
        return []
    if ".prj" in members:
        hasil.crs = members[".prj"].decode("utf-8", "replace").strip()
    else:
        hasil.tambah(_peringatan("crs", "shapefile tanpa berkas .prj: koordinat dianggap WGS84 (EPSG:4326)"))
    encoding = members.get(".cpg", b"utf-8").decode("ascii", "replace").strip() or "utf-8"
    try:
        reader = shapefile.Reader(shp=io.BytesIO(members[".shp"]), shx=io.BytesIO(members[".shx"]),
                                  dbf=io.BytesIO(members[".dbf"]), encoding=encoding, encodingErrors="replace")
        out = []
        for sr in reader.iterShapeRecords():
            geom = sr.shape.__geo_interface__ if sr.shape.shapeType != shapefile.NULL else None
            out.append((geom, dict(sr.record.as_dict())))
    except (shapefile.ShapefileException, LookupError, ValueError, struct.error) as exc:
        hasil.tambah(_galat("shapefile", f"shapefile tidak dapat dibaca: {exc}"))
        return []
    return out


# --- coordinates ---------------------------------------------------------------------------------------------


def _transformasi(crs_text: str, hasil: HasilBaca):
    """A lon/lat transformer from the file's CRS, None when it already is WGS84; findings on failure."""
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        hasil.tambah(_galat("crs", "sistem koordinat (CRS) berkas tidak dikenali; simpan ulang lapisan dalam "
                                   "WGS84 (EPSG:4326)", column="crs", value=crs_text[:120]))
        return None, False
    epsg = crs.to_epsg(min_confidence=70)
    if epsg == 4326 or (crs.is_geographic and crs.datum and "WGS" in crs.datum.name.upper().replace(" ", "")
                        and "84" in crs.datum.name):
        return None, True
    try:
        transformer = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)
    except CRSError:
        hasil.tambah(_galat("crs", "sistem koordinat berkas tidak dapat diubah ke WGS84 (EPSG:4326)", column="crs",
                            value=crs.name))
        return None, False
    nama = f"EPSG:{epsg}" if epsg else crs.name
    hasil.tambah(_peringatan("crs", f"koordinat diproyeksikan ulang dari {nama} ke WGS84 (EPSG:4326)",
                             column="crs", value=nama))
    hasil.crs = nama
    return transformer, True


def _di_luar_derajat(g) -> bool:
    minx, miny, maxx, maxy = g.bounds
    return not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90)


# --- features ------------------------------------------------------------------------------------------------


def kelas_dari(props: dict[str, Any]) -> tuple[str | None, Any, str | None]:
    """(class, raw value, property name): the first class-like property, case-insensitive."""
    lower = {str(k).lower(): k for k in props}
    for name in KOLOM_KELAS:
        if name in lower:
            key = lower[name]
            raw = props[key]
            text = str(raw).strip().lower() if raw is not None else ""
            if isinstance(raw, float) and raw.is_integer():
                text = str(int(raw))
            return NILAI_KELAS.get(text), raw, str(key)
    return None, None, None


def _polos(value: Any) -> Any:
    """A JSON-safe attribute value (shapefile dates, decimals, bytes)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _perbaiki(g, no: int, hasil: HasilBaca, keluarga: str):
    if g.is_valid:
        return g
    alasan = explain_validity(g)
    fixed = make_valid(g)
    allowed = TIPE_GEOMETRI[keluarga]
    if fixed.geom_type == "GeometryCollection":
        parts = [p for p in fixed.geoms if p.geom_type in allowed]
        fixed = shapely.union_all(parts) if parts else shapely.GeometryCollection()
    if fixed.is_empty or fixed.geom_type not in allowed:
        hasil.tambah(_galat("geometri_tidak_sah", f"geometri tidak sah ({alasan}) dan tidak dapat diperbaiki",
                            row=no, column="geometry", value=g.geom_type))
        return None
    hasil.tambah(_peringatan("geometri_diperbaiki", f"geometri tidak sah ({alasan}); diperbaiki dengan make_valid",
                             row=no, column="geometry", value=g.geom_type))
    return fixed


def _fitur(no: int, geom: dict | None, props: dict, *, jenis: str, transformer, hasil: HasilBaca,
           wilayah) -> FiturBaca | None:
    keluarga = GEOMETRI_JENIS.get(jenis, BEBAS)
    if not geom:
        hasil.tambah(_galat("geometri_kosong", "fitur tanpa geometri", row=no, column="geometry"))
        return None
    try:
        g = shape(geom)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        hasil.tambah(_galat("geometri_rusak", f"geometri tidak dapat dibaca: {exc}", row=no, column="geometry",
                            value=str(geom.get("type")) if isinstance(geom, dict) else None))
        return None
    if g.is_empty:
        hasil.tambah(_galat("geometri_kosong", "geometri kosong", row=no, column="geometry", value=g.geom_type))
        return None
    g = shapely.force_2d(g)  # heights (PolygonZ, LineStringZ) play no part in a zone or a network
    if g.geom_type not in TIPE_GEOMETRI[keluarga]:
        hasil.tambah(_galat("tipe_geometri", f"lapisan jenis '{jenis}' harus berisi {NAMA_GEOMETRI[keluarga]}",
                            row=no, column="geometry", value=g.geom_type))
        return None
    if transformer is not None:
        g = shapely.transform(g, lambda xy: _ubah(transformer, xy))
    if _di_luar_derajat(g) or not shapely.is_valid_input(g) or not all(math.isfinite(b) for b in g.bounds):
        hasil.tambah(_galat("koordinat", "koordinat bukan derajat WGS84 (bujur −180…180, lintang −90…90); periksa "
                                         "sistem koordinat (mungkin UTM tanpa berkas .prj)", row=no,
                            column="coordinates", value=", ".join(f"{b:.1f}" for b in g.bounds)))
        return None
    g = _perbaiki(g, no, hasil, keluarga)
    if g is None:
        return None
    kelas, raw, kolom = kelas_dari(props)
    if jenis == "bahaya" and kelas is None:
        if kolom is None:
            hasil.tambah(_galat("kelas_bahaya", "kelas bahaya tidak ada: isi properti 'kelas' (rendah/sedang/tinggi, "
                                                "low/medium/high atau 1/2/3)", row=no, column="kelas"))
        else:
            hasil.tambah(_galat("kelas_bahaya", "kelas bahaya tidak dikenal: gunakan rendah/sedang/tinggi, "
                                                "low/medium/high atau 1/2/3", row=no, column=kolom, value=raw))
        return None
    if wilayah is not None and not wilayah.intersects(g):
        hasil.tambah(_peringatan("di_luar_wilayah", "fitur berada di luar wilayah kabupaten", row=no,
                                 column="geometry", value=", ".join(f"{b:.4f}" for b in g.bounds)))
    atribut = {str(k)[:60]: _polos(v) for k, v in list(props.items())[:50]}
    return FiturBaca(no, g, kelas or "", atribut)


def _ubah(transformer, xy):
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def baca_lapisan(data: bytes, nama_berkas: str, *, jenis: str, wilayah=None) -> HasilBaca:
    """Read and check a layer file; ``wilayah`` = the regency's (prepared) extent for the outside warning."""
    hasil = HasilBaca()
    if len(data) > MAKS_BYTE:
        hasil.tambah(_galat("ukuran", f"berkas melebihi batas {MAKS_BYTE // (1 << 20)} MB", value=len(data)))
        return hasil
    zipped = data[:4] == b"PK\x03\x04" or nama_berkas.lower().endswith(".zip")
    raw = _baca_shapefile(data, hasil) if zipped else _baca_geojson(data, hasil)
    if hasil.galat:
        return hasil
    if not raw:
        hasil.tambah(_galat("kosong", "lapisan tidak berisi fitur"))
        return hasil
    if len(raw) > MAKS_FITUR:
        hasil.tambah(_galat("ukuran", f"lapisan berisi {len(raw)} fitur; batasnya {MAKS_FITUR}", value=len(raw)))
        return hasil
    transformer = None
    if hasil.crs and hasil.crs != "EPSG:4326":
        transformer, ok = _transformasi(hasil.crs, hasil)
        if not ok:
            return hasil
        if transformer is None:
            hasil.crs = "EPSG:4326"
    titik = 0
    for no, (geom, props) in enumerate(raw, start=1):
        f = _fitur(no, geom, props, jenis=jenis, transformer=transformer, hasil=hasil, wilayah=wilayah)
        if f is None:
            continue
        titik += shapely.get_num_coordinates(f.geometri)
        if titik > MAKS_TITIK:
            hasil.tambah(_galat("ukuran", f"lapisan berisi lebih dari {MAKS_TITIK} titik koordinat", row=no))
            break
        hasil.fitur.append(f)
    return hasil


def geojson_fitur(g) -> dict[str, Any]:
    """GeoJSON geometry of a shapely geometry, coordinates rounded to ~1 cm (7 decimals)."""
    return mapping(shapely.set_precision(g, 1e-7)) if not g.is_empty else mapping(g)
