"""The update workflow in a real browser (issue #10): the operator submits from the inbox and the review
page, the kecamatan verifier reviews and verifies with a comment after confirming, and the regency
steward approves two desa at once from the progress board with one confirmation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PERIODE = "2027-S1"
DESA, DESA_2 = "51.05.01.2001", "51.05.01.2002"


def _siapkan_periode() -> None:
    """A new open period; the two desa's warnings justified; the second desa already submitted and verified."""
    from presisi.regions.models import Wilayah
    from presisi.updates.models import Pengajuan
    from presisi.updates.services import pengajuan_transisi, periode_buka
    from presisi.updates.workflow import SISTEM
    from presisi.validation.models import Temuan
    from presisi.validation.services import temuan_justifikasi_banyak, validasi_jalankan_banyak

    periode = periode_buka(kode=PERIODE, pengguna=SISTEM)
    validasi_jalankan_banyak(desa_list=list(Wilayah.objects.filter(kode__in=[DESA, DESA_2])), periode=periode)
    ids = list(Temuan.objects.filter(periode=periode, keparahan="warning").values_list("pk", flat=True))
    if ids:
        temuan_justifikasi_banyak(temuan_ids=ids, alasan="Nomor sementara: warga belum ber-NIK.", pengguna=SISTEM)
    kedua = Pengajuan.objects.get(periode=periode, desa__kode=DESA_2)
    for aksi in ("ajukan", "verifikasi"):
        kedua = pengajuan_transisi(aksi=aksi, pengajuan=kedua, pengguna=SISTEM)


def _status(kode: str) -> str:
    from presisi.updates.models import Pengajuan

    return Pengajuan.objects.get(periode__kode=PERIODE, desa__kode=kode).status


def test_submit_verify_with_comment_and_approve_two_desa_at_once(site, open_as):
    _siapkan_periode()
    url = site["url"]
    # the operator lands on the inbox, follows "Ajukan" to the review page and confirms
    page = open_as("operator")
    assert page.url.endswith("/tugas/")
    page.locator("#tugas a", has_text="Ajukan data").click()
    page.wait_for_url(f"**/pemutakhiran/{PERIODE}/{DESA}/")
    page.check("input[name=aksi][value=ajukan]")
    page.click("form.keputusan button[type=submit]")  # not confirmed: the browser keeps the form
    assert page.url.endswith(f"/pemutakhiran/{PERIODE}/{DESA}/") and _status(DESA) == "draf"
    page.check("input[name=konfirmasi]")
    page.click("form.keputusan button[type=submit]")
    page.wait_for_url("**/keputusan/hasil/**")
    assert "1 dari 1 desa berhasil diproses" in page.locator("main").inner_text()
    assert _status(DESA) == "diajukan"
    # the verifier sees it waiting, opens the review page and verifies with a comment after confirming
    page = open_as("verifikator")
    page.locator("#tugas a", has_text="Sakti").click()
    page.wait_for_url(f"**/pemutakhiran/{PERIODE}/{DESA}/")
    text = page.locator("main").inner_text()
    assert "Perubahan" in text and "Penduduk per banjar" in text and "Temuan validasi" in text
    assert page.locator("#tabel-banjar tbody tr").count() >= 1
    save_screenshot(page, "tinjauan-desa")
    page.check("input[name=aksi][value=verifikasi]")
    page.fill("#komentar", "Data lengkap; dua kelahiran sudah dicek.")
    page.check("input[name=konfirmasi]")
    page.click("form.keputusan button[type=submit]")
    page.wait_for_url("**/keputusan/hasil/**")
    assert _status(DESA) == "diverifikasi"
    # the steward ticks both verified desa on the board, one action, one confirmation page
    page = open_as("walidata")
    page.goto(f"{url}/pemutakhiran/{PERIODE}/")
    assert page.locator("form[action$='/setujui/']").count() == 0  # no one-click approval on any row
    page.check(f'input[name=desa][value="{DESA}"]')
    page.check(f'input[name=desa][value="{DESA_2}"]')
    page.select_option("#aksi-massal", "setujui")
    page.click("form#form-keputusan button[type=submit]")
    page.wait_for_url(f"**/pemutakhiran/{PERIODE}/keputusan/?*")
    assert page.locator("#daftar-keputusan tbody tr").count() == 2
    save_screenshot(page, "keputusan-konfirmasi")
    page.check("input[name=konfirmasi]")
    page.click("form.keputusan button[type=submit]")
    page.wait_for_url("**/keputusan/hasil/**")
    assert "2 dari 2 desa berhasil diproses" in page.locator("main").inner_text()
    assert (_status(DESA), _status(DESA_2)) == ("disetujui", "disetujui")
    page.go_back()  # a resubmit of the same confirmation is one decision
    page.check("input[name=konfirmasi]")
    page.click("form.keputusan button[type=submit]")
    page.wait_for_load_state()
    from presisi.updates.models import RiwayatPengajuan

    assert RiwayatPengajuan.objects.filter(pengajuan__periode__kode=PERIODE, aksi="setujui").count() == 2
