"""Import safety (issue #11): masked identifiers on jobs, a bounded probable-duplicate check,
database conflicts as findings, one import per desa at a time, and the reaper."""

from __future__ import annotations

import datetime as dt
import json
import re
import resource
import threading
import time
from contextlib import contextmanager

import numpy as np
import pytest
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.test import Client
from django.utils import timezone

from presisi.core.db import bulk_insert
from presisi.core.models import AuditLog
from presisi.imports import proses
from presisi.imports.kunci import kunci_desa
from presisi.imports.models import Impor
from presisi.imports.pipeline import impor_jalankan
from presisi.imports.retensi import AKSI_BERSIHKAN, impor_bersihkan
from presisi.imports.services import impor_buat, impor_proses
from presisi.imports.tasks import impor_proses_task
from presisi.registry.models import Individu, Keluarga
from presisi.validation.rules import ganda
from tests.conftest import masuk
from tests.imports.helpers import desa_sintetis, individu_rows, template_file, user
from tests.validation.conftest import DESA

pytestmark = pytest.mark.django_db
NIK16 = re.compile(rb"\b\d{16}\b")


def _client(u) -> Client:
    client = Client(raise_request_exception=False)
    masuk(client, u)
    return client


def pdp_rows():
    return list(AuditLog.objects.filter(aksi__startswith="pdp.").order_by("id"))


def _jobs_with_person_data(wilayah, periode):
    """A written import, then a file missing a resident and listing a NIK twice (findings carry NIKs)."""
    op = user("operator_desa", DESA)
    impor_buat(berkas=template_file(), nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode, pengguna=op)
    rows = individu_rows()[:3]
    rows.append([*rows[0][:2], "I Wayan Sudarma Kembar", *rows[0][3:]])  # the same NIK twice: nik_ganda
    impor = impor_buat(berkas=template_file(individu=rows), nama_berkas="desa.xlsx", desa=wilayah[DESA],
                       periode=periode, pengguna=op, dry_run=True)
    impor.refresh_from_db()
    assert impor.ringkasan["jumlah_tidak_ada_di_berkas"] == 1 and impor.jumlah_error
    return op, impor


# ------------------------------------------------------------------------------ 1. masked identifiers

def test_analis_reads_import_jobs_without_a_single_full_nik(wilayah, periode):
    _, impor = _jobs_with_person_data(wilayah, periode)
    stored = json.dumps([impor.ringkasan, impor.temuan]).encode()
    assert not NIK16.findall(stored)  # the job itself keeps masked identifiers only
    analis = _client(user("analis", "51.05"))
    for url in ("/api/v1/impor/", f"/api/v1/impor/{impor.pk}/", f"/api/v1/impor/{impor.pk}/?nik=penuh"):
        response = analis.get(url)
        assert response.status_code == 200
        assert NIK16.findall(response.content) == [], url
    assert not pdp_rows()


def test_operator_full_view_shows_the_missing_resident_and_writes_the_pdp_log(wilayah, periode):
    op, impor = _jobs_with_person_data(wilayah, periode)
    client = _client(op)
    masked = client.get(f"/api/v1/impor/{impor.pk}/").json()
    assert masked["ringkasan"]["tidak_ada_di_berkas"][0]["nik"] == "510501******0004"
    before = len(pdp_rows())
    full = client.get(f"/api/v1/impor/{impor.pk}/?nik=penuh").json()
    assert full["ringkasan"]["tidak_ada_di_berkas"][0]["nik"] == "5105010101600004"
    logged = pdp_rows()[before:]
    assert logged and all(r.pengguna == op and r.sesudah["nik_penuh"] for r in logged)
    assert {r.objek_tipe for r in logged} >= {"registry.individu"}


# ------------------------------------------------------------------------------ 2. bounded duplicate check

def test_nine_thousand_people_of_one_birth_date_and_sex_finish_with_findings_in_bounded_memory(wilayah, periode,
                                                                                              capsys):
    data = desa_sintetis(9000, lahir_sama=(dt.date(1980, 3, 12), 1))
    start = time.perf_counter()
    out = impor_jalankan(berkas=data, nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode, dry_run=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    rules = {f.rule for f in out.temuan}
    assert out.unit["individu"]["dibuat"] == 9000
    assert {"kemungkinan_ganda", "ganda_blok_terlalu_besar"} <= rules
    block = next(f for f in out.temuan if f.rule == "ganda_blok_terlalu_besar")
    assert block.severity == "info" and block.value == "1980-03-12" and "9000 orang" in block.message
    assert peak < 1024**3  # the whole test process stays under 1 GB (all pairs would need several)
    with capsys.disabled():
        print(f"\n[9000 orang satu tanggal lahir] {seconds:.1f} s, RSS puncak {peak / 1024**2:.0f} MB")


def test_name_key_blocking_still_finds_a_duplicate_inside_a_large_block(monkeypatch):
    monkeypatch.setattr(ganda, "MAKS_BLOK_PENUH", 4)
    monkeypatch.setattr(ganda, "MAKS_SUBBLOK", 3)
    names = np.array(["I Wayan Sudarma", "I Wayan Sudarmo", "I Made Oka", "I Wayan Raka", "I Ketut Sari",
                      "I Wayan Merta", "I Gede"], dtype=object)
    key = np.zeros(len(names), dtype=np.int64)
    besar: list = []
    pairs = {(int(a), int(b)) for i, j in ganda._pasangan(key, names, besar) for a, b in zip(i, j, strict=True)}
    assert (0, 1) in pairs  # "sud" is shared by the two Sudarma/Sudarmo
    assert pairs == {(0, 1)}  # "way" (4 people) is over the sub-block cap: too common a key to block on
    assert besar == [(0, 7, 5)]  # the block, its size, and the people compared with nobody


# ------------------------------------------------------------------------------ 4. conflicts and the desa lock

def test_a_duplicate_key_in_a_bulk_insert_is_djangos_integrity_error(wilayah):
    Keluarga.objects.create(no_kk="5105010303159999", banjar=wilayah[DESA + ".001"], desa=wilayah[DESA])
    row = Keluarga.objects.values().get()
    columns = [f.column for f in Keluarga._meta.concrete_fields if f.column != "id"]
    values = [json.dumps(v) if isinstance(v, dict) else v for v in (row[c] for c in columns)]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Keluarga._meta.db_table, columns, [values])  # COPY on PostgreSQL: psycopg's own error, wrapped


def _queued(wilayah, periode, *, dry_run: bool = False, berkas: bytes | None = None) -> Impor:
    return impor_buat(berkas=berkas or template_file(), nama_berkas="desa.xlsx", desa=wilayah[DESA],
                      periode=periode, dry_run=dry_run, antrekan=False)


@contextmanager
def _held_elsewhere(desa):
    """The desa's import lock held by another thread (its own database connection, as another
    worker would hold it)."""
    took, release = threading.Event(), threading.Event()
    state = {}

    def hold() -> None:
        try:
            with kunci_desa(desa) as held:
                state["held"] = held
                took.set()
                release.wait(30)
        finally:
            took.set()
            connections.close_all()

    worker = threading.Thread(target=hold)
    worker.start()
    took.wait(30)
    try:
        assert state.get("held")
        yield
    finally:
        release.set()
        worker.join(30)


def test_a_second_import_into_a_desa_being_imported_is_refused_and_writes_nothing(wilayah, periode):
    running = _queued(wilayah, periode)
    Impor.objects.filter(pk=running.pk).update(status=Impor.BERJALAN, mulai=timezone.now())
    with _held_elsewhere(wilayah[DESA]):
        second = impor_proses(impor_id=_queued(wilayah, periode).pk)
        # a dry run writes nothing: it may run beside the import
        assert impor_proses(impor_id=_queued(wilayah, periode, dry_run=True).pk).hasil == Impor.UJI
    assert second.status == Impor.SELESAI and second.hasil == Impor.DITOLAK
    assert [f["rule"] for f in second.temuan] == [proses.DESA_SIBUK]
    assert f"#{running.pk}" in second.temuan[0]["message"] and second.isi is None
    assert Individu.objects.count() == 0
    # the lock went with its holder: a job left 'berjalan' by a dead worker blocks nothing
    assert impor_proses(impor_id=_queued(wilayah, periode).pk).hasil == Impor.DITERIMA
    assert Individu.objects.count() == 4


# ------------------------------------------------------------------------------ 5. the reaper

def test_reaper_fails_silent_jobs_and_deletes_old_uploads_keeping_summaries(wilayah, periode):
    now = timezone.now()
    stuck, alive, queued_old = (_queued(wilayah, periode) for _ in range(3))
    Impor.objects.filter(pk__in=[stuck.pk, alive.pk]).update(status=Impor.BERJALAN, mulai=now)
    Impor.objects.filter(pk=stuck.pk).update(diubah=now - dt.timedelta(hours=5))
    done = impor_proses(impor_id=_queued(wilayah, periode, dry_run=True).pk)
    Impor.objects.filter(pk=done.pk).update(isi=b"berkas lama", dibuat=now - dt.timedelta(days=40))
    Impor.objects.filter(pk=queued_old.pk).update(dibuat=now - dt.timedelta(days=40))

    result = impor_bersihkan()
    assert result.terhenti == [stuck.pk] and result.berkas_dihapus == sorted([done.pk, queued_old.pk])
    stuck.refresh_from_db()
    assert stuck.status == Impor.GAGAL and stuck.temuan[0]["rule"] == "impor_terhenti" and stuck.isi is None
    assert stuck.jumlah_error == 1 and "tidak ada data yang diubah" in stuck.pesan_progres
    alive.refresh_from_db()
    assert alive.status == Impor.BERJALAN and alive.isi is not None
    done.refresh_from_db()
    assert done.isi is None and done.hasil == Impor.UJI and done.ringkasan["unit"]["individu"]["dibuat"] == 4
    queued_old.refresh_from_db()
    assert queued_old.status == Impor.GAGAL and queued_old.temuan[0]["rule"] == "berkas_dihapus_retensi"
    assert AuditLog.objects.filter(aksi=AKSI_BERSIHKAN).count() == 1
    assert impor_bersihkan().as_dict()["jumlah_terhenti"] == 0  # nothing left to do, no audit row
    assert AuditLog.objects.filter(aksi=AKSI_BERSIHKAN).count() == 1


def test_reaper_cli_json_and_retention_setting(wilayah, periode, capsys, settings):
    settings.PRESISI_RETENSI_BERKAS_HARI = 2
    job = impor_proses(impor_id=_queued(wilayah, periode, dry_run=True).pk)
    Impor.objects.filter(pk=job.pk).update(isi=b"x", dibuat=timezone.now() - dt.timedelta(days=3))
    call_command("impor", "bersihkan", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["berkas_dihapus"] == [job.pk] and out["retensi_hari"] == 2
    call_command("impor", "bersihkan")
    assert "dihapus: 0" in capsys.readouterr().out


def test_the_task_worker_reaps_before_each_job(wilayah, periode):
    stuck = _queued(wilayah, periode)
    Impor.objects.filter(pk=stuck.pk).update(status=Impor.BERJALAN, diubah=timezone.now() - dt.timedelta(days=1))
    job = _queued(wilayah, periode)
    assert impor_proses_task.call(job.pk) == Impor.SELESAI
    stuck.refresh_from_db()
    assert stuck.status == Impor.GAGAL
    assert Impor.objects.get(pk=job.pk).hasil == Impor.DITERIMA  # the dead job no longer blocks the desa
