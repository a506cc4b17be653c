"""The optional ``banjar_adat`` column of the Keluarga sheet: matched by code or name within the desa adat
mapped to the desa; a blank never erases, ``-`` clears; unknown values are row findings."""

from __future__ import annotations

import pytest

from presisi.imports.columns import columns_by_code
from presisi.imports.pipeline import impor_jalankan
from presisi.regions.services_adat import wilayah_adat_load_csv
from presisi.registry.models import Keluarga
from tests.imports.helpers import INDIVIDU_HEADER, KELUARGA_HEADER, KK1, KK2, individu_rows, xlsx
from tests.validation.conftest import DESA

pytestmark = pytest.mark.django_db
ADAT = """kode,nama,tingkat,induk,desa_dinas
51.05.A001,Desa Adat Uji,desa_adat,,51.05.01.2001
51.05.A001.01,Banjar Adat Kaja,banjar_adat,51.05.A001,
51.05.A001.02,Banjar Adat Kelod,banjar_adat,51.05.A001,
51.05.A002,Desa Adat Tetangga,desa_adat,,51.05.01.2002
51.05.A002.01,Banjar Adat Tetangga,banjar_adat,51.05.A002,
"""


@pytest.fixture
def adat(wilayah):
    wilayah_adat_load_csv(data=ADAT)


def _file(adat1: str, adat2: str) -> bytes:
    return xlsx({
        "Keluarga": [[*KELUARGA_HEADER, "banjar_adat"], [KK1, "001", "Jl. Pura Dalem 1", adat1],
                     [KK2, "001", "Jl. Pura Dalem 2", adat2]],
        "Individu": [INDIVIDU_HEADER, *individu_rows()],
    })


def run(wilayah, periode, data: bytes):
    return impor_jalankan(berkas=data, nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode)


def adat_of() -> dict[str, str | None]:
    return {k.no_kk: k.banjar_adat.kode if k.banjar_adat else None
            for k in Keluarga.objects.select_related("banjar_adat")}


def test_the_column_is_optional_on_the_keluarga_sheet():
    col = columns_by_code("keluarga")["banjar_adat"]
    assert not col.wajib and col.label == "Banjar adat"


def test_matched_by_code_or_name_blank_keeps_dash_clears(adat, wilayah, periode):
    r = run(wilayah, periode, _file("51.05.A001.01", "banjar adat kelod"))
    assert r.diterima and r.ditulis
    assert adat_of() == {KK1: "51.05.A001.01", KK2: "51.05.A001.02"}
    again = run(wilayah, periode, _file("51.05.A001.01", "Banjar Adat Kelod"))
    assert not again.ditulis and again.unit["keluarga"]["tetap"] == 2  # idempotent
    r = run(wilayah, periode, _file("", "-"))
    assert r.unit["keluarga"]["diubah"] == 1
    assert adat_of() == {KK1: "51.05.A001.01", KK2: None}


def test_a_banjar_adat_of_another_desa_is_a_finding_naming_row_and_column(adat, wilayah, periode):
    r = run(wilayah, periode, _file("51.05.A002.01", ""))
    finding = next(f for f in r.temuan if f.rule == "banjar_adat_tidak_dikenal")
    assert finding.row == 2 and finding.column == "Keluarga!banjar_adat" and "Banjar Adat Kaja" in finding.message
    assert adat_of().get(KK1) is None
