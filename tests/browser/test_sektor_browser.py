"""Sector integration in a real browser (issue #12): the Dinsos walidata delivers an agency list
(a dry run first, then for real), opens the review queue, accepts one candidate and rejects
another with the field-by-field explanation on screen, and sees the discrepancy report change.

The list is made like a real agency list from the synthetic regency (``presisi.synth.sektor``) with
heavy error rates, so that the real Splink engine sends some rows to review; the site and the list
are deterministic (fixed seeds), so the same rows land in the band every run.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATASET = "dinsos-uji-peramban"
PERIODE = "2026-S2"


def _dataset_dan_berkas(tmp_path):
    from presisi.integration.services.dataset import dataset_buat
    from presisi.synth.sektor import Laju, daftar_sektor, registri_dari_db

    dataset_buat(oleh=None, kode=DATASET, sektor="dinsos", data={
        "nama": "Penerima bantuan (uji peramban)", "unit": "individu", "jenis": "mikro", "program": "pkh"})
    laju = Laju(nik_kosong=0.7, salah_ketik=0.5, tahun_geser=0.3, tukar_tanggal=0.2, urutan_hilang=0.4,
                pindah_desa=0.3, bukan_penduduk=0.1)
    daftar = daftar_sektor(registri_dari_db(), 200, seed=11, laju=laju)
    path = tmp_path / "penerima-bantuan.csv"
    path.write_bytes(daftar.csv)
    return path


def _tinjau() -> list[int]:
    from presisi.integration.models import TINJAU, BarisSumber

    return list(BarisSumber.objects.filter(pengiriman__dataset__kode=DATASET, status_tautan=TINJAU)
                .order_by("baris").values_list("pk", flat=True))


def _menunggu(page) -> int:
    """The "n baris masih menunggu peninjauan" note on the discrepancy report (0 when absent)."""
    note = page.locator("p[role=note]")
    if note.count() == 0:
        return 0
    return int(re.search(r"(\d+)", note.first.inner_text()).group(1))


def test_walidata_delivers_reviews_and_sees_the_report_change(site, open_as, tmp_path):
    berkas = _dataset_dan_berkas(tmp_path)
    url = site["url"]
    page = open_as("walidata")
    # a dry run first (the default): the per-row report, nothing stored
    page.goto(f"{url}/sektor/{DATASET}/kirim/")
    page.select_option("#id_periode", PERIODE)
    page.set_input_files("#id_berkas", str(berkas))
    assert page.is_checked("#id_dry_run")
    page.click("form.kamus button[type=submit]")
    page.wait_for_load_state()
    assert "tidak ada yang disimpan" in page.locator("div.ringkasan").inner_text()
    assert _tinjau() == []
    # then for real: version 1, linked on commit
    page.select_option("#id_periode", PERIODE)
    page.set_input_files("#id_berkas", str(berkas))
    page.uncheck("#id_dry_run")
    page.click("form.kamus button[type=submit]")
    page.wait_for_load_state()
    assert "Diterima sebagai versi 1" in page.locator("div.ringkasan").inner_text()
    baris = _tinjau()
    assert len(baris) >= 2, "the heavy error rates must leave rows in the review band"
    # the report before any decision: rows in review are not compared yet
    page.goto(f"{url}/sektor/selisih/?dataset={DATASET}")
    sebelum = _menunggu(page)
    assert sebelum == len(baris)
    # the review queue lists them; open the first, the explanation is on screen
    page.goto(f"{url}/sektor/tinjau/?dataset={DATASET}")
    assert page.locator("tbody tr a").count() == len(baris)
    page.goto(f"{url}/sektor/tinjau/{baris[0]}/")
    main = page.locator("main")
    assert main.locator("svg").count() >= 1  # the per-field waterfall
    assert "Bobot kecocokan" in main.inner_text()
    save_screenshot(page, "tinjau-tautan")
    main.locator("form.aksi button[value=terima]").first.click()
    page.wait_for_load_state()
    # the second row: rejected
    page.goto(f"{url}/sektor/tinjau/{baris[1]}/")
    page.locator("main form.aksi button[value=tolak]").first.click()
    page.wait_for_load_state()
    from presisi.integration.models import TERTAUT, TINJAU, BarisSumber, KeputusanTautan

    assert BarisSumber.objects.get(pk=baris[0]).status_tautan == TERTAUT
    assert BarisSumber.objects.get(pk=baris[1]).status_tautan != TERTAUT
    assert set(KeputusanTautan.objects.filter(dataset__kode=DATASET).values_list("keputusan", flat=True)) == {
        "terima", "tolak"}
    # the report follows the decisions: fewer rows wait for review
    page.goto(f"{url}/sektor/selisih/?dataset={DATASET}")
    sesudah = _menunggu(page)
    assert sesudah == BarisSumber.objects.filter(pengiriman__dataset__kode=DATASET, status_tautan=TINJAU).count()
    assert sesudah < sebelum
