"""Many desa files at once (e.g. a kabupaten loading every desa's census at the start of a period).

Each file is its own import job with its own all-or-nothing transaction, so one bad file never
blocks the others and re-sending the batch changes nothing. The desa of each file is taken from
its name (``…5105012001….xlsx`` or ``…51.05.01.2001…``) or from the guide sheet of a Presisi
template. Jobs run in parallel worker processes when the database allows it: the work is CPU
bound (reading, converting, validating), so one process per core (plus one for the time spent
waiting on the database) keeps the cores busy while the server writes another desa's rows.
Uploads through the web page and the API become the same jobs, run by the task queue.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.imports.kandidat import kandidat_pool, pool_untuk_proses
from presisi.imports.models import Impor
from presisi.imports.services import impor_buat, impor_proses
from presisi.imports.template import GUIDE_SHEET
from presisi.periods.models import Periode
from presisi.regions.codes import normalize_code
from presisi.regions.models import Wilayah

log = logging.getLogger(__name__)

DESA_CODE = re.compile(r"(?<!\d)(\d{2})[._-]?(\d{2})[._-]?(\d{2})[._-]?(\d{4})(?!\d)")
MAX_JOBS = 8
# A worker's SQLite page cache (KiB). The settings give each connection 200 MB for analytic
# reads; a worker reads the registry once for its candidate pool and then mostly writes, so a
# big private cache only adds to its memory (about 120 MB per worker on a re-sent regency) while
# the operating system's page cache already holds the file: same speed at 32 MB, measured.
WORKER_SQLITE_CACHE_KIB = 32_000
BatchProgress = Callable[[int, int, Impor], None]


@dataclass
class Berkas:
    """One uploaded or named file: its name, its bytes and (optionally) the desa it is for."""

    nama: str
    isi: bytes
    desa: Wilayah | None = None


def _codes_in(text: str) -> list[str]:
    return [normalize_code(".".join(m.groups())) for m in DESA_CODE.finditer(text or "")]


def _guide_title(isi: bytes) -> str:
    """The first cell of a Presisi template's guide sheet (names the desa), or ''."""
    if not isi.startswith(b"PK"):
        return ""
    try:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(isi))
        if GUIDE_SHEET not in book.sheet_names:
            return ""
        rows = book.get_sheet_by_name(GUIDE_SHEET).to_python(nrows=1)
    except Exception:  # an unreadable workbook is reported by the import itself, row by row
        return ""
    return str(rows[0][0]) if rows and rows[0] else ""


def desa_menurut_kode() -> dict[str, Wilayah]:
    return {w.kode: w for w in Wilayah.objects.desa_kelurahan().defer("geometri")}


def desa_dari_berkas(*, nama_berkas: str, isi: bytes, desa_list: dict[str, Wilayah] | None = None) -> Wilayah:
    """The desa a file belongs to, from its name or from the template's guide sheet."""
    known = desa_list if desa_list is not None else desa_menurut_kode()
    for source in (nama_berkas, _guide_title(isi)):
        found = {code for code in _codes_in(source) if code in known}
        if len(found) == 1:
            return known[found.pop()]
    raise ValidationFailed("Desa berkas tidak dikenali.", [Finding(
        rule="desa_berkas_tidak_dikenali", column="berkas", value=nama_berkas,
        message="desa/kelurahan tidak dapat dikenali dari nama berkas maupun lembar Petunjuk templat; "
                "beri nama berkas dengan kode desa (mis. desa-5105012001.xlsx) atau pilih desanya")])


def impor_banyak_buat(*, berkas: list[Berkas], periode: Periode, pengguna=None, dry_run: bool = False,
                      format: str | None = None, antrekan: bool = True) -> list[Impor]:
    """Create one job per file, all or none: every file's desa must be recognised, unique in the
    batch and inside the user's scope before any job is recorded."""
    if not berkas:
        raise ValidationFailed("Tidak ada berkas.", [Finding(rule="berkas_kosong", column="berkas",
                                                             message="pilih satu berkas atau lebih")])
    known = desa_menurut_kode()
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for item in berkas:
        try:
            item.desa = item.desa or desa_dari_berkas(nama_berkas=item.nama, isi=item.isi, desa_list=known)
        except ValidationFailed as exc:
            findings += exc.findings
            continue
        if item.desa.kode in seen:
            findings.append(Finding(rule="desa_ganda_dalam_kiriman", column="berkas", value=item.nama,
                                    message=f"desa {item.desa.kode} juga diimpor dari {seen[item.desa.kode]}; "
                                            "satu berkas per desa dalam satu kiriman"))
        seen.setdefault(item.desa.kode, item.nama)
    if findings:
        raise ValidationFailed("Kiriman ditolak: ada berkas yang desanya tidak jelas.", findings)
    with transaction.atomic():
        jobs = [impor_buat(berkas=item.isi, nama_berkas=item.nama, desa=item.desa, periode=periode,
                           pengguna=pengguna, dry_run=dry_run, format=format, antrekan=antrekan)
                for item in berkas]
    return jobs


def jobs_default() -> int:
    """One worker per core, plus one to use the time a worker waits for the database (a COPY,
    a commit): measured on 2 cores, 3 workers import the regency faster than 2."""
    return max(1, min((os.cpu_count() or 1) + 1, MAX_JOBS))


def bisa_paralel() -> bool:
    """Worker processes need their own connection to the same, committed data: not inside a
    transaction (tests, callers holding one) and not on an in-memory SQLite database."""
    if os.name != "posix" or connection.in_atomic_block:
        return False
    return connection.vendor != "sqlite" or not connection.is_in_memory_db()


def _mulai_worker() -> None:
    pool_untuk_proses()
    connection_created.connect(_cache_worker_kecil, weak=False)


def _cache_worker_kecil(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size=-{WORKER_SQLITE_CACHE_KIB}")


def _proses_di_worker(impor_id: int) -> int:
    try:
        impor_proses(impor_id=impor_id)
    except Exception:  # impor_proses has marked the job 'gagal' and logged it
        log.exception("impor #%s gagal di proses pekerja", impor_id)
    finally:
        connections.close_all()
    return impor_id


def impor_banyak_proses(*, impor_ids: list[int], jobs: int = 1,
                        progress: BatchProgress | None = None) -> list[Impor]:
    """Run queued jobs, largest file first (so two workers finish together), ``jobs`` at a time."""
    order = list(Impor.objects.filter(pk__in=impor_ids).order_by("-ukuran", "pk").values_list("pk", flat=True))
    total = len(order)
    workers = max(1, min(jobs, total, MAX_JOBS))

    def done(n: int, impor_id: int) -> None:
        if progress is not None:
            progress(n, total, Impor.objects.select_related("desa").get(pk=impor_id))

    if workers == 1 or not bisa_paralel():
        with kandidat_pool():
            for n, impor_id in enumerate(order, start=1):
                impor_proses(impor_id=impor_id)
                done(n, impor_id)
    else:
        # Forked workers must not share the parent's database socket: close it, each opens its own.
        connections.close_all()
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_mulai_worker) as pool:
            futures = [pool.submit(_proses_di_worker, impor_id) for impor_id in order]
            for n, future in enumerate(as_completed(futures), start=1):
                done(n, future.result())
    position = {pk: k for k, pk in enumerate(impor_ids)}
    return sorted(Impor.objects.select_related("desa", "periode").filter(pk__in=impor_ids),
                  key=lambda i: position[i.pk])
