"""Shared fixtures of the privacy tests: one desa with a family of two, a household and a building,
users of every role (one operator of another desa). All personal data synthetic."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.accounts.services import pengguna_create
from presisi.regions.services import wilayah_load_csv
from presisi.registry.services import (
    anggota_rumah_tangga_set,
    bangunan_create,
    individu_create,
    keluarga_create,
    rumah_tangga_create,
)
from tests.conftest import masuk

DESA, BANJAR = "51.05.01.2001", "51.05.01.2001.001"
DESA_LAIN, BANJAR_LAIN = "51.05.01.2002", "51.05.01.2002.001"
NIK, NIK_ANAK, NIK_LAIN = "5105011203800001", "5105015507100002", "5105010101900003"
KK, KK_LAIN = "5105010203150001", "5105010203150002"


@pytest.fixture
def banjar(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n"
                          f"{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n"
                          f"{BANJAR_LAIN},Banjar Dinas Kelod,banjar,{DESA_LAIN}\n")
    return BANJAR


@pytest.fixture
def users(banjar):
    plan = {"operator": ("operator_desa", DESA), "operator_lain": ("operator_desa", DESA_LAIN),
            "verifikator": ("verifikator_kecamatan", "51.05.01"), "walidata": ("walidata", "51.05"),
            "analis": ("analis", "51.05"), "admin": ("admin", "51.05")}
    return {name: pengguna_create(username=name, password="rahasia-panjang", peran=peran, wilayah_kode=kode)
            for name, (peran, kode) in plan.items()}


def orang(nik: str, nama: str, **extra) -> dict:
    data = {"nik": nik, "nama": nama, "jenis_kelamin": 1, "tanggal_lahir": "1980-03-12", "hubungan_keluarga": 1,
            "agama": 4, "status_kawin": 2, "pekerjaan": 9}
    return {**data, **extra}


@pytest.fixture
def keluarga(banjar):
    kk = keluarga_create(no_kk=KK, banjar_kode=BANJAR, alamat="Jl. Pura Dalem 1")
    kepala = individu_create(keluarga=kk, data=orang(NIK, "I Wayan Sudarma"))
    individu_create(keluarga=kk, data=orang(NIK_ANAK, "Ni Luh Ayu", jenis_kelamin=2, tanggal_lahir="2010-07-15",
                                            hubungan_keluarga=4, status_kawin=1))
    bangunan = bangunan_create(kode="B-2001-001", banjar_kode=BANJAR, lat=-8.53, lng=115.4)
    rt = rumah_tangga_create(kode="RT-2001-001", banjar_kode=BANJAR, bangunan=bangunan)
    anggota_rumah_tangga_set(individu=kepala, rumah_tangga=rt, hubungan_rumah_tangga=1)
    lain = keluarga_create(no_kk=KK_LAIN, banjar_kode=BANJAR_LAIN)
    individu_create(keluarga=lain, data=orang(NIK_LAIN, "I Made Lain", tanggal_lahir="1990-01-01"))
    return kk


@pytest.fixture
def kepala(keluarga):
    from presisi.registry.models import Individu

    return Individu.objects.get(nik=NIK)


def login(client, user):
    masuk(client, user)
    return client


def pdp_rows():
    from presisi.core.models import AuditLog

    return list(AuditLog.objects.filter(aksi__startswith="pdp.").order_by("id"))


def jam_lalu(n: float) -> dt.datetime:
    from django.utils import timezone

    return timezone.now() - dt.timedelta(hours=n)
