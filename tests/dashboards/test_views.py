"""Dashboard pages over HTTP: every role, downloads, PDF, query counts, shareable URLs, caching headers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
ROLES = [None, "operator", "verifikator", "walidata", "analis", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_dashboard_at_each_level(data, login, role):
    client = login(role)
    for wilayah in ("", "51.05.01", "51.05.01.2001", "51.05.01.2001.001"):
        response = client.get(f"/dasbor/uji/?wilayah={wilayah}" if wilayah else "/dasbor/uji/")
        assert response.status_code == 200, (role, wilayah)
        page = response.content.decode()
        assert 'id="peta"' in page and 'id="grafik-tren"' in page and "Dasbor Uji" in page
    assert "Indikator tertutup uji" in page if role else "Indikator tertutup uji" not in page
    assert "NIK" not in page  # aggregates only


def test_index_lists_dashboards_and_redirects_to_a_profile(data, client):
    page = client.get("/dasbor/").content.decode()
    assert "Dasbor Uji" in page and "Dasbor Pulau" in page
    assert client.get("/dasbor/?desa=51.05.01.2001")["Location"] == "/dasbor/profil/51.05.01.2001/"


def test_shareable_url_selects_region_period_indicator_and_comparison(data, login):
    page = login("analis").get("/dasbor/uji/?wilayah=51.05.01&periode=2026-S1&indikator=uji_air&banding=")
    html = page.content.decode()
    assert '<option value="2026-S1" selected>' in html and '<option value="uji_air" selected>' in html
    assert "Kabupaten Klungkung</a> › <span aria-current=\"page\">Nusa Penida" in html
    assert "Nilai 2026-S1" in html and "Perubahan" not in html.split('id="tabel-peringkat"')[1].split("</thead>")[0]


def test_unknown_dashboard_region_or_table_is_404(data, client):
    assert client.get("/dasbor/tidak-ada/").status_code == 404
    assert client.get("/dasbor/uji/?wilayah=99.99").status_code == 404
    assert client.get("/dasbor/uji/unduh/rahasia.csv").status_code == 404
    assert client.get("/dasbor/uji/unduh/peringkat.exe").status_code == 404
    assert client.get("/dasbor/profil/51.05.01/").status_code == 404


def test_period_codes_in_any_case_and_unknown_periods_are_404_not_the_latest(data, login, client):
    page = login("analis").get("/dasbor/uji/?wilayah=51.05.01&periode=2026-s1&banding=")
    assert page.status_code == 200 and '<option value="2026-S1" selected>' in page.content.decode()
    assert client.get("/dasbor/profil/51.05.01.2001/?periode=%202026-s1%20").status_code == 200
    for url in ("/dasbor/uji/?periode=2030-S1", "/dasbor/uji/?periode=2026-S1&banding=2030-S2",
                "/dasbor/profil/51.05.01.2001/?periode=2030-S1"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "tidak ditemukan" in response.content.decode() and "2026-S1" in response.content.decode()


def test_ranking_csv_has_the_table_rows(data, login):
    response = login("analis").get(
        "/dasbor/uji/unduh/peringkat.csv?wilayah=51.05.01&indikator=uji_lansia&dialek=standar")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Peringkat", "Kode", "Wilayah", "Pembilang", "Penyebut"]
    sakti = next(r for r in rows if r[1] == "51.05.01.2001")
    assert sakti[0] == "1" and sakti[2] == "Sakti" and float(sakti[3]) == 3 and float(sakti[4]) == 18


def test_public_csv_marks_hidden_cells(data, client):
    response = client.get("/dasbor/uji/unduh/peringkat.csv?wilayah=51.05.01&indikator=uji_lansia&dialek=standar")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sakti = next(r for r in rows if r[1] == "51.05.01.2001")
    assert sakti[3] == "disembunyikan (<5)" and sakti[5] == "disembunyikan (<5)"


def test_xlsx_downloads_of_indicator_and_trend_tables(data, login):
    client = login("analis")
    wb = load_workbook(io.BytesIO(client.get("/dasbor/uji/unduh/indikator.xlsx?wilayah=51.05.01").content))
    values = list(wb.active.values)
    assert values[0][0] == "Kode indikator"
    assert values[1][:4] == ("uji_lansia", "Persentase lansia uji", "persen", 40.0)
    trend = load_workbook(io.BytesIO(client.get("/dasbor/uji/unduh/tren.xlsx?wilayah=51.05.01").content))
    assert [r[0] for r in trend.active.values] == ["Periode", "2026-S1", "2026-S2"]


def test_profile_page_pdf_and_downloads(data, login):
    client = login("verifikator")
    page = client.get("/dasbor/profil/51.05.01.2001/").content.decode()
    assert "Profil Desa Sakti" in page and 'id="piramida"' in page and 'id="peta-lokasi"' in page
    assert "Banjar Dinas Kaja" in page and "Belum dibekukan" in page
    pdf = client.get("/dasbor/profil/51.05.01.2001/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"Sakti" in pdf.content  # document title (metadata is not compressed)
    banjar = client.get("/dasbor/profil/51.05.01.2001/unduh/banjar.csv?dialek=standar").content.decode("utf-8-sig")
    assert "Banjar Dinas Kaja,8," in banjar
    pyramid = client.get("/dasbor/profil/51.05.01.2001/unduh/piramida.csv?dialek=standar").content.decode("utf-8-sig")
    assert pyramid.splitlines()[1] == "0–4,1,1"


def test_public_profile_hides_small_pyramid_cells(data, client):
    pyramid = client.get("/dasbor/profil/51.05.01.2001/unduh/piramida.csv?dialek=standar").content.decode("utf-8-sig")
    assert pyramid.splitlines()[1] == "0–4,disembunyikan (<5),disembunyikan (<5)"


def test_dashboard_page_needs_only_a_handful_of_queries(data, login, django_assert_max_num_queries):
    client = login("operator")
    client.get("/dasbor/uji/")  # warm the per-process layout cache
    # +1 since issue #10: the period's submission states (published/provisional rule), read once;
    # +1 since issue #11: whether the operator turned two-factor sign-in on (one indexed EXISTS)
    for url in ("/dasbor/uji/", "/dasbor/uji/?wilayah=51.05.01", "/dasbor/uji/?wilayah=51.05.01.2001.001"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get("/dasbor/pulau/").status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get("/dasbor/profil/51.05.01.2001/").status_code == 200


def test_pages_are_privately_cacheable_and_compressed(data, client):
    response = client.get("/dasbor/uji/", HTTP_ACCEPT_ENCODING="gzip")
    assert "private" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


def test_english_switch(data, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dasbor/uji/"})
    page = client.get("/dasbor/uji/").content.decode()
    assert 'lang="en"' in page and "Download table" in page
