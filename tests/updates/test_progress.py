"""Progress at a glance: the selector's numbers and scope, and the web pages with their buttons."""

from __future__ import annotations

import pytest
from django.test import Client

from presisi.updates.models import DIAJUKAN, DISETUJUI, DIVERIFIKASI, DRAF
from presisi.updates.selectors import progres_periode
from presisi.updates.services import pengajuan_ajukan
from tests.conftest import masuk
from tests.updates.conftest import DESA, DESA_LAIN, DESA_TETANGGA, ambil, atur_status

pytestmark = pytest.mark.django_db


def status_map(blok) -> dict[str, tuple[int, float]]:
    return {s["status"]: (s["jumlah"], s["persen"]) for s in blok["status"]}


def test_progress_numbers_per_regency_and_kecamatan(periode, pengguna, validasi,
                                                   django_assert_max_num_queries):
    validasi.atur(peringatan=2)
    pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"])
    atur_status(periode, DIVERIFIKASI, DESA_TETANGGA)
    atur_status(periode, DISETUJUI, DESA_LAIN)
    with django_assert_max_num_queries(4):
        progres = progres_periode(periode=periode, user=pengguna["wali"])
    assert progres["total"] == 59 and progres["periode"]["kode"] == "2026-S2"
    total = status_map(progres)
    assert total[DRAF] == (56, 94.9) and total[DIAJUKAN] == (1, 1.7) and total[DISETUJUI] == (1, 1.7)
    assert sum(n for n, _ in total.values()) == 59
    assert [k["kode"] for k in progres["kecamatan"]] == ["51.05.01", "51.05.02", "51.05.03", "51.05.04"]
    nusa_penida = progres["kecamatan"][0]
    assert nusa_penida["nama"] == "Nusa Penida" and nusa_penida["total"] == 16
    assert status_map(nusa_penida)[DIVERIFIKASI] == (1, 6.2)
    sakti = nusa_penida["desa"][0]
    assert (sakti["desa"], sakti["status"], sakti["diubah_oleh"]) == (DESA, DIAJUKAN, "op")
    assert (sakti["galat"], sakti["peringatan"], sakti["peringatan_tanpa_alasan"]) == (0, 2, 0)
    assert nusa_penida["desa"][1]["galat"] is None  # never validated
    # the steward's buttons: approve the verified desa, un-approve the approved one
    batumadeg = nusa_penida["desa"][1]
    assert [a["aksi"] for a in batumadeg["aksi"]] == ["setujui", "kembalikan"]
    assert [a["aksi"] for a in progres["kecamatan"][1]["desa"][0]["aksi"]] == ["publikasikan", "batal"]


def test_counts_come_from_the_validation_apps_stored_summary_when_available(periode, pengguna, validasi):
    from presisi.updates.selectors import pengajuan_dict
    from presisi.updates.workflow import HasilValidasi

    validasi.atur(peringatan=1)
    pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"])
    # the operator justified the warning and re-ran validation since: the summary is newer
    validasi.rekap = {DESA: HasilValidasi(0, 1, 0), DESA_TETANGGA: HasilValidasi(4, 0, 0)}
    desa = progres_periode(periode=periode, user=pengguna["wali"])["kecamatan"][0]["desa"]
    assert [(d["galat"], d["peringatan"]) for d in desa[:3]] == [(0, 1), (4, 0), (None, None)]
    assert pengajuan_dict(ambil(periode, DESA_TETANGGA), user=pengguna["ver"])["galat"] == 4


def test_progress_is_limited_to_the_users_scope(periode, pengguna):
    atur_status(periode, DIAJUKAN)
    ver = progres_periode(periode=periode, user=pengguna["ver"])
    assert ver["total"] == 16 and [k["kode"] for k in ver["kecamatan"]] == ["51.05.01"]
    assert [a["aksi"] for a in ver["kecamatan"][0]["desa"][0]["aksi"]] == ["verifikasi", "kembalikan"]
    op = progres_periode(periode=periode, user=pengguna["op_lain"])
    assert op["total"] == 1 and op["kecamatan"][0]["desa"][0]["desa"] == DESA_LAIN
    analis = progres_periode(periode=periode, user=pengguna["analis"])
    assert analis["total"] == 59
    assert all(not d["aksi"] for k in analis["kecamatan"] for d in k["desa"])


# --- web (the board and decisions: see test_tinjauan.py) ------------------------------------------------


def test_pages_need_login_and_known_period(client, periode, pengguna):
    assert client.get("/pemutakhiran/2026-S2/").status_code == 302
    masuk(client, pengguna["analis"])
    assert client.get("/pemutakhiran/2099-S1/").status_code == 404
    assert client.get("/pemutakhiran/").status_code == 200


def test_desa_page_shows_history_and_refuses_other_desa(client, periode, pengguna):
    pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"], komentar="siap diperiksa")
    masuk(client, pengguna["op"])
    html = client.get(f"/pemutakhiran/2026-S2/{DESA}/").content.decode()
    assert "Riwayat" in html and "siap diperiksa" in html and "Diajukan desa" in html
    # another desa answers like an unknown one (issue #11: no IDOR confirmation)
    assert client.get(f"/pemutakhiran/2026-S2/{DESA_LAIN}/").status_code == 404
    masuk(client, pengguna["wali"])
    assert client.get("/pemutakhiran/2026-S2/51.05.01.9999/").status_code == 404


def test_transition_forms_are_csrf_protected(periode, pengguna):
    client = Client(enforce_csrf_checks=True)
    masuk(client, pengguna["op"])
    assert client.post(f"/pemutakhiran/2026-S2/{DESA}/ajukan/").status_code == 403
    assert ambil(periode).status == DRAF


def test_index_opens_and_closes_periods_for_the_steward(client, pengguna):
    masuk(client, pengguna["op"])
    assert "Buka periode baru" not in client.get("/pemutakhiran/").content.decode()
    client.post("/pemutakhiran/buka/", {"kode": "2026-S2"})
    masuk(client, pengguna["wali"])
    html = client.post("/pemutakhiran/buka/", {"kode": "2026-S2", "tenggat": "2027-01-15"}, follow=True)
    assert "Periode 2026-S2 dibuka untuk 59 desa/kelurahan" in html.content.decode()
    html = client.post("/pemutakhiran/2026-S2/tutup/", follow=True).content.decode()
    assert "Centang konfirmasi" in html and "Periode 2026-S2 ditutup" not in html  # no one-click close
    html = client.post("/pemutakhiran/2026-S2/tutup/", {"konfirmasi": "ya"}, follow=True).content.decode()
    assert "Periode 2026-S2 ditutup" in html
