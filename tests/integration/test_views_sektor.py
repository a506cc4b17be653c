"""Pages of the sector catalogue: list, detail, form, upload with its per-row report, delivery page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from presisi.core.models import AuditLog
from presisi.integration.models import DatasetSektor, Konektor, Pengiriman
from tests.conftest import masuk
from tests.integration.bantu_sektor import CSV_UMUM, NIK_A

pytestmark = pytest.mark.django_db


def klien(user) -> Client:
    c = Client()
    masuk(c, user)
    return c


def unggah(c, dry_run: bool, kode="dinsos-pkh", isi=CSV_UMUM):
    data = {"periode": "2026-S2", "berkas": SimpleUploadedFile("pkh.csv", isi.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return c.post(f"/sektor/{kode}/kirim/", data)


def test_list_filter_and_nav(ds_pkh, akun):
    c = klien(akun["operator"])
    page = c.get("/sektor/?sektor=dinsos").content.decode()
    assert "dinsos-pkh" in page and "Penerima PKH" in page and 'href="/sektor/"' in page  # nav "Data sektoral"
    assert "Tambah dataset" not in page
    assert "dinsos-pkh" not in c.get("/sektor/?sektor=dinkes").content.decode()
    assert "Tambah dataset" in klien(akun["walidata"]).get("/sektor/").content.decode()
    assert Client().get("/sektor/").status_code == 302


def test_detail_shows_metadata_and_upload_form_only_to_managers(ds_pkh, akun):
    page = klien(akun["analis"]).get("/sektor/dinsos-pkh/").content.decode()
    assert "Pendataan penerima PKH" in page and "kompilasi_produk_administrasi" in page and "Kirim data" not in page
    assert "Kirim data" in klien(akun["walidata"]).get("/sektor/dinsos-pkh/").content.decode()
    assert klien(akun["analis"]).get("/sektor/tidak-ada/").status_code == 404


def test_create_and_edit_form(akun):
    c = klien(akun["walidata"])
    r = c.post("/sektor/baru/", {
        "kode": "dinsos-rtlh", "sektor": "dinsos", "nama": "Penerima RTLH", "unit": "rumah_tangga", "jenis": "mikro",
        "jadwal": "tahunan", "tahun": "2026", "klasifikasi": "pekerjaan = 2020",
        "pemetaan_kolom": "NO KTP = nik\nNAMA KRT = nama", "aktif": "on"})
    assert r.status_code == 302 and r["Location"] == "/sektor/dinsos-rtlh/"
    d = DatasetSektor.objects.get(kode="dinsos-rtlh")
    assert d.metadata == {"tahun": 2026, "klasifikasi": {"pekerjaan": "2020"}}
    assert d.pemetaan_kolom == {"NO KTP": "nik", "NAMA KRT": "nama"} and d.dibuat_oleh == akun["walidata"]
    r = c.post("/sektor/dinsos-rtlh/ubah/", {"nama": "RTLH", "unit": "rumah_tangga", "jenis": "mikro",
                                             "jadwal": "tahunan", "pemetaan_kolom": "X = bukan_variabel"})
    assert r.status_code == 400 and "bukan field daftar orang" in r.content.decode()
    r = c.post("/sektor/dinsos-rtlh/ubah/", {"nama": "RTLH", "unit": "rumah_tangga", "jenis": "mikro",
                                             "jadwal": "tahunan"})
    assert r.status_code == 302 and DatasetSektor.objects.get(kode="dinsos-rtlh").aktif is False
    assert klien(akun["walidata_dinkes"]).get("/sektor/dinsos-rtlh/ubah/").status_code == 404
    assert klien(akun["operator"]).get("/sektor/baru/").status_code == 403


def test_upload_dry_run_report_then_real_delivery_page(ds_pkh, periode_kirim, akun):
    c = klien(akun["walidata"])
    r = unggah(c, dry_run=True)
    page = r.content.decode()
    assert r.status_code == 200 and "Uji coba" in page and "nik_format" in page and not Pengiriman.objects.exists()
    r = unggah(c, dry_run=False)
    assert "Diterima sebagai versi 1" in r.content.decode()
    p = Pengiriman.objects.get()
    page = c.get(f"/sektor/pengiriman/{p.pk}/").content.decode()
    assert "I Wayan Sudarma" in page and "510501******0001" in page and NIK_A not in page
    assert "Belum ditautkan" in page and p.sha256 in page
    assert AuditLog.objects.filter(aksi="pdp.lihat", objek_tipe="integration.barissumber").exists()
    again = unggah(c, dry_run=False).content.decode()
    assert "sama dengan versi 1" in again and Pengiriman.objects.count() == 1
    detail = c.get("/sektor/dinsos-pkh/").content.decode()
    assert f"/sektor/pengiriman/{p.pk}/" in detail and "v1" in detail


def test_delivery_page_counts_only_for_roles_without_person_access(ds_pkh, periode_kirim, akun):
    unggah(klien(akun["walidata"]), dry_run=False)
    p = Pengiriman.objects.get()
    page = klien(akun["analis"]).get(f"/sektor/pengiriman/{p.pk}/").content.decode()
    assert "I Wayan Sudarma" not in page and "jumlah saja" in page
    full = klien(akun["walidata_dukcapil"]).post(f"/sektor/pengiriman/{p.pk}/", {"tampilkan_nik": "1"})
    assert NIK_A in full.content.decode()  # the POSTed "Tampilkan NIK" button
    full = klien(akun["walidata_dukcapil"]).get(f"/sektor/pengiriman/{p.pk}/?nik=penuh").content.decode()
    assert NIK_A in full


def test_upload_refused_file_shows_findings(ds_pkh, periode_kirim, akun):
    r = unggah(klien(akun["walidata"]), dry_run=False, isi="a,b\n1,2\n")
    assert r.status_code == 400 and "kolom_wajib" in r.content.decode() and not Pengiriman.objects.exists()
    assert unggah(klien(akun["operator"]), dry_run=False).status_code == 403
    assert unggah(klien(akun["walidata_dinkes"]), dry_run=False).status_code == 404


def test_connector_page_never_shows_the_secret(ds_pkh, akun):
    c = klien(akun["walidata"])
    r = c.post("/sektor/dinsos-pkh/konektor/", {"nama": "SIKS", "jenis": "tarik", "url": "https://siks.invalid/pkh",
                                               "format": "json", "interval_jam": "24", "aktif": "on",
                                               "kredensial_jenis": "bearer", "kredensial_nilai": "token-rahasia-9"})
    assert r.status_code == 302
    k = Konektor.objects.get()
    for url in ("/sektor/dinsos-pkh/konektor/", f"/sektor/konektor/{k.pk}/", "/sektor/dinsos-pkh/"):
        page = c.get(url).content.decode()
        assert "token-rahasia-9" not in page and k.kredensial_terenkripsi not in page
    assert "tersimpan" in c.get(f"/sektor/konektor/{k.pk}/").content.decode()
    assert klien(akun["walidata_dinkes"]).get(f"/sektor/konektor/{k.pk}/").status_code == 404
    assert klien(akun["analis"]).get(f"/sektor/konektor/{k.pk}/").status_code == 403


def test_pull_now_from_the_connector_page(ds_pkh, periode_kirim, akun, titik_uji):
    from presisi.integration.services.konektor import konektor_simpan

    k = konektor_simpan(oleh=akun["walidata"], dataset=ds_pkh, jenis="tarik",
                        url=f"http://127.0.0.1:{titik_uji.server_port}/", kredensial_jenis="bearer",
                        kredensial_nilai="token-rahasia-9")
    r = klien(akun["walidata"]).post(f"/sektor/konektor/{k.pk}/", {"aksi": "tarik", "periode": "2026-S2"})
    p = Pengiriman.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/sektor/pengiriman/{p.pk}/" and p.sumber == Pengiriman.TARIK
    assert titik_uji.seen[0]["Authorization"] == "Bearer token-rahasia-9"
