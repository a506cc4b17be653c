"""A hand-made regency for indicator tests: 2 kecamatan, 3 desa, 4 banjar, known people and households."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import Individu, Keluarga, RumahTangga
from presisi.updates.models import Periode

BANJAR = {
    "A1": ("51.05.01.2001.001", "Banjar Dinas Kaja"),
    "A2": ("51.05.01.2001.002", "Banjar Dinas Kelod"),
    "B1": ("51.05.01.2002.001", "Banjar Dinas Kangin"),
    "C1": ("51.05.02.2001.001", "Banjar Dinas Kauh"),
}
REF = dt.date(2026, 12, 31)
_serial = itertools.count(1)


def born(age: int, months: int = 0) -> dt.date:
    """A birth date giving exactly ``age`` years (and ``months``) on the reference date."""
    d = REF.replace(year=REF.year - age)
    month = d.month - months
    year = d.year
    while month < 1:
        month += 12
        year -= 1
    return d.replace(year=year, month=month, day=1)


class Builder:
    """Direct ORM rows: the engine reads what is stored; the registry services are tested elsewhere."""

    def __init__(self):
        from presisi.regions.models import Wilayah

        self.banjar = {k: Wilayah.objects.get(kode=v[0]) for k, v in BANJAR.items()}

    def household(self, banjar: str, members: list[dict], **atribut) -> RumahTangga:
        b = self.banjar[banjar]
        n = next(_serial)
        rt = RumahTangga.objects.create(kode=f"RT{n:05d}", banjar=b, desa=b.induk, atribut=atribut)
        kk = Keluarga.objects.create(no_kk=f"5105010101{n:06d}", banjar=b, desa=b.induk)
        for i, m in enumerate(members):
            m = dict(m)
            Individu.objects.create(
                nik=f"51050101019{n:02d}{i:03d}"[:16].ljust(16, "1"), nama=f"Orang {n}-{i}",
                jenis_kelamin=m.pop("jk", 1), tanggal_lahir=m.pop("lahir"),
                hubungan_keluarga=1 if i == 0 else 4, hubungan_rumah_tangga=1 if i == 0 else 2,
                status_dasar=m.pop("status", 1), keluarga=kk, rumah_tangga=rt, banjar=b, desa=b.induk,
                atribut=m,
            )
        return rt


@pytest.fixture
def regency(wilayah_klungkung, kamus):
    rows = "".join(f"{code},{name},banjar,{code.rsplit('.', 1)[0]}\n" for code, name in BANJAR.values())
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows)
    return Builder()


@pytest.fixture
def periode(db):
    return Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1), tanggal_referensi=REF)
