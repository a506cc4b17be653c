"""Dashboards grouped by desa adat (?kelompok=adat): page, download, API and CLI add up to the admin totals."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from presisi.regions.models import WilayahAdat
from presisi.regions.services_adat import wilayah_adat_load_csv
from presisi.registry.models import Keluarga

pytestmark = pytest.mark.django_db
ADAT_CSV = """kode,nama,tingkat,induk,desa_dinas
51.05.A001,Desa Adat Uji Lintas,desa_adat,,51.05.01.2001;51.05.01.2002
51.05.A001.01,Banjar Adat Uji Satu,banjar_adat,51.05.A001,
51.05.A001.02,Banjar Adat Uji Dua,banjar_adat,51.05.A001,
51.05.A002,Desa Adat Uji Kedua,desa_adat,,51.05.01.2001
51.05.A002.01,Banjar Adat Uji Tiga,banjar_adat,51.05.A002,
"""


@pytest.fixture
def adat(data):
    """Two desa adat over Sakti and Batumadeg; the family in Banjarangkan keeps no banjar adat."""
    wilayah_adat_load_csv(data=ADAT_CSV)
    ba = {w.kode: w for w in WilayahAdat.objects.filter(tingkat="banjar_adat")}
    families = list(Keluarga.objects.order_by("id"))
    # A1 (2 families) → Lintas.01 and Kedua.01, A2 → Lintas.02, B1 → Lintas.01, C1 → none
    plan = ["51.05.A001.01", "51.05.A002.01", "51.05.A001.02", "51.05.A001.01", None]
    for kk, kode in zip(families, plan, strict=True):
        kk.banjar_adat = ba.get(kode)
        kk.save(update_fields=["banjar_adat"])
    return ba


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_page_toggles_between_administrative_and_desa_adat_grouping(adat, login):
    client = login("admin")
    page = client.get("/dasbor/uji/?indikator=uji_penduduk").content.decode()
    assert "Kelompokkan menurut" in page and "?indikator=uji_penduduk&amp;kelompok=adat" in page
    assert 'id="tabel-peringkat"' in page and 'id="tabel-desa_adat"' not in page
    page = client.get("/dasbor/uji/?indikator=uji_penduduk&kelompok=adat").content.decode()
    assert 'id="tabel-desa_adat"' in page and 'id="tabel-peringkat"' not in page
    assert "Desa Adat Uji Lintas" in page and "Sakti, Batumadeg" in page
    assert "Belum ditetapkan banjar adatnya" in page


def test_desa_adat_totals_equal_the_administrative_totals(adat, login):
    client = login("admin")
    rows = _rows(client.get("/dasbor/uji/unduh/desa_adat.csv?indikator=uji_penduduk&kelompok=adat"))
    *groups, total = rows
    assert [r["Desa adat"] for r in groups] == ["Desa Adat Uji Lintas", "Desa Adat Uji Kedua",
                                               "Belum ditetapkan banjar adatnya"]
    assert [int(r["Penduduk"]) for r in groups] == [4 + 10 + 7, 4, 5]
    assert int(total["Penduduk"]) == 30 and int(total["Keluarga"]) == 5
    admin = _rows(client.get("/dasbor/uji/unduh/kecamatan.csv?indikator=uji_penduduk"))
    assert sum(float(r["Pembilang"] or 0) for r in admin) == float(total["Pembilang"]) == 30
    # a ratio indicator: numerators and denominators add up too
    rows = _rows(client.get("/dasbor/uji/unduh/desa_adat.csv?indikator=uji_lansia&kelompok=adat"))
    admin = _rows(client.get("/dasbor/uji/unduh/kecamatan.csv?indikator=uji_lansia"))
    for key in ("Pembilang", "Penyebut"):
        assert sum(float(r[key]) for r in rows[:-1]) == float(rows[-1][key]) == sum(float(r[key] or 0) for r in admin)


def test_a_kecamatan_counts_only_its_part_of_a_desa_adat(adat, login):
    rows = _rows(login("admin").get("/dasbor/uji/unduh/desa_adat.csv?wilayah=51.05.02&indikator=uji_penduduk"
                                    "&kelompok=adat"))
    assert [(r["Desa adat"], r["Penduduk"]) for r in rows] == [("Belum ditetapkan banjar adatnya", "5"),
                                                              ("Jumlah Banjarangkan", "5")]


def test_public_sees_small_desa_adat_cells_hidden(adat, client):
    page = client.get("/dasbor/uji/?indikator=uji_lansia&kelompok=adat").content.decode()
    table = page.split('id="tabel-desa_adat"')[1].split("</table>")[0]
    assert "Desa Adat Uji Kedua" in table and "&lt;5" in table


def test_api_and_cli_group_by_desa_adat(adat, client, login):
    body = client.get("/api/v1/indikator/uji_lansia/nilai/?kelompok=adat").json()
    assert body["kelompok"] == "adat"
    assert [r["kode"] for r in body["nilai"]] == ["51.05.A001", "51.05.A002", ""]
    lintas, kedua, _tanpa = body["nilai"]
    assert lintas["penduduk"] == 21 and lintas["keluarga"] is None  # 3 families: a small cell for the public
    assert lintas["penyebut"] == 21 and kedua["disembunyikan"] and kedua["nilai"] is None
    body = login("admin").get("/api/v1/indikator/uji_lansia/nilai/?kelompok=adat&induk=51.05.01").json()
    assert body["nilai"][1]["nilai"] == 75.0 and body["nilai"][1]["status_data"] == "terbit"
    out = io.StringIO()
    call_command("indikator", "nilai", "uji_lansia", "--kelompok", "adat", "--induk", "51.05.01", "--json",
                 stdout=out)
    rows = json.loads(out.getvalue())["nilai"]
    assert [r["kode"] for r in rows] == ["51.05.A001", "51.05.A002"]
    assert sum(r["penduduk"] for r in rows) == 25
