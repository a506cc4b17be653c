"""API of the sector catalogue and the push endpoint: rights (403/404), reports, masking."""

from __future__ import annotations

import pytest
from django.test import Client

from presisi.core.models import AuditLog
from presisi.integration.models import BarisSumber, DatasetSektor, Pengiriman
from tests.conftest import masuk
from tests.integration.bantu_sektor import (
    CSV_UMUM,
    DESA,
    NIK_A,
)

pytestmark = pytest.mark.django_db
ROWS = [{"NIK": NIK_A, "NAMA": "I Wayan Sudarma", "JK": "L", "TGL LAHIR": "12-03-1980", "KODE DESA": DESA},
        {"NIK": "123", "NAMA": "Tanpa NIK", "JK": "P", "TGL LAHIR": "1990-01-01", "KODE DESA": DESA}]


def klien(user) -> Client:
    c = Client()
    masuk(c, user)
    return c


def kirim(c, kode="dinsos-pkh", body=None, query=""):
    return c.post(f"/api/v1/sektor/dataset/{kode}/pengiriman/{query}",
                  body if body is not None else {"periode": "2026-S2", "data": ROWS}, content_type="application/json")


def test_catalogue_read_by_every_role(ds_pkh, akun):
    for who in ("operator", "verifikator", "analis", "walidata_dinkes"):
        r = klien(akun[who]).get("/api/v1/sektor/dataset/?sektor=dinsos")
        assert r.status_code == 200 and [d["kode"] for d in r.json()] == ["dinsos-pkh"]
        d = klien(akun[who]).get("/api/v1/sektor/dataset/dinsos-pkh/").json()
        assert d["metadata"]["cara_pengumpulan"] == "kompilasi_produk_administrasi" and d["boleh_kelola"] is False
    assert Client().get("/api/v1/sektor/dataset/").status_code == 403
    assert klien(akun["analis"]).get("/api/v1/sektor/dataset/tidak-ada/").status_code == 404


def test_walidata_creates_and_updates_only_in_his_sector(akun):
    c = klien(akun["walidata"])
    body = {"kode": "dinsos-bpnt", "sektor": "dinsos", "nama": "Penerima BPNT", "unit": "keluarga",
            "metadata": {"tahun": 2026, "klasifikasi": {"pekerjaan": "2020"}}, "pemetaan_kolom": {"NO KTP": "nik"}}
    r = c.post("/api/v1/sektor/dataset/", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["pemetaan_kolom"] == {"NO KTP": "nik"}
    r = c.post("/api/v1/sektor/dataset/", {**body, "kode": "dinkes-x", "sektor": "dinkes"},
               content_type="application/json")
    assert r.status_code == 403
    r = c.post("/api/v1/sektor/dataset/", {**body, "kode": "x", "metadata": {"tahun": "dulu", "warna": 1}},
               content_type="application/json")
    assert r.status_code == 400 and {f["column"] for f in r.json()["temuan"]} >= {"metadata", "metadata.tahun"}
    r = c.patch("/api/v1/sektor/dataset/dinsos-bpnt/", {"nama": "BPNT/Sembako", "aktif": False},
                content_type="application/json")
    assert r.status_code == 200 and r.json()["nama"] == "BPNT/Sembako" and r.json()["aktif"] is False
    assert AuditLog.objects.filter(aksi="integration.dataset.dinonaktifkan").count() == 1
    assert klien(akun["walidata_dinkes"]).patch("/api/v1/sektor/dataset/dinsos-bpnt/", {"nama": "x"},
                                                    content_type="application/json").status_code == 404
    assert klien(akun["analis"]).patch("/api/v1/sektor/dataset/dinsos-bpnt/", {"nama": "x"},
                                           content_type="application/json").status_code == 403
    assert klien(akun["operator"]).post("/api/v1/sektor/dataset/", body,
                                            content_type="application/json").status_code == 403
    assert DatasetSektor.objects.get(kode="dinsos-bpnt").nama == "BPNT/Sembako"


def test_push_json_dry_run_then_real_then_same_again(ds_pkh, periode_kirim, akun):
    c = klien(akun["walidata"])
    r = kirim(c, query="?dry_run=true")
    assert r.status_code == 200 and r.json()["dry_run"] and r.json()["pengiriman"] is None
    assert not Pengiriman.objects.exists()
    report = r.json()["temuan"]
    assert [(f["row"], f["column"], f["rule"], f["severity"]) for f in report] == [(2, "NIK", "nik_format", "warning")]
    r = kirim(c)
    assert r.status_code == 201 and r.json()["versi"] == 1 and r.json()["jumlah_baris"] == 2
    assert r.json()["temuan"] == report
    # the same rows in another key order: the same delivery
    r = kirim(c, body={"periode": "2026-S2", "data": [dict(reversed(list(x.items()))) for x in ROWS]})
    assert r.status_code == 200 and r.json()["baru"] is False and Pengiriman.objects.count() == 1


def test_push_file_multipart(ds_pkh, periode_kirim, akun):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = klien(akun["admin"])
    r = c.post("/api/v1/sektor/dataset/dinsos-pkh/pengiriman/",
               {"periode": "2026-S2", "berkas": SimpleUploadedFile("pkh.csv", CSV_UMUM.encode())})
    assert r.status_code == 201 and r.json()["jumlah_baris"] == 3
    p = Pengiriman.objects.get()
    assert p.sumber == Pengiriman.DORONG and p.nama_berkas == "pkh.csv"


def test_push_rights_403_and_404(ds_pkh, periode_kirim, akun):
    for who in ("operator", "verifikator", "analis"):
        assert kirim(klien(akun[who])).status_code == 403
    assert kirim(klien(akun["walidata_dinkes"])).status_code == 404  # another sector's dataset
    assert kirim(klien(akun["walidata"]), kode="tidak-ada").status_code == 404
    assert kirim(Client()).status_code == 403
    assert not Pengiriman.objects.exists()


def test_push_errors_are_400_with_findings(ds_pkh, periode_kirim, akun):
    c = klien(akun["walidata"])
    assert kirim(c, body={"data": ROWS}).status_code == 400
    r = kirim(c, body={"periode": "2031-S1", "data": ROWS})
    assert r.status_code == 404  # unknown period: NotFound lists the known ones
    r = kirim(c, body={"periode": "2026-S2", "data": "bukan daftar"})
    assert r.status_code == 400


def test_delivery_detail_rows_masked_and_logged(ds_pkh, periode_kirim, akun):
    kirim(klien(akun["walidata"]))
    p = Pengiriman.objects.get()
    url = f"/api/v1/sektor/pengiriman/{p.pk}/"
    own = klien(akun["walidata"]).get(url).json()  # the dataset's own walidata: rows, NIK masked
    assert own["baris_total"] == 2 and own["baris"][0]["nik"] == "510501******0001"
    # the delivery was queued for linkage on commit (immediate task backend here): no row is left unlinked
    status = {s["status"]: s["jumlah"] for s in own["status_tautan"]}
    assert sum(status.values()) == 2 and status.get("belum", 0) == 0
    assert AuditLog.objects.filter(aksi="pdp.lihat", objek_tipe="integration.barissumber").count() == 1
    full = klien(akun["walidata_dukcapil"]).get(url + "?nik=penuh").json()
    assert full["baris"][0]["nik"] == NIK_A
    assert AuditLog.objects.filter(aksi="pdp.lihat", sesudah__nik_penuh=True).exists()
    analis = klien(akun["analis"]).get(url).json()
    assert "baris" not in analis and analis["jumlah_baris"] == 2
    dinkes = klien(akun["walidata_dinkes"]).get(url).json()
    assert "baris" not in dinkes
    operator = klien(akun["operator"]).get(url).json()
    assert operator["baris_total"] == 2 and operator["baris"][0]["nik"] == "510501******0001"
    assert klien(akun["analis"]).get("/api/v1/sektor/pengiriman/999999/").status_code == 404
    lst = klien(akun["analis"]).get("/api/v1/sektor/dataset/dinsos-pkh/pengiriman/").json()
    assert [(x["versi"], x["jumlah_baris"], x["sha256"]) for x in lst] == [(1, 2, p.sha256)]
    assert BarisSumber.objects.count() == 2


def test_schema_has_the_operations():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert set(paths["/api/v1/sektor/dataset/{kode}/pengiriman/"]) >= {"get", "post"}
    assert "patch" in paths["/api/v1/sektor/dataset/{kode}/"]
