"""Agency map layers on the dashboards: exposure indicators on the kebencanaan and infrastruktur dashboards,
the hazard overlay on the kebencanaan map, and the "zona bahaya dan keterpaparan" section of the profil desa.

Built on the hand-counted scenario of tests/integration/test_spasial_paparan.py (Sakti: 9 people in 4
buildings with residents, 4 of them in the tinggi zone)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.dashboards.conftest import terbitkan
from tests.integration.test_spasial_paparan import SAKTI, jalan_geojson, skenario, zona_geojson  # noqa: F401


@pytest.fixture
def dasbor_spasial(skenario):  # noqa: F811
    from presisi.dashboards.geo import clear_cache
    from presisi.dashboards.services import dasbor_load
    from presisi.integration.selectors_spasial import hapus_cache
    from presisi.integration.services.spasial import lapisan_unggah

    dasbor_load()
    for kode, data, jenis, bahaya in (("uji-tsunami", zona_geojson(), "bahaya", "tsunami"),
                                      ("uji-jalan", jalan_geojson(), "jalan", "")):
        lapisan_unggah(pengguna=skenario["admin"], berkas=data, nama_berkas=f"{kode}.geojson", kode=kode,
                       jenis=jenis, bahaya=bahaya, nama=f"Lapisan {kode}")
    terbitkan(skenario["periode"])
    clear_cache()
    hapus_cache()
    yield skenario
    clear_cache()
    hapus_cache()


def test_kebencanaan_dashboard_shows_exposure_and_the_hazard_overlay(dasbor_spasial):
    page = Client().get("/dasbor/kebencanaan/", {"indikator": "penduduk_terpapar_tsunami", "wilayah": "51.05.01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Persentase penduduk terpapar bahaya tsunami (kelas sedang–tinggi)" in html
    assert 'class="lapisan-sektor"' in html and 'data-kode="uji-tsunami"' in html
    assert len(re.findall(r'class="zona kelas-(tinggi|sedang|rendah)"', html)) == 3
    assert "Lapisan uji-tsunami" in html  # the caption names the layer drawn
    # Sakti: 4 of 9 people exposed; 4 is below the small-cell limit, so the public sees it hidden
    assert "44,4" not in html and "disembunyikan (sel kecil)" in html
    from django.contrib.auth import get_user_model

    from tests.conftest import masuk

    c = Client()
    masuk(c, get_user_model().objects.get(username="admin_spasial"))
    html = c.get("/dasbor/kebencanaan/", {"indikator": "penduduk_terpapar_tsunami", "wilayah": "51.05.01"}
                 ).content.decode()
    assert "44,4" in html and 'href="/sektor/peta/uji-tsunami/"' in html


def test_infrastruktur_dashboard_shows_road_length(dasbor_spasial):
    html = Client().get("/dasbor/infrastruktur/", {"indikator": "panjang_jalan_km"}).content.decode()
    assert "Panjang jalan di dalam wilayah desa" in html
    assert 'class="garis garis-jalan"' in html
    assert "5,5" in html


def test_profil_desa_lists_zones_and_exposed_counts(dasbor_spasial):
    from django.contrib.auth import get_user_model

    from tests.conftest import masuk

    c = Client()
    masuk(c, get_user_model().objects.get(username="admin_spasial"))
    html = c.get(f"/dasbor/profil/{SAKTI}/").content.decode()
    assert "Zona bahaya dan keterpaparan" in html
    assert "Lapisan uji-tsunami" in html and 'class="kelas-tinggi">tinggi' in html
    row = re.search(r"<th scope=\"row\">tsunami</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td class=\"n[^\"]*\">(.*?)</td>", row)
    assert cells == ["4 (44,4%)", "1 (100,0%)", "1 (100,0%)", "1 (100,0%)", "2 (40,0%)"]
