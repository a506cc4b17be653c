"""Uploading agency map layers: checks, findings in Bahasa Indonesia, versions, idempotence, dry run, who."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box, mapping

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.integration.models import FiturSpasial, LapisanSpasial
from presisi.integration.services.spasial import lapisan_unggah
from presisi.integration.services.spasial_baca import baca_lapisan
from tests.integration.conftest import PASSWORD

BOWTIE = {"type": "Polygon", "coordinates": [[[115.40, -8.55], [115.42, -8.53], [115.42, -8.55], [115.40, -8.53],
                                               [115.40, -8.55]]]}


def fc(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feat(geom, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geom if isinstance(geom, dict) else mapping(geom)}


def shapefile_zip(polys, kelas, prj: str | None) -> bytes:
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    w.field("KELAS", "C", size=10)
    for p, k in zip(polys, kelas, strict=True):
        w.poly([list(p.exterior.coords)[::-1]])  # shapefile outer rings are clockwise
        w.record(k)
    w.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("zona.shp", shp.getvalue())
        z.writestr("zona.shx", shx.getvalue())
        z.writestr("zona.dbf", dbf.getvalue())
        if prj is not None:
            z.writestr("zona.prj", prj)
    return out.getvalue()


@pytest.fixture
def pengguna(wilayah_klungkung, kamus):
    from presisi.accounts.services import pengguna_create

    return {
        "admin": pengguna_create(username="adm", password=PASSWORD, peran="admin", wilayah_kode="51.05"),
        "bpbd": pengguna_create(username="wbpbd", password=PASSWORD, peran="walidata", wilayah_kode="51.05",
                                sektor=["bpbd"]),
        "dinkes": pengguna_create(username="wdinkes", password=PASSWORD, peran="walidata", wilayah_kode="51.05",
                                  sektor=["dinkes"]),
        "analis": pengguna_create(username="analis1", password=PASSWORD, peran="analis", wilayah_kode="51.05"),
    }


def unggah(user, data, kode="zona-uji", jenis="bahaya", bahaya="tsunami", **kw):
    return lapisan_unggah(pengguna=user, berkas=data, nama_berkas=kw.pop("nama_berkas", "zona.geojson"), kode=kode,
                          jenis=jenis, bahaya=bahaya, **kw)


def test_valid_upload_then_same_file_changes_nothing(pengguna):
    from presisi.core.models import AuditLog

    data = fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas="Tinggi"), feat(box(115.41, -8.56, 115.42, -8.55),
                                                                            tingkat=1))
    r = unggah(pengguna["bpbd"], data)
    assert (r.status, r.versi, r.fitur, r.kelas) == ("baru", 1, 2, {"tinggi": 1, "rendah": 1})
    layer = LapisanSpasial.objects.get(kode="zona-uji")
    assert layer.sektor.kode == "bpbd" and layer.diunggah_oleh.username == "wbpbd"
    again = unggah(pengguna["bpbd"], data)
    assert (again.status, again.versi) == ("tidak_berubah", 1)
    assert AuditLog.objects.filter(aksi="integration.spasial.diunggah").count() == 1


def test_new_version_replaces_features_and_is_audited(pengguna):
    from presisi.core.models import AuditLog

    unggah(pengguna["bpbd"], fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas="sedang")))
    r = unggah(pengguna["admin"], fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas="high"),
                                     feat(box(115.43, -8.56, 115.44, -8.55), kelas="medium")))
    assert (r.status, r.versi) == ("versi_baru", 2)
    layer = LapisanSpasial.objects.get(kode="zona-uji")
    assert sorted(FiturSpasial.objects.filter(lapisan=layer).values_list("kelas", flat=True)) == ["sedang", "tinggi"]
    assert [h["versi"] for h in layer.ringkasan["riwayat"]] == [2, 1]
    last = AuditLog.objects.filter(aksi="integration.spasial.diunggah").order_by("-id").first()
    assert last.sebelum["versi"] == 1 and last.sebelum["diunggah_oleh"] == "wbpbd"
    assert last.sesudah["versi"] == 2 and last.sesudah["diunggah_oleh"] == "adm"


def test_dry_run_writes_nothing(pengguna):
    r = unggah(pengguna["bpbd"], fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas=3)), dry_run=True)
    assert (r.status, r.fitur) == ("uji", 1)
    assert not LapisanSpasial.objects.exists() and not FiturSpasial.objects.exists()


def test_self_intersection_is_fixed_and_reported(pengguna):
    r = unggah(pengguna["bpbd"], fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas="rendah"),
                                    feat(BOWTIE, kelas="sedang")))
    assert r.fitur == 2
    [w] = [f for f in r.peringatan if f.rule == "geometri_diperbaiki"]
    assert w.row == 2 and "Self-intersection" in w.message and "make_valid" in w.message
    from shapely.geometry import shape

    g = shape(FiturSpasial.objects.get(urutan=2).geometri)
    assert g.is_valid and g.geom_type == "MultiPolygon"


def _galat(exc) -> list:
    return [(f.rule, f.row, f.column, f.value) for f in exc.value.findings if f.severity == "error"]


def test_bad_class_value_names_feature_property_value_rule(pengguna):
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["bpbd"], fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas="rendah"),
                                    feat(box(115.41, -8.56, 115.42, -8.55), KELAS="ekstrem"),
                                    feat(box(115.42, -8.56, 115.43, -8.55), nama="tanpa kelas")))
    assert _galat(exc) == [("kelas_bahaya", 2, "KELAS", "ekstrem"), ("kelas_bahaya", 3, "kelas", None)]
    assert "rendah/sedang/tinggi" in exc.value.findings[0].message
    assert not LapisanSpasial.objects.exists()


def test_heights_are_dropped(pengguna):
    z = {"type": "Polygon", "coordinates": [[[115.40, -8.56, 5], [115.41, -8.56, 6], [115.41, -8.55, 7],
                                             [115.40, -8.56, 5]]]}
    unggah(pengguna["bpbd"], fc(feat(z, kelas="tinggi")))
    assert len(FiturSpasial.objects.get().geometri["coordinates"][0][0]) == 2


def test_wrong_geometry_type_for_the_layer_kind(pengguna):
    line = {"type": "LineString", "coordinates": [[115.40, -8.55], [115.42, -8.55]]}
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["bpbd"], fc(feat(line, kelas="tinggi")))
    assert _galat(exc) == [("tipe_geometri", 1, "geometry", "LineString")]
    assert "poligon" in exc.value.findings[0].message
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["admin"], fc(feat(box(115.40, -8.56, 115.41, -8.55))), kode="jalan-uji", jenis="jalan",
               bahaya="")
    assert _galat(exc) == [("tipe_geometri", 1, "geometry", "Polygon")]


def test_projected_coordinates_without_crs_are_refused(pengguna):
    utm = {"type": "Polygon", "coordinates": [[[320000, 9050000], [321000, 9050000], [321000, 9051000],
                                               [320000, 9050000]]]}
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["bpbd"], fc(feat(utm, kelas="tinggi")))
    assert [f[0] for f in _galat(exc)] == ["koordinat"]
    assert "WGS84" in exc.value.findings[0].message


def test_unknown_crs_is_refused_with_a_clear_message(pengguna):
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:XYZ::1"}},
           "features": [feat(box(115.40, -8.56, 115.41, -8.55), kelas="tinggi")]}
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["bpbd"], json.dumps(doc).encode())
    assert [f[0] for f in _galat(exc)] == ["crs"]
    assert "tidak dikenali" in exc.value.findings[0].message


def test_zipped_shapefile_in_utm_is_reprojected(pengguna):
    from pyproj import CRS, Transformer
    from shapely.ops import transform

    to_utm = Transformer.from_crs(4326, 32750, always_xy=True).transform
    polys = [transform(to_utm, box(115.40, -8.56, 115.41, -8.55)), transform(to_utm, box(115.41, -8.56, 115.42,
                                                                                             -8.55))]
    data = shapefile_zip(polys, ["3", "1"], CRS.from_epsg(32750).to_wkt(version="WKT1_ESRI"))
    r = unggah(pengguna["bpbd"], data, nama_berkas="zona.zip")
    assert (r.format, r.crs, r.kelas) == ("shapefile", "EPSG:32750", {"tinggi": 1, "rendah": 1})
    assert any(f.rule == "crs" and "EPSG:32750" in f.message for f in r.peringatan)
    f1 = FiturSpasial.objects.get(urutan=1)
    assert (round(f1.min_x, 4), round(f1.min_y, 4), round(f1.max_x, 4)) == (115.40, -8.56, 115.41)


def test_shapefile_without_dbf_is_refused(pengguna):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.shp", b"x" * 100)
        z.writestr("a.shx", b"x" * 100)
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["bpbd"], out.getvalue(), nama_berkas="a.zip")
    assert "tidak ada .dbf" in exc.value.findings[0].message


def test_outside_the_regency_is_a_warning(pengguna, batas_klungkung):
    r = unggah(pengguna["bpbd"], fc(feat(box(110.0, -7.0, 110.01, -6.99), kelas="sedang")))
    assert [(f.rule, f.row) for f in r.peringatan] == [("di_luar_wilayah", 1)]


def test_who_may_upload(pengguna):
    data = fc(feat(box(115.40, -8.56, 115.41, -8.55), kelas="sedang"))
    for peran in ("dinkes", "analis"):
        with pytest.raises(PermissionDenied):
            unggah(pengguna[peran], data)
    unggah(pengguna["bpbd"], data)
    # a layer keeps its sector: the walidata of another sector cannot overwrite it
    with pytest.raises(PermissionDenied):
        unggah(pengguna["dinkes"], data, jenis="bahaya")


def test_inputs_are_checked_before_reading(pengguna):
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["admin"], b"{}", kode="Bad Kode!", jenis="sungai", bahaya="")
    assert {f.rule for f in exc.value.findings} == {"kode", "jenis"}
    with pytest.raises(ValidationFailed) as exc:
        unggah(pengguna["admin"], b"{}", bahaya="meteor")
    assert [f.rule for f in exc.value.findings] == ["bahaya"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                      st.recursive(st.none() | st.integers() | st.text(max_size=5),
                                   lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c,
                                                                                       max_size=3))
                      .map(lambda v: json.dumps({"type": "FeatureCollection", "features": [
                          {"type": "Feature", "geometry": v, "properties": {"kelas": v}}]}).encode())))
def test_no_input_crashes_the_reader(data):
    hasil = baca_lapisan(data, "x.geojson", jenis="bahaya")
    assert hasil.galat or hasil.fitur
