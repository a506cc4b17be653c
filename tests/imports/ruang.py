"""A real database for tests that run ``presisi`` in other processes (kills, races, browsing).

The pytest database lives in one transaction (or in memory on SQLite), which another process
cannot see, so these tests get their own: a SQLite file in a temporary folder, or, when the
suite runs on PostgreSQL (``DATABASE_URL``), a database of their own on the same server, dropped
afterwards. It is migrated and loaded (regions, dictionary, banjar of 16 desa, period 2026-S2,
an operator and an admin) by the project's own commands and services in a child process.
The registry is read back with the plain DB-API, so a check costs no Django start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parents[2]
PRESISI = Path(sys.executable).with_name("presisi")
PERIODE = "2026-S2"
DESA_RUANG = [f"51.05.01.{n}" for n in range(2001, 2017)]
# registry tables, and the audit rows an import writes inside its transaction
TABEL = ("registry_bangunan", "registry_rumahtangga", "registry_keluarga", "registry_individu")

SETUP = f"""
import django
django.setup()
from pathlib import Path
from django.conf import settings
from presisi.accounts.services import pengguna_create
from presisi.dictionary.services import kamus_load
from presisi.regions.services import wilayah_load_csv
from tests.validation.conftest import make_periode
wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
kamus_load()
wilayah_load_csv(data="kode,nama,tingkat,kode_induk\\n" + "".join(
    f"{{d}}.001,Banjar {{d[-4:]}},banjar,{{d}}\\n" for d in {DESA_RUANG!r}))
make_periode({PERIODE!r})
pengguna_create(username="operator", password="rahasia-panjang-1", peran="operator_desa", wilayah_kode="51.05.01.2006")
pengguna_create(username="admin", password="rahasia-panjang-1", peran="admin", wilayah_kode="51.05")
"""


@dataclass
class Ruang:
    folder: Path
    url: str
    vendor: str

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="presisi.settings", PRESISI_VAR=str(self.folder),
                   ALLOWED_HOSTS="testserver,localhost", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0",
                   CSRF_COOKIE_SECURE="0", PYTHONPATH=str(REPO), LOG_LEVEL="ERROR")
        return env

    def presisi(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(PRESISI), *args], cwd=REPO, env={**self.env, **extra}, capture_output=True,
                              text=True, timeout=300)

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([str(PRESISI), *args], cwd=REPO, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def python(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=self.env, capture_output=True, text=True,
                              timeout=300)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(urlparse(self.url).path) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql, params).fetchall()

    def desa_id(self, kode: str) -> int:
        return self.rows("SELECT id FROM regions_wilayah WHERE kode = %s", (kode,))[0][0]

    def jumlah(self, kode: str) -> int:
        return self.rows("SELECT COUNT(*) FROM registry_individu WHERE desa_id = %s", (self.desa_id(kode),))[0][0]

    def sidik(self) -> tuple[dict[str, int], str]:
        """Row counts and one checksum of every registry table and the registry's audit rows."""
        digest = hashlib.sha256()
        counts = {}
        for table in TABEL:
            rows = self.rows(f"SELECT * FROM {table} ORDER BY id")  # every column, ids and stamps too
            counts[table] = len(rows)
            digest.update(repr(rows).encode())
        audit = self.rows("SELECT id, aksi, objek_id FROM core_auditlog WHERE aksi LIKE 'registry.%%' ORDER BY id")
        counts["audit_registri"] = len(audit)
        digest.update(repr(audit).encode())
        counts["temuan"] = self.rows("SELECT COUNT(*) FROM validation_temuan")[0][0]
        return counts, digest.hexdigest()


def buat_ruang(folder: Path) -> tuple[Ruang, callable]:
    """A migrated, loaded database for child processes, and the function that drops it."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlparse(base)
        name = f"{parts.path.lstrip('/') or 'presisi'}_ruang_{os.getpid()}"
        admin = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        ruang = Ruang(folder=folder, url=urlunparse(parts._replace(path=f"/{name}")), vendor="postgresql")
    else:
        ruang = Ruang(folder=folder, url=f"sqlite:///{folder / 'ruang.sqlite3'}", vendor="sqlite")

        def drop() -> None:
            return None
    for step in (ruang.presisi("migrate", "--noinput"), ruang.python(SETUP)):
        if step.returncode:
            drop()
            raise RuntimeError(f"ruang uji gagal disiapkan:\n{step.stdout}\n{step.stderr}")
    return ruang, drop


def hasil_json(out: str) -> dict:
    """The ``--json`` document a ``presisi`` command printed (progress lines may precede it)."""
    start = out.find("{")
    return json.loads(out[start:]) if start >= 0 else {}
