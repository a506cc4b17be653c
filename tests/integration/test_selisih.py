"""Where the sources disagree: every category planted in a small delivery and found on the right rows."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.integration.models import Selisih
from presisi.integration.services.selisih import selisih_hitung
from presisi.registry.models import MATI, PERGI, PINDAH, Peristiwa
from tests.integration.conftest import DESA_A, DESA_B, baris, dataset, orang, pengiriman, rumah_tangga

pytestmark = pytest.mark.django_db


def _by(kirim) -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for s in Selisih.objects.filter(pengiriman=kirim).select_related("baris"):
        out.setdefault((s.kategori, s.variabel), []).append(s.baris.baris if s.baris else 0)
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture
def kiriman(wilayah_uji, periode_uji):
    a, b = wilayah_uji[DESA_A], wilayah_uji[DESA_B]
    rt, kk = rumah_tangga(a, atribut={"desil_dtsen": 2})
    sehat = orang(a, rt, kk, pendidikan=5, atribut={"jaminan_kesehatan": 1, "wg_melihat": 1})
    lain = orang(a, rt, kk, jk=2, hub=2, lahir=dt.date(1984, 7, 1), pendidikan=4,
                 atribut={"wg_berjalan": 3})
    mati = orang(a, rt, kk, hub=3, status=MATI, lahir=dt.date(1950, 1, 1))
    Peristiwa.objects.create(individu=mati, jenis=Peristiwa.MATI, tanggal=dt.date(2026, 2, 14))
    pindah = orang(a, rt, kk, hub=3, status=PINDAH, lahir=dt.date(2000, 1, 1))
    Peristiwa.objects.create(individu=pindah, jenis=Peristiwa.PINDAH_KELUAR, tanggal=dt.date(2025, 11, 3))
    pergi = orang(a, rt, kk, hub=3, status=PERGI, lahir=dt.date(2001, 1, 1))
    rt2, kk2 = rumah_tangga(b)
    ganda = orang(b, rt2, kk2)
    beres = orang(b, rt2, kk2, hub=2, jk=2)
    ds = dataset(metadata={})
    kirim = pengiriman(ds, periode_uji)
    baris(kirim, 1, individu=beres)  # agrees on everything: no item
    baris(kirim, 2, status="tanpa_pasangan", desa=a, nik="5105019999990001", nama="Orang Luar")
    baris(kirim, 3, individu=mati)
    baris(kirim, 4, individu=pindah)
    baris(kirim, 5, individu=pergi)
    baris(kirim, 6, individu=sehat, jenis_kelamin=2, tanggal_lahir=dt.date(1980, 12, 3), no_kk="5105010101010101",
          desa=b, data={"pendidikan": "4", "jaminan_kesehatan": "3", "disabilitas": "ya", "desil_dtsen": 2,
                        "kolom_lain": "x"})
    baris(kirim, 7, individu=lain, data={"disabilitas": "tidak", "pendidikan": "sltp"})
    baris(kirim, 8, individu=ganda)
    baris(kirim, 9, individu=ganda)
    baris(kirim, 10, status="tinjau", individu=sehat, jenis_kelamin=2)  # in review: never compared
    return kirim


def test_every_category_is_found_on_its_rows(kiriman):
    n = selisih_hitung(kiriman)
    found = _by(kiriman)
    assert found[(Selisih.TANPA_REGISTRI, "")] == [2]
    assert found[(Selisih.MENINGGAL, "status_dasar")] == [3]
    assert found[(Selisih.PINDAH, "status_dasar")] == [4, 5]
    for variabel in ("jenis_kelamin", "tanggal_lahir", "no_kk", "desa", "pendidikan", "jaminan_kesehatan",
                     "disabilitas"):
        assert found[(Selisih.ATRIBUT, variabel)][0] == 6, variabel
    # row 7: registry says disabled (WG walking: a lot of difficulty), the agency says not
    assert found[(Selisih.ATRIBUT, "disabilitas")] == [6, 7]
    assert found[(Selisih.GANDA_SUMBER, "")] == [8, 9]
    assert (Selisih.ATRIBUT, "desil_dtsen") not in found  # same value
    assert all(10 not in rows and 1 not in rows for rows in found.values())
    assert n == Selisih.objects.filter(pengiriman=kiriman).count() == 14


def test_values_labels_dates_and_who_acts(kiriman):
    selisih_hitung(kiriman)
    items = {(s.kategori, s.variabel, s.baris.baris): s for s in Selisih.objects.filter(pengiriman=kiriman)}
    mati = items[(Selisih.MENINGGAL, "status_dasar", 3)]
    assert "2026-02-14" in mati.nilai_registri and mati.pihak == Selisih.OPD
    assert "2025-11-03" in items[(Selisih.PINDAH, "status_dasar", 4)].nilai_registri
    pend = items[(Selisih.ATRIBUT, "pendidikan", 6)]
    assert pend.nilai_sumber.startswith("4 – ") and pend.nilai_registri.startswith("5 – ")
    assert pend.pihak == Selisih.OPD  # the registry is the system of record for education
    jkn = items[(Selisih.ATRIBUT, "jaminan_kesehatan", 6)]
    assert jkn.nilai_sumber.startswith("3") and jkn.nilai_registri.startswith("1")
    assert jkn.pihak == Selisih.DESA  # JKN: the agency (BPJS via Dinkes) is the system of record
    jk = items[(Selisih.ATRIBUT, "jenis_kelamin", 6)]
    assert (jk.nilai_sumber, jk.nilai_registri, jk.pihak) == ("Perempuan", "Laki-laki", Selisih.OPD)
    desa = items[(Selisih.ATRIBUT, "desa", 6)]
    assert (desa.nilai_sumber, desa.nilai_registri) == (DESA_B, DESA_A)
    assert items[(Selisih.ATRIBUT, "no_kk", 6)].nilai_sumber == "5105010101010101"
    assert items[(Selisih.TANPA_REGISTRI, "", 2)].pihak == Selisih.OPD
    assert "baris 9" in items[(Selisih.GANDA_SUMBER, "", 8)].keterangan


def test_label_in_source_matches_code(kiriman):
    """"SLTP/Sederajat" is the label of code 4: the same value as the registry's 4, no item."""
    selisih_hitung(kiriman)
    assert not Selisih.objects.filter(pengiriman=kiriman, baris__baris=7, variabel="pendidikan").exists()


def test_recompute_replaces_items(kiriman):
    from presisi.integration.models import BarisSumber

    first = selisih_hitung(kiriman)
    assert selisih_hitung(kiriman) == first  # idempotent: delete + insert
    # a reviewer links the no-match row to nobody → it stays; once a row is resolved its item goes
    BarisSumber.objects.filter(pengiriman=kiriman, baris=9).update(status_tautan="tinjau")
    assert selisih_hitung(kiriman) == first - 2  # no more duplicate on rows 8 and 9


def test_system_of_record_sends_registry_fields_to_opd_and_agency_fields_to_desa(kamus):
    from presisi.dictionary.models import Variabel

    assert Variabel.objects.get(kode="pendidikan").sistem_rujukan == "registri"
    assert Variabel.objects.get(kode="jaminan_kesehatan").sistem_rujukan == "dinkes"


def test_aggregate_dataset_beyond_tolerance(wilayah_uji, periode_uji):
    from presisi.indicators.analytics.build import snapshot_build

    a, b = wilayah_uji[DESA_A], wilayah_uji[DESA_B]
    for desa, n in ((a, 20), (b, 10)):
        rt, kk = rumah_tangga(desa)
        for i in range(n):
            orang(desa, rt, kk, hub=1 if i == 0 else 3, lahir=dt.date(1990, 1, 1) if i else dt.date(1970, 1, 1))
    snapshot_build(periode=periode_uji, desa_ids=[a.pk, b.pk])
    ds = dataset("dinkes-penduduk", sektor="dinkes", jenis="agregat", unit="desa",
                 metadata={"toleransi": 0.1, "pembanding": {
                     "jumlah_perempuan": {"ekspresi": "count(jenis_kelamin == 2)", "unit": "individu"}}})
    kirim = pengiriman(ds, periode_uji)
    # desa A: 21 vs 20 (5 %, inside 10 %); desa B: 13 vs 10 (30 %): one item. Women: registry 0, source 4.
    baris(kirim, 1, desa=a, data={"jumlah_penduduk": "21", "jumlah_perempuan": 0})
    baris(kirim, 2, desa=b, data={"jumlah_penduduk": 13, "jumlah_perempuan": "4"})
    assert selisih_hitung(kirim) == 2
    items = {(s.variabel, s.baris.baris): s for s in Selisih.objects.filter(pengiriman=kirim)}
    item = items[("jumlah_penduduk", 2)]
    assert (item.kategori, item.nilai_sumber, item.nilai_registri, item.pihak) == (Selisih.AGREGAT, "13", "10", "opd")
    assert "30.0%" in item.keterangan and item.desa_id == b.pk
    assert items[("jumlah_perempuan", 2)].nilai_registri == "0"
