"""Condition rules written by stewards, re-runs that keep justifications, scope of findings."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.validation.models import AturanValidasi, RekapValidasi, Temuan
from presisi.validation.selectors import temuan_list
from presisi.validation.services import (
    aturan_bawaan_sinkron,
    aturan_tambah,
    aturan_ubah,
    temuan_justifikasi,
    validasi_jalankan,
)
from tests.conftest import masuk
from tests.validation.conftest import DESA, DESA_LAIN, keluarga, keluarga_lengkap, orang

pytestmark = pytest.mark.django_db


def user(peran: str, wilayah: str, name: str | None = None):
    return pengguna_create(username=name or f"{peran}-{wilayah}", password="rahasia-panjang", peran=peran,
                           wilayah_kode=wilayah)


def test_builtin_rules_are_shipped_as_data_and_sync_is_idempotent(wilayah):
    created = aturan_bawaan_sinkron()
    assert created == AturanValidasi.objects.filter(jenis="bawaan").count() >= 30
    assert aturan_bawaan_sinkron() == 0
    nik = AturanValidasi.objects.get(kode="nik_format")
    assert nik.terkunci and nik.keparahan == "error" and "16 digit" in nik.pesan


def test_a_condition_rule_is_checked_against_the_dictionary_and_then_applied(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, lahir="1980-03-12")
    young = orang(kel, shdk=4, lahir="2013-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    aturan_tambah(kode="kawin_di_bawah_15", unit="individu", keparahan="warning",
                  kondisi="umur < 15 and status_kawin == 2", pesan="umur {umur} tahun sudah berstatus kawin")
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    t = Temuan.objects.get(aturan__kode="kawin_di_bawah_15")
    assert (t.objek_id, t.kolom, t.nilai, t.keparahan) == (young.pk, "status_kawin", "2", "warning")
    assert t.pesan == "umur 13 tahun sudah berstatus kawin"
    assert AuditLog.objects.filter(aksi="validation.aturan.dibuat").exists()


@pytest.mark.parametrize(("kondisi", "message"), [
    ("umur < 15 and warna_favorit == 2", "warna_favorit"),
    ("status_kawin == 9", "9"),
    ("umur <", "karakter ke-"),
    ("__import__('os')", "karakter ke-1"),
    ("umur", "karakter ke-"),
    ("count(umur > 1)", "count(...)"),
    ("umur > 1) + count(umur < 2", "satu kondisi"),
    ("nama == 3", "nama"),
])
def test_a_bad_condition_is_refused_before_saving(wilayah, kondisi, message):
    with pytest.raises(ValidationFailed) as err:
        aturan_tambah(kode="x", unit="individu", keparahan="error", kondisi=kondisi, pesan="salah")
    assert all(f.rule.startswith("kondisi_") and f.column == "kondisi" for f in err.value.findings)
    assert any(message in f.message for f in err.value.findings), [f.message for f in err.value.findings]
    assert not AturanValidasi.objects.filter(kode="x").exists()


def test_condition_language_lists_indonesian_keywords_and_missing_checks(wilayah, periode):
    kel = keluarga(wilayah)
    head = orang(kel, shdk=1, lahir="1980-03-12", agama=None)
    aturan_tambah(kode="agama_kosong", unit="individu", keparahan="warning", kondisi="agama is kosong dan umur >= 17",
                  pesan="agama belum diisi")
    aturan_tambah(kode="petani_tua", unit="individu", keparahan="warning",
                  kondisi="pekerjaan in (9, 10) AND umur between 40 and 80 and not (jenis_kelamin == 2)",
                  pesan="petani umur 40–80")
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    assert set(Temuan.objects.values_list("aturan__kode", "objek_id")) == {("agama_kosong", head.pk),
                                                                          ("petani_tua", head.pk)}


def test_rerun_keeps_justification_of_warnings_that_still_occur_and_closes_the_rest(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, lahir="1980-03-12")
    child = orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    operator = user("operator_desa", DESA)
    first = validasi_jalankan(desa=wilayah[DESA], periode=periode)
    assert (first.warning, first.warning_belum_dijustifikasi, first.lolos) == (1, 1, False)
    t = Temuan.objects.get(aturan__kode="umur_kawin")
    temuan_justifikasi(temuan=t, alasan="Akta perkawinan adat sudah diperiksa kepala desa.", pengguna=operator)
    second = validasi_jalankan(desa=wilayah[DESA], periode=periode)
    t.refresh_from_db()
    assert t.status == Temuan.DIJUSTIFIKASI and second.warning_belum_dijustifikasi == 0 and second.lolos
    assert (second.baru, second.tetap) == (0, 1)
    child.status_kawin = 1
    child.save()
    third = validasi_jalankan(desa=wilayah[DESA], periode=periode)
    t.refresh_from_db()
    assert t.status == Temuan.SELESAI and third.selesai == 1 and third.warning == 0


def test_errors_cannot_be_justified_and_scope_is_checked(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, nik="51050112038")
    orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    error = Temuan.objects.get(aturan__kode="nik_format")
    warning = Temuan.objects.get(aturan__kode="umur_kawin")
    operator = user("operator_desa", DESA)
    with pytest.raises(ValidationFailed) as err:
        temuan_justifikasi(temuan=error, alasan="Sudah dicek berkali-kali.", pengguna=operator)
    assert err.value.findings[0].rule == "justifikasi_error"
    with pytest.raises(ValidationFailed):
        temuan_justifikasi(temuan=warning, alasan="ok", pengguna=operator)
    with pytest.raises(PermissionDenied):
        temuan_justifikasi(temuan=warning, alasan="Alasan yang cukup panjang.", pengguna=user("operator_desa",
                                                                                               DESA_LAIN))
    verifikator = user("verifikator_kecamatan", "51.05.01")
    temuan_justifikasi(temuan=warning, alasan="Diverifikasi di kantor camat.", pengguna=verifikator)


def test_findings_selector_applies_scope(wilayah, periode):
    keluarga_lengkap(wilayah)
    kel = keluarga(wilayah, banjar=DESA_LAIN + ".001")
    orang(kel, shdk=1, nik="0510501200200001")
    for desa in (DESA, DESA_LAIN):
        validasi_jalankan(desa=wilayah[desa], periode=periode)
    assert temuan_list(user=user("operator_desa", DESA)).count() == 0
    assert temuan_list(user=user("operator_desa", DESA_LAIN)).count() == 1
    assert temuan_list(user=user("verifikator_kecamatan", "51.05.01")).count() == 1
    assert temuan_list(user=user("analis", "51.05")).count() == 0


def test_locked_rules_cannot_be_switched_off(wilayah):
    aturan_bawaan_sinkron()
    with pytest.raises(ValidationFailed):
        aturan_ubah(aturan=AturanValidasi.objects.get(kode="nik_ganda"), aktif=False)
    warning = aturan_ubah(aturan=AturanValidasi.objects.get(kode="umur_bekerja"), aktif=False)
    assert not warning.aktif


def test_operator_may_not_add_rules(wilayah):
    with pytest.raises(PermissionDenied):
        aturan_tambah(kode="x", unit="individu", keparahan="error", kondisi="umur > 120", pesan="terlalu tua",
                      pengguna=user("operator_desa", DESA))


def test_cli_adds_and_lists_rules(wilayah, capsys):
    call_command("aturan", "tambah", "--kode", "tua", "--unit", "individu", "--keparahan", "warning",
                 "--kondisi", "umur > 110", "--pesan", "umur {umur} tahun, periksa tanggal lahir")
    call_command("aturan", "list", "--json")
    out = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert any(a["kode"] == "tua" and a["jenis"] == "kondisi" for a in out["aturan"])


def test_cli_runs_the_regency(wilayah, periode, capsys):
    keluarga_lengkap(wilayah)
    call_command("validasi", "jalankan", "--periode", periode.kode, "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and len(out["desa"]) == 59
    assert next(d for d in out["desa"] if d["desa"] == DESA)["jumlah_individu"] == 4


def test_findings_page_lists_and_justifies_a_warning(wilayah, periode, client):
    kel = keluarga(wilayah)
    orang(kel, shdk=1)
    orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    masuk(client, user("operator_desa", DESA))
    page = client.get(f"/validasi/?periode={periode.kode}").content.decode()
    # the rule by its name, never its code (issue #13)
    assert "Status kawin pada umur di bawah 16 tahun" in page and "umur_kawin" not in page and "Justifikasi" in page
    t = Temuan.objects.get(aturan__kode="umur_kawin")
    response = client.post(f"/validasi/temuan/{t.pk}/justifikasi/", {"alasan": "Perkawinan adat, sudah dicek."})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == Temuan.DIJUSTIFIKASI


def test_validation_api_run_list_justify_and_rules(wilayah, periode):
    from rest_framework.test import APIClient

    kel = keluarga(wilayah)
    orang(kel, shdk=1)
    orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    api = APIClient()
    api.force_authenticate(user("operator_desa", DESA))
    run = api.post("/api/v1/validasi/jalankan/", {"desa": DESA, "periode": periode.kode}, format="json")
    assert run.status_code == 200 and run.json()["warning_belum_dijustifikasi"] == 1
    listed = api.get(f"/api/v1/validasi/temuan/?desa={DESA}&periode={periode.kode}").json()
    assert listed["jumlah"] == 1 and listed["hasil"][0]["aturan"] == "umur_kawin"
    tid = listed["hasil"][0]["id"]
    ok = api.post(f"/api/v1/validasi/temuan/{tid}/justifikasi/", {"alasan": "Sudah diverifikasi kepala desa."},
                  format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "dijustifikasi"
    refused = api.post("/api/v1/validasi/aturan/", {"kode": "x", "unit": "individu", "keparahan": "error",
                                                    "kondisi": "umur > 120", "pesan": "tua"}, format="json")
    assert refused.status_code == 403
    walidata = APIClient()
    walidata.force_authenticate(user("walidata", "51.05"))
    created = walidata.post("/api/v1/validasi/aturan/", {"kode": "tua", "unit": "individu", "keparahan": "warning",
                                                         "kondisi": "umur > 120", "pesan": "tua"}, format="json")
    assert created.status_code == 201 and created.json()["jenis"] == "kondisi"
    bad = walidata.post("/api/v1/validasi/aturan/", {"kode": "y", "unit": "individu", "keparahan": "warning",
                                                     "kondisi": "umur >", "pesan": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["temuan"][0]["column"] == "kondisi"


def test_a_double_submitted_justification_is_one_justification(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, lahir="1980-03-12")
    orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    operator = user("operator_desa", DESA)
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    t = Temuan.objects.get(aturan__kode="umur_kawin")
    alasan = "Akta perkawinan adat sudah diperiksa kepala desa."
    temuan_justifikasi(temuan=t, alasan=alasan, pengguna=operator)
    temuan_justifikasi(temuan=t, alasan=alasan, pengguna=operator)  # the same form sent again
    assert AuditLog.objects.filter(aksi="validation.temuan.dijustifikasi", objek_id=str(t.pk)).count() == 1
    assert RekapValidasi.objects.get(desa=wilayah[DESA], periode=periode).warning_belum_dijustifikasi == 0
