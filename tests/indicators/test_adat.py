"""Figures grouped by desa adat add up to the administrative totals, on a synthetic regency."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.indicators.adat import nilai_per_desa_adat
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.periods.models import Periode
from presisi.regions.models import DESA_ADAT, DesaAdatDesaDinas, Wilayah, WilayahAdat
from presisi.registry.models import HIDUP, Individu, Keluarga, RumahTangga
from tests.synth.conftest import kabupaten_modul

pytestmark = pytest.mark.django_db
RASIO = ["jumlah_penduduk", "rasio_ketergantungan", "jumlah_rumah_tangga"]


@pytest.fixture(scope="module")
def regency(django_db_setup, django_db_blocker):
    """One small synthetic regency with indicators computed, rolled back at the end of the module."""
    from presisi.indicators.engine import hitung_indikator

    with kabupaten_modul(django_db_blocker, seed=7, indikator=True) as summary:
        periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                         tanggal_referensi=dt.date.today())
        hitung_indikator(periode=periode, kode=RASIO)
        yield summary, periode


def test_synthetic_customary_tree_does_not_nest(regency):
    summary, _ = regency
    assert summary.desa_adat_dibuat == WilayahAdat.objects.filter(tingkat=DESA_ADAT).count() > 59
    assert summary.keluarga_banjar_adat == Keluarga.objects.count()
    assert not Keluarga.objects.filter(banjar_adat__isnull=True).exists()
    assert all(w.sintetis and w.nama.startswith(("Desa Adat Contoh", "Banjar Adat Contoh"))
               for w in WilayahAdat.objects.all())
    per_adat, per_desa = {}, {}
    for m in DesaAdatDesaDinas.objects.all():
        per_adat.setdefault(m.desa_adat_id, set()).add(m.desa_id)
        per_desa.setdefault(m.desa_id, set()).add(m.desa_adat_id)
    assert any(len(v) == 2 for v in per_adat.values())  # spans two desa dinas
    assert any(len(v) >= 2 for v in per_desa.values())  # a desa dinas holding two desa adat
    assert len(per_desa) == Wilayah.objects.desa_kelurahan().count()  # every desa covered
    # a family's banjar adat belongs to a desa adat mapped to the family's desa
    for k in Keluarga.objects.select_related("banjar_adat")[:300]:
        assert k.desa_id in per_adat[k.banjar_adat.induk_id]


def test_totals_by_desa_adat_equal_the_administrative_totals(regency):
    _, periode = regency
    kab = Wilayah.objects.get(kode="51.05")
    indikator = list(Indikator.objects.filter(kode__in=RASIO))
    hasil = nilai_per_desa_adat(periode=periode, indikator=indikator, wilayah=kab)
    groups = hasil.kelompok.values()
    assert None not in hasil.kelompok  # every synthetic family has a banjar adat
    assert sum(g.penduduk for g in groups) == Individu.objects.filter(status_dasar=HIDUP).count()
    assert sum(g.keluarga for g in groups) == Keluarga.objects.filter(aktif=True).count()
    assert sum(g.rumah_tangga for g in groups) == RumahTangga.objects.filter(aktif=True).count()
    assert not hasil.tidak_tersedia
    for ind in indikator:
        fact = NilaiIndikator.objects.get(periode=periode, indikator=ind, wilayah=kab, disagregasi="total")
        assert sum(g.nilai[ind.pk][0] for g in groups) == pytest.approx(fact.pembilang)
        assert sum(g.nilai[ind.pk][1] for g in groups) == pytest.approx(fact.penyebut)


def test_a_kecamatan_groups_only_its_own_families(regency):
    _, periode = regency
    kec = Wilayah.objects.get(kode="51.05.01")
    ind = Indikator.objects.get(kode="jumlah_penduduk")
    hasil = nilai_per_desa_adat(periode=periode, indikator=[ind], wilayah=kec)
    fact = NilaiIndikator.objects.get(periode=periode, indikator=ind, wilayah=kec, disagregasi="total")
    assert sum(g.nilai[ind.pk][0] for g in hasil.kelompok.values()) == pytest.approx(fact.pembilang)
    mapped = set(DesaAdatDesaDinas.objects.filter(desa__kode__startswith="51.05.01.").values_list("desa_adat_id",
                                                                                                  flat=True))
    assert set(hasil.kelompok) <= mapped
