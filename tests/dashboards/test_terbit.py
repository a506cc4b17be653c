"""Published and provisional data (issue #10: "Public dashboards mix draft and approved desa without a mark").

Rule: the public sees a value only when every desa it covers is published (dipublikasikan) in that
period, and only periods with at least one published desa; signed-in staff see the same by default
and may ask for provisional figures (?sementara=1), marked on the page and in downloads.
"""

from __future__ import annotations

import csv
import io

import pytest

from presisi.periods.models import KunciDesa
from presisi.updates.models import DIAJUKAN, DISETUJUI, TINGKAT_KUNCI, Pengajuan

pytestmark = pytest.mark.django_db
SAKTI = "51.05.01.2001"


def status(periode: str, nilai: str, desa: str | None = None) -> None:
    """Set the submission state and, as the workflow does on every transition, the lock record's."""
    for model, extra in ((Pengajuan, {}), (KunciDesa, {"tingkat": TINGKAT_KUNCI[nilai]})):
        qs = model.objects.filter(periode__kode=periode)
        (qs.filter(desa__kode=desa) if desa else qs).update(status=nilai, **extra)


def test_public_sees_only_periods_with_published_data(data, client):
    status("2026-S2", DISETUJUI)  # approved, not yet published
    html = client.get("/dasbor/uji/").content.decode()
    assert "2026-S1" in html.split("<h1>", 1)[1].split("</h1>", 1)[0]  # the latest published period
    assert '<option value="2026-S2"' not in html
    html = client.get("/dasbor/uji/?periode=2026-S2").content.decode()
    assert "2026-S2" not in html.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_a_period_without_published_desa_says_so_instead_of_an_empty_chart(data, client, login):
    status("2026-S1", DIAJUKAN)
    status("2026-S2", DISETUJUI)
    for url in ("/dasbor/uji/", f"/dasbor/profil/{SAKTI}/", f"/dasbor/profil/{SAKTI}/unduh/banjar.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Belum ada data terbit" in page and 'id="peta"' not in page
    # staff are offered the provisional figures
    page = login("walidata").get("/dasbor/uji/").content.decode()
    assert "Belum ada data terbit" in page and "?sementara=1" in page
    assert 'id="peta"' in login("walidata").get("/dasbor/uji/?sementara=1").content.decode()


def test_unpublished_desa_and_aggregates_that_include_it_are_withheld_from_the_public(data, client):
    status("2026-S2", DIAJUKAN, SAKTI)
    page = client.get("/dasbor/uji/?wilayah=51.05.01&indikator=uji_penduduk").content.decode()
    assert "belum terbit" in page and "Data terbit" in page
    rows = list(csv.reader(io.StringIO(client.get(
        "/dasbor/uji/unduh/peringkat.csv?wilayah=51.05.01&indikator=uji_penduduk&dialek=standar").content.decode("utf-8-sig"))))
    by_code = {r[1]: r for r in rows[1:]}
    assert by_code[SAKTI][5] == "belum terbit"  # the unpublished desa
    assert by_code["51.05.01.2002"][5] != "belum terbit"  # a published desa follows the usual rules
    indikator = list(csv.reader(io.StringIO(client.get(
        "/dasbor/uji/unduh/indikator.csv?wilayah=51.05.01&dialek=standar").content.decode("utf-8-sig"))))
    penduduk = next(r for r in indikator if r[0] == "uji_penduduk")
    assert penduduk[3] == "belum terbit"  # the kecamatan includes Sakti
    profil = client.get(f"/dasbor/profil/{SAKTI}/").content.decode()
    assert "belum dipublikasikan" in profil


def test_staff_switch_to_provisional_figures_marked_on_the_page_and_in_downloads(data, login):
    status("2026-S2", DIAJUKAN, SAKTI)
    staff = login("walidata")
    page = staff.get("/dasbor/uji/?wilayah=51.05.01&indikator=uji_penduduk").content.decode()
    assert "Tampilkan angka sementara" in page and "belum terbit" in page
    page = staff.get("/dasbor/uji/?wilayah=51.05.01&indikator=uji_penduduk&sementara=1").content.decode()
    assert "Angka sementara" in page and 'class="n sementara"' in page
    assert "sementara=1" in page.split('id="peta"', 1)[1]  # drill-down links keep the mode
    response = staff.get(
        "/dasbor/uji/unduh/peringkat.csv?wilayah=51.05.01&indikator=uji_penduduk&sementara=1&dialek=standar")
    assert "sementara" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Status data"
    by_code = {r[1]: r for r in rows[1:]}
    assert float(by_code[SAKTI][5]) == 18 and by_code[SAKTI][-1] == "sementara"
    assert by_code["51.05.01.2002"][-1] == "tetap"
    profil = staff.get(f"/dasbor/profil/{SAKTI}/?sementara=1").content.decode()
    assert "Angka sementara" in profil and "belum disetujui" in profil
    # the public cannot switch
    page = login(None).get("/dasbor/uji/?wilayah=51.05.01&indikator=uji_penduduk&sementara=1").content.decode()
    assert "Angka sementara" not in page and "belum terbit" in page


def test_indicator_api_marks_and_withholds_by_the_same_rule(data, login):
    status("2026-S2", DIAJUKAN, SAKTI)
    url = "/api/v1/indikator/uji_penduduk/nilai/?periode=2026-S2&tingkat=desa&induk=51.05.01"
    rows = {r["kode"]: r for r in login(None).get(url).json()["nilai"]}
    assert rows[SAKTI]["status_data"] == "belum_terbit" and rows[SAKTI]["nilai"] is None
    assert rows["51.05.01.2002"]["status_data"] == "terbit"
    staff = login("walidata")
    rows = {r["kode"]: r for r in staff.get(url + "&sementara=1").json()["nilai"]}
    assert rows[SAKTI]["status_data"] == "sementara" and rows[SAKTI]["nilai"] == 18
    profil = login(None).get(f"/api/v1/wilayah/{SAKTI}/profil/?periode=2026-S2").json()
    row = next(r for r in profil["indikator"] if r["kode"] == "uji_penduduk")
    assert row["wilayah"]["status_data"] == "belum_terbit" and row["wilayah"]["nilai"] is None
    assert row["kabupaten"]["status_data"] == "belum_terbit"  # the regency includes Sakti
