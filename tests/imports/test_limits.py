"""Limits before parsing: an oversized CSV cell, an XLSX that unpacks to too much or whose zip
directory lies about its sizes end as clear findings, before openpyxl/calamine see the file."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.imports.limits import MAKS_SEL_BYTE
from presisi.imports.pipeline import impor_jalankan
from presisi.imports.readers import baca_berkas
from tests.imports.helpers import INDIVIDU_HEADER, csv_bytes, individu_rows, template_file
from tests.validation.conftest import DESA

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
READABLE = {"sel_terlalu_panjang", "csv_rusak", "berkas_kosong", "encoding", "berkas_biner", "baris_terlalu_banyak"}


def _rules(data: bytes) -> set[str]:
    return {f.rule for f in baca_berkas(data, "uji").temuan}


def _bomb(payload: int, *, declared: int | None = None) -> bytes:
    """A workbook-looking zip holding ``payload`` zero bytes; with ``declared`` its local and central
    directory entries claim that uncompressed size instead (a lying header)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * payload)
    data = bytearray(buf.getvalue())
    if declared is not None:
        local = data.find(b"PK\x03\x04", data.find(b"xl/worksheets") - 40)
        struct.pack_into("<I", data, local + 22, declared)
        central = data.find(b"PK\x01\x02" , data.find(b"PK\x01\x02") + 4)
        struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def test_a_csv_cell_over_the_field_limit_is_a_finding_not_a_crash():
    data = csv_bytes(INDIVIDU_HEADER, individu_rows()) + b'5105011203800009,"' + b"x" * (MAKS_SEL_BYTE + 10)
    found = baca_berkas(data, "besar.csv").temuan
    assert [f.rule for f in found] == ["sel_terlalu_panjang"]
    assert found[0].row == 6 and "KB" in found[0].message


@pytest.mark.django_db
def test_an_import_of_a_csv_with_a_huge_cell_reports_it(wilayah, periode):
    data = csv_bytes(INDIVIDU_HEADER, individu_rows()) + b"1," + b"y" * (MAKS_SEL_BYTE + 1) + b"\n"
    out = impor_jalankan(berkas=data, nama_berkas="besar.csv", desa=wilayah[DESA], periode=periode)
    assert {f.rule for f in out.temuan} == {"sel_terlalu_panjang"} and not out.ditulis


@FAST
@given(extra=st.integers(min_value=-64, max_value=64), quoted=st.booleans())
def test_cells_around_the_limit_are_read_or_refused_by_name(extra, quoted):
    cell = b"z" * (MAKS_SEL_BYTE + extra)
    row = (b'"' + cell + b'"') if quoted else cell
    rules = _rules(b"nik,nama\n1," + row + b"\n")
    assert rules <= READABLE
    if MAKS_SEL_BYTE + extra <= MAKS_SEL_BYTE:
        assert "sel_terlalu_panjang" not in rules
    else:
        assert rules == {"sel_terlalu_panjang"}


@override_settings(PRESISI_IMPOR_MAKS_BYTE=200_000, PRESISI_IMPOR_MAKS_BYTE_TERBUKA=1_000_000)
def test_a_zip_bomb_is_refused_from_its_directory():
    assert _rules(_bomb(3_000_000)) == {"berkas_terlalu_besar"}


@override_settings(PRESISI_IMPOR_MAKS_BYTE=200_000, PRESISI_IMPOR_MAKS_BYTE_TERBUKA=1_000_000)
def test_a_zip_whose_directory_understates_its_size_is_refused_by_the_bytes_unpacked(monkeypatch):
    import presisi.imports.readers as readers

    def never(*args, **kwargs):
        raise AssertionError("the workbook reader must not see a lying archive")

    monkeypatch.setattr(readers, "_read_calamine", never)
    monkeypatch.setattr(readers, "_read_openpyxl", never)
    data = _bomb(3_000_000, declared=1000)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) < 2000  # the lie
    assert _rules(data) == {"berkas_terlalu_besar"}
    # a smaller lie (within the caps) is still a broken file, never a silently truncated one
    assert _rules(_bomb(50_000, declared=1000)) == {"xlsx_rusak"}


@FAST
@given(payload=st.integers(min_value=0, max_value=400_000), lie=st.one_of(st.none(), st.integers(0, 2**32 - 1)))
def test_crafted_archives_end_as_named_findings(payload, lie):
    with override_settings(PRESISI_IMPOR_MAKS_BYTE=50_000, PRESISI_IMPOR_MAKS_BYTE_TERBUKA=200_000):
        rules = _rules(_bomb(payload, declared=lie))
    assert rules and rules <= {"berkas_terlalu_besar", "xlsx_rusak", "berkas_kosong"}
    if lie is not None and lie != payload:
        assert rules & {"berkas_terlalu_besar", "xlsx_rusak"}


def test_a_normal_workbook_passes_the_unpacking_guard():
    doc = baca_berkas(template_file(), "desa.xlsx")
    assert not doc.temuan and [s.nama for s in doc.lembar] == ["Keluarga", "Individu"]
