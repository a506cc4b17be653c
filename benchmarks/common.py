"""Shared set-up for benchmarks: a scratch database (SQLite file or PostgreSQL) with the synthetic regency."""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO / "presisi" / "data"  # reference data shipped with the project


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                   if ln.startswith("model name"))
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_rss_mb() -> float:
    """The largest peak of the finished child processes (e.g. import workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def scratch_database(engine: str, name: str) -> str:
    """A DATABASE_URL for a fresh scratch database of the given engine."""
    if engine == "postgresql":
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    path = REPO / "var" / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def drop_scratch(engine: str, name: str) -> None:
    """Remove a scratch database made by ``scratch_database`` (close Django's connections first)."""
    from django.db import connections

    connections.close_all()
    if engine == "postgresql":
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(REPO / "var" / f"{name}.sqlite3") + suffix).unlink(missing_ok=True)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presisi.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


@contextmanager
def timed(results: dict, key: str):
    start = time.perf_counter()
    yield
    results[key] = round(time.perf_counter() - start, 3)
