"""Indicator values as files (API ``?format=csv|xlsx``, CLI ``indikator nilai --csv``): standard CSV by default,
Excel-Indonesia on request, counts whole, values with the indicator's decimals."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.dashboards.conftest import data, login  # noqa: F401 - the dashboards' hand-made regency

pytestmark = pytest.mark.django_db
URL = "/api/v1/indikator/uji_lansia/nilai/?periode=2026-S2&tingkat=desa&induk=51.05.01&format="


def _rows(text: str, delimiter: str) -> dict[str, list[str]]:
    return {r[0]: r for r in csv.reader(io.StringIO(text), delimiter=delimiter)}


def test_api_csv_is_standard_by_default_and_excel_id_on_request(data, login):  # noqa: F811
    client = login("analis")
    standard = _rows(client.get(URL + "csv").content.decode("utf-8-sig"), ",")
    assert standard["51.05.01.2002"][2:5] == ["7", "7", "100.0"]
    excel = _rows(client.get(URL + "csv&dialek=excel-id").content.decode("utf-8-sig"), ";")
    assert excel["51.05.01.2002"][2] == "7" and "." not in excel["51.05.01.2002"][4]
    assert client.get(URL + "csv&dialek=lotus").status_code == 400


def test_api_xlsx_counts_are_int_cells(data, login):  # noqa: F811
    ws = load_workbook(io.BytesIO(login("analis").get(URL + "xlsx").content)).active
    assert ws.freeze_panes == "A2"
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "51.05.01.2002")
    assert isinstance(row[2].value, int) and row[2].number_format == "#,##0"
    assert row[4].number_format == "#,##0.0"


def test_cli_csv_in_the_excel_id_dialect(data, capsysbinary):  # noqa: F811
    call_command("indikator", "nilai", "uji_lansia", "--periode", "2026-S2", "--induk", "51.05.01", "--csv",
                 "--dialek", "excel-id")
    rows = _rows(capsysbinary.readouterr().out.decode("utf-8-sig"), ";")
    assert rows["Kode wilayah"][:3] == ["Kode wilayah", "Wilayah", "Pembilang"]
    assert rows["51.05.01.2002"][2:5] == ["7", "7", "100,0"]
