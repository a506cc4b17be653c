"""The one door for personal identifiers (``presisi.core.pdp.TampilanPribadi``) and the pages routed through it."""
# ruff: noqa: F811  (pytest fixtures imported from tests.validation.conftest)

from __future__ import annotations

import io

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from openpyxl import load_workbook

from presisi.accounts.pdp import tampilan_pribadi, tampilkan_nik
from presisi.core.models import AuditLog
from presisi.core.pdp import mask_teks, minta_penuh
from presisi.imports.services import impor_buat
from tests.conftest import masuk
from tests.imports.helpers import individu_rows, template_file, user
from tests.validation.conftest import DESA, DESA_LAIN, _reference_data, periode, wilayah  # noqa: F401

pytestmark = pytest.mark.django_db
NIK = "5105011203800001"
MASKED = "510501******0001"


def pdp_rows():
    return list(AuditLog.objects.filter(aksi__startswith="pdp.").order_by("id"))


# ---------------------------------------------------------------- the helper


def test_mask_by_default_even_for_a_role_that_may_see(wilayah):
    op = user("operator_desa", DESA)
    assert tampilkan_nik(op, NIK, DESA) == MASKED
    t = tampilan_pribadi(op, DESA)
    assert t.boleh and not t.penuh and t.nik(NIK) == MASKED and t.kk(NIK) == MASKED
    assert not pdp_rows()


def test_full_only_when_allowed_in_scope_and_asked_and_then_logged(wilayah):
    op = user("operator_desa", DESA)
    assert tampilkan_nik(op, NIK, DESA, minta=True, objek_ids=[7], tujuan="uji") == NIK
    [row] = pdp_rows()
    assert row.aksi == "pdp.lihat" and row.pengguna == op and row.sesudah["nik_penuh"] is True
    assert row.objek_id == "7" and row.sesudah["wilayah"] == DESA


@pytest.mark.parametrize(("peran", "kode"), [("analis", "51.05"), ("operator_desa", DESA_LAIN)])
def test_never_full_for_analis_or_out_of_scope(wilayah, peran, kode):
    someone = user(peran, kode)
    assert tampilkan_nik(someone, NIK, DESA, minta=True) == MASKED
    t = tampilan_pribadi(someone, DESA, minta=True)
    assert not t.boleh and not t.penuh and t.teks(f"NIK {NIK} ganda") == f"NIK {MASKED} ganda"
    assert not pdp_rows()


def test_anonymous_never_sees_full(wilayah):
    from django.contrib.auth.models import AnonymousUser

    assert tampilkan_nik(AnonymousUser(), NIK, DESA, minta=True) == MASKED


def test_asking_is_explicit_query_or_posted_button():
    rf = RequestFactory()
    assert minta_penuh(rf.get("/x/", {"nik": "penuh"}))
    assert minta_penuh(rf.post("/x/", {"tampilkan_nik": "1"}))
    assert not minta_penuh(rf.get("/x/")) and not minta_penuh(rf.get("/x/", {"nik": "1"})) and not minta_penuh(None)


def test_free_text_masks_every_16_digit_number_only():
    assert mask_teks(f"{NIK}, KK 5105010203150001; tel 081234567890") == (
        f"{MASKED}, KK 510501******0001; tel 081234567890")
    assert mask_teks("12345678901234567") == "12345678901234567"  # 17 digits: not a NIK
    assert mask_teks(None) is None and mask_teks(12) == 12


def test_template_filters_use_the_same_door(wilayah):
    op = user("operator_desa", DESA)
    tpl = Template("{% load pdp %}{{ v|nik:t }}|{{ s|pribadi:t }}|{{ v|nik }}")
    masked = tpl.render(Context({"v": NIK, "s": f"NIK {NIK}", "t": tampilan_pribadi(op, DESA)}))
    assert masked == f"{MASKED}|NIK {MASKED}|{MASKED}"
    full = tpl.render(Context({"v": NIK, "s": f"NIK {NIK}", "t": tampilan_pribadi(op, DESA, minta=True)}))
    assert full == f"{NIK}|NIK {NIK}|{MASKED}"


# ---------------------------------------------------------------- import jobs, findings workbook, validation


def _import_missing_resident(wilayah, periode):
    """A first import of four people, then a file without the fourth (a registered resident missing)."""
    op = user("operator_desa", DESA)
    for rows in (None, individu_rows()[:3]):
        impor = impor_buat(berkas=template_file(individu=rows), nama_berkas="desa.xlsx", desa=wilayah[DESA],
                           periode=periode, pengguna=op)
    impor.refresh_from_db()
    return op, impor


def _client(u) -> Client:
    client = Client(raise_request_exception=False)
    masuk(client, u)
    return client


def test_job_stores_no_full_nik_name_or_kk_of_missing_residents(wilayah, periode):
    _, impor = _import_missing_resident(wilayah, periode)
    stored = impor.ringkasan["tidak_ada_di_berkas"]
    assert impor.ringkasan["jumlah_tidak_ada_di_berkas"] == 1
    assert set(stored[0]) == {"id", "nik"} and stored[0]["nik"] == "510501******0004"
    assert "5105010101600004" not in str(impor.ringkasan) and "I Nyoman Merta" not in str(impor.ringkasan)


def test_findings_workbook_for_analis_has_counts_only(wilayah, periode):
    _, impor = _import_missing_resident(wilayah, periode)
    before = len(pdp_rows())
    analis = _client(user("analis", "51.05"))
    for url in (f"/impor/{impor.pk}/temuan.xlsx", f"/api/v1/impor/{impor.pk}/temuan.xlsx"):
        wb = load_workbook(io.BytesIO(analis.get(url).content))
        assert "Tidak ada di berkas" not in wb.sheetnames and "Temuan" not in wb.sheetnames
        info = dict(r[:2] for r in wb["Ringkasan"].iter_rows(values_only=True))
        assert info["Penduduk terdaftar tidak ada di berkas"] == 1
    body = analis.get(f"/api/v1/impor/{impor.pk}/").json()
    assert body["ringkasan"]["tidak_ada_di_berkas"] == [] and body["temuan"] == []
    assert body["ringkasan"]["jumlah_tidak_ada_di_berkas"] == 1
    assert len(pdp_rows()) == before  # nothing person-level left the server


def test_findings_workbook_for_operator_lists_missing_residents_masked_and_logged(wilayah, periode):
    op, impor = _import_missing_resident(wilayah, periode)
    client = _client(op)
    wb = load_workbook(io.BytesIO(client.get(f"/impor/{impor.pk}/temuan.xlsx").content))
    rows = list(wb["Tidak ada di berkas"].iter_rows(values_only=True))
    assert rows[1][:3] == ("510501******0004", "I Nyoman Merta", "510501******0002")
    row = pdp_rows()[-1]
    assert row.aksi == "pdp.ekspor" and row.pengguna == op and row.sesudah["nik_penuh"] is False
    full = load_workbook(io.BytesIO(client.get(f"/impor/{impor.pk}/temuan.xlsx?nik=penuh").content))
    assert list(full["Tidak ada di berkas"].iter_rows(values_only=True))[1][0] == "5105010101600004"
    assert pdp_rows()[-1].sesudah["nik_penuh"] is True


def test_import_api_list_carries_no_person_rows(wilayah, periode):
    op, impor = _import_missing_resident(wilayah, periode)
    listed = _client(op).get("/api/v1/impor/").json()
    assert all(job["ringkasan"]["tidak_ada_di_berkas"] == [] for job in listed)


def test_validation_page_masks_nik_for_verifier(wilayah, periode):
    from presisi.validation.models import AturanValidasi, Temuan

    aturan = AturanValidasi.objects.create(kode="uji-nik", nama="uji", unit="individu", keparahan="warning",
                                           pesan="uji", kondisi="umur < 0")
    Temuan.objects.create(desa=wilayah[DESA], periode=periode, aturan=aturan, unit="individu", label=f"{NIK} Wayan",
                          nilai=NIK, pesan=f"NIK {NIK} ganda", keparahan="warning")
    verifier = _client(user("verifikator_kecamatan", "51.05.01"))
    html = verifier.get(f"/validasi/?periode={periode.kode}").content.decode()
    assert NIK not in html and MASKED in html
    api = verifier.get("/api/v1/validasi/temuan/").json()["hasil"][0]
    assert api["nilai"] == MASKED and NIK not in str(api)
    assert not pdp_rows()
    # asked for explicitly, in scope: shown and logged
    assert NIK in verifier.get(f"/validasi/?periode={periode.kode}&nik=penuh").content.decode()
    assert pdp_rows()[-1].objek_tipe == "validation.temuan" and pdp_rows()[-1].sesudah["nik_penuh"] is True
    # out of scope (another kecamatan's operator asks): masked
    other = _client(user("operator_desa", DESA_LAIN))
    assert NIK not in other.get(f"/api/v1/validasi/temuan/?desa={DESA}&nik=penuh").content.decode()


# ---------------------------------------------------------------- the registry page after a bulk import


def test_registry_desa_page_after_a_bulk_import_is_not_a_server_error(wilayah, periode):
    op, _ = _import_missing_resident(wilayah, periode)
    client = _client(op)
    page = client.get(f"/registri/desa/{DESA}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Perubahan terbaru" in html and "individu" in html.lower()
    assert client.get("/registri/", follow=True).status_code == 200
