"""Justifying many warnings at once (issue #10 "Hard to find": 7 warnings used to take 14 actions)."""

from __future__ import annotations

import pytest

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.validation.models import RekapValidasi, Temuan
from presisi.validation.services import temuan_justifikasi_banyak, validasi_jalankan
from tests.conftest import masuk
from tests.validation.conftest import DESA, DESA_LAIN, keluarga, orang

pytestmark = pytest.mark.django_db
ALASAN = "Perkawinan adat, akta sudah diperiksa kepala desa."


def user(peran: str, wilayah: str):
    return pengguna_create(username=f"{peran}-{wilayah}", password="rahasia-panjang", peran=peran,
                           wilayah_kode=wilayah)


@pytest.fixture
def peringatan(wilayah, periode) -> list[Temuan]:
    """Three open 'married child' warnings and one error in the desa; one warning in another desa."""
    kel = keluarga(wilayah)
    orang(kel, shdk=1)
    for _ in range(3):
        orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    orang(kel, shdk=4, nik="51050112038")
    lain = keluarga(wilayah, banjar=DESA_LAIN + ".001")
    orang(lain, shdk=1)
    orang(lain, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    for desa in (DESA, DESA_LAIN):
        validasi_jalankan(desa=wilayah[desa], periode=periode)
    return list(Temuan.objects.filter(keparahan="warning", aturan__kode="umur_kawin").order_by("desa__kode", "pk"))


def test_one_reason_justifies_each_selected_warning_with_an_audit_row(peringatan, wilayah, periode):
    operator = user("operator_desa", DESA)
    sendiri = [t.pk for t in peringatan if t.desa.kode == DESA]
    lain = [t.pk for t in peringatan if t.desa.kode == DESA_LAIN]
    galat = Temuan.objects.get(aturan__kode="nik_format").pk
    hasil = temuan_justifikasi_banyak(temuan_ids=[*sendiri, *lain, galat], alasan=ALASAN, pengguna=operator)
    assert hasil["dijustifikasi"] == sendiri and len(sendiri) == 3
    ditolak = {d["id"]: d["pesan"] for d in hasil["ditolak"]}
    assert set(ditolak) == {*lain, galat} and "tidak dapat dijustifikasi" in ditolak[galat]
    assert Temuan.objects.filter(pk__in=sendiri, status=Temuan.DIJUSTIFIKASI, justifikasi=ALASAN).count() == 3
    assert AuditLog.objects.filter(aksi="validation.temuan.dijustifikasi").count() == 3
    masih = Temuan.objects.filter(desa__kode=DESA, keparahan="warning", status=Temuan.TERBUKA).count()
    assert RekapValidasi.objects.get(desa__kode=DESA, periode=periode).warning_belum_dijustifikasi == masih


def test_a_short_reason_or_no_selection_is_refused_and_changes_nothing(peringatan):
    operator = user("operator_desa", DESA)
    with pytest.raises(ValidationFailed, match="Justifikasi ditolak"):
        temuan_justifikasi_banyak(temuan_ids=[peringatan[0].pk], alasan="ok", pengguna=operator)
    with pytest.raises(ValidationFailed, match="Pilih minimal"):
        temuan_justifikasi_banyak(temuan_ids=[], alasan=ALASAN, pengguna=operator)
    assert not Temuan.objects.filter(status=Temuan.DIJUSTIFIKASI).exists()


def test_validation_page_selects_many_warnings_and_justifies_them_in_one_post(peringatan, client):
    masuk(client, user("operator_desa", DESA))
    url = f"/validasi/?periode=2026-S2&desa={DESA}&keparahan=warning"
    html = client.get(url).content.decode()
    assert 'id="form-justifikasi-banyak"' in html
    terbuka = Temuan.objects.filter(desa__kode=DESA, keparahan="warning", status=Temuan.TERBUKA).count()
    assert html.count('form="form-justifikasi-banyak"') == terbuka >= 3  # a checkbox per open warning
    sendiri = [t.pk for t in peringatan if t.desa.kode == DESA]
    resp = client.post("/validasi/temuan/justifikasi/", {"temuan": sendiri, "alasan": ALASAN, "next": url},
                       follow=True)
    assert resp.redirect_chain[-1][0] == url
    assert "3 peringatan dijustifikasi" in resp.content.decode()
    assert Temuan.objects.filter(pk__in=sendiri, status=Temuan.DIJUSTIFIKASI).count() == 3
    resp = client.post("/validasi/temuan/justifikasi/", {"temuan": sendiri, "alasan": ALASAN,
                                                        "next": "https://evil.example/"})
    assert resp["Location"] == "/validasi/"


def test_api_justifies_many_warnings_in_one_call(peringatan, client):
    masuk(client, user("operator_desa", DESA))
    sendiri = [t.pk for t in peringatan if t.desa.kode == DESA]
    body = client.post("/api/v1/validasi/temuan/justifikasi/", {"temuan": sendiri, "alasan": ALASAN},
                       content_type="application/json").json()
    assert body["dijustifikasi"] == sendiri and body["ditolak"] == []
    resp = client.post("/api/v1/validasi/temuan/justifikasi/", {"temuan": sendiri, "alasan": "ok"},
                       content_type="application/json")
    assert resp.status_code == 400 and "Justifikasi ditolak" in resp.json()["pesan"]
