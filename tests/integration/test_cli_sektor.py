"""``presisi sektor``: dataset tambah/ubah/daftar/lihat, impor, konektor, tarik — each with --json."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from presisi.integration.models import BarisSumber, Konektor, Pengiriman
from tests.integration.bantu_sektor import CSV_UMUM

pytestmark = pytest.mark.django_db


def cli(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("sektor", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_dataset_commands(akun):
    r = cli("dataset", "tambah", "dinsos-pkh", "--sektor", "dinsos", "--nama", "Penerima PKH", "--unit", "individu",
            "--program", "pkh", "--metadata", '{"tahun": 2026, "cara_pengumpulan": "kompilasi_produk_administrasi"}')
    assert r["ok"] and r["dataset"]["metadata"]["tahun"] == 2026 and r["dataset"]["program"] == "pkh"
    r = cli("dataset", "ubah", "dinsos-pkh", "--nama", "PKH 2026", "--pemetaan", '{"NO KTP": "nik"}', "--nonaktif")
    assert r["dataset"]["nama"] == "PKH 2026" and r["dataset"]["aktif"] is False
    assert [d["kode"] for d in cli("dataset", "daftar", "--sektor", "dinsos")["dataset"]] == ["dinsos-pkh"]
    assert cli("dataset", "lihat", "dinsos-pkh")["dataset"]["pemetaan_kolom"] == {"NO KTP": "nik"}
    with pytest.raises(CommandError):
        cli("dataset", "tambah", "x", "--sektor", "tidak-ada", "--nama", "X", "--unit", "individu")
    with pytest.raises(CommandError):
        cli("dataset", "lihat", "tidak-ada")


def test_impor_dry_run_then_real(akun, periode_kirim, tmp_path, capsys):
    cli("dataset", "tambah", "dinsos-pkh", "--sektor", "dinsos", "--nama", "PKH", "--unit", "individu")
    f = tmp_path / "pkh.csv"
    f.write_text(CSV_UMUM)
    r = cli("impor", str(f), "--dataset", "dinsos-pkh", "--periode", "2026-S2", "--dry-run")
    assert r["dry_run"] and r["jumlah_baris"] == 3 and r["temuan"][0]["row"] == 3 and not Pengiriman.objects.exists()
    r = cli("impor", str(f), "--dataset", "dinsos-pkh", "--periode", "2026-S2")
    assert r["baru"] and r["versi"] == 1 and BarisSumber.objects.count() == 3
    assert Pengiriman.objects.get().sumber == Pengiriman.CLI
    call_command("sektor", "impor", str(f), "--dataset", "dinsos-pkh", "--periode", "2026-S2")
    assert "sama dengan versi 1" in capsys.readouterr().out
    with pytest.raises(CommandError):
        cli("impor", str(tmp_path / "tidak-ada.csv"), "--dataset", "dinsos-pkh", "--periode", "2026-S2")


def test_konektor_and_tarik(akun, periode_kirim, monkeypatch):
    cli("dataset", "tambah", "dinsos-pkh", "--sektor", "dinsos", "--nama", "PKH", "--unit", "individu")
    monkeypatch.setenv("TOKEN_SIKS", "token-dari-lingkungan")
    r = cli("konektor", "tambah", "--dataset", "dinsos-pkh", "--jenis", "tarik", "--url", "http://127.0.0.1:9/x",
            "--kredensial-jenis", "bearer", "--kredensial-env", "TOKEN_SIKS")
    assert r["konektor"]["kredensial"] == "tersimpan" and "token-dari-lingkungan" not in json.dumps(r)
    assert "token-dari-lingkungan" not in Konektor.objects.get().kredensial_terenkripsi
    assert cli("konektor", "daftar")["konektor"][0]["id"] == r["konektor"]["id"]
    with pytest.raises(CommandError):  # nothing listens on port 9: a clear failure, recorded
        cli("tarik", str(r["konektor"]["id"]), "--periode", "2026-S2")
    assert Konektor.objects.get().terakhir_status.startswith("gagal")
    due = cli("tarik", "--jatuh-tempo", "--periode", "2026-S2")
    assert due["hasil"] == []  # it just ran (and failed): not due before its interval


def test_human_output(akun, periode_kirim, tmp_path, capsys):
    cli("dataset", "tambah", "dinsos-pkh", "--sektor", "dinsos", "--nama", "PKH", "--unit", "individu")
    f = tmp_path / "pkh.csv"
    f.write_text(CSV_UMUM)
    call_command("sektor", "impor", str(f), "--dataset", "dinsos-pkh", "--periode", "2026-S2", "--dry-run")
    call_command("sektor", "impor", str(f), "--dataset", "dinsos-pkh", "--periode", "2026-S2")
    call_command("sektor", "dataset", "lihat", "dinsos-pkh")
    call_command("sektor", "dataset", "daftar")
    call_command("sektor", "konektor", "daftar")
    out = capsys.readouterr().out
    assert "UJI COBA" in out and "baris 3, kolom NIK" in out and "diterima: versi 1" in out
    assert "2026-S2 v1 3 baris" in out and "1 dataset" in out
