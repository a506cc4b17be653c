"""The targeting-accuracy section on the kemiskinan dashboard and in the profil desa (issue #12)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db
SAKTI = "51.05.01.2001"


@pytest.fixture
def pkh(data):
    """PKH rule 'households of 5 or more' from 2026-01-01; in Sakti 1 of 3 households is eligible.
    The PKH list names a member of an ineligible household (Banjar Kaja) and one of the eligible one."""
    from presisi.dashboards.services import dasbor_atur
    from presisi.dictionary.models import Sektor
    from presisi.integration.models import (
        TERTAUT,
        AturanKelayakan,
        BarisSumber,
        DatasetSektor,
        Pengiriman,
        Program,
    )
    from presisi.integration.services.sasaran import program_bawaan_muat
    from presisi.periods.models import Periode
    from presisi.registry.models import Individu

    program_bawaan_muat()
    AturanKelayakan.objects.create(program=Program.objects.get(kode="pkh"), ekspresi="jumlah_anggota >= 5",
                                   berlaku_mulai=dt.date(2026, 1, 1))
    dasbor_atur(kode="kemiskinan", pengguna=data["admin"], nama="Kemiskinan Uji", urutan=3,
                indikator=[{"kode": "uji_lansia", "urutan": 1, "utama": True}])
    ds = DatasetSektor.objects.create(kode="dinsos-pkh", nama="PKH", sektor=Sektor.objects.get(kode="dinsos"),
                                      unit="individu", program="pkh")
    kirim = Pengiriman.objects.create(dataset=ds, periode=Periode.objects.get(kode="2026-S2"), versi=1,
                                      sumber=Pengiriman.CLI, sha256="0" * 64)
    kaja = Individu.objects.filter(banjar__kode=SAKTI + ".001").order_by("id").first()
    kelod = Individu.objects.filter(banjar__kode=SAKTI + ".002").order_by("id").first()
    for n, person in enumerate((kaja, kelod), start=1):
        BarisSumber.objects.create(pengiriman=kirim, baris=n, desa=person.desa, kode_desa=SAKTI, nik=person.nik,
                                   kunci=f"{n:064d}", status_tautan=TERTAUT, individu=person)
    return kirim


def test_kemiskinan_dashboard_shows_program_errors(pkh, login):
    page = login("operator").get(f"/dasbor/kemiskinan/?wilayah={SAKTI}&periode=2026-S2").content.decode()
    assert "Ketepatan sasaran program perlindungan sosial" in page
    assert "Program Keluarga Harapan (PKH)" in page
    assert "50,0%" in page and "0,0%" in page  # inclusion 1/2, exclusion 0/1


def test_other_dashboards_have_no_section(pkh, login):
    page = login("operator").get(f"/dasbor/uji/?wilayah={SAKTI}").content.decode()
    assert "Ketepatan sasaran program" not in page


def test_profil_desa_section_hides_small_counts_from_the_public(pkh, login, client):
    page = login("operator").get(f"/dasbor/profil/{SAKTI}/?periode=2026-S2").content.decode()
    assert "Ketepatan sasaran program perlindungan sosial" in page and "50,0%" in page
    public = login(None).get(f"/dasbor/profil/{SAKTI}/?periode=2026-S2").content.decode()
    assert "Ketepatan sasaran program perlindungan sosial" in public and "50,0%" not in public


def test_public_sees_nothing_of_an_unpublished_period(pkh, login):
    from presisi.periods.models import KunciDesa

    KunciDesa.objects.filter(periode__kode="2026-S2", desa__kode=SAKTI).update(status="diajukan")
    public = login(None).get(f"/dasbor/profil/{SAKTI}/?periode=2026-S2").content.decode()
    assert "Ketepatan sasaran program perlindungan sosial" not in public
