"""A family's banjar adat: set through the service and the form, checked against the desa's desa adat,
recorded in the history, shown on the desa and family pages."""

from __future__ import annotations

import pytest

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.regions.services import wilayah_load_csv
from presisi.regions.services_adat import wilayah_adat_load_csv
from presisi.registry.history import riwayat_keluarga
from presisi.registry.services import individu_create, keluarga_create, keluarga_update
from tests.conftest import masuk
from tests.registry.test_views import BANJAR, DESA, KK, form_data, kepala

pytestmark = pytest.mark.django_db
ADAT = """kode,nama,tingkat,induk,desa_dinas
51.05.A001,Desa Adat Uji,desa_adat,,51.05.01.2001
51.05.A001.01,Banjar Adat Kaja,banjar_adat,51.05.A001,
51.05.A002,Desa Adat Tetangga,desa_adat,,51.05.01.2002
51.05.A002.01,Banjar Adat Tetangga,banjar_adat,51.05.A002,
"""


@pytest.fixture
def banjar(wilayah_klungkung, kamus):
    wilayah_load_csv(data=f"kode,nama,tingkat,kode_induk\n{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n")
    return BANJAR


@pytest.fixture
def keluarga(banjar):
    kk = keluarga_create(no_kk=KK, banjar_kode=banjar, alamat="Jl. Pura Dalem 1")
    individu_create(keluarga=kk, data=kepala())
    return kk


@pytest.fixture
def op(client, banjar):
    masuk(client, pengguna_create(username="operator", password="rahasia-panjang", peran="operator_desa",
                                  wilayah_kode=DESA))
    return client


@pytest.fixture
def adat(banjar):
    wilayah_adat_load_csv(data=ADAT)


def test_service_sets_checks_and_clears_the_banjar_adat_with_history(adat, keluarga):
    with pytest.raises(ValidationFailed) as exc:
        keluarga_update(keluarga=keluarga, data={}, banjar_adat_kode="51.05.A002.01")  # another desa's
    assert exc.value.findings[0].rule == "banjar_adat_tidak_dikenal"
    kk = keluarga_update(keluarga=keluarga, data={}, banjar_adat_kode="51.05.A001.01")
    assert kk.banjar_adat.kode == "51.05.A001.01"
    kk = keluarga_update(keluarga=kk, data={"alamat": "Jl. Baru"})  # None: left as it is
    assert kk.banjar_adat.kode == "51.05.A001.01"
    kk = keluarga_update(keluarga=kk, data={}, banjar_adat_kode="")
    assert kk.banjar_adat is None
    changes = [(p.label, p.sebelum, p.sesudah) for e in riwayat_keluarga(kk).entri for p in e.perubahan
               if p.kode == "banjar_adat_id"]
    assert sorted(changes) == [("Banjar adat", "Banjar Adat Kaja", "—"), ("Banjar adat", "—", "Banjar Adat Kaja")]


def test_new_family_with_a_banjar_adat(adat, banjar):
    kk = keluarga_create(no_kk="5105010203150009", banjar_kode=banjar, banjar_adat_kode="51.05.A001.01")
    assert kk.banjar_adat.induk.kode == "51.05.A001"


def test_form_offers_the_desa_adat_of_the_desa_and_pages_show_it(adat, op, keluarga):
    page = op.get(f"/registri/keluarga/{keluarga.pk}/ubah/")
    choices = dict(page.context["form"].fields["banjar_adat"].choices)
    assert "51.05.A001.01" in choices and "51.05.A002.01" not in choices
    op.post(f"/registri/keluarga/{keluarga.pk}/ubah/", {**form_data(page.context["form"]),
                                                        "banjar_adat": "51.05.A001.01"})
    keluarga.refresh_from_db()
    assert keluarga.banjar_adat.kode == "51.05.A001.01"
    assert "Banjar Adat Kaja (Desa Adat Uji)" in op.get(f"/registri/keluarga/{keluarga.pk}/").content.decode()
    desa = op.get(f"/registri/desa/{DESA}/?jenis=keluarga").content.decode()
    assert "Desa Adat Uji" in desa and "Banjar Adat Kaja" in desa
    assert KK[:6] in desa


def test_form_has_no_banjar_adat_field_where_no_desa_adat_is_mapped(op, keluarga):
    assert "banjar_adat" not in op.get(f"/registri/keluarga/{keluarga.pk}/ubah/").context["form"].fields


def test_api_reads_and_sets_the_banjar_adat(adat, op, keluarga):
    url = f"/api/v1/keluarga/{keluarga.pk}/"
    assert op.get(url).json()["banjar_adat"] is None
    body = op.patch(url, {"banjar_adat": "51.05.A001.01"}, content_type="application/json").json()
    assert body["banjar_adat"] == "51.05.A001.01"
    body = op.patch(url, {"alamat": "Jl. Lain"}, content_type="application/json").json()
    assert body["banjar_adat"] == "51.05.A001.01"  # absent: unchanged
    response = op.patch(url, {"banjar_adat": "51.05.A002.01"}, content_type="application/json")
    assert response.status_code == 400 and "banjar_adat_tidak_dikenal" in response.content.decode()
