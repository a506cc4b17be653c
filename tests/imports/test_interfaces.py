"""CLI, API and web pages of the importer, with region scope."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from rest_framework.test import APIClient

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.pdp import tampilan_server
from presisi.imports.models import Impor
from presisi.imports.selectors import temuan_xlsx
from presisi.imports.services import impor_buat
from presisi.periods.models import Periode
from presisi.registry.models import Individu
from tests.conftest import masuk
from tests.imports.helpers import individu_rows, template_file, user
from tests.validation.conftest import DESA, DESA_LAIN

pytestmark = pytest.mark.django_db


def bad_file() -> bytes:
    rows = individu_rows()
    rows[0][6] = 12
    return template_file(individu=rows)


def test_scope_operator_of_another_desa_and_the_verifier_are_refused_admin_is_allowed(wilayah, periode):
    kwargs = {"berkas": template_file(), "nama_berkas": "a.xlsx", "desa": wilayah[DESA], "periode": periode,
              "dry_run": True, "antrekan": False}
    with pytest.raises(PermissionDenied):
        impor_buat(pengguna=user("operator_desa", DESA_LAIN), **kwargs)
    with pytest.raises(PermissionDenied):
        impor_buat(pengguna=user("analis", "51.05"), **kwargs)
    with pytest.raises(PermissionDenied):
        impor_buat(pengguna=user("verifikator_kecamatan", "51.05.02"), **kwargs)
    # the verifier checks what the desa submitted; it never imports, not even a dry run (issue #11)
    with pytest.raises(PermissionDenied):
        impor_buat(pengguna=user("verifikator_kecamatan", "51.05.01"), **kwargs)
    assert impor_buat(pengguna=user("operator_desa", DESA), **kwargs).pk
    assert impor_buat(pengguna=user("admin", "51.05"), **kwargs).pk


def test_a_closed_period_is_refused(wilayah, periode):
    periode.status = Periode.DITUTUP
    periode.save()
    with pytest.raises(ValidationFailed) as err:
        impor_buat(berkas=template_file(), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode,
                   antrekan=False)
    assert err.value.findings[0].rule == "periode_ditutup"


def test_cli_json_output_and_exit_codes(wilayah, periode, tmp_path, capsys):
    good, bad = tmp_path / "baik.xlsx", tmp_path / "salah.xlsx"
    good.write_bytes(template_file())
    bad.write_bytes(bad_file())
    # the period code in any case and spacing (one parser, one periode_get)
    call_command("import", str(good), "--desa", DESA, "--periode", f" {periode.kode.lower()} ", "--json", "--dry-run")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["impor"]["hasil"] == "uji" and Individu.objects.count() == 0
    assert out["impor"]["ringkasan"]["unit"]["individu"]["dibuat"] == 4
    with pytest.raises(CommandError) as err:
        call_command("import", str(bad), "--desa", DESA, "--periode", periode.kode, "--json")
    assert err.value.returncode == 1
    out = json.loads(capsys.readouterr().out)
    assert not out["ok"] and out["impor"]["hasil"] == "ditolak"
    finding = out["impor"]["temuan"][0]
    assert (finding["row"], finding["column"], finding["value"], finding["rule"], finding["severity"]) == (
        2, "Individu!agama", 12, "klasifikasi", "error")
    call_command("import", str(good), "--desa", "5105012001", "--periode", periode.kode)
    text = capsys.readouterr().out
    assert "Impor diterima: 6 dibuat" in text and Individu.objects.count() == 4
    with pytest.raises(CommandError) as err:
        call_command("import", str(good), "--desa", DESA, "--periode", "2031-S1", "--json")
    assert err.value.returncode == 1
    assert json.loads(capsys.readouterr().out)["temuan"][0]["rule"] == "periode_tidak_dikenal"


def test_cli_writes_the_template(wilayah, tmp_path):
    target = tmp_path / "t.xlsx"
    call_command("template", "--desa", DESA, "--output", str(target))
    assert load_workbook(target).sheetnames[1] == "Keluarga"


def test_api_upload_status_findings_and_scope(wilayah, periode, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(user("operator_desa", DESA))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/impor/", {"berkas": io.BytesIO(bad_file()), "desa": DESA,
                                                  "periode": periode.kode, "dry_run": "false"}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()  # the task runs when the upload's transaction commits
    detail = client.get(f"/api/v1/impor/{body['id']}/").json()
    assert detail["status"] == "selesai" and detail["hasil"] == "ditolak" and detail["jumlah_error"] == 1
    assert detail["temuan"][0]["rule"] == "klasifikasi"
    xlsx = client.get(f"/api/v1/impor/{body['id']}/temuan.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    other = APIClient()
    other.force_authenticate(user("operator_desa", DESA_LAIN))
    assert other.get(f"/api/v1/impor/{body['id']}/").status_code == 404  # like an unknown job (no IDOR)
    refused = other.post("/api/v1/impor/", {"berkas": io.BytesIO(template_file()), "desa": DESA,
                                            "periode": periode.kode}, format="multipart")
    assert refused.status_code == 403
    assert client.get(f"/api/v1/impor/templat/{DESA}.xlsx").status_code == 200


def test_findings_workbook_lists_every_finding_with_row_column_value_rule(wilayah, periode):
    impor = impor_buat(berkas=bad_file(), nama_berkas="salah.xlsx", desa=wilayah[DESA], periode=periode,
                       antrekan=False)
    from presisi.imports.services import impor_proses

    impor = impor_proses(impor_id=impor.pk)
    wb = load_workbook(io.BytesIO(temuan_xlsx(impor=impor, tampilan=tampilan_server())))
    rows = list(wb["Temuan"].iter_rows(values_only=True))
    assert rows[0] == ("Baris", "Kolom", "Nilai", "Aturan", "Tingkat", "Pesan")
    assert rows[1][:5] == (2, "Individu!agama", 12, "klasifikasi", "Kesalahan")
    assert "klasifikasi Agama" in rows[1][5]
    assert dict(r[:2] for r in wb["Ringkasan"].iter_rows(values_only=True))["Hasil"].startswith("Ditolak")


def test_web_upload_and_result_pages(wilayah, periode, client, django_capture_on_commit_callbacks):
    masuk(client, user("operator_desa", DESA))
    page = client.get("/impor/")
    assert page.status_code == 200 and "Impor data desa" in page.content.decode()
    upload = io.BytesIO(template_file())
    upload.name = "desa.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/impor/", {"desa": DESA, "periode": periode.kode, "berkas": upload, "format": "",
                                           "dry_run": ""})
    assert response.status_code == 302
    impor = Impor.objects.get()
    result = client.get(response["Location"]).content.decode()
    assert "Impor diterima: 6 dibuat" in result and impor.hasil == Impor.DITERIMA
    assert client.get(f"/impor/{impor.pk}/temuan.xlsx").status_code == 200
    assert client.get(f"/impor/templat/{DESA}.xlsx").status_code == 200


def test_status_page_refreshes_while_running(wilayah, periode, client):
    masuk(client, user("operator_desa", DESA))
    impor = impor_buat(berkas=template_file(), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode,
                       antrekan=False)
    page = client.get(f"/impor/{impor.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "Dalam antrean" in page
