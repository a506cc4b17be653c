"""The dashboards in a real browser: every page for every role, drill-down by clicking, period switch,
downloads (CSV, PNG), keyboard focus, phone width; screenshots go to docs/screenshots/."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import ROLES, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESA = "51.05.01.2001"
DESA_KLUNGKUNG = 59  # desa/kelurahan in presisi/data/klungkung_desa.geojson


def test_every_dashboard_and_the_village_profile_open_for_every_role(site, open_as):
    assert len(site["dasbor"]) == 7
    for role in ROLES:
        page = open_as(role)
        for kode in site["dasbor"]:
            response = page.goto(f"{site['url']}/dasbor/{kode}/")
            assert response.status == 200, (role, kode)
            # the regency map: exactly one shape per desa of the shipped boundaries, each a link
            assert page.locator("svg#peta g.wilayah-wilayah path.wilayah").count() == DESA_KLUNGKUNG, (role, kode)
            assert page.locator("svg#peta g.wilayah-wilayah a path.wilayah").count() == DESA_KLUNGKUNG
            assert page.locator("svg#grafik-tren").count() == 1
            assert page.locator("#tabel-peringkat tbody tr").count() >= 50
            if role == "analis":
                save_screenshot(page, f"dasbor-{kode}")
        response = page.goto(f"{site['url']}/dasbor/profil/{DESA}/")
        assert response.status == 200 and page.locator("svg#piramida rect").count() > 3
        assert page.locator("svg#peta-lokasi").count() == 1
        if role == "analis":
            save_screenshot(page, "profil-desa")
        page.context.close()


def test_click_to_banjar_switch_period_download_keyboard_phone_english(site, open_as):
    page = open_as("verifikator")
    page.goto(f"{site['url']}/dasbor/kemiskinan/")
    # regency map → a desa polygon (SVG link with an aria-label) → its banjar squares → one banjar
    page.locator(f'svg#peta a[href*="wilayah={DESA}"]').first.click()
    page.wait_for_url(f"**wilayah={DESA}*")
    assert page.locator("nav.crumbs").inner_text().startswith("Kabupaten Klungkung")
    banjar = page.locator("svg#peta a").first
    label = banjar.get_attribute("aria-label")
    banjar.click()
    page.wait_for_url(f"**wilayah={DESA}.*")
    assert label.split(":")[0] in page.locator("nav.crumbs [aria-current=page]").inner_text()
    # back up by the breadcrumbs to the kecamatan
    page.locator("nav.crumbs a", has_text="Nusa Penida").click()
    page.wait_for_url(re.compile(r"wilayah=51\.05\.01(&|$)"))
    assert page.locator("h1").inner_text().endswith("2026-S2")
    # switch the period with the plain GET form
    page.select_option("select[name=periode]", "2026-S1")
    page.select_option("select[name=banding]", "")
    page.click("form.pilihan button[type=submit]")
    page.wait_for_url("**periode=2026-S1*")
    assert "2026-S1" in page.locator("h1").inner_text()
    # download the ranking table for Excel set to Indonesian (';', decimal comma) and read it
    with page.expect_download() as info:
        page.locator("#tabel-peringkat a", has_text="CSV (Excel Indonesia)").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Peringkat", "Kode", "Wilayah"] and len(rows) == 1 + page.locator(
        "#tabel-peringkat tbody tr").count()
    assert {r[1][:8] for r in rows[1:]} == {"51.05.01"}
    # the map as PNG, drawn in the browser
    with page.expect_download() as info:
        page.click("button[data-png=peta]")
    assert info.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the same site on a phone, as the public, by keyboard, in English
    page = open_as(None, width=390, height=844)
    page.goto(f"{site['url']}/dasbor/kebencanaan/?wilayah=51.05.01")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    box = page.locator("svg#peta").bounding_box()
    assert box["width"] <= 390
    page.locator("svg#peta a").first.focus()
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused and ":" in focused  # name: value
    assert page.locator("figcaption[data-info]").first.inner_text() == focused
    page.click("text=English")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("text=Download table").count() >= 1
