"""The batch candidate pool (``kandidat_bersama``) selects exactly what the per-desa queries select."""

from __future__ import annotations

import numpy as np
import pytest

from presisi.registry.models import MATI, Individu
from presisi.validation import konteks
from presisi.validation.konteks import kandidat_bersama, kandidat_ganda
from tests.validation.conftest import DESA, keluarga, orang

pytestmark = pytest.mark.django_db


def _people(wilayah):
    kk = keluarga(wilayah)
    orang(kk, shdk=1, sex=1, lahir="1980-03-12")
    orang(kk, shdk=2, sex=2, lahir="1983-07-01")
    orang(kk, shdk=3, sex=1, lahir="2008-05-20")
    dead = orang(kk, shdk=3, sex=1, lahir="1960-01-01")
    Individu.objects.filter(pk=dead.pk).update(status_dasar=MATI)


@pytest.mark.parametrize("semua", [False, True])
def test_the_pool_selects_what_the_queries_select(wilayah, semua):
    _people(wilayah)
    born = np.array(["1980-03-12", "1983-07-01", "1960-01-01", "2008-05-20", "NaT"], dtype="datetime64[D]")
    sex = np.array([1, 1, 1, 1, 2])  # the 1983 woman asked as a man: no match
    for exclude in ([], [wilayah[DESA].pk]):
        sql = kandidat_ganda(tanggal_lahir=born, jenis_kelamin=sex, kecuali_desa=exclude, semua=semua)
        with kandidat_bersama():
            pooled = kandidat_ganda(tanggal_lahir=born, jenis_kelamin=sex, kecuali_desa=exclude, semua=semua)
        assert sorted(pooled.nik) == sorted(sql.nik)
        assert sorted(pooled.keterangan) == sorted(sql.keterangan)
    assert len(sql.nik) == 0  # the last round excluded the only desa
    with kandidat_bersama():
        unknown = kandidat_ganda(tanggal_lahir=born[1:2], jenis_kelamin=np.array([0]), kecuali_desa=[])
    assert len(unknown.nik) == 1  # unknown sex: either sex
    assert konteks._KUMPULAN.get() is None  # the pool lives only inside the block


def test_the_pool_reads_the_population_once(wilayah, django_assert_max_num_queries):
    _people(wilayah)
    born = np.array(["1980-03-12"], dtype="datetime64[D]")
    with kandidat_bersama():
        kandidat_ganda(tanggal_lahir=born, jenis_kelamin=np.array([1]), kecuali_desa=[])
        with django_assert_max_num_queries(5):  # the region names of each call, never the population
            for _ in range(5):
                found = kandidat_ganda(tanggal_lahir=born, jenis_kelamin=np.array([1]), kecuali_desa=[])
                assert len(found.nik) == 1
