"""'Tugas saya' (the per-role inbox after login) and the work menu: issue #10 "Hard to find"."""

from __future__ import annotations

import re

import pytest

from presisi.regions.models import Wilayah
from presisi.updates.models import DIAJUKAN, DIKEMBALIKAN, DISETUJUI, DIVERIFIKASI
from presisi.updates.selectors import tugas_saya
from presisi.validation.models import ERROR, WARNING, AturanValidasi, Temuan
from tests.conftest import masuk
from tests.updates.conftest import DESA, DESA_LAIN, DESA_TETANGGA, atur_status

pytestmark = pytest.mark.django_db


def _temuan(periode, keparahan: str, n: int) -> None:
    aturan, _ = AturanValidasi.objects.get_or_create(kode=f"uji_{keparahan}", defaults={
        "nama": "uji", "unit": "individu", "keparahan": keparahan, "pesan": "uji", "jenis": "bawaan"})
    desa = Wilayah.objects.get(kode=DESA)
    Temuan.objects.bulk_create([Temuan(desa=desa, periode=periode, aturan=aturan, unit="individu", objek_id=i,
                                       pesan="uji", keparahan=keparahan) for i in range(n)])


def test_login_lands_on_the_inbox(client, periode, pengguna):
    resp = client.post("/akun/login/", {"username": "op", "password": "rahasia-panjang"})
    assert resp.status_code == 302 and resp["Location"] == "/tugas/"  # regression: used to be the regency page
    assert client.get("/tugas/").status_code == 200
    client.logout()
    assert client.get("/tugas/").status_code == 302


def test_operator_inbox_lists_returned_findings_warnings_and_the_submission(client, periode, pengguna):
    atur_status(periode, DIKEMBALIKAN)
    from presisi.updates.models import Pengajuan

    Pengajuan.objects.filter(periode=periode, desa__kode=DESA).update(catatan="foto KK buram")
    _temuan(periode, ERROR, 2)
    _temuan(periode, WARNING, 7)
    t = tugas_saya(user=pengguna["op"])
    assert t["periode"]["kode"] == "2026-S2" and t["periode"]["tenggat"].isoformat() == "2027-01-15"
    jenis = {i["jenis"]: i for i in t["tugas"]}
    assert list(jenis) == ["dikembalikan", "galat", "peringatan", "ajukan"]
    assert jenis["dikembalikan"]["catatan"] == "foto KK buram"
    assert jenis["galat"]["jumlah"] == 2 and jenis["peringatan"]["jumlah"] == 7
    assert jenis["peringatan"]["url"] == f"/validasi/?periode=2026-S2&desa={DESA}&keparahan=warning"
    assert jenis["ajukan"]["url"] == f"/pemutakhiran/2026-S2/{DESA}/"
    masuk(client, pengguna["op"])
    html = client.get("/tugas/").content.decode()
    assert "15 Januari 2027" in html and "7 peringatan perlu diberi alasan" in html and "foto KK buram" in html
    # once submitted, nothing is left for the operator
    atur_status(periode, DIAJUKAN)
    assert tugas_saya(user=pengguna["op"])["tugas"] == []


def test_verifier_and_steward_see_submissions_waiting_for_their_decision(periode, pengguna):
    atur_status(periode, DIAJUKAN)
    atur_status(periode, DIAJUKAN, DESA_LAIN)
    atur_status(periode, DIVERIFIKASI, DESA_TETANGGA)
    ver = tugas_saya(user=pengguna["ver"])["tugas"]
    assert [(i["jenis"], [d["kode"] for d in i["desa"]]) for i in ver] == [("verifikasi", [DESA])]
    assert ver[0]["desa"][0]["url"] == f"/pemutakhiran/2026-S2/{DESA}/"
    atur_status(periode, DISETUJUI, DESA_LAIN)
    wali = tugas_saya(user=pengguna["wali"])["tugas"]
    assert [(i["jenis"], i["jumlah"]) for i in wali] == [("setujui", 1), ("publikasikan", 1)]
    assert tugas_saya(user=pengguna["analis"])["tugas"] == []


@pytest.mark.parametrize(("nama", "menu"), [
    ("op", ["Tugas saya", "Impor", "Validasi", "Pemutakhiran"]),
    ("ver", ["Tugas saya", "Validasi", "Pemutakhiran"]),
    ("wali", ["Tugas saya", "Validasi", "Pemutakhiran"]),
    ("admin", ["Tugas saya", "Impor", "Validasi", "Pemutakhiran"]),
    ("analis", ["Tugas saya", "Pemutakhiran"]),
])
def test_menu_shows_the_work_pages_each_role_uses(client, periode, pengguna, nama, menu):
    masuk(client, pengguna[nama])
    html = client.get("/tugas/").content.decode()
    nav = html.split('aria-label="Navigasi utama"', 1)[1].split("</nav>", 1)[0]
    shown = [label for label in ("Tugas saya", "Impor", "Validasi", "Pemutakhiran") if re.search(rf">{label}</a>", nav)]
    assert shown == menu  # regression: no menu led to import or validation
    client.logout()
    nav = client.get("/").content.decode().split('aria-label="Navigasi utama"', 1)[1].split("</nav>", 1)[0]
    assert "Tugas saya" not in nav and "Impor" not in nav


def test_inbox_review_and_confirmation_pages_in_english(client, periode, pengguna):
    masuk(client, pengguna["ver"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    atur_status(periode, DIAJUKAN)
    assert ">My tasks</a>" in client.get("/tugas/").content.decode()
    review = client.get(f"/pemutakhiran/2026-S2/{DESA}/").content.decode()
    assert "Population per banjar" in review and "Send decision" in review
    confirm = client.get("/pemutakhiran/2026-S2/keputusan/", {"aksi": "verifikasi", "desa": DESA}).content.decode()
    assert "This action will be taken for the following 1 desa/kelurahan" in confirm


def test_inbox_and_bulk_decisions_in_the_api(client, periode, pengguna):
    atur_status(periode, DIAJUKAN)
    masuk(client, pengguna["ver"])
    body = client.get("/api/v1/tugas/").json()
    assert body["periode"]["kode"] == "2026-S2" and body["tugas"][0]["jenis"] == "verifikasi"
    resp = client.post("/api/v1/periode/2026-S2/keputusan/",
                       {"aksi": "kembalikan", "desa": [DESA]}, content_type="application/json")
    assert resp.status_code == 400 and "Alasan wajib" in resp.json()["pesan"]
    body = client.post("/api/v1/periode/2026-S2/keputusan/", {"aksi": "verifikasi", "desa": [DESA, DESA_LAIN],
                                                              "komentar": "lengkap"},
                       content_type="application/json").json()
    assert body["berhasil"] == 1 and [h["berhasil"] for h in body["hasil"]] == [True, False]
