"""One import writing a desa at a time: a per-desa lock held from reading the file to the commit.

The lock belongs to the process that holds it, so it disappears with it: a worker killed in the
middle of an import (SIGKILL, power loss) never leaves the desa blocked, and its rerun starts at
once. On PostgreSQL it is a session advisory lock of the job's connection; on a SQLite file an
exclusive ``flock`` on a small file beside the database (every process writing that database
runs on its machine); on an in-memory SQLite database (tests) an in-process lock. Every form takes
the lock without waiting: the second import of a desa is refused with a finding and can be sent
again, rather than queueing behind a long import.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from presisi.regions.models import Wilayah

_memory: dict[str, threading.Lock] = {}
_memory_guard = threading.Lock()


def _key(desa: Wilayah) -> int:
    digest = hashlib.blake2b(f"presisi.impor.desa:{desa.kode}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # a bigint for pg_try_advisory_lock


@contextmanager
def kunci_desa(desa: Wilayah) -> Iterator[bool]:
    """Yields True when this process now holds the desa's import lock, False when another holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(desa)])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(desa)])
        return
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with _memory_guard:
            lock = _memory.setdefault(desa.kode, threading.Lock())
        held = lock.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                lock.release()
        return
    yield from _file_lock(desa)


def _file_lock(desa: Wilayah) -> Iterator[bool]:
    database = Path(str(settings.DATABASES["default"]["NAME"]))
    folder = database.parent / f"{database.name}.kunci"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"impor-{desa.kode}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
