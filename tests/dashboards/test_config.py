"""Dashboards are configuration: the standard YAML, the service, the analysts' page and the admin."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.dashboards.models import Dasbor
from presisi.dashboards.services import dasbor_atur, dasbor_load, dasbor_tambah_indikator
from tests.conftest import masuk

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


def test_adding_an_indicator_to_a_dashboard_makes_it_appear(data, login):
    client = login("analis")
    assert "Indikator tertutup uji" not in client.get("/dasbor/pulau/").content.decode()
    dasbor_tambah_indikator(kode="pulau", indikator="uji_rahasia", pengguna=user("analis"))
    page = client.get("/dasbor/pulau/").content.decode()
    assert "Indikator tertutup uji" in page and '<option value="uji_rahasia">' in page
    assert Dasbor.objects.get(kode="pulau").disesuaikan
    assert AuditLog.objects.filter(aksi="dasbor.diatur", objek_id=str(Dasbor.objects.get(kode="pulau").pk)).exists()


def test_only_analysts_and_admins_configure(data):
    with pytest.raises(PermissionDenied):
        dasbor_atur(kode="uji", pengguna=user("operator"), nama="X")
    with pytest.raises(ValidationFailed):
        dasbor_atur(kode="uji", pengguna=user("analis"), indikator=[{"kode": "tidak_ada"}])
    with pytest.raises(ValidationFailed):
        dasbor_atur(kode="profil", pengguna=user("analis"), nama="Bentrok dengan URL")


def test_settings_page_edits_order_headline_and_removal(data, login):
    assert login("operator").get("/dasbor/atur/").status_code == 403
    client = login("admin")
    page = client.get("/dasbor/atur/uji/").content.decode()
    assert 'name="butir_kode" value="uji_lansia"' in page
    post = {"nama": "Dasbor Uji Baru", "deskripsi": "", "urutan": 1, "aktif": "on",
            "butir_kode": ["uji_lansia", "uji_air", "uji_penduduk", "uji_rahasia"],
            "urutan_0": 4, "urutan_1": 1, "urutan_2": 2, "hapus_2": "on", "urutan_3": 3, "utama_3": "on"}
    assert client.post("/dasbor/atur/uji/", post).status_code == 302
    d = Dasbor.objects.get(kode="uji")
    assert d.nama == "Dasbor Uji Baru"
    items = list(d.butir.order_by("urutan").values_list("indikator__kode", "utama"))
    assert items == [("uji_air", False), ("uji_rahasia", True), ("uji_lansia", False)]


def test_break_glass_edits_dashboards_with_an_inline_and_the_admin_role_uses_the_app(data, login):
    from presisi.accounts.services import pengguna_darurat

    url = f"/admin/dashboards/dasbor/{Dasbor.objects.get(kode='uji').pk}/change/"
    # the admin role is no Django staff (issue #11): it configures dashboards in the app (/dasbor/atur/)
    assert login("admin").get(url).status_code == 302
    pengguna_darurat(password="darurat-uji-yang-panjang-91")
    client = login(None)
    masuk(client, get_user_model().objects.get(username="darurat"))
    page = client.get(url)
    assert page.status_code == 200 and "butir-TOTAL_FORMS" in page.content.decode()


def test_standard_yaml_loads_seven_dashboards_and_keeps_analyst_changes(data):
    from presisi.indicators.services import indikator_load

    indikator_load()
    first = dasbor_load()
    assert first.dasbor == 7 and first.indikator > 40
    kode = {"kemiskinan", "layanan-dasar", "infrastruktur", "pariwisata", "lingkungan", "kebencanaan", "kepulauan"}
    assert kode <= set(Dasbor.objects.values_list("kode", flat=True))
    assert Dasbor.objects.get(kode="kepulauan").opsi["kepulauan"]["kecamatan"] == "51.05.01"
    assert Dasbor.objects.get(kode="kemiskinan").butir.filter(utama=True).count() == 3
    dasbor_atur(kode="kemiskinan", pengguna=user("analis"), nama="Kemiskinan (disesuaikan)")
    again = dasbor_load()
    assert again.dipertahankan == ["kemiskinan"]
    assert Dasbor.objects.get(kode="kemiskinan").nama.endswith("(disesuaikan)")
    dasbor_load(reset=True)
    assert Dasbor.objects.get(kode="kemiskinan").nama == "Dasbor Kemiskinan"


def test_missing_indicator_codes_are_skipped_and_reported(data, tmp_path):
    path = tmp_path / "dasbor.yaml"
    path.write_text("dasbor:\n  - kode: coba\n    nama: Coba\n"
                    "    indikator: [uji_air, {kode: belum_ada, utama: true}]\n", encoding="utf-8")
    summary = dasbor_load(path=path)
    assert summary.dilewati == ["belum_ada"] and summary.indikator == 1


def test_command_loads_and_lists(data, tmp_path):
    path = tmp_path / "dasbor.yaml"
    path.write_text("dasbor:\n  - kode: coba\n    nama: Coba\n    indikator: [uji_air]\n", encoding="utf-8")
    out = StringIO()
    call_command("dasbor", "load", "--berkas", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["dasbor"] == 1
    out = StringIO()
    call_command("dasbor", "list", "--json", stdout=out)
    assert "coba" in [d["kode"] for d in json.loads(out.getvalue())["dasbor"]]
