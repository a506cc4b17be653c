"""Server-side SVG: the choropleth map (polygons, points, grid), classes and legend, charts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from presisi.dashboards import geo
from presisi.dashboards.geo import FiturInput, tata_letak
from presisi.dashboards.halaman import Permintaan, halaman_dasbor
from presisi.dashboards.klasifikasi import PALET, TANPA_DATA, klasifikasi
from presisi.dashboards.svg_grafik import Kelompok, Seri, piramida_svg, tren_svg
from presisi.dashboards.svg_peta import Wilayah as Titik
from presisi.dashboards.svg_peta import peta_svg
from presisi.regions.models import Wilayah

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    geo.clear_cache()
    yield
    geo.clear_cache()


@pytest.fixture
def boundaries(data, reference_data):
    from presisi.regions.services import wilayah_load_boundaries

    return wilayah_load_boundaries(data=reference_data / "klungkung_desa.geojson")


def analis_page(**get):
    analis = get_user_model().objects.get(username="analis")
    return halaman_dasbor(user=analis, req=Permintaan.dari("uji", get))


def test_regency_map_has_a_simplified_path_per_desa_with_classes_legend_and_drill_links(boundaries):
    h = analis_page(indikator="uji_penduduk")
    svg = str(h.peta)
    n_desa = Wilayah.objects.filter(kedalaman=4).count()
    assert svg.count("<path d=") >= n_desa  # every desa (plus kecamatan boundaries)
    assert len(re.findall(r'class="wilayah kelas-(\d|kosong)', svg)) == n_desa
    assert 'class="wilayah kelas-' in svg and 'class="legenda"' in svg and "Legenda" in svg
    assert 'href="/dasbor/uji/?wilayah=51.05.01.2001&amp;indikator=uji_penduduk"' in svg  # click to drill
    assert 'aria-label="Sakti: 18 jiwa"' in svg and "<title>Sakti: 18 jiwa</title>" in svg  # name + value + unit
    assert 'class="garis-kelompok"' in svg  # kecamatan boundaries over the desa
    assert len(svg) < 60_000  # simplified: a few tens of KB for 59 polygons


def test_layouts_are_cached_per_region_set(boundaries, django_assert_num_queries):
    fitur = [FiturInput(w.kode, w.lat, w.lng) for w in Wilayah.objects.filter(kode__startswith="51.05.01.")
             .filter(kedalaman=4)]
    first = tata_letak(fitur)
    with django_assert_num_queries(0):
        assert tata_letak(fitur) is first
    assert first.mode == geo.POLIGON and all(b.path.startswith("M") for b in first.bentuk.values())


def test_regions_without_geometry_are_drawn_as_points_at_their_label_point(data):
    Wilayah.objects.filter(kode__in=["51.05.01.2001", "51.05.01.2002"]).update(lat=-8.71, lng=115.48)
    Wilayah.objects.filter(kode="51.05.01.2003").update(lat=-8.72, lng=115.52)
    h = analis_page(wilayah="51.05.01")
    svg = str(h.peta)
    assert "peta-titik" in svg and svg.count("<circle") == 3 and "<path d=" not in svg.split("legenda")[0]


def test_regions_without_any_location_are_laid_out_as_a_grid_of_labelled_squares(data):
    h = analis_page(wilayah="51.05.01.2001", indikator="uji_lansia")
    svg = str(h.peta)
    assert "peta-grid" in svg and svg.count("<rect x=") >= 2
    assert ">Kaja<" in svg and ">Kelod<" in svg  # short banjar names as labels
    assert 'href="/dasbor/uji/?wilayah=51.05.01.2001.001&amp;indikator=uji_lansia"' in svg


def test_banjar_squares_sit_on_the_desa_silhouette_when_the_desa_has_a_polygon(boundaries):
    svg = str(analis_page(wilayah="51.05.01.2001").peta)
    assert 'class="latar"' in svg and "peta-grid" in svg


def test_quantile_classes_and_palette_reversed_when_lower_is_better():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None]
    up = klasifikasi(values, arah="naik")
    down = klasifikasi(values, arah="turun")
    assert len(up.warna) == 5 and up.batas[0] == 1 and up.batas[-1] == 10
    assert up.warna_untuk(10) == PALET[-1] and down.warna_untuk(10) == PALET[0]
    assert up.warna_untuk(None) == TANPA_DATA and up.indeks(1) == 0
    fixed = klasifikasi([3.0, 55.0, 97.0], metode="tetap", satuan="persen")
    assert fixed.batas == (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
    assert klasifikasi([None, None]).warna == ()
    assert len(klasifikasi([5, 5, 5]).warna) == 1
    two = klasifikasi([0.0, 0.0, 100.0, 100.0, 0.0])  # few distinct values: one class each
    assert two.tunggal and two.warna_untuk(0.0) != two.warna_untuk(100.0)


def test_map_colours_hidden_values_as_no_data_and_escapes_names():
    letak = geo.TataLetak(100, 100, geo.TITIK, {"a": geo.Bentuk("a", titik=(10, 10)),
                                                "b": geo.Bentuk("b", titik=(50, 50))})
    kelas = klasifikasi([1.0, 2.0])
    svg = peta_svg(letak, [Titik("a", "A <&>", 1.0, "A <&>: 1"), Titik("b", "B", None, "B: <5", disembunyikan=True)],
                   kelas, id_="p", judul="Uji")
    assert "A &lt;&amp;&gt;" in svg and "<&>" not in svg
    assert f'fill="{TANPA_DATA}"' in svg and "kelas-kosong" in svg


def test_trend_chart_and_pyramid_are_svg_with_titles():
    trend = tren_svg(["2026-S1", "2026-S2"], [Seri("Desa", (1.0, 2.0)), Seri("Kab", (None, 3.0), putus=True)],
                     id_="t", judul="Tren")
    assert trend.startswith("<svg") and "<polyline" in trend and "stroke-dasharray" in trend
    assert trend.count("<circle") == 3
    pyramid = piramida_svg([Kelompok("0–4", 10, None), Kelompok("75+", 3, 4)], id_="pp", judul="Piramida")
    assert pyramid.count("<rect x=") == 3 and "&lt;5" in pyramid and "Laki-laki" in pyramid


def test_optional_basemap_is_an_image_under_the_regions(boundaries, settings):
    settings.PRESISI_BASEMAP_URL = "https://peta.example/wms?bbox={minx},{miny},{maxx},{maxy}&w={width}&h={height}"
    svg = str(analis_page(wilayah="51.05.01").peta)
    image = re.search(r'<image class="peta-dasar" href="([^"]+)"', svg)
    assert image and image.group(1).startswith("https://peta.example/wms?bbox=115.")
    assert svg.index("<image") < svg.index('class="wilayah ')
    settings.PRESISI_BASEMAP_URL = ""
    assert "<image" not in str(analis_page(wilayah="51.05.01").peta)


def test_profile_map_shows_the_desa_among_the_desa_touching_it(boundaries):
    from presisi.dashboards.profil import peta_profil_fitur
    from presisi.dashboards.selectors import wilayah_konteks

    shown, near = peta_profil_fitur(wilayah_konteks("51.05.01.2001"))
    assert "51.05.01.2003" in near and "51.05.02.2001" not in near  # Klumpu touches Sakti; the mainland does not
    assert {w.kode for w in shown} == {"51.05.01.2001", *near}
