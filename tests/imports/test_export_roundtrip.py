"""The registry export (issue #13 item 6): a desa's registry as the filled import template that
round-trips — unedited, nothing is created or changed; with k edited cells, exactly k changes, each in
its record's history. Reachable from web, API and CLI for roles with person-level access, logged as a
UU PDP export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from presisi.accounts.models import ADMIN, ANALIS, OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA
from presisi.core.models import AuditLog
from presisi.dictionary.models import BILANGAN, DESIMAL, KODE, TANGGAL, TEKS
from presisi.imports.columns import KEY, SHEET_NAMES, UNITS, unit_columns
from presisi.imports.export import ekspor_desa_xlsx, registri_ekspor
from presisi.imports.pipeline import impor_jalankan
from presisi.imports.template import DATA_ROWS, code_option, template_xlsx
from presisi.registry.history import riwayat_bangunan, riwayat_individu, riwayat_keluarga, riwayat_rumah_tangga
from presisi.registry.identifiers import temporary_number
from presisi.registry.models import Bangunan, Individu, Keluarga, RumahTangga
from tests.conftest import masuk
from tests.imports.helpers import INDIVIDU_HEADER, KK1, KK2, individu_rows, user, xlsx
from tests.validation.conftest import DESA, DESA_LAIN

pytestmark = pytest.mark.django_db

# columns an edit may touch without changing who a record is or what it links to
TETAP = {"nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_rumah_tangga",
         "kode_bangunan", "banjar", "koreksi_identitas", "alasan_koreksi", "hubungan_rumah_tangga", "hamil",
         "kewarganegaraan", "status_kawin"}
RIWAYAT = {Individu: riwayat_individu, Keluarga: riwayat_keluarga, RumahTangga: riwayat_rumah_tangga,
           Bangunan: riwayat_bangunan}
MODEL = {"individu": Individu, "keluarga": Keluarga, "rumah_tangga": RumahTangga, "bangunan": Bangunan}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _isi_desa(wilayah, periode) -> None:
    """A desa with every kind of value: households and buildings, code/number/decimal/date attributes,
    text that looks like a formula or the clear marker, a temporary NIK and a temporary No. KK."""
    bangunan = [["kode_bangunan", "banjar", "lat", "lng", "jumlah_lantai_bangunan", "luas_bangunan"],
                ["B-001", "001", -8.5401, 115.4042, 2, 72.5], ["B-002", "001 - Kaja", "", "", "", ""]]
    rumah = [["kode_rumah_tangga", "banjar", "kode_bangunan", "sumber_air_minum", "luas_lantai",
              "pengeluaran_per_kapita"],
             ["RT-001", "001", "B-001", 3, 45, 850000], ["RT-002", "001", "", "", 36.75, ""]]
    keluarga = [["no_kk", "banjar", "alamat", "tahapan_keluarga_sejahtera"],
                [KK1, "001", "Jl. Pura Dalem 1", 2], [KK2, "001", "Jl. Pura Dalem 2", ""]]
    individu = [[*INDIVIDU_HEADER, "kode_rumah_tangga", "hubungan_rumah_tangga", "berat_badan", "tanggal_ukur",
                 "jam_kerja_seminggu"]]
    for k, row in enumerate(individu_rows()):
        individu.append([*row, "RT-001" if row[1] == KK1 else "RT-002", 1 if row[8] == 1 else 2,
                         "", "2026-01-15" if k == 2 else "", 40 if k == 0 else ""])
    r = impor_jalankan(berkas=xlsx({"Bangunan": bangunan, "Rumah Tangga": rumah, "Keluarga": keluarga,
                                    "Individu": individu}), nama_berkas="awal.xlsx", desa=wilayah[DESA],
                       periode=periode)
    assert r.diterima and r.ditulis, [str(f) for f in r.temuan]
    # what other ways in leave behind: a "-" typed as an unknown father, a whole number kept as a float,
    # a newborn with a temporary NIK in a family with a temporary No. KK
    Individu.objects.filter(nik=individu_rows()[3][0]).update(nama_ayah="-", atribut={"berat_badan": 12.0})
    Keluarga.objects.filter(no_kk=KK1).update(alamat="=Jl. Pura Dalem 1")  # a form accepts it: text, never a formula
    kel = Keluarga.objects.create(no_kk=temporary_number(DESA, 1), no_kk_sementara=True, alamat="+62 Gang Buntu",
                                  banjar=wilayah[DESA + ".001"], desa=wilayah[DESA])
    Individu.objects.create(nik=temporary_number(DESA, 1), nik_sementara=True, nama="Bayi Ni Luh", jenis_kelamin=2,
                            tanggal_lahir="2026-02-01", hubungan_keluarga=1, keluarga=kel, banjar=kel.banjar,
                            desa=kel.desa, atribut={})


@pytest.fixture
def desa_isi(wilayah, periode):
    _isi_desa(wilayah, periode)
    return wilayah[DESA]


def _edit(data: bytes, edits: list[tuple[str, int, str, object]]) -> bytes:
    """Set (sheet, data row index, column code) cells of an exported workbook, as Excel would save them."""
    wb = load_workbook(io.BytesIO(data))
    for sheet, i, kode, value in edits:
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        ws.cell(row=3 + i, column=header.index(kode) + 1, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _new_history_changes(since_id: int) -> list[tuple[str, str, str]]:
    """(record type, record id, field) of every change the audit rows after ``since_id`` show in the
    records' own history pages."""
    out = []
    for row in AuditLog.objects.filter(pk__gt=since_id).exclude(aksi__startswith="pdp.").exclude(objek_id=""):
        model = {m._meta.label_lower: m for m in MODEL.values()}[row.objek_tipe]
        riwayat = RIWAYAT[model](model.objects.get(pk=row.objek_id))
        entry = next(e for e in riwayat.entri if e.aksi == row.aksi and e.waktu == row.waktu
                     and e.objek_id == row.objek_id)
        out += [(row.objek_tipe, row.objek_id, p.kode) for p in entry.perubahan]
    return out


def _last_audit() -> int:
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_unedited_export_reimports_with_nothing_created_or_changed(desa_isi, periode):
    before = _last_audit()
    r = impor_jalankan(berkas=ekspor_desa_xlsx(desa=desa_isi), nama_berkas="registri.xlsx", desa=desa_isi,
                       periode=periode)
    assert r.diterima, [str(f) for f in r.temuan if f.severity == "error"]
    assert {u: (c["dibuat"], c["diubah"]) for u, c in r.unit.items()} == dict.fromkeys(UNITS, (0, 0))
    assert r.unit["individu"]["tetap"] == 5 and r.unit["keluarga"]["tetap"] == 3
    assert r.unit["rumah_tangga"]["tetap"] == 2 and r.unit["bangunan"]["tetap"] == 2
    assert not r.ditulis and r.jumlah_dikosongkan == 0
    assert not AuditLog.objects.filter(pk__gt=before).exclude(aksi__startswith="pdp.").exclude(
        aksi__startswith="validasi").exists()


def test_export_is_the_template_filled(desa_isi):
    empty = load_workbook(io.BytesIO(template_xlsx(desa=desa_isi)))
    wb = load_workbook(io.BytesIO(ekspor_desa_xlsx(desa=desa_isi)))
    assert wb.sheetnames == empty.sheetnames and wb["Daftar Kode"].sheet_state == "hidden"
    assert DESA in wb["Petunjuk"]["A1"].value  # the file names its desa (recognised on upload)
    for unit in UNITS:
        ws, ref = wb[SHEET_NAMES[unit]], empty[SHEET_NAMES[unit]]
        assert [c.value for c in ws[1]] == [c.value for c in ref[1]] == [c.kode for c in unit_columns(unit)]
        assert [c.value for c in ws[2]] == [c.value for c in ref[2]]
        # the same drop-downs from row 3, reaching past the exported rows by the empty template's room
        assert ([(str(d.sqref).split(":")[0], d.formula1) for d in ws.data_validations.dataValidation]
                == [(str(d.sqref).split(":")[0], d.formula1) for d in ref.data_validations.dataValidation])
        ends = {int(re.sub(r"\D", "", str(d.sqref).split(":")[1])) for d in ws.data_validations.dataValidation}
        assert ends <= {DATA_ROWS + 2 + 5}  # 5 people: the largest sheet
    ind = wb["Individu"]
    header = [c.value for c in ind[1]]
    rows = {r[0].value: r for r in ind.iter_rows(min_row=3)}
    head = rows[individu_rows()[0][0]]
    assert head[header.index("agama")].value == code_option(4, "Hindu")
    assert head[header.index("nik")].number_format == "@" and head[header.index("tanggal_lahir")].value == "1980-03-12"
    assert ind.column_dimensions["A"].number_format == "@"  # NIK typed into a new row stays text
    assert temporary_number(DESA, 1) in rows


def test_three_edited_cells_are_three_changes_each_in_its_history(desa_isi, periode):
    data = ekspor_desa_xlsx(desa=desa_isi)
    wb = load_workbook(io.BytesIO(data))
    order = [r[0].value for r in wb["Individu"].iter_rows(min_row=3)]
    wife, son = order.index(individu_rows()[1][0]), order.index(individu_rows()[2][0])
    kk = [r[0].value for r in wb["Keluarga"].iter_rows(min_row=3)].index(KK2)
    before = _last_audit()
    edited = _edit(data, [("Individu", wife, "pekerjaan", "3 - Pelajar/Mahasiswa"),
                          ("Individu", son, "golongan_darah", "2 - B"),
                          ("Keluarga", kk, "alamat", "Jl. Pura Desa 7")])
    r = impor_jalankan(berkas=edited, nama_berkas="registri.xlsx", desa=desa_isi, periode=periode)
    assert r.diterima and r.ditulis, [str(f) for f in r.temuan if f.severity == "error"]
    assert sum(c["diubah"] for c in r.unit.values()) == 3 and sum(c["dibuat"] for c in r.unit.values()) == 0
    changes = _new_history_changes(before)
    ids = {n: str(Individu.objects.get(nik=individu_rows()[n][0]).pk) for n in (1, 2)}
    assert sorted(changes) == sorted([("registry.individu", ids[1], "pekerjaan"),
                                      ("registry.individu", ids[2], "golongan_darah"),
                                      ("registry.keluarga", str(Keluarga.objects.get(no_kk=KK2).pk), "alamat")])
    # and the file exported now round-trips again
    again = impor_jalankan(berkas=ekspor_desa_xlsx(desa=desa_isi), nama_berkas="lagi.xlsx", desa=desa_isi,
                           periode=periode, dry_run=True)
    assert again.diterima and not any(c["diubah"] or c["dibuat"] for c in again.unit.values())


def _editable() -> list[tuple[str, str]]:
    return [(unit, c.kode) for unit in UNITS for c in unit_columns(unit)
            if c.kode not in TETAP and c.kode != KEY[unit] and c.tipe in (KODE, TEKS, BILANGAN, DESIMAL, TANGGAL)
            and not (c.var is not None and c.var.pola) and (c.tipe != KODE or len(c.var.labels) > 2)]


def _new_value(col, old, draw):
    """A valid value other than the cell's, written as a person would type or pick it."""
    if col.tipe == KODE:
        codes = [(k, lbl) for k, lbl in col.var.labels if code_option(k, lbl) != old]
        k, lbl = draw(st.sampled_from(codes))
        return code_option(k, lbl)
    if col.tipe == TEKS:
        # a typed "=…" is a formula in Excel too (refused on import): edits type plain text
        return f"Teks {draw(st.integers(1, 99))}"
    if col.tipe == TANGGAL:
        day = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 12, 31)))
        return day.isoformat() if day.isoformat() != old else "2019-06-30"
    low = col.var.minimum if col.var and col.var.minimum is not None else -8.9
    high = col.var.maximum if col.var and col.var.maximum is not None else -8.1
    if col.kode == "lng":
        low, high = 115.0, 116.0
    value = draw(st.integers(int(low) + 1, int(high) - 1)) if col.tipe == BILANGAN else \
        round(draw(st.floats(low, high, allow_nan=False)), 2)
    return value if value != old else (value + 1 if col.tipe == BILANGAN else value / 2 + low / 2)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_k_random_edits_are_exactly_k_changes(desa_isi, periode, data):
    exported = ekspor_desa_xlsx(desa=desa_isi)
    wb = load_workbook(io.BytesIO(exported))
    cells = []
    for unit, kode in _editable():
        ws = wb[SHEET_NAMES[unit]]
        for i in range(ws.max_row - 2):
            cells.append((unit, i, kode))
    chosen = data.draw(st.lists(st.sampled_from(cells), max_size=6, unique=True), label="cells")
    columns = {(u, c.kode): c for u in UNITS for c in unit_columns(u)}
    edits = []
    for unit, i, kode in chosen:
        ws = wb[SHEET_NAMES[unit]]
        old = ws.cell(row=3 + i, column=[c.value for c in ws[1]].index(kode) + 1).value
        edits.append((SHEET_NAMES[unit], i, kode, _new_value(columns[(unit, kode)], old, data.draw)))
    before = _last_audit()
    with transaction.atomic():  # every example starts from the same registry
        r = impor_jalankan(berkas=_edit(exported, edits), nama_berkas="registri.xlsx", desa=desa_isi,
                           periode=periode)
        assert r.diterima, ([str(f) for f in r.temuan if f.severity == "error"], edits)
        assert sum(c["dibuat"] for c in r.unit.values()) == 0
        assert len(_new_history_changes(before)) == len(edits), edits
        transaction.set_rollback(True)


# ---------------------------------------------------------------- reachable, scoped and logged


def _ekspor_log():
    return AuditLog.objects.filter(aksi="pdp.ekspor", keterangan__startswith="ekspor registri desa")


@pytest.mark.parametrize("peran,wilayah_kode", [(OPERATOR_DESA, DESA), (VERIFIKATOR_KECAMATAN, "51.05.01"),
                                                (ADMIN, "51.05")])
def test_person_level_roles_download_it_from_web_and_api_and_each_download_is_logged(desa_isi, peran,
                                                                                     wilayah_kode):
    client = masuk(Client(), user(peran, wilayah_kode))
    page = client.get(f"/registri/desa/{DESA}/")
    assert f"/impor/registri/{DESA}.xlsx" in page.content.decode() and "Unduh registri (Excel)" in page.content.decode()
    for url, kanal in ((f"/impor/registri/{DESA}.xlsx", "web"), (f"/api/v1/impor/registri/{DESA}.xlsx", "api")):
        n = _ekspor_log().count()
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        log = _ekspor_log().order_by("-pk").first()
        assert _ekspor_log().count() == n + 1
        assert log.sesudah["nik_penuh"] is True and log.sesudah["kanal"] == kanal and log.sesudah["jumlah"] == 5
        assert log.pengguna.username == f"{peran}-{wilayah_kode}"
        wb = load_workbook(io.BytesIO(response.content))
        assert individu_rows()[0][0] in [r[0].value for r in wb["Individu"].iter_rows(min_row=3)]


@pytest.mark.parametrize("peran,wilayah_kode", [(WALIDATA, "51.05"), (ANALIS, "51.05")])
def test_roles_without_person_level_access_are_refused(desa_isi, peran, wilayah_kode):
    client = masuk(Client(), user(peran, wilayah_kode))
    assert client.get(f"/impor/registri/{DESA}.xlsx").status_code == 403
    assert client.get(f"/api/v1/impor/registri/{DESA}.xlsx").status_code == 403
    assert not _ekspor_log().exists()


def test_another_desa_is_hidden_and_anonymous_is_sent_to_sign_in(desa_isi):
    client = masuk(Client(), user(OPERATOR_DESA, DESA_LAIN))
    assert client.get(f"/impor/registri/{DESA}.xlsx").status_code == 404
    assert client.get(f"/api/v1/impor/registri/{DESA}.xlsx").status_code == 404
    assert Client().get(f"/impor/registri/{DESA}.xlsx").status_code == 302
    assert Client().get(f"/api/v1/impor/registri/{DESA}.xlsx").status_code in (401, 403)
    assert not _ekspor_log().exists()


def test_cli_writes_the_file_and_logs_the_export(desa_isi, tmp_path):
    target = tmp_path / "registri.xlsx"
    out = io.StringIO()
    call_command("registri", "ekspor", "--desa", DESA, "-o", str(target), "--json", stdout=out)
    assert '"ok": true' in out.getvalue() and target.exists()
    log = _ekspor_log().get()
    assert log.sesudah["kanal"] == "cli" and log.sesudah["nik_penuh"] is True and log.pengguna is None
    r = registri_ekspor(desa=desa_isi)  # the service itself: same file layout as the CLI wrote
    assert load_workbook(io.BytesIO(r.isi)).sheetnames == load_workbook(target).sheetnames
