"""Imports in real processes on a real database (a SQLite file, or PostgreSQL when the suite runs
on it): killed with SIGKILL at random points, two at once, and browsed while they run."""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from presisi.dictionary.services import kamus_load
from presisi.imports import pipeline
from presisi.imports.models import Impor
from presisi.imports.services import impor_buat, impor_proses
from presisi.regions.models import Wilayah
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import Individu
from tests.imports.helpers import desa_sintetis, template_file
from tests.imports.ruang import PERIODE, buat_ruang, hasil_json
from tests.validation.conftest import BANJAR, BANJAR_LAIN, DESA, DESA_LAIN, make_periode

KILLS = 10
KELUARGA = 100  # families of three in the first file of a desa; the killed file has twice as many


def _seconds(ruang, impor_id: int) -> float:
    """How long the job ran (from the database: the process start-up is not part of it)."""
    mulai, selesai = ruang.rows("SELECT mulai, selesai FROM imports_impor WHERE id = %s", (impor_id,))[0]
    if isinstance(mulai, str):  # SQLite gives text
        mulai, selesai = dt.datetime.fromisoformat(mulai), dt.datetime.fromisoformat(selesai)
    return (selesai - mulai).total_seconds()


def _wait_for_job(ruang, last: int, process) -> None:
    """Until the process's job runs (the Django start-up before it is not what the kills are about)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if ruang.rows("SELECT COUNT(*) FROM imports_impor WHERE id > %s AND status != 'antri'", (last,))[0][0]:
            return
        time.sleep(0.01)


@pytest.fixture(scope="module")
def ruang(tmp_path_factory):
    ruang, drop = buat_ruang(tmp_path_factory.mktemp("ruang"))
    yield ruang
    drop()


def _import(ruang, path: Path, desa: str, *extra: str):
    return ruang.presisi("import", str(path), "--desa", desa, "--periode", PERIODE, "--json", *extra)


def test_an_import_killed_at_random_points_leaves_the_registry_unchanged_and_a_rerun_completes(ruang, tmp_path,
                                                                                              capsys):
    """Each round kills ``presisi import`` after a random delay: the registry is then exactly as
    before (not one row of the killed import), or, when the signal came after the commit, holds
    the whole file; then the next rounds move to a fresh desa so that every kill can hit a write."""
    fresh = iter(["51.05.01.2001", "51.05.01.2002", *(f"51.05.01.{n}" for n in range(2007, 2017))])
    full = tmp_path / "desa.xlsx"

    def next_desa(n: int) -> tuple[str, float, tuple]:
        base = tmp_path / "dasar.xlsx"
        # families 200n…: KK and NIK serials of each desa are its own (the helper's offsets; the
        # other tests use families from 2300 on)
        base.write_bytes(desa_sintetis(KELUARGA, mulai=2 * KELUARGA * n))  # people registered …
        full.write_bytes(desa_sintetis(2 * KELUARGA, mulai=2 * KELUARGA * n))  # … and a file with as many new
        desa = next(fresh, None)
        assert desa is not None, "hampir setiap sinyal datang sesudah commit: jeda acak terlalu panjang"
        first = _import(ruang, base, desa)
        assert first.returncode == 0, first.stderr
        return desa, _seconds(ruang, hasil_json(first.stdout)["impor"]["id"]), ruang.sidik()

    n = 0
    desa, took, before = next_desa(n)
    rng = random.Random(20261203)
    clean = 0
    for _ in range(KILLS):
        last = ruang.rows("SELECT COALESCE(MAX(id), 0) FROM imports_impor")[0][0]
        process = ruang.popen("import", str(full), "--desa", desa, "--periode", PERIODE, "--json")
        _wait_for_job(ruang, last, process)
        # anywhere from reading the file to the commit (the file is twice the first one)
        time.sleep(rng.uniform(0.0, 1.6) * took)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=120)
        after = ruang.sidik()
        if process.returncode == -signal.SIGKILL and after == before:
            clean += 1  # all or nothing: not one row of the killed import
            continue
        assert process.returncode in (0, -signal.SIGKILL), err
        # the import committed before the signal: all of the file is in, nothing twice
        assert after[0]["registry_individu"] == before[0]["registry_individu"] + 3 * KELUARGA
        assert after[0]["registry_keluarga"] == before[0]["registry_keluarga"] + KELUARGA
        n += 1
        desa, took, before = next_desa(n)
    with capsys.disabled():
        print(f"\n[SIGKILL {ruang.vendor}] {clean} dibunuh sebelum commit (registri tetap), {n} sesudah commit")
    assert clean >= KILLS // 2

    # the rerun is not blocked by the dead imports (their desa lock died with them) and completes
    rerun = _import(ruang, full, desa)
    assert rerun.returncode == 0, rerun.stderr
    assert hasil_json(rerun.stdout)["impor"]["hasil"] == Impor.DITERIMA
    after = ruang.sidik()
    assert after[0]["registry_individu"] == before[0]["registry_individu"] + 3 * KELUARGA
    again = hasil_json(_import(ruang, full, desa).stdout)["impor"]["ringkasan"]["unit"]["individu"]
    assert again["tetap"] == 6 * KELUARGA and again["dibuat"] == 0 and ruang.sidik() == after  # exactly once

    # the reaper closes the killed jobs and deletes their uploads (they hold NIKs)
    reaped = ruang.presisi("impor", "bersihkan", "--json", PRESISI_IMPOR_BATAS_BERJALAN_MENIT="0",
                           PRESISI_RETENSI_BERKAS_HARI="0")
    assert reaped.returncode == 0, reaped.stderr
    assert hasil_json(reaped.stdout)["jumlah_terhenti"] + len(hasil_json(reaped.stdout)["berkas_dihapus"]) >= clean
    assert ruang.rows("SELECT COUNT(*) FROM imports_impor WHERE isi IS NOT NULL OR status IN ('antri', 'berjalan')"
                      ) == [(0,)]


def test_two_imports_into_one_desa_at_once_never_interleave(ruang, tmp_path):
    desa = "51.05.01.2003"
    path = tmp_path / "desa.xlsx"
    path.write_bytes(desa_sintetis(60, mulai=2300))
    processes = [ruang.popen("import", str(path), "--desa", desa, "--periode", PERIODE, "--json") for _ in range(2)]
    jobs = [hasil_json(p.communicate(timeout=300)[0])["impor"] for p in processes]
    assert ruang.jumlah(desa) == 180
    jobs.sort(key=lambda j: (j["hasil"] != Impor.DITERIMA, j["id"]))
    created = jobs[0]["ringkasan"]["unit"]["individu"]
    assert jobs[0]["hasil"] == Impor.DITERIMA and created["dibuat"] == 180
    second = jobs[1]
    if second["hasil"] == Impor.DITOLAK:  # ran while the first held the desa: refused, nothing written
        assert [f["rule"] for f in second["temuan"]] == ["impor_desa_berjalan"]
    else:  # ran after it: found every record already there
        assert second["ringkasan"]["unit"]["individu"]["tetap"] == 180


def test_the_same_people_into_two_desa_at_once_are_written_once(ruang, tmp_path):
    path = tmp_path / "desa.xlsx"
    path.write_bytes(desa_sintetis(60, mulai=2400))
    processes = [ruang.popen("import", str(path), "--desa", desa, "--periode", PERIODE, "--json")
                 for desa in ("51.05.01.2004", "51.05.01.2005")]
    jobs = [hasil_json(p.communicate(timeout=300)[0])["impor"] for p in processes]
    assert sorted(j["hasil"] for j in jobs) == [Impor.DITERIMA, Impor.DITOLAK]
    assert sorted((ruang.jumlah("51.05.01.2004"), ruang.jumlah("51.05.01.2005"))) == [0, 180]
    loser = next(j for j in jobs if j["hasil"] == Impor.DITOLAK)
    # simultaneous: the database refused the second write; one after the other: the NIKs are known elsewhere
    assert {f["rule"] for f in loser["temuan"] if f["severity"] == "error"} <= {"konflik_basis_data", "nik_ganda",
                                                                                "kk_ganda"}


BROWSE = """
import json, sys, threading
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from presisi.imports.services import impor_buat, impor_proses
from presisi.periods.selectors import periode_get
from presisi.validation.lookups import desa_by_kode
from tests.conftest import masuk

users = {u.username: u for u in get_user_model().objects.filter(username__in=["operator", "admin"])}
clients = {}
for name, user in users.items():
    clients[name] = Client(raise_request_exception=False)
    masuk(clients[name], user)
job = impor_buat(berkas=open(sys.argv[1], "rb").read(), nama_berkas="desa.xlsx", desa=desa_by_kode("51.05.01.2006"),
                 periode=periode_get("2026-S2"), pengguna=users["operator"], antrekan=False)
urls = ["/", "/dasbor/", "/registri/desa/51.05.01.2006/", "/impor/", f"/impor/{job.pk}/", "/api/v1/impor/",
        f"/api/v1/impor/{job.pk}/", "/validasi/"]
for client in clients.values():  # warm up (first requests load templates and URL patterns)
    for url in urls:
        client.get(url)
done = threading.Event()

def run():
    try:
        impor_proses(impor_id=job.pk)
    finally:
        connections.close_all()
        done.set()

worker = threading.Thread(target=run)
worker.start()
codes, rounds = [], 0
while not done.is_set() or rounds < 2:
    rounds += 1
    for name, client in clients.items():
        for url in urls:
            codes.append([name, url, client.get(url).status_code, done.is_set()])
worker.join()
job.refresh_from_db()
print(json.dumps({"codes": codes, "hasil": job.hasil, "rounds": rounds}))
"""


def test_browsing_while_a_desa_is_imported_never_answers_5xx(ruang, tmp_path):
    path = tmp_path / "desa.xlsx"
    path.write_bytes(desa_sintetis(300, mulai=2500))
    run = ruang.python(BROWSE.replace("sys.argv[1]", repr(str(path))))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["hasil"] == Impor.DITERIMA and ruang.jumlah("51.05.01.2006") == 900
    during = [c for c in out["codes"] if not c[3]]
    assert during  # pages were read while the import ran
    assert [c for c in out["codes"] if c[2] >= 500] == []


# -------------------------------------------------------------- the same race inside one process, forced


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="threads share an in-memory SQLite test database; the process tests above cover SQLite")
def test_two_threads_writing_the_same_people_meet_a_unique_violation_as_a_finding(monkeypatch):
    wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    kamus_load()
    wilayah_load_csv(data=f"kode,nama,tingkat,kode_induk\n{BANJAR},Kaja,banjar,{DESA}\n"
                          f"{BANJAR_LAIN},Kelod,banjar,{DESA_LAIN}\n")
    periode = make_periode(PERIODE)
    same_people = template_file()
    jobs = [impor_buat(berkas=same_people, nama_berkas="desa.xlsx", desa=Wilayah.objects.get(kode=kode),
                       periode=periode, antrekan=False) for kode in (DESA, DESA_LAIN)]
    both_checked = threading.Barrier(2, timeout=60)
    write = pipeline._simpan

    def write_together(*args, **kwargs):
        both_checked.wait()  # both files passed every check against the same registry
        return write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_simpan", write_together)
    done: list[Impor] = []

    def run(pk: int) -> None:
        try:
            done.append(impor_proses(impor_id=pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(j.pk,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(i.hasil for i in done) == [Impor.DITERIMA, Impor.DITOLAK]
    loser = next(i for i in done if i.hasil == Impor.DITOLAK)
    assert [f["rule"] for f in loser.temuan if f["severity"] == "error"] == ["konflik_basis_data"]
    assert loser.status == Impor.SELESAI and not loser.ringkasan["ditulis"]
    assert Individu.objects.filter(desa=loser.desa).count() == 0 and Individu.objects.count() == 4
