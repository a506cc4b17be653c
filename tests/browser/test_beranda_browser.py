"""The home page, a dashboard and the village profile in a real browser at phone (390 px) and laptop
(1366 px) widths (issue #13): the map zooms to a kecamatan and lists its desa as rows to tap, the legend
stays legible, table headers never overlap, nothing scrolls sideways; the screenshots of docs/screenshots
are taken here (``make screenshots`` writes them there)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESA = "51.05.01.2001"
PHONE, LAPTOP = (390, 844), (1366, 768)
SHAPES = "svg#peta g.wilayah-wilayah .wilayah"
# effective size (CSS px) of the smallest legend text: font size × the map's on-screen scale
LEGEND_PX = """() => { const svg = document.querySelector("svg#peta"); const k = svg.getScreenCTM().a;
  return Math.min(...[...svg.querySelectorAll("g.legenda text")]
    .map(t => parseFloat(t.getAttribute("font-size")) * k)); }"""
# header cells whose text runs past their own box (it would overlap the next header)
OVERLAP = """(sel) => [...document.querySelectorAll(sel + " thead th")]
  .filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.textContent.trim())"""
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def _pages(url: str) -> dict[str, str]:
    return {"beranda": f"{url}/", "dasbor-kemiskinan": f"{url}/dasbor/kemiskinan/",
            "profil-desa": f"{url}/dasbor/profil/{DESA}/"}


def test_phone_map_zooms_to_a_kecamatan_and_lists_desa_to_tap(site, open_as):
    page = open_as(None, width=PHONE[0], height=PHONE[1])
    page.goto(f"{site['url']}/")
    assert page.locator("h1").inner_text().startswith("Kabupaten Klungkung")
    assert page.locator(SHAPES).count() == 59  # a shape per desa on the home map
    assert page.evaluate(LEGEND_PX) >= 12
    assert page.evaluate(NO_SIDEWAYS)
    # zoom to a kecamatan: its desa only, each big enough to tap
    page.locator("nav.zoom-peta a", has_text="Klungkung").click()
    page.wait_for_url("**/wilayah/51.05.03/")
    shapes = page.locator(SHAPES)
    assert 0 < shapes.count() < 59
    smallest = min(min(b["width"], b["height"]) for b in (shapes.nth(i).bounding_box() for i in range(shapes.count())))
    assert smallest >= 12, smallest
    # the same desa as a list with their values: open it and tap one
    page.locator("details.daftar-peta summary").click()
    rows = page.locator("details.daftar-peta li a")
    assert rows.count() == shapes.count()
    first = rows.first
    assert first.bounding_box()["height"] >= 44 and first.locator(".nilai").inner_text().strip()
    name = first.locator(".nama").inner_text()
    first.click()
    page.wait_for_url("**/wilayah/51.05.03.*/")
    assert name in page.locator("h1").inner_text()
    # a dashboard on the phone: the same zoom and list
    page.goto(f"{site['url']}/dasbor/kemiskinan/")
    assert page.locator(SHAPES).count() == 59
    assert page.evaluate(LEGEND_PX) >= 12
    page.locator("nav.zoom-peta a", has_text="Nusa Penida").click()
    page.wait_for_url("**wilayah=51.05.01*")
    assert page.locator(SHAPES).count() == page.locator("details.daftar-peta li").count() > 0
    assert page.locator("nav.zoom-peta a", has_text="Klungkung").count() == 1  # back up to the regency


@pytest.mark.parametrize(("width", "height"), [PHONE, LAPTOP])
def test_home_dashboard_and_profile_fit_the_screen(site, open_as, width, height):
    page = open_as("analis", width=width, height=height)
    for name, url in _pages(site["url"]).items():
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS), (name, width)
        for table in ("#tabel-indikator", "#tabel-peringkat", "#tabel-banjar"):
            assert page.evaluate(OVERLAP, table) == [], (name, width, table)
        if width >= 1366:
            wide = page.evaluate("[...document.querySelectorAll('.table-wrap')]"
                                 ".filter(w => w.scrollWidth > w.clientWidth + 1).length")
            assert wide == 0, (name, "a table scrolls sideways at 1366 px")
        save_screenshot(page, f"{name}-{width}", tinggi=2400 if width < 800 else 1600)
