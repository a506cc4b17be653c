"""Files that open right in Excel: a dashboard table's CSV in the ';' dialect gives the page's numbers,
counts are whole, and the XLSX has typed cells, number formats and a frozen header."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
PAGE = "/dasbor/uji/?wilayah=51.05.01&indikator=uji_lansia"
ANGKA_ID = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?")  # the page's Indonesian numbers: 1.234,5
SORT_MARKS = " ↑↓↕"


class _Tables(HTMLParser):
    """Each ``section#tabel-*``: header labels, body cells (text) and the download links (text → href)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict] = {}
        self._now: dict | None = None
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and (a.get("id") or "").startswith("tabel-"):
            self._now = self.tables.setdefault(a["id"][6:], {"head": [], "numeric": [], "rows": [], "links": {}})
        if self._now is None:
            return
        if tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            if tag == "th" and not self._now["head"]:
                self._now["numeric"].append("n" in (a.get("class") or "").split())
        elif tag == "a" and "download" in a:
            self._link = (a["href"], [])

    def handle_endtag(self, tag):
        if self._now is None:
            return
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and not self._now["head"]:
                self._now["head"] = [c.rstrip(SORT_MARKS) for c in self._row]
            elif self._row:
                self._now["rows"].append(self._row)
            self._row = None
        elif tag == "a" and self._link:
            self._now["links"]["".join(self._link[1]).strip()] = self._link[0]
            self._link = None
        elif tag == "section":
            self._now = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)


def _page_tables(client, url: str) -> dict[str, dict]:
    parser = _Tables()
    parser.feed(client.get(url).content.decode())
    return parser.tables


def _angka_halaman(text: str) -> float | None:
    """A page cell's number ('1.234,5', '+0,3', '▲ +1,2', '40,0 *'), or None for text and dashes."""
    found = ANGKA_ID.search(text)
    if not found or text.strip() in ("–", "<5"):
        return None
    return float(found.group().replace(".", "").replace(",", "."))


@pytest.mark.parametrize(("page", "tabel"), [(PAGE, "peringkat"), (PAGE, "indikator"),
                                             ("/dasbor/uji/?indikator=uji_lansia", "kecamatan")])
def test_excel_id_csv_gives_the_numbers_on_the_page(data, login, page, tabel):
    client = login("analis")
    section = _page_tables(client, page)[tabel]
    href = section["links"]["CSV (Excel Indonesia)"].replace("&amp;", "&")
    assert "dialek=excel-id" in href
    response = client.get(href)
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == len(section["rows"]) > 0
    compared = 0
    for page_row, file_row in zip(section["rows"], body, strict=True):
        by_label = dict(zip(header, file_row, strict=True))
        for label, numeric, cell in zip(section["head"], section["numeric"], page_row, strict=True):
            if not numeric or label not in by_label:
                continue
            field, expected = by_label[label], _angka_halaman(cell)
            if expected is None:  # no value: a dash on the page, an empty cell in the file (or the same words)
                assert field in ("", cell) or cell == "<5", (label, cell, field)
                continue
            assert "." not in field, (label, field)  # no thousands separator, no decimal point
            assert float(field.replace(",", ".")) == expected, (label, cell, field)
            compared += 1
    assert compared >= 3


def test_counts_are_whole_and_values_keep_the_indicator_decimals(data, login):
    rows = list(csv.reader(io.StringIO(login("analis").get(
        "/dasbor/uji/unduh/peringkat.csv?wilayah=51.05.01&indikator=uji_lansia&dialek=excel-id")
        .content.decode("utf-8-sig")), delimiter=";"))
    sakti = next(r for r in rows if r[1] == "51.05.01.2001")
    assert sakti[:5] == ["1", "51.05.01.2001", "Sakti", "3", "18"]  # never 3.0 / 3,0
    assert sakti[5] == "16,7"  # 3/18 with the indicator's one decimal, decimal comma


def test_default_dialect_follows_the_page_language_and_can_be_chosen(data, login):
    url = "/dasbor/uji/unduh/peringkat.csv?wilayah=51.05.01&indikator=uji_lansia"
    client = login("analis")
    indonesian = client.get(url).content.decode("utf-8-sig")
    assert indonesian.splitlines()[0].startswith("Peringkat;Kode;Wilayah;")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    assert english.splitlines()[0].count(",") >= 5 and ";" not in english.splitlines()[0]
    standard = list(csv.reader(io.StringIO(client.get(url + "&dialek=standar").content.decode("utf-8-sig"))))
    sakti = next(r for r in standard if r[1] == "51.05.01.2001")
    assert sakti[3:6] == ["3", "18", "16.7"]
    assert client.get(url + "&dialek=lotus").status_code == 404


def test_xlsx_has_typed_cells_number_formats_and_a_frozen_header(data, login):
    client = login("analis")
    ws = load_workbook(io.BytesIO(client.get(
        "/dasbor/uji/unduh/peringkat.xlsx?wilayah=51.05.01&indikator=uji_lansia").content)).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert ws["A1"].font.bold and ws.column_dimensions["C"].width >= 8
    header = [c.value for c in ws[1]]
    sakti = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "51.05.01.2001")
    cells = dict(zip(header, sakti, strict=True))
    for label in ("Peringkat", "Pembilang", "Penyebut"):
        assert isinstance(cells[label].value, int) and cells[label].number_format == "#,##0", label
    nilai = next(c for k, c in cells.items() if k.startswith("Nilai 2026-S2"))
    assert nilai.value == pytest.approx(16.7) and nilai.number_format == "#,##0.0"


def test_page_offers_both_csv_dialects_and_xlsx(data, client):
    links = _page_tables(client, PAGE)["peringkat"]["links"]
    assert set(links) == {"CSV (Excel Indonesia)", "CSV (standar)", "XLSX"}
    assert "dialek=standar" in links["CSV (standar)"]
