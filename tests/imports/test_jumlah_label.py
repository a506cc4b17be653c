"""Counts of an import say what happened (issue #13 item 7): past tense only for a saved import, "akan"
for a dry run that passed, and neither for a refused file — a rejected dry run never shows "Dibuat"."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from presisi.imports.models import Impor
from presisi.imports.services import impor_buat, impor_proses
from tests.conftest import masuk
from tests.imports.helpers import individu_rows, template_file, user
from tests.validation.conftest import DESA

pytestmark = pytest.mark.django_db


def _file(valid: bool) -> bytes:
    rows = individu_rows()
    if not valid:
        rows[0][6] = 12  # agama 12: not a code, the file is refused
    return template_file(individu=rows)


def _headings(client, impor: Impor) -> list[str]:
    page = client.get(f"/impor/{impor.pk}/").content.decode()
    table = page.split('class="counts"', 1)[1].split("</thead>", 1)[0]
    return re.findall(r"<th>([^<]*)</th>", table)


@pytest.mark.parametrize("dry_run,valid,expected", [
    (True, False, ["Baru (tidak disimpan)", "Berubah (tidak disimpan)"]),
    (False, False, ["Baru (tidak disimpan)", "Berubah (tidak disimpan)"]),
    (True, True, ["Akan dibuat", "Akan diubah"]),
    (False, True, ["Dibuat", "Diubah"]),
])
def test_count_headings_follow_what_was_saved(wilayah, periode, client, dry_run, valid, expected):
    operator = user("operator_desa", DESA)
    masuk(client, operator)
    job = impor_buat(berkas=_file(valid), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode,
                     pengguna=operator, dry_run=dry_run, antrekan=False)
    impor = impor_proses(impor_id=job.pk)
    assert impor.ringkasan["unit"]["individu"]["dibuat"] == 3 + valid  # the file's new people, counted either way
    headings = _headings(client, impor)
    assert headings[1:3] == expected
    if dry_run:
        assert "Dibuat" not in headings and "Diubah" not in headings


def test_cli_prints_a_passed_dry_run_as_would_create(wilayah, periode, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(_file(True))
    out = io.StringIO()
    call_command("import", str(path), "--desa", DESA, "--periode", periode.kode, "--dry-run", stdout=out)
    assert "akan dibuat 4" in out.getvalue() and " dibuat 4" not in out.getvalue().replace("akan dibuat 4", "")


def test_cli_refused_counts(wilayah, periode, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(_file(False))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--desa", DESA, "--periode", periode.kode, "--dry-run", stdout=out)
    assert "baru (tidak disimpan) 3" in out.getvalue() and "dibuat" not in out.getvalue()
