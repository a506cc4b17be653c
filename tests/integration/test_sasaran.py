"""Targeting accuracy against hand-counted small cases."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.indicators.analytics.build import snapshot_build
from presisi.integration.models import AturanKelayakan, Program
from presisi.integration.services import sasaran
from tests.integration.conftest import DESA_A, DESA_B, KEC_A, baris, dataset, orang, pengguna, pengiriman, rumah_tangga

pytestmark = pytest.mark.django_db


@pytest.fixture
def desa_sepuluh(wilayah_uji, periode_uji):
    """Desa A: 10 households, desil 1..10 (4 eligible for PKH: desil 1–4), two members each.
    PKH list: households of desil 1 and 3 (eligible) and desil 7 (not eligible), plus one unlinked row.
    Desa B: 2 households, desil 2 (eligible, not reached) and 9."""
    sasaran.program_bawaan_muat()
    a, b = wilayah_uji[DESA_A], wilayah_uji[DESA_B]
    heads = {}
    for desil in range(1, 11):
        rt, kk = rumah_tangga(a, atribut={"desil_dtsen": desil})
        heads[desil] = orang(a, rt, kk)
        orang(a, rt, kk, hub=2, jk=2)
    for desil in (2, 9):
        rt, kk = rumah_tangga(b, atribut={"desil_dtsen": desil})
        orang(b, rt, kk)
    snapshot_build(periode=periode_uji, desa_ids=[a.pk, b.pk])
    ds = dataset("dinsos-pkh", program="pkh")
    kirim = pengiriman(ds, periode_uji)
    baris(kirim, 1, individu=heads[1])
    baris(kirim, 2, individu=heads[3])
    baris(kirim, 3, individu=heads[7])
    baris(kirim, 4, status="tanpa_pasangan", desa=a, nama="Bukan Warga")
    return {"a": a, "b": b, "heads": heads, "periode": periode_uji}


def test_hand_counted_inclusion_and_exclusion(desa_sepuluh):
    hasil = sasaran.sasaran_hitung(program=Program.objects.get(kode="pkh"), periode=desa_sepuluh["periode"])
    rows = sasaran.rekap_wilayah(hasil)
    a = rows[DESA_A]
    assert (a["layak"], a["penerima"], a["layak_terjangkau"]) == (4, 3, 2)
    assert a["inklusi"] == pytest.approx(1 / 3) and a["eksklusi"] == pytest.approx(2 / 4)
    assert a["tidak_tertaut"] == 1
    b = rows[DESA_B]
    assert (b["layak"], b["penerima"], b["inklusi"], b["eksklusi"]) == (1, 0, None, 1.0)
    kec = rows[KEC_A]
    assert (kec["layak"], kec["penerima"], kec["layak_terjangkau"]) == (5, 3, 2)
    assert kec["eksklusi"] == pytest.approx(3 / 5)
    assert rows["51.05"]["penerima_tidak_layak"] == 1


def test_person_unit_through_household_rule(desa_sepuluh):
    """PBI-JK: people of desil 1–5 households are eligible (10 in desa A, 2 in desa B)."""
    periode = desa_sepuluh["periode"]
    ds = dataset("dinkes-pbi", sektor="dinkes", program="pbi_jk")
    kirim = pengiriman(ds, periode)
    baris(kirim, 1, individu=desa_sepuluh["heads"][5])
    baris(kirim, 2, individu=desa_sepuluh["heads"][6])
    rows = sasaran.rekap_wilayah(sasaran.sasaran_hitung(program=Program.objects.get(kode="pbi_jk"), periode=periode))
    a = rows[DESA_A]
    assert (a["layak"], a["penerima"], a["layak_terjangkau"]) == (10, 2, 1)
    assert a["inklusi"] == pytest.approx(1 / 2) and a["eksklusi"] == pytest.approx(9 / 10)


def test_rule_in_force_at_the_reference_date(desa_sepuluh):
    pkh = Program.objects.get(kode="pkh")
    analis = pengguna("analis_uji", "analis", "51.05")
    # starts after the period's reference date (2026-06-30): not used yet
    sasaran.aturan_tambah(pengguna=analis, program=pkh, ekspresi="desil_dtsen in (1, 2)",
                          berlaku_mulai=dt.date(2026, 7, 1))
    rows = sasaran.rekap_wilayah(sasaran.sasaran_hitung(program=pkh, periode=desa_sepuluh["periode"]))
    assert rows[DESA_A]["layak"] == 4
    sasaran.aturan_tambah(pengguna=analis, program=pkh, ekspresi="desil_dtsen in (1, 2)",
                          berlaku_mulai=dt.date(2026, 6, 1), catatan="uji")
    rows = sasaran.rekap_wilayah(sasaran.sasaran_hitung(program=pkh, periode=desa_sepuluh["periode"]))
    assert (rows[DESA_A]["layak"], rows[DESA_A]["layak_terjangkau"], rows[DESA_A]["penerima_tidak_layak"]) == (2, 1, 2)
    assert AuditLog.objects.filter(aksi=sasaran.AUDIT_ATURAN_DIBUAT).count() == 2
    assert AturanKelayakan.objects.filter(program=pkh).count() == 3  # earlier rules kept


def test_rule_editor_refuses_other_roles_and_bad_rules(desa_sepuluh):
    pkh = Program.objects.get(kode="pkh")
    operator = pengguna("operator_uji", "operator_desa", DESA_A)
    with pytest.raises(PermissionDenied):
        sasaran.aturan_tambah(pengguna=operator, program=pkh, ekspresi="desil_dtsen in (1)",
                              berlaku_mulai=dt.date(2026, 1, 1))
    admin = pengguna("admin_uji", "admin", "51.05")
    for bad in ("desil_dtsen in (1, 99)", "tidak_ada == 1", "count(umur > 1)", "", "desil_dtsen in (1"):
        with pytest.raises(ValidationFailed):
            sasaran.aturan_tambah(pengguna=admin, program=pkh, ekspresi=bad, berlaku_mulai=dt.date(2026, 1, 1))


def test_seed_is_idempotent(db):
    first = sasaran.program_bawaan_muat()
    assert first == {"program": 5, "aturan": 5}
    assert sasaran.program_bawaan_muat() == {"program": 0, "aturan": 0}
    assert set(Program.objects.values_list("kode", flat=True)) == {"pkh", "bpnt", "pbi_jk", "blt_dd", "rtlh"}


def test_default_rules_compile(kamus):
    sasaran.program_bawaan_muat()
    for program in Program.objects.all():
        rule = sasaran.aturan_berlaku(program, dt.date(2026, 6, 30))
        sasaran.kompilasi_aturan(rule.ekspresi, program.unit)
