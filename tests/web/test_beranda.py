"""The home and region pages orient a reader (issue #13): the regency's name, a map of desa coloured by a
headline indicator, the current period and its progress, links to the dashboards and the village profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction

from tests.dashboards.conftest import _build

pytestmark = pytest.mark.django_db
DESA = "51.05.01.2001"
SHAPE = re.compile(r'<path d="[^"]+" [^>]*class="wilayah[ "]')


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The dashboards' hand-made data with the shipped desa boundaries and an open period in progress."""
    from django.conf import settings

    from presisi.dashboards.geo import clear_cache
    from presisi.regions.services import wilayah_load_boundaries
    from presisi.updates.services import periode_buka

    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        wilayah_load_boundaries(data=Path(settings.PRESISI_BOUNDARY_FILE))
        built["berjalan"] = periode_buka(kode="2027-S1", tenggat="2027-06-30",
                                         pengguna=built["admin"])
        clear_cache()
        yield built
        transaction.set_rollback(True)
    clear_cache()


def _h1(html: str) -> str:
    inner = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", inner).strip()


def test_home_names_the_regency_and_maps_every_desa(site, client):
    from presisi.regions.models import Wilayah

    html = client.get("/").content.decode()
    assert _h1(html).startswith("Kabupaten Klungkung")
    desa = Wilayah.objects.desa_kelurahan().count()
    assert desa == 59
    peta = html.split('<svg xmlns="http://www.w3.org/2000/svg" id="peta"')[1].split("</svg>")[0]
    assert len(SHAPE.findall(peta)) == desa  # one shape per desa
    assert 'href="/wilayah/51.05.01.2001/"' in peta  # a desa links to its own page
    assert "Persentase lansia uji" in html  # the headline indicator
    # zoom to a kecamatan, and every desa as a tappable row
    assert 'class="zoom-peta"' in html and 'href="/wilayah/51.05.01/"' in html
    assert html.count('<li><a href="/wilayah/51.05.') >= desa


def test_home_shows_the_period_its_progress_and_links_to_every_dashboard_and_profiles(site, client):
    html = client.get("/").content.decode()
    assert "2027-S1" in html and 'class="sumbar"' in html  # the current period and its progress
    for kode in ("uji", "pulau"):
        assert f'href="/dasbor/{kode}/"' in html
    assert 'href="/dasbor/#judul-profil"' in html


def test_region_pages_link_to_dashboards_and_profiles_for_that_region(site, client):
    kec = client.get("/wilayah/51.05.01/").content.decode()
    assert _h1(kec).startswith("Kecamatan Nusa Penida")
    assert 'href="/dasbor/uji/?wilayah=51.05.01"' in kec
    assert f'href="/dasbor/profil/{DESA}/"' in kec  # each desa row links to its profile
    desa = client.get(f"/wilayah/{DESA}/").content.decode()
    assert _h1(desa).startswith("Desa Sakti")
    assert f'href="/dasbor/uji/?wilayah={DESA}"' in desa and f'href="/dasbor/profil/{DESA}/"' in desa
    banjar = client.get(f"/wilayah/{DESA}.001/").content.decode()
    assert f'href="/dasbor/profil/{DESA}/"' in banjar


def test_population_bars_are_relative_to_the_largest_region(site, client):
    html = client.get("/").content.decode()
    widths = [int(w) for w in re.findall(r'class="bar" data-w="(\d+)"', html)]
    assert max(widths) == 100 and len(set(widths)) > 1


def test_home_in_english(site, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Current period" in html and "Zoom to a district" in html and "Village profile" in html
    assert "Periode berjalan" not in html
