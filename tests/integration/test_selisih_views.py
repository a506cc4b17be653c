"""Selisih and sasaran pages, downloads and API: scope per role, counts only without person-level access,
masking and the PDP log."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from presisi.core.models import AuditLog
from presisi.integration.models import Program
from presisi.integration.services import sasaran
from presisi.integration.services.selisih import selisih_hitung
from tests.conftest import masuk
from tests.integration.conftest import DESA_A, DESA_B, KEC_A, pengguna
from tests.integration.test_sasaran import desa_sepuluh  # noqa: F401  (fixture)
from tests.integration.test_selisih import kiriman  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _client(username: str, peran: str, wilayah: str, sektor=None) -> Client:
    c = Client()
    masuk(c, pengguna(username, peran, wilayah, sektor))
    return c


@pytest.fixture
def siap(kiriman):  # noqa: F811
    selisih_hitung(kiriman)
    return kiriman


def _pdp() -> int:
    return AuditLog.objects.filter(aksi__startswith="pdp.").count()


def test_operator_sees_own_desa_items_masked_and_logged(siap):
    c = _client("op", "operator_desa", DESA_B)
    before = _pdp()
    body = c.get("/sektor/selisih/").content.decode()
    assert "Tercatat ganda di sumber" in body
    assert "510501******" in body  # NIK masked
    assert "5105010101010101" not in body
    # desa A's items (the dead person, row 3) are outside the operator's desa
    assert "Meninggal menurut registri</td><td>Status dasar penduduk" not in body
    assert "Nilai berbeda</td><td>7</td>" in body
    assert _pdp() == before + 1
    full = c.get("/sektor/selisih/?nik=penuh").content.decode()
    assert "5105010101010101" in full  # row 6's KK value (desa B row) shown in full on request


def test_tinjau_rows_are_announced(siap):
    c = _client("ver", "verifikator_kecamatan", KEC_A)
    body = c.get("/sektor/selisih/").content.decode()
    assert "1 baris masih menunggu peninjauan" in body


def test_analis_gets_counts_only_on_page_file_and_api(siap):
    c = _client("an", "analis", "51.05")
    body = c.get("/sektor/selisih/").content.decode()
    assert "Peran Anda melihat jumlah saja" in body and "510501" not in body
    wb = load_workbook(io.BytesIO(c.get("/sektor/selisih/unduh.xlsx").content))
    rows = list(wb.active.values)
    assert rows[0][0] == "Kode desa" and "NIK" not in rows[0]
    data = c.get("/api/v1/sektor/selisih/?dataset=dinsos-pkh").json()
    assert data["item"] == [] and not data["data_perorangan"] and data["ringkasan"]["total"] == 14
    assert data["ringkasan"]["per_kategori"]["ganda_sumber"] == 2


def test_walidata_sees_only_own_sector_datasets(siap):
    dinkes = _client("wd", "walidata", "51.05", ["dinkes"])
    assert dinkes.get("/api/v1/sektor/selisih/").json()["ringkasan"]["total"] == 0
    assert dinkes.get("/api/v1/sektor/selisih/?dataset=dinsos-pkh").status_code == 404
    dinsos = _client("ws", "walidata", "51.05", ["dinsos"])
    data = dinsos.get("/api/v1/sektor/selisih/").json()
    assert data["ringkasan"]["total"] == 14 and data["item"] == []  # aggregates only (not dukcapil)


def test_admin_export_is_logged_and_formula_safe(siap):
    from presisi.integration.models import Selisih

    Selisih.objects.filter(pengiriman=siap, kategori="tanpa_registri").update(keterangan="=HYPERLINK(1)")
    c = _client("adm", "admin", "51.05")
    before = AuditLog.objects.filter(aksi="pdp.ekspor").count()
    response = c.get("/sektor/selisih/unduh.csv?kategori=tanpa_registri")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "Baris" in text.splitlines()[0]
    assert AuditLog.objects.filter(aksi="pdp.ekspor").count() == before + 1
    api = c.get(f"/api/v1/sektor/selisih/?wilayah={DESA_A}&kategori=pindah").json()
    assert sorted(i["baris"] for i in api["item"]) == [4, 5]


def test_foreign_region_filter_is_hidden(siap):
    c = _client("op2", "operator_desa", DESA_A)
    assert c.get(f"/sektor/selisih/?wilayah={DESA_B}").status_code == 404
    assert c.get("/api/v1/sektor/selisih/?wilayah=51.06").status_code == 404


def test_sasaran_pages_lists_and_rule_editor(desa_sepuluh):  # noqa: F811
    op = _client("opa", "operator_desa", DESA_A)
    body = op.get("/sektor/sasaran/?program=pkh").content.decode()
    assert "33,3%" in body and "50,0%" in body
    page = op.get(f"/sektor/sasaran/pkh/{DESA_A}/").content.decode()
    assert "Layak tetapi belum menerima: 2" in page and "Penerima yang tidak layak: 1" in page
    assert op.get(f"/sektor/sasaran/pkh/{DESA_B}/").status_code == 404
    wb = load_workbook(io.BytesIO(op.get(f"/sektor/sasaran/pkh/{DESA_A}/?format=xlsx").content))
    assert len(list(wb.active.values)) == 1 + 3
    assert AuditLog.objects.filter(aksi="pdp.ekspor").exists()
    assert op.post("/sektor/sasaran/", {"program": "pkh", "ekspresi": "desil_dtsen in (1)",
                                        "berlaku_mulai": "2026-01-01"}).status_code == 403
    an = _client("ana", "analis", "51.05")
    page = an.get(f"/sektor/sasaran/pkh/{DESA_A}/").content.decode()
    assert "Layak tetapi belum menerima" not in page and "33,3%" in page
    r = an.post("/sektor/sasaran/?program=pkh", {"program": "pkh", "ekspresi": "desil_dtsen in (1, 2)",
                                                  "berlaku_mulai": "2026-01-01"})
    assert r.status_code == 302
    assert Program.objects.get(kode="pkh").aturan.count() == 2
    bad = an.post("/sektor/sasaran/", {"program": "pkh", "ekspresi": "umur >", "berlaku_mulai": "2026-01-01"})
    assert bad.status_code == 400
    api = an.get("/api/v1/sektor/sasaran/?program=pkh").json()["program"][0]
    desa = next(w for w in api["wilayah"] if w["kode"] == DESA_A)
    assert (desa["layak"], desa["penerima"]) == (2, 3)  # the new rule (from 2026-01-01) is in force


def test_cli_sasaran_json(desa_sepuluh):  # noqa: F811
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("sasaran", "--program", "pkh", "--periode", "2026-S1", "--wilayah", DESA_A, "--json", stdout=out)
    data = json.loads(out.getvalue())
    row = data["program"][0]["wilayah"][0]
    assert (row["kode"], row["layak"], row["penerima"], row["layak_terjangkau"]) == (DESA_A, 4, 3, 2)
    assert row["inklusi"] == pytest.approx(1 / 3) and row["eksklusi"] == pytest.approx(0.5)
    assert sasaran.program_bawaan_muat() == {"program": 0, "aturan": 0}


def test_pages_in_english(siap):
    c = _client("ven", "verifikator_kecamatan", KEC_A)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get("/sektor/selisih/").content.decode()
    assert "Where the sources disagree" in body and "Di mana sumber data berbeda" not in body
    # stored Indonesian texts are shown in English: field names, code labels, categories, explanations
    assert "<td>Highest education completed</td>" in body and "<td>pendidikan</td>" not in body
    assert "<td>Female</td><td>Male</td>" in body and "Laki-laki" not in body
    assert "Listed twice in the source" in body and "Tercatat ganda" not in body
    assert "The same person is also on row" in body and "Orang yang sama" not in body
    assert "Tamat" not in body
    assert "Program targeting accuracy" in c.get("/sektor/sasaran/").content.decode()


def test_roles_without_person_access_see_aggregate_items(wilayah_uji, periode_uji):
    import datetime as dt

    from presisi.indicators.analytics.build import snapshot_build
    from tests.integration.conftest import baris, dataset, orang, pengiriman, rumah_tangga

    a = wilayah_uji[DESA_A]
    rt, kk = rumah_tangga(a)
    for i in range(10):
        orang(a, rt, kk, hub=1 if i == 0 else 3, lahir=dt.date(1990, 1, 1))
    snapshot_build(periode=periode_uji, desa_ids=[a.pk])
    kirim = pengiriman(dataset("dinkes-agregat", sektor="dinkes", jenis="agregat", unit="desa"), periode_uji)
    baris(kirim, 1, desa=a, data={"jumlah_penduduk": 14})
    assert selisih_hitung(kirim) == 1
    c = _client("an2", "analis", "51.05")
    data = c.get("/api/v1/sektor/selisih/?dataset=dinkes-agregat").json()
    assert [(i["variabel"], i["nilai_sumber"], i["nilai_registri"]) for i in data["item"]] == [
        ("jumlah_penduduk", "14", "10")]
    assert "jumlah_penduduk" in c.get("/sektor/selisih/?dataset=dinkes-agregat").content.decode()
