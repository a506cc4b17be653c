"""Role defects of issue #11: the admin role is scoped and no superuser; the break-glass account is the
only superuser and everything it does is audited; a walidata's sectors decide person-level access;
imports and registry writes only by roles that produce data; the Django admin shows no person."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from presisi.accounts.access import can_see_personal_data, can_write_registry, in_scope
from presisi.accounts.services import (
    AKSI_DARURAT_MASUK,
    AKSI_DARURAT_PERMINTAAN,
    pengguna_create,
    pengguna_darurat,
)
from presisi.core.exceptions import PermissionDenied
from presisi.core.models import AuditLog
from tests.conftest import masuk

pytestmark = pytest.mark.django_db
PASSWORD = "sandi-uji-yang-panjang-91"
OWN_DESA, OTHER_KAB = "51.05.01.2001", "51.06.01.2001"


@pytest.fixture
def users(wilayah_klungkung, kamus):
    from presisi.regions.services import wilayah_load_csv

    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n51,Bali,provinsi,\n51.06,Kabupaten Bangli,kabupaten,51\n"
                          "51.06.01,Susut,kecamatan,51.06\n51.06.01.2001,Apuan,desa,51.06.01\n")
    make = {
        "admin": ("admin", "51.05", []), "op": ("operator_desa", OWN_DESA, []),
        "verif": ("verifikator_kecamatan", "51.05.01", []), "wd": ("walidata", "51.05", ["dinkes"]),
        "wd_dukcapil": ("walidata", "51.05", ["dukcapil"]), "analis": ("analis", "51.05", []),
    }
    return {name: pengguna_create(username=name, password=PASSWORD, peran=peran, wilayah_kode=kode, sektor=sektor)
            for name, (peran, kode, sektor) in make.items()}


def test_admin_role_is_no_superuser_and_is_scoped(users):
    admin = users["admin"]
    assert not admin.is_superuser and not admin.is_staff
    assert in_scope(admin, OWN_DESA) and not in_scope(admin, OTHER_KAB)
    assert can_see_personal_data(admin, OWN_DESA) and not can_see_personal_data(admin, OTHER_KAB)
    assert not can_write_registry(admin, OTHER_KAB)


def test_demo_admin_is_no_superuser(wilayah_klungkung, kamus):
    from presisi.accounts.services import demo_users_create

    demo_users_create()
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert not get_user_model().objects.filter(is_staff=True).exists()


def test_walidata_sees_persons_only_with_the_population_sector(users):
    assert not can_see_personal_data(users["wd"], OWN_DESA)
    assert can_see_personal_data(users["wd_dukcapil"], OWN_DESA)
    assert not can_see_personal_data(users["wd_dukcapil"], OTHER_KAB)


def test_only_data_producers_write_the_registry(users):
    assert can_write_registry(users["op"], OWN_DESA) and can_write_registry(users["admin"], OWN_DESA)
    for name in ("verif", "wd", "wd_dukcapil", "analis"):
        assert not can_write_registry(users[name], OWN_DESA), name


@pytest.mark.parametrize("name", ["verif", "wd_dukcapil", "analis"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_import_refused_for_roles_that_do_not_produce_data(users, name, dry_run):
    from presisi.imports.services import impor_buat
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah

    periode = Periode.objects.create(kode="2027-S1", nama="2027-S1", tanggal_mulai=dt.date(2027, 1, 1),
                                     tanggal_referensi=dt.date(2027, 6, 30))
    with pytest.raises(PermissionDenied):
        impor_buat(berkas=b"nik,nama\n", nama_berkas="desa.csv", desa=Wilayah.objects.get(kode=OWN_DESA),
                   periode=periode, pengguna=users[name], dry_run=dry_run, antrekan=False)


@pytest.mark.parametrize("name", ["verif", "wd_dukcapil"])
def test_import_api_and_page_refuse_before_reading_the_file(users, name, client):
    masuk(client, users[name])
    response = client.post("/api/v1/impor/", {"periode": "2027-S1", "dry_run": "false",
                                              "berkas": io.BytesIO(b"nik,nama\n")})
    assert response.status_code == 403
    assert client.post("/impor/", {"periode": "2027-S1"}).status_code == 403


def test_break_glass_account_is_created_enabled_disabled_and_audited(users):
    out = io.StringIO()
    call_command("pengguna", "darurat", "--password", PASSWORD, "--json", stdout=out)
    assert json.loads(out.getvalue())["darurat"] == {"username": "darurat", "aktif": True, "dibuat": True}
    user = get_user_model().objects.get(username="darurat")
    assert user.is_superuser and user.is_staff and not hasattr(user, "profil")
    client = Client()
    client.post("/akun/login/", {"username": "darurat", "password": PASSWORD})
    assert AuditLog.objects.filter(aksi=AKSI_DARURAT_MASUK).exists()
    client.get("/registri/")
    client.get("/admin/")
    paths = [row.sesudah["path"] for row in AuditLog.objects.filter(aksi=AKSI_DARURAT_PERMINTAAN)]
    assert "/registri/" in paths and "/admin/" in paths
    pengguna_darurat(nonaktif=True)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()


def test_break_glass_never_takes_a_role_account(users):
    from presisi.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        pengguna_darurat(username="admin", password=PASSWORD)
    assert not get_user_model().objects.get(username="admin").is_superuser


def test_role_requests_are_not_logged_as_break_glass(users, client):
    masuk(client, users["admin"])
    client.get("/registri/")
    assert not AuditLog.objects.filter(aksi=AKSI_DARURAT_PERMINTAAN).exists()
    # and the Django admin is not the admin role's: it is sent to the admin sign-in
    assert client.get("/admin/").status_code == 302


def _person(desa_kode: str):
    from presisi.regions.models import Wilayah
    from presisi.registry.models import Individu, Keluarga

    desa = Wilayah.objects.get(kode=desa_kode)
    banjar = Wilayah.objects.filter(induk=desa).first() or desa
    kk = Keluarga.objects.create(no_kk="5105019900000001", desa=desa, banjar=banjar)
    return Individu.objects.create(nik="5105015505900001", nama="Ni Made Uji", jenis_kelamin=2,
                                   tanggal_lahir=dt.date(1990, 5, 15), hubungan_keluarga=1, keluarga=kk,
                                   desa=desa, banjar=banjar)


def test_django_admin_has_no_person_pages_and_shows_no_nik(users):
    from django.contrib import admin

    from presisi.core.audit import audit_log, model_snapshot
    from presisi.registry.models import Individu, Keluarga, Peristiwa
    from presisi.validation.models import Temuan

    for model in (Individu, Keluarga, Peristiwa, Temuan):
        assert model not in admin.site._registry, model
    person = _person(OWN_DESA)
    audit_log(aksi="registry.individu.dibuat", objek=person, sesudah=model_snapshot(person))
    pengguna_darurat(password=PASSWORD)
    client = Client()
    masuk(client, get_user_model().objects.get(username="darurat"))
    assert client.get("/admin/registry/individu/").status_code == 404
    assert client.get(f"/admin/registry/individu/{person.pk}/change/").status_code == 404
    assert client.get("/admin/registry/individu/add/").status_code == 404
    assert client.post("/admin/registry/keluarga/add/", {}).status_code == 404
    assert client.get("/admin/registry/rumahtangga/add/").status_code == 403
    row = AuditLog.objects.filter(aksi="registry.individu.dibuat").get()
    for url in ("/admin/core/auditlog/", f"/admin/core/auditlog/{row.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200
        assert person.nik.encode() not in response.content and person.nama.encode() not in response.content
