"""Parallel batch import in worker processes: needs committed data, so this module commits
(its own reference data, flushed afterwards) instead of sharing the module-wide transaction of
the other import tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from presisi.dictionary.services import kamus_load
from presisi.imports.batch import Berkas, bisa_paralel, impor_banyak_buat, impor_banyak_proses
from presisi.imports.models import Impor
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import Individu
from tests.imports.helpers import INDIVIDU_HEADER, KELUARGA_HEADER, desa_lain_file, individu_rows, keluarga_rows, xlsx
from tests.validation.conftest import BANJAR, BANJAR_LAIN, DESA, DESA_LAIN, make_periode

pytestmark = pytest.mark.django_db(transaction=True)


def people() -> dict[str, int]:
    return {kode: Individu.objects.filter(desa__kode=kode).count() for kode in (DESA, DESA_LAIN)}


def test_parallel_workers_import_every_file_and_keep_a_bad_one_out():
    """Outside a transaction the jobs run in forked worker processes (on PostgreSQL, or a SQLite
    file); a rejected file is rejected alone and the others are written."""
    wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    kamus_load()
    wilayah_load_csv(data=f"kode,nama,tingkat,kode_induk\n{BANJAR},Kaja,banjar,{DESA}\n"
                          f"{BANJAR_LAIN},Kelod,banjar,{DESA_LAIN}\n")
    periode = make_periode("2026-S2")
    bad = xlsx({"Keluarga": [KELUARGA_HEADER, *keluarga_rows()],
                "Individu": [INDIVIDU_HEADER, *[[*r[:5], "31-02-1980", *r[6:]] for r in individu_rows()]]})
    files = [Berkas("desa-5105012001.xlsx", bad), Berkas("desa-5105012002.xlsx", desa_lain_file())]
    jobs = impor_banyak_buat(berkas=files, periode=periode, antrekan=False)
    assert bisa_paralel() == (connection.vendor == "postgresql")  # SQLite tests run in memory: one process
    done = impor_banyak_proses(impor_ids=[j.pk for j in jobs], jobs=2)
    assert [i.hasil for i in done] == [Impor.DITOLAK, Impor.DITERIMA]
    assert all(i.status == Impor.SELESAI for i in done)
    assert people() == {DESA: 0, DESA_LAIN: 4}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite page-cache setting")
def test_worker_connections_get_a_small_sqlite_page_cache():
    """A worker's connections drop the 200 MB analytic page cache to WORKER_SQLITE_CACHE_KIB."""
    from presisi.imports.batch import WORKER_SQLITE_CACHE_KIB, _cache_worker_kecil

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    assert before == -200000  # from settings: the page cache analytic reads get
    try:
        _cache_worker_kecil(sender=None, connection=connection)
        assert cache_size() == -WORKER_SQLITE_CACHE_KIB
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={before}")
