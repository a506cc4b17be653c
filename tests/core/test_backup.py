"""``presisi cadangan``: backup → wipe → restore gives every table's checksum back; a bad archive writes nothing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from presisi.accounts.services import demo_users_create
from presisi.core.backup import BackupError, backup_create, backup_models, backup_restore, checksums_live
from presisi.regions.models import Wilayah
from presisi.registry.models import Individu, Keluarga

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def demo_db(wilayah_klungkung, kamus):
    run("synth", "--scale", "0.02", "--no-progress")
    demo_users_create()
    assert Individu.objects.exists() and get_user_model().objects.count() == 5


def wipe() -> None:
    call_command("flush", "--noinput", verbosity=0)
    assert not Individu.objects.exists() and not get_user_model().objects.exists()


def archive(tmp_path: Path) -> Path:
    result = json.loads(run("cadangan", "buat", "--keluar", str(tmp_path), "--json"))
    assert result["ok"] is True
    return Path(result["berkas"])


def test_round_trip_every_table_checksum_equal(demo_db, tmp_path):
    before = checksums_live()
    path = archive(tmp_path)
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert {t["tabel"] for t in manifest["tabel"]} == {m._meta.db_table for m in backup_models()}
    # many-to-many tables are covered too (a walidata's sectors)
    assert "accounts_profil_sektor" in before and before["accounts_profil_sektor"]["baris"] == 2
    assert manifest["mesin"] and manifest["versi_aplikasi"] and manifest["dibuat"]
    assert {t["tabel"]: (t["baris"], t["sha256"]) for t in manifest["tabel"]} == {
        k: (v["baris"], v["sha256"]) for k, v in before.items()}

    wipe()
    assert checksums_live() != before
    out = run("cadangan", "pulihkan", str(path))
    assert "Dipulihkan" in out and "sama dengan manifest" in out
    assert checksums_live() == before
    assert "Cocok" in run("cadangan", "periksa", str(path))

    # the restored database works: sign-in data intact, new rows get fresh ids (sequences moved on)
    assert get_user_model().objects.get(username="walidata").profil.sektor.count() == 2
    keluarga = Keluarga.objects.order_by("-pk").first()
    top = keluarga.pk
    keluarga.pk = None
    keluarga.no_kk = "5105019999999999"
    keluarga.save()
    assert keluarga.pk > top


def test_tampered_archive_is_refused_before_anything_is_written(demo_db, tmp_path):
    path = archive(tmp_path)
    tampered = tmp_path / "diubah.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "data/registry_individu.jsonl":
                assert b"5105" in data
                data = data.replace(b"5105", b"5106", 1)  # one digit of one resident's NIK
            dst.writestr(item.filename, data)
    wipe()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("cadangan", "pulihkan", str(tampered), stdout=io.StringIO(), stderr=err)
    assert "tidak cocok dengan manifest" in err.getvalue() and "registry_individu" in err.getvalue()
    assert not Wilayah.objects.exists() and not Individu.objects.exists() and not get_user_model().objects.exists()


def test_restore_refuses_a_database_in_use(demo_db, tmp_path):
    path = archive(tmp_path)
    with pytest.raises(BackupError, match="sudah berisi 5 pengguna"):
        backup_restore(path)
    # --timpa replaces everything, still verified against the manifest
    Wilayah.objects.filter(kode="51.05.01.2001").update(nama="Diubah")
    changed = checksums_live()
    backup_restore(path, replace=True)
    assert checksums_live() != changed
    assert "Cocok" in run("cadangan", "periksa", str(path))


def test_check_reports_a_changed_table(demo_db, tmp_path):
    path = archive(tmp_path)
    Wilayah.objects.filter(kode="51.05.01.2001").update(nama="Diubah")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("cadangan", "periksa", str(path), stdout=io.StringIO(), stderr=err)
    assert "regions_wilayah" in err.getvalue() and "berbeda dari manifest" in err.getvalue()
    # a bare manifest works too
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(zipfile.ZipFile(path).read("manifest.json"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("cadangan", "periksa", str(manifest), "--json", stdout=out, stderr=io.StringIO())
    body = json.loads(out.getvalue())
    assert body["ok"] is False and body["temuan"][0]["column"] == "regions_wilayah"


def test_not_an_archive(tmp_path, db):
    bogus = tmp_path / "bukan.zip"
    bogus.write_text("halo")
    with pytest.raises(BackupError, match="bukan arsip zip"):
        backup_restore(bogus)
    with pytest.raises(BackupError, match="tidak ditemukan"):
        backup_restore(tmp_path / "tidak-ada.zip")


def test_backup_of_an_empty_database_restores(tmp_path, db):
    result = backup_create(directory=tmp_path)
    assert Path(result["berkas"]).exists() and not list(tmp_path.glob("*.part"))
    before = checksums_live()
    restored = backup_restore(Path(result["berkas"]))
    assert restored["tabel"] == len(before) and checksums_live() == before
