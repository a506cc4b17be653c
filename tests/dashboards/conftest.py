"""Hand-made data for the dashboards: the official Klungkung regions, 4 banjar, known people, two periods.

Ages are exact on the S2 reference date (31 Dec 2026); one person turns 65 between S1 and S2, so
trends move. Sakti (51.05.01.2001, the demo operator's desa) has 3 elderly of 18 people: a small cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from presisi.regions.services import wilayah_load_csv
from tests.conftest import masuk

S1, S2 = dt.date(2026, 6, 30), dt.date(2026, 12, 31)
BANJAR = {
    "A1": ("51.05.01.2001.001", "Banjar Dinas Kaja"),
    "A2": ("51.05.01.2001.002", "Banjar Dinas Kelod"),
    "B1": ("51.05.01.2002.001", "Banjar Dinas Kangin"),
    "C1": ("51.05.02.2001.001", "Banjar Dinas Kauh"),
}
_serial = itertools.count(1)


def born(age: int, months: int = 0) -> dt.date:
    """A birth date giving exactly ``age`` years and ``months`` months on the S2 reference date."""
    month, year = S2.month - months, S2.year - age
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def household(banjar: str, members: list[tuple[int, int] | tuple[int, int, int]], **atribut):
    """Members as (age, sex) or (age, months, sex); direct ORM rows (the registry is tested elsewhere)."""
    from presisi.regions.models import Wilayah
    from presisi.registry.models import Individu, Keluarga, RumahTangga

    b = Wilayah.objects.get(kode=BANJAR[banjar][0])
    n = next(_serial)
    rt = RumahTangga.objects.create(kode=f"RTD{n:05d}", banjar=b, desa=b.induk, atribut=atribut)
    kk = Keluarga.objects.create(no_kk=f"5105010101{n:06d}", banjar=b, desa=b.induk)
    for i, m in enumerate(members):
        age, months, sex = (m[0], 0, m[1]) if len(m) == 2 else m
        Individu.objects.create(
            nik=f"5105014{n:03d}{i:02d}0001"[:16], nama=f"Warga {n}-{i}", jenis_kelamin=sex,
            tanggal_lahir=born(age, months), hubungan_keluarga=1 if i == 0 else 4,
            hubungan_rumah_tangga=1 if i == 0 else 2, status_dasar=1, keluarga=kk, rumah_tangga=rt, banjar=b,
            desa=b.induk, atribut={})
    return rt


def _indicator(admin, kode: str, unit: str, pembilang: str, penyebut: str, **extra):
    from presisi.indicators.services import indikator_simpan

    data = {"kode": kode, "nama": extra.pop("nama", kode), "tema": "uji", "unit": unit, "pembilang": pembilang,
            "penyebut": penyebut, "satuan": "persen", "desimal": 1, **extra}
    return indikator_simpan(data=data, pengguna=admin)




def terbitkan(periode, status: str = "dipublikasikan") -> None:
    """Every desa's submission of the period in one state (set-up: the workflow is tested in tests/updates)."""
    from django.utils import timezone

    from presisi.periods.models import KunciDesa
    from presisi.regions.models import Wilayah
    from presisi.updates.models import TINGKAT_KUNCI, Pengajuan

    desa = list(Wilayah.objects.desa_kelurahan())
    Pengajuan.objects.filter(periode=periode).delete()
    Pengajuan.objects.bulk_create([Pengajuan(periode=periode, desa=d, status=status, status_diubah=timezone.now())
                                   for d in desa])
    # the lock record carries the same state (the workflow keeps both in step on every transition)
    KunciDesa.objects.filter(periode=periode).delete()
    KunciDesa.objects.bulk_create([KunciDesa(periode=periode, desa=d, tingkat=TINGKAT_KUNCI[status], status=status,
                                             sejak=timezone.now()) for d in desa])


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction that is rolled back when the module ends;
    each test runs in a savepoint inside it (function-scoped ``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)
    from presisi.dashboards.geo import clear_cache

    clear_cache()


def _build() -> dict:
    """Regions + banjar + people + 4 indicators + 2 computed periods + dashboards + demo users."""
    from django.conf import settings

    from presisi.accounts.services import demo_users_create
    from presisi.dashboards.services import dasbor_atur
    from presisi.dictionary.services import kamus_load
    from presisi.indicators.engine import hitung_indikator
    from presisi.periods.models import Periode

    superuser = get_user_model().objects.create_superuser("super-uji", password="rahasia-panjang-sekali")
    wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    kamus_load()
    rows = "".join(f"{code},{name},banjar,{code.rsplit('.', 1)[0]}\n" for code, name in BANJAR.values())
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows)
    household("A1", [(30, 1), (32, 2), (2, 1), (7, 2)], sumber_air_minum=3)
    household("A1", [(70, 1), (80, 2), (90, 2), (3, 2)], sumber_air_minum=9)
    household("A2", [(20 + i, 1 + i % 2) for i in range(10)], sumber_air_minum=4)
    household("B1", [(66 + i, 1 + i % 2) for i in range(6)] + [(65, 3, 1)], sumber_air_minum=8)
    household("C1", [(40, 1), (41, 2), (42, 1), (43, 2), (67, 2)], sumber_air_minum=3)
    _indicator(superuser, "uji_lansia", "individu", "count(umur >= 65)", "count()", arah="turun",
               nama="Persentase lansia uji")
    _indicator(superuser, "uji_air", "rumah_tangga", "count(air_minum_layak == 1)", "count()", arah="naik",
               nama="Air minum layak uji")
    _indicator(superuser, "uji_penduduk", "individu", "count()", "1", skala=1, desimal=0, satuan="jiwa",
               nama="Penduduk uji")
    _indicator(superuser, "uji_rahasia", "individu", "count(jenis_kelamin == 2)", "count()", akses_publik=False,
               nama="Indikator tertutup uji")
    for kode, ref in (("2026-S1", S1), ("2026-S2", S2)):
        periode = Periode.objects.create(kode=kode, nama=kode, tanggal_mulai=ref - dt.timedelta(days=180),
                                         tanggal_referensi=ref)
        hitung_indikator(periode=periode)
        terbitkan(periode)
    items = [{"kode": "uji_lansia", "urutan": 1, "utama": True}, {"kode": "uji_air", "urutan": 2, "utama": True},
             {"kode": "uji_penduduk", "urutan": 3}, {"kode": "uji_rahasia", "urutan": 4}]
    dasbor_atur(kode="uji", pengguna=superuser, nama="Dasbor Uji", deskripsi="Untuk pengujian", urutan=1,
                indikator=items)
    pulau = dasbor_atur(kode="pulau", pengguna=superuser, nama="Dasbor Pulau", urutan=2, indikator=items[:2])
    pulau.opsi = {"kepulauan": {"kecamatan": "51.05.01", "variabel": "desa_kepulauan"}}
    pulau.save()
    demo_users_create()
    return {"admin": superuser}


@pytest.fixture
def login(client):
    def as_user(username: str | None):
        client.logout()
        if username:
            # the password check as before, then the second factor for the roles that need it
            assert client.login(username=username, password="presisi-demo")
            masuk(client, get_user_model().objects.get(username=username))
        return client

    return as_user
