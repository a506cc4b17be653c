"""The data-subject report (UU PDP Ps. 32): contents, region scope, the PDP log, files, CLI and API."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.core.models import AuditLog
from presisi.core.pdp import catat_akses_data_pribadi, mask_nik
from presisi.registry.models import Peristiwa
from presisi.registry.services import individu_update
from tests.privasi.conftest import KK, NIK, NIK_ANAK, NIK_LAIN, login, pdp_rows

pytestmark = pytest.mark.django_db


def _temuan(kepala):
    from presisi.periods.models import Periode
    from presisi.validation.models import AturanValidasi, Temuan

    periode = Periode.objects.create(kode="2026-S1", tanggal_mulai="2026-01-01", tanggal_referensi="2026-01-01")
    aturan = AturanValidasi.objects.create(kode="uji-umur", nama="uji", unit="individu", keparahan="warning",
                                           pesan="uji", kondisi="umur < 0")
    return Temuan.objects.create(desa=kepala.desa, periode=periode, aturan=aturan, unit="individu",
                                 objek_id=kepala.pk, label=f"{NIK} Wayan", nilai=NIK, pesan=f"NIK {NIK} diperiksa",
                                 keparahan="warning")


def test_report_holds_everything_about_the_person(client, users, kepala):
    from presisi.core.pdp import tampilan_server
    from presisi.privasi.selectors import buka_laporan

    individu_update(individu=kepala, data={"pendidikan": 5}, pengguna=users["operator"])
    Peristiwa.objects.create(individu=kepala, jenis=Peristiwa.PINDAH_KK, tanggal="2026-01-02", keterangan="uji")
    _temuan(kepala)
    login(client, users["operator"]).get(f"/registri/individu/{kepala.pk}/")  # an earlier access
    catat_akses_data_pribadi(pengguna=users["admin"], aksi="lihat", objek_tipe="registry.keluarga",
                             objek_ids=[kepala.keluarga_id], tujuan="admin: halaman KK")
    r = buka_laporan(kepala, tampilan_server())
    assert r["subjek"]["nama"] == "I Wayan Sudarma" and r["subjek"]["nik"] == mask_nik(NIK)
    assert r["keluarga"]["no_kk"] == mask_nik(KK) and r["keluarga"]["alamat"] == "Jl. Pura Dalem 1"
    # family members are other people: names and relation, NIK always masked
    assert [(m["nama"], m["nik"]) for m in r["keluarga"]["anggota"]] == [("Ni Luh Ayu", mask_nik(NIK_ANAK))]
    assert r["rumah_tangga"]["kode"] == "RT-2001-001" and r["bangunan"]["kode"] == "B-2001-001"
    assert [p["jenis"] for p in r["peristiwa"]] == [Peristiwa.PINDAH_KK]
    assert {e["aksi"] for e in r["riwayat"]} >= {"registry.individu.dibuat", "registry.individu.diubah"}
    assert r["temuan"][0]["aturan"] == "uji-umur" and NIK not in json.dumps(r["temuan"])
    assert r["temuan"][0]["aturan_label"] == "uji" and r["temuan"][0]["status_label"] == "Terbuka"
    assert any(a["tujuan"] == "halaman penduduk" and a["pengguna"] == "operator" for a in r["akses"])
    assert any(a["tujuan"] == "admin: halaman KK" for a in r["akses"])
    # this report is itself an access, listed in it
    assert r["akses"][0]["tujuan"].startswith("laporan subjek data")
    assert NIK not in json.dumps(r, default=str)


def test_page_finds_by_nik_by_post_and_writes_the_pdp_log(client, users, kepala):
    c = login(client, users["operator"])
    response = c.post("/privasi/subjek/", {"nik": NIK})
    assert response.status_code == 302 and response["Location"] == f"/privasi/subjek/{kepala.pk}/"
    before = len(pdp_rows())
    html = c.get(response["Location"]).content.decode()
    assert "I Wayan Sudarma" in html and NIK not in html and mask_nik(NIK) in html
    rows = pdp_rows()[before:]
    assert len(rows) == 1 and rows[0].aksi == "pdp.lihat"
    assert str(kepala.pk) in rows[0].sesudah["ids"].replace("-", ",").split(",") or rows[0].objek_id == str(kepala.pk)
    # "Tampilkan NIK" shows the subject's own number and says so in the log
    html = c.post(f"/privasi/subjek/{kepala.pk}/", {"tampilkan_nik": "1"}).content.decode()
    assert NIK in html and pdp_rows()[-1].sesudah["nik_penuh"] is True


@pytest.mark.parametrize("peran,nik,status", [
    ("operator_lain", NIK, 404),   # a person outside the scope is not found, exactly like an unknown one
    ("operator", NIK_LAIN, 404),
    ("operator", "5105019999999999", 404),
    ("operator", "12345", 400),     # not a NIK: a clear refusal
    ("analis", NIK, 403),           # the role never sees person-level data
])
def test_scope_foreign_nik_is_404(client, users, keluarga, peran, nik, status):
    c = login(client, users[peran])
    assert c.post("/privasi/subjek/", {"nik": nik}).status_code == status
    assert c.post("/api/v1/privasi/laporan-subjek/", {"nik": nik}, content_type="application/json").status_code \
        == status


def test_verifier_and_walidata_of_the_region_may_open_it(client, users, kepala):
    from presisi.dictionary.models import Sektor

    # a walidata sees person-level data only as steward of the population sector (docs/SECURITY.md)
    assert login(client, users["walidata"]).get(f"/privasi/subjek/{kepala.pk}/").status_code == 403
    dukcapil, _ = Sektor.objects.get_or_create(kode="dukcapil", defaults={"nama": "Kependudukan"})
    users["walidata"].profil.sektor.add(dukcapil)
    for peran in ("verifikator", "walidata", "admin"):
        assert login(client, users[peran]).get(f"/privasi/subjek/{kepala.pk}/").status_code == 200
    assert login(client, users["operator_lain"]).get(f"/privasi/subjek/{kepala.pk}/").status_code == 404


def test_files_to_hand_over_carry_the_full_nik_and_are_logged_as_export(client, users, kepala):
    c = login(client, users["operator"])
    xlsx = c.get(f"/privasi/subjek/{kepala.pk}/laporan.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as zf:
        text = b"".join(zf.read(n) for n in zf.namelist()).decode()
    assert NIK in text and NIK_ANAK not in text and "Ni Luh Ayu" in text
    row = pdp_rows()[-1]
    assert row.aksi == "pdp.ekspor" and row.sesudah["nik_penuh"] is True
    pdf = c.get(f"/privasi/subjek/{kepala.pk}/laporan.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert c.get(f"/privasi/subjek/{kepala.pk}/laporan.exe").status_code == 404
    assert login(client, users["operator_lain"]).get(f"/privasi/subjek/{kepala.pk}/laporan.pdf").status_code == 404


def test_cli_json_and_file(tmp_path, kepala):
    out = StringIO()
    call_command("pdp", "laporan-subjek", NIK, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["ok"] is True and data["laporan"]["subjek"]["nama"] == "I Wayan Sudarma"
    assert data["laporan"]["subjek"]["nik"] == mask_nik(NIK)
    assert AuditLog.objects.filter(aksi="pdp.lihat", sesudah__kanal="cli").exists()
    target = tmp_path / "laporan.xlsx"
    call_command("pdp", "laporan-subjek", NIK, "--keluaran", str(target), "--nik-penuh", stdout=StringIO())
    assert target.read_bytes()[:2] == b"PK"
    assert AuditLog.objects.filter(aksi="pdp.ekspor", sesudah__nik_penuh=True).exists()
    text = StringIO()
    call_command("pdp", "laporan-subjek", NIK, stdout=text)
    assert "I Wayan Sudarma" in text.getvalue() and "akses tercatat" in text.getvalue()
    with pytest.raises(CommandError):
        call_command("pdp", "laporan-subjek", "5105019999999999", "--json", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("pdp", "laporan-subjek", NIK, "--keluaran", str(tmp_path / "x.doc"), stdout=StringIO(),
                     stderr=StringIO())


def test_api_report_by_nik_and_by_id(client, users, kepala):
    c = login(client, users["operator"])
    response = c.post("/api/v1/privasi/laporan-subjek/", {"nik": NIK}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["subjek"]["id"] == kepala.pk and NIK not in response.content.decode()
    assert pdp_rows()[-1].sesudah["kanal"] == "api"
    full = c.get(f"/api/v1/privasi/laporan-subjek/{kepala.pk}/?nik=penuh").json()
    assert full["subjek"]["nik"] == NIK and full["nik_penuh"] is True
    assert login(client, users["operator_lain"]).get(f"/api/v1/privasi/laporan-subjek/{kepala.pk}/").status_code \
        == 404
    client.logout()
    assert client.get(f"/api/v1/privasi/laporan-subjek/{kepala.pk}/").status_code in (401, 403)


def test_pages_in_english(client, users, kepala):
    c = login(client, users["admin"])
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get(f"/privasi/subjek/{kepala.pk}/").content.decode()
    assert "Data subject report" in html and "Access to this person" in html
    assert "Laporan subjek data" not in html
    # code labels in the reader's language (the subject is head of family: "Kepala Keluarga")
    assert "Kepala Keluarga" not in html and "Laki-laki" not in html and "Male" in html and "Head of family" in html
    assert "Personal data breach incidents" in c.get("/privasi/insiden/").content.decode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_typed_nik_is_a_clear_answer_never_a_server_error(client, users, keluarga, typed):
    c = login(client, users["operator"])
    response = c.post("/privasi/subjek/", {"nik": typed})
    assert response.status_code in (200, 302, 400, 404)
    api = c.post("/api/v1/privasi/laporan-subjek/", {"nik": typed}, content_type="application/json")
    assert api.status_code in (200, 400, 404)
