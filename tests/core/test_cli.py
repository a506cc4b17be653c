"""The ``presisi`` command: every operation with human and --json output, errors row by row."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from presisi.regions.models import Wilayah

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_wilayah_load_default_list_and_json(db):
    result = json.loads(run("wilayah", "load", "--json"))
    assert result["ok"] is True and result["dibuat"] == 65
    assert "0 baru" in run("wilayah", "load")
    listing = json.loads(run("wilayah", "list", "--tingkat", "kelurahan", "--json"))
    assert listing["jumlah"] == 6


def test_wilayah_load_bad_file_fails_with_findings_and_changes_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,nama,tingkat,kode_induk\n51.05,Klungkung,kabupaten,51\n51.05.9,X,kecamatan,51.05\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("wilayah", "load", str(bad), stdout=io.StringIO(), stderr=err)
    assert "baris 3" in err.getvalue() and "kolom 'kode'" in err.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("wilayah", "load", str(bad), "--json", stdout=out, stderr=io.StringIO())
    body = json.loads(out.getvalue())
    assert body["ok"] is False and body["temuan"][0]["row"] == 3
    assert Wilayah.objects.count() == 0


def test_boundaries_command(db, reference_data):
    run("wilayah", "load")
    report = json.loads(run("wilayah", "boundaries", str(reference_data / "klungkung_desa.geojson"), "--json"))
    assert report["cocok"] == 59


def test_kamus_export_json_and_xlsx(db, tmp_path):
    run("kamus", "load")
    target = tmp_path / "kamus.json"
    run("kamus", "export", "--format", "json", "--output", str(target))
    doc = json.loads(target.read_text())
    assert {"sektor", "klasifikasi", "variabel"} <= doc.keys()
    assert any(v["kode"] == "jaminan_kesehatan" for v in doc["variabel"])
    xlsx = tmp_path / "kamus.xlsx"
    run("kamus", "export", "--format", "xlsx", "--output", str(xlsx))
    sheet = openpyxl.load_workbook(xlsx)["Variabel"]
    assert sheet["A1"].value == "Kode" and sheet.max_row > 50


def test_stats_json_counts_per_kecamatan_and_desa(db):
    run("wilayah", "load")
    stats = json.loads(run("stats", "--json"))
    assert stats["wilayah"]["kode"] == "51.05"
    assert [k["kode"] for k in stats["kecamatan"]] == ["51.05.01", "51.05.02", "51.05.03", "51.05.04"]
    assert sum(len(k["desa"]) for k in stats["kecamatan"]) == 59


def test_console_script_wraps_django_commands():
    result = subprocess.run([sys.executable, "-m", "presisi.cli", "help", "wilayah"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0
    assert "boundaries" in result.stdout
