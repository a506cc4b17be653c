"""Fixtures for the validation tests: one desa with banjar, an open period, ORM record builders.

Records are created with the ORM directly (not the registry services) so that a test can
store a record that breaks a rule and see the rule find it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from presisi.periods.codes import periode_bounds
from presisi.periods.models import Periode
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import HIDUP, Individu, Keluarga

DESA = "51.05.01.2001"
DESA_LAIN = "51.05.01.2002"
BANJAR = DESA + ".001"
BANJAR_LAIN = DESA_LAIN + ".001"
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def _reference_data(django_db_setup, django_db_blocker):
    """Regions, banjar and the dictionary, loaded once per module through the real services.

    They live in a module-wide transaction that is rolled back at the end; each test runs in
    a savepoint inside it, so tests stay isolated and skip a 1–2 s reload each.
    """
    from django.conf import settings
    from django.db import transaction

    from presisi.dictionary.services import kamus_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
            kamus_load()
            wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n"
                                  f"{BANJAR},Kaja,banjar,{DESA}\n{BANJAR_LAIN},Kelod,banjar,{DESA_LAIN}\n")
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def wilayah(_reference_data, db):
    from presisi.regions.models import Wilayah

    return {w.kode: w for w in Wilayah.objects.filter(kode__in=[DESA, DESA_LAIN, BANJAR, BANJAR_LAIN])}


def make_periode(kode: str, status: str = Periode.DIBUKA) -> Periode:
    mulai, ref = periode_bounds(kode)
    return Periode.objects.create(kode=kode, tanggal_mulai=mulai, tanggal_referensi=ref, status=status)


@pytest.fixture
def periode(db):
    return make_periode("2026-S2")


def nik_for(birth: dt.date, sex: int, kec: str = "510501", serial: int | None = None) -> str:
    day = birth.day + (40 if sex == 2 else 0)
    return f"{kec}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial or next(_serial):04d}"


def keluarga(wilayah, *, banjar: str = BANJAR, no_kk: str | None = None, **attrs) -> Keluarga:
    b = wilayah[banjar]
    return Keluarga.objects.create(no_kk=no_kk or f"51050103031{next(_serial):05d}", banjar=b, desa=b.induk,
                                   atribut=attrs)


def orang(kel: Keluarga, *, shdk: int = 1, sex: int = 1, lahir: str = "1980-03-12", nik: str | None = None,
          nama: str | None = None, atribut: dict | None = None, **fields) -> Individu:
    birth = dt.date.fromisoformat(lahir)
    data = {"nama": nama or f"Orang {next(_serial)}", "status_kawin": 2 if shdk in (1, 2, 3) else 1,
            "agama": 4, "pendidikan": 5, "pekerjaan": 9, "status_dasar": HIDUP, **fields}
    return Individu.objects.create(
        nik=nik or nik_for(birth, sex), jenis_kelamin=sex, tanggal_lahir=birth, hubungan_keluarga=shdk,
        keluarga=kel, banjar_id=kel.banjar_id, desa_id=kel.desa_id, atribut=atribut or {}, **data)


def keluarga_lengkap(wilayah, **kw) -> tuple[Keluarga, list[Individu]]:
    """A plausible family: head, wife, two children — breaks no rule."""
    kel = keluarga(wilayah, **kw)
    people = [
        orang(kel, shdk=1, sex=1, lahir="1980-03-12", nama="I Wayan Sudarma", nama_ayah="I Made Rai",
              nama_ibu="Ni Nyoman Sari"),
        orang(kel, shdk=3, sex=2, lahir="1983-07-01", nama="Ni Made Suartini", nama_ayah="I Ketut Oka",
              nama_ibu="Ni Wayan Rempeg"),
        orang(kel, shdk=4, sex=1, lahir="2008-05-20", nama="I Putu Arya Wiguna", nama_ayah="I Wayan Sudarma",
              nama_ibu="Ni Made Suartini", pendidikan=4, pekerjaan=3, status_kawin=1),
        orang(kel, shdk=4, sex=2, lahir="2012-11-02", nama="Ni Kadek Ayu Lestari", nama_ayah="I Wayan Sudarma",
              nama_ibu="Ni Made Suartini", pendidikan=3, pekerjaan=3, status_kawin=1),
    ]
    return kel, people
