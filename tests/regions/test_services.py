"""Region list and boundary loading: counts, idempotence, every kind of refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from presisi.core.exceptions import ValidationFailed
from presisi.regions.models import Wilayah
from presisi.regions.services import wilayah_load_boundaries, wilayah_load_csv

pytestmark = pytest.mark.django_db

HEADER = "kode,nama,tingkat,kode_induk\n"


def test_shipped_klungkung_list_has_official_counts_and_codes(wilayah_klungkung):
    assert Wilayah.objects.filter(tingkat="kabupaten").count() == 1
    assert Wilayah.objects.filter(tingkat="kecamatan").count() == 4
    assert Wilayah.objects.filter(tingkat="desa").count() == 53
    assert Wilayah.objects.filter(tingkat="kelurahan").count() == 6
    sakti = Wilayah.objects.get(kode="51.05.01.2001")
    assert (sakti.nama, sakti.tingkat, sakti.induk.kode) == ("Sakti", "desa", "51.05.01")
    assert set(Wilayah.objects.filter(tingkat="kelurahan").values_list("induk__kode", flat=True)) == {"51.05.03"}
    # the province is created from the built-in province list
    assert Wilayah.objects.get(kode="51").nama == "Bali"
    assert wilayah_klungkung.dibuat == 65


def test_reloading_the_same_list_changes_nothing(wilayah_klungkung):
    again = wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    assert (again.dibuat, again.diubah, again.tetap) == (0, 0, 64)


def test_a_renamed_region_is_updated_not_duplicated(wilayah_klungkung):
    csv = HEADER + "51.05.01.2001,Sakti Baru,desa,51.05.01\n"
    summary = wilayah_load_csv(data=csv)
    assert summary.diubah == 1
    assert Wilayah.objects.get(kode="51.05.01.2001").nama == "Sakti Baru"
    assert Wilayah.objects.filter(kode="51.05.01.2001").count() == 1


def test_all_of_bali_loads_the_same_way(reference_data):
    summary = wilayah_load_csv(data=reference_data / "bali" / "bali_wilayah.csv")
    assert Wilayah.objects.count() == 783
    assert Wilayah.objects.filter(tingkat="kabupaten").count() + Wilayah.objects.filter(tingkat="kota").count() == 9
    assert summary.per_tingkat["provinsi"] == 1


def test_undotted_codes_are_accepted():
    wilayah_load_csv(data=HEADER + "5106,Kabupaten Bangli,kabupaten,51\n510601,Susut,kecamatan,5106\n")
    assert Wilayah.objects.get(kode="51.06.01").induk.kode == "51.06"


@pytest.mark.parametrize(
    ("rows", "rule", "column"),
    [
        ("51.05,Klungkung,kabupaten,51\n51.05.1,Salah,kecamatan,51.05\n", "kode_wilayah", "kode"),
        ("51.05,Klungkung,kabupaten,51\n51.05.01,Nusa Penida,kecamatan,51.09\n", "induk_salah", "kode_induk"),
        ("51.05.01,Nusa Penida,kecamatan,51.05\n", "induk_tidak_dikenal", "kode_induk"),
        ("51.05,Klungkung,kabupaten,51\n51.05,Klungkung,kabupaten,51\n", "kode_ganda", "kode"),
        ("51.05,Klungkung,kabupaten,51\n51.05.01,,kecamatan,51.05\n", "nama_wajib", "nama"),
        ("51.75,Klungkung,kabupaten,51\n", "kode_wilayah", "kode"),
        ("51.05,Klungkung,kabupaten,51\n51.05.01,A,kecamatan,51.05\n51.05.01.1001,B,desa,51.05.01\n",
         "kode_wilayah", "kode"),
        ("51.05,Klungkung,dusun-besar,51\n", "kode_wilayah", "tingkat"),
    ],
)
def test_bad_rows_are_refused_with_row_column_and_nothing_is_written(rows, rule, column):
    with pytest.raises(ValidationFailed) as err:
        wilayah_load_csv(data=HEADER + rows)
    finding = err.value.findings[0]
    assert finding.rule == rule
    assert finding.column == column
    assert finding.row is not None and finding.row >= 2
    assert Wilayah.objects.count() == 0


def test_wrong_columns_empty_file_and_wrong_encoding_are_refused():
    with pytest.raises(ValidationFailed) as err:
        wilayah_load_csv(data="code,name\n51,Bali\n")
    assert err.value.findings[0].rule == "kolom_wajib"
    with pytest.raises(ValidationFailed):
        wilayah_load_csv(data="")
    with pytest.raises(ValidationFailed) as err:
        wilayah_load_csv(data=(HEADER + "51.05,Klüngkung,kabupaten,51\n").encode("utf-16"))
    assert err.value.findings[0].rule == "encoding"
    assert Wilayah.objects.count() == 0


def test_one_bad_row_among_good_ones_writes_nothing(wilayah_klungkung):
    before = Wilayah.objects.count()
    csv = HEADER + "51.05.01.2099,Baru,desa,51.05.01\n51.05.01.2100,Rusak,desa,51.05.77\n"
    with pytest.raises(ValidationFailed) as err:
        wilayah_load_csv(data=csv)
    assert [f.row for f in err.value.findings] == [3]
    assert Wilayah.objects.count() == before


def test_klungkung_boundaries_match_all_59_and_derive_kecamatan(batas_klungkung):
    assert batas_klungkung.cocok == 59
    assert batas_klungkung.cocok_kode == 59
    assert batas_klungkung.fitur_tidak_cocok == []
    assert batas_klungkung.wilayah_tanpa_batas == []
    assert batas_klungkung.induk_diturunkan == 5  # 4 kecamatan + the kabupaten
    nusa_penida = Wilayah.objects.get(kode="51.05.01")
    assert 200 < nusa_penida.luas_km2 < 215  # digitised 208.95 km²
    from shapely.geometry import Point, shape

    sakti = Wilayah.objects.get(kode="51.05.01.2001")
    assert shape(sakti.geometri).contains(Point(sakti.lng, sakti.lat))


def test_boundaries_match_by_normalised_name_when_codes_are_missing(wilayah_klungkung, reference_data):
    doc = json.loads((reference_data / "klungkung_desa.geojson").read_text())
    for feat in doc["features"]:
        props = feat["properties"]
        feat["properties"] = {"NAMOBJ": None, "nama": "DESA " + props["nama"].upper().replace("KLOD", "KELOD")}
    doc["features"].append({"type": "Feature", "properties": {"nama": "Atlantis"},
                            "geometry": doc["features"][0]["geometry"]})
    report = wilayah_load_boundaries(data=json.dumps(doc))
    assert report.cocok_nama == 59
    assert report.fitur_tidak_cocok == [{"fitur": 60, "kode": "", "nama": "Atlantis"}]


def test_self_intersecting_geometry_rejects_the_whole_file(wilayah_klungkung, reference_data):
    doc = json.loads((reference_data / "klungkung_desa.geojson").read_text())
    bowtie = {"type": "Polygon", "coordinates": [[[115.4, -8.7], [115.5, -8.8], [115.5, -8.7], [115.4, -8.8],
                                                   [115.4, -8.7]]]}
    doc["features"][3]["geometry"] = bowtie
    with pytest.raises(ValidationFailed) as err:
        wilayah_load_boundaries(data=json.dumps(doc))
    assert err.value.findings[0].row == 4
    assert "Self-intersection" in err.value.findings[0].message
    assert not Wilayah.objects.filter(geometri__isnull=False).exists()


@pytest.mark.parametrize(
    "geometry",
    [None, {"type": "Point", "coordinates": [115.4, -8.7]},
     {"type": "Polygon", "coordinates": [[[1115.4, -8.7], [1115.5, -8.8], [1115.5, -8.7], [1115.4, -8.7]]]}],
)
def test_missing_wrong_type_or_out_of_range_geometry_is_refused(wilayah_klungkung, geometry):
    doc = {"type": "FeatureCollection",
           "features": [{"type": "Feature", "properties": {"kode": "51.05.01.2001"}, "geometry": geometry}]}
    with pytest.raises(ValidationFailed):
        wilayah_load_boundaries(data=json.dumps(doc))
    assert not Wilayah.objects.filter(geometri__isnull=False).exists()


def test_not_geojson_is_refused(wilayah_klungkung):
    with pytest.raises(ValidationFailed):
        wilayah_load_boundaries(data="{not json")
    with pytest.raises(ValidationFailed):
        wilayah_load_boundaries(data='{"type": "FeatureCollection", "features": []}')


def test_other_regencies_boundaries_load_the_same_way(reference_data, tmp_path):
    lines = (reference_data / "bali" / "bali_wilayah.csv").read_text().splitlines()
    bangli = [lines[0]] + [ln for ln in lines[1:] if ln.startswith("51.06")]
    wilayah_load_csv(data="\n".join(bangli) + "\n")
    report = wilayah_load_boundaries(data=reference_data / "bali" / "bangli_desa.geojson")
    assert report.cocok == 72
    assert Wilayah.objects.get(kode="51.06").geometri is not None
