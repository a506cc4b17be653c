"""Exposure to hazard zones, hand-counted: 5 buildings in one desa, zones over some of them, known residents.

Desa Sakti gets a square boundary (115.00–115.10 E, 8.80–8.70 S). Buildings:

    b1 (115.010, -8.750)  tinggi zone                 residents: adult 30, under-five 2, elderly 70 (WG disability)
    b2 (115.020, -8.750)  tinggi and sedang (overlap)  residents: adult 40; a dead resident (not counted)
    b3 (115.045, -8.750)  rendah zone only            residents: adult 25
    b4 (115.080, -8.750)  outside every zone           residents: 4 adults
    b5 (115.090, -8.790)  outside, nobody lives there

So for each hazard: tinggi = b1 + b2 (4 people: 1 under-five, 1 elderly, 1 disabled), rendah = b3 (1 person);
indicator total (sedang–tinggi) = 4 of 9 people, 1 of 1 under-five, 1 of 1 elderly, 1 of 1 disabled,
2 of 5 buildings. A 5 km road crosses the desa from 114.95 to 115.05 E along 8.75 S: ~5.5 km inside.
"""

from __future__ import annotations

import json

import pytest
from shapely.geometry import box, mapping

from presisi.integration.services.spasial_paparan import BAHAYA_JENIS, JARINGAN, UKURAN, kode_indikator

COVERED_KEBENCANAAN = [kode_indikator(u, b) for b in BAHAYA_JENIS for u in UKURAN]
COVERED_INFRASTRUKTUR = list(JARINGAN.values())
SAKTI = "51.05.01.2001"
BANJAR = "51.05.01.2001.001"
KOTAK = box(115.00, -8.80, 115.10, -8.70)


def _f(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def zona_geojson() -> bytes:
    feats = [
        _f({"kelas": "tinggi"}, box(115.005, -8.76, 115.025, -8.74)),
        _f({"KELAS": "2"}, box(115.015, -8.76, 115.035, -8.74)),
        _f({"class": "low"}, box(115.04, -8.76, 115.05, -8.74)),
    ]
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def jalan_geojson() -> bytes:
    line = {"type": "LineString", "coordinates": [[114.95, -8.75], [115.05, -8.75]]}
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "jalan uji"}, "geometry": line}]}).encode()


@pytest.fixture
def skenario(db):
    from presisi.accounts.services import pengguna_create
    from presisi.indicators.engine import hitung_indikator
    from presisi.regions.models import Wilayah
    from presisi.registry.models import Bangunan
    from tests.indicators.conftest import born, load_standard_base
    from tests.integration.conftest import PASSWORD

    b = load_standard_base()
    Wilayah.objects.filter(kode=SAKTI).update(geometri=mapping(KOTAK))
    banjar = Wilayah.objects.get(kode=BANJAR)
    coords = [(115.010, -8.750), (115.020, -8.750), (115.045, -8.750), (115.080, -8.750), (115.090, -8.790)]
    gedung = [Bangunan.objects.create(kode=f"BG-UJI-{i}", lng=x, lat=y, banjar=banjar, desa=banjar.induk)
              for i, (x, y) in enumerate(coords, start=1)]
    residents = [
        [{"lahir": born(30)}, {"lahir": born(2)}, {"lahir": born(70), "wg_berjalan": 3}],
        [{"lahir": born(40)}, {"lahir": born(45), "status": 2}],
        [{"lahir": born(25)}],
        [{"lahir": born(30)}, {"lahir": born(31)}, {"lahir": born(32)}, {"lahir": born(33)}],
    ]
    for g, members in zip(gedung, residents, strict=False):
        rt = b.household("A1", members)
        rt.bangunan = g
        rt.save(update_fields=["bangunan"])
    from presisi.periods.models import Periode
    from tests.indicators.conftest import REF

    periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=REF.replace(month=7, day=1), tanggal_referensi=REF)
    hitung_indikator(periode=periode)
    admin = pengguna_create(username="admin_spasial", password=PASSWORD, peran="admin", wilayah_kode="51.05")
    return {"periode": periode, "admin": admin}


def _fakta(kode: str, wilayah: str = SAKTI, disagregasi: str = "total"):
    from presisi.indicators.models import NilaiIndikator

    f = NilaiIndikator.objects.get(indikator__kode=kode, wilayah__kode=wilayah, disagregasi=disagregasi)
    return f.pembilang, f.penyebut, None if f.nilai is None else round(f.nilai, 3)


@pytest.mark.parametrize("bahaya", list(BAHAYA_JENIS))
def test_exposure_hand_counted_per_hazard(skenario, bahaya):
    from presisi.integration.services.spasial import lapisan_unggah

    r = lapisan_unggah(pengguna=skenario["admin"], berkas=zona_geojson(), nama_berkas="zona.geojson",
                       kode=f"uji-{bahaya}", jenis="bahaya", bahaya=bahaya)
    assert r.status == "baru" and r.fitur == 3 and r.kelas == {"tinggi": 1, "sedang": 1, "rendah": 1}
    assert _fakta(kode_indikator("penduduk", bahaya)) == (4, 9, round(400 / 9, 3))
    assert _fakta(kode_indikator("balita", bahaya)) == (1, 1, 100.0)
    assert _fakta(kode_indikator("lansia", bahaya)) == (1, 1, 100.0)
    assert _fakta(kode_indikator("disabilitas", bahaya)) == (1, 1, 100.0)
    assert _fakta(kode_indikator("bangunan", bahaya)) == (2, 5, 40.0)
    # per class: the highest class of each building (b2 is in tinggi and sedang → tinggi only)
    assert _fakta(kode_indikator("penduduk", bahaya), disagregasi="kelas:tinggi")[:2] == (4, 9)
    assert _fakta(kode_indikator("penduduk", bahaya), disagregasi="kelas:rendah")[:2] == (1, 9)
    from presisi.indicators.models import NilaiIndikator

    assert not NilaiIndikator.objects.filter(disagregasi="kelas:sedang").exists()
    # rolled up: the kecamatan and the regency sum their desa (only Sakti has people)
    assert _fakta(kode_indikator("penduduk", bahaya), "51.05.01")[:2] == (4, 9)
    assert _fakta(kode_indikator("bangunan", bahaya), "51.05")[:2] == (2, 5)


def test_recompute_of_the_period_keeps_exposure(skenario):
    from presisi.indicators.engine import hitung_indikator
    from presisi.integration.services.spasial import lapisan_unggah

    lapisan_unggah(pengguna=skenario["admin"], berkas=zona_geojson(), nama_berkas="zona.geojson", kode="uji-tsunami",
                   jenis="bahaya", bahaya="tsunami")
    hitung_indikator(periode=skenario["periode"])  # the engine's recompute calls the exposure again (signal)
    assert _fakta("penduduk_terpapar_tsunami") == (4, 9, round(400 / 9, 3))


def test_road_length_per_desa(skenario):
    from presisi.integration.services.spasial import lapisan_unggah

    lapisan_unggah(pengguna=skenario["admin"], berkas=jalan_geojson(), nama_berkas="jalan.geojson", kode="uji-jalan",
                   jenis="jalan")
    km, _den, nilai = _fakta("panjang_jalan_km")
    # 0.05° of longitude at 8.75° S ≈ 5.50 km (geodesic)
    assert km == pytest.approx(5.50, abs=0.02) and nilai == pytest.approx(km, abs=0.01)
    assert _fakta("panjang_jalan_km", "51.05")[0] == pytest.approx(km, abs=0.01)


def test_exposure_table_rows(skenario):
    from presisi.integration.services.spasial import lapisan_unggah
    from presisi.integration.services.spasial_paparan import hitung_paparan

    lapisan_unggah(pengguna=skenario["admin"], berkas=zona_geojson(), nama_berkas="zona.geojson", kode="uji-banjir",
                   jenis="bahaya", bahaya="banjir")
    rows = hitung_paparan(periode=skenario["periode"]).baris()
    assert rows == [
        {"kode_desa": SAKTI, "nama_desa": "Sakti", "bahaya": "banjir", "kelas": "rendah", "penduduk": 1, "balita": 0,
         "lansia": 0, "disabilitas": 0, "bangunan": 1},
        {"kode_desa": SAKTI, "nama_desa": "Sakti", "bahaya": "banjir", "kelas": "tinggi", "penduduk": 4, "balita": 1,
         "lansia": 1, "disabilitas": 1, "bangunan": 2},
    ]
