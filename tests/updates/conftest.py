"""Fixtures for the update cycle: one user per role (in and out of scope), an open period, and
fakes for the validation and indicator services the workflow calls, so tests choose the counts
they need (tests/updates/test_services_real.py runs the real apps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from presisi.accounts.services import pengguna_create
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.updates import selectors, services, tasks
from presisi.updates.models import Pengajuan
from presisi.updates.services import kunci_sinkron
from presisi.updates.workflow import HasilValidasi

KODE_PERIODE = "2026-S2"
DESA = "51.05.01.2001"  # Sakti, Kecamatan Nusa Penida
DESA_TETANGGA = "51.05.01.2002"  # Batumadeg, same kecamatan
DESA_LAIN = "51.05.02.2001"  # Negari, Kecamatan Banjarangkan

PENGGUNA = {
    "op": ("operator_desa", DESA),
    "op_lain": ("operator_desa", DESA_LAIN),
    "ver": ("verifikator_kecamatan", "51.05.01"),
    "ver_lain": ("verifikator_kecamatan", "51.05.02"),
    "wali": ("walidata", "51.05"),
    "admin": ("admin", "51.05"),
    "analis": ("analis", "51.05"),
}


@pytest.fixture
def pengguna(wilayah_klungkung) -> dict:
    return {name: pengguna_create(username=name, password="rahasia-panjang", peran=peran, wilayah_kode=kode)
            for name, (peran, kode) in PENGGUNA.items()}


@dataclass
class FakeValidasi:
    """Stands in for ``presisi.validation.services.validasi_jalankan`` as called by the services."""

    hasil: HasilValidasi = HasilValidasi(0, 0, 0)
    panggilan: list[tuple[str, str]] = field(default_factory=list)
    # the validation app's stored summary per desa code; None = read the real (empty) summary
    rekap: dict[str, HasilValidasi] | None = None

    def atur(self, galat: int = 0, peringatan: int = 0, tanpa_alasan: int = 0) -> None:
        self.hasil = HasilValidasi(galat, peringatan, tanpa_alasan)

    def __call__(self, *, desa, periode, pengguna=None) -> SimpleNamespace:
        self.panggilan.append((periode.kode, desa.kode))
        # the fields of the validation app's RingkasanValidasi that the workflow reads
        return SimpleNamespace(error=self.hasil.galat, warning=self.hasil.peringatan,
                               warning_belum_dijustifikasi=self.hasil.peringatan_tanpa_alasan)


@pytest.fixture(autouse=True)
def validasi(monkeypatch) -> FakeValidasi:
    fake = FakeValidasi()
    asli = selectors.validasi_rekap

    def baca_rekap(*, periode, user, desa_kode=None):
        if fake.rekap is None:
            return asli(periode=periode, user=user, desa_kode=desa_kode)
        return fake.rekap

    monkeypatch.setattr(services, "validasi_jalankan", fake)
    monkeypatch.setattr(selectors, "validasi_rekap", baca_rekap)
    return fake


@dataclass
class FakeMesin:
    """Stands in for the indicator app's snapshot and engine services called by the tasks."""

    panggilan: list[tuple] = field(default_factory=list)

    def bekukan(self, *, periode, desa) -> None:
        self.panggilan.append(("bekukan", periode.kode, desa.kode))

    def cairkan(self, *, periode, desa) -> None:
        self.panggilan.append(("cairkan", periode.kode, desa.kode))

    def hitung(self, *, periode, desa) -> None:
        kode = dict(Wilayah.objects.filter(pk__in=desa).values_list("pk", "kode"))
        self.panggilan.append(("hitung", periode.kode, tuple(kode[pk] for pk in desa)))


@pytest.fixture(autouse=True)
def mesin(monkeypatch) -> FakeMesin:
    fake = FakeMesin()
    monkeypatch.setattr(tasks, "snapshot_bekukan", fake.bekukan)
    monkeypatch.setattr(tasks, "snapshot_cairkan", fake.cairkan)
    monkeypatch.setattr(tasks, "hitung_indikator", fake.hitung)
    return fake


@pytest.fixture
def periode(pengguna) -> Periode:
    from presisi.updates.services import periode_buka

    return periode_buka(kode=KODE_PERIODE, tenggat="2027-01-15", pengguna=pengguna["wali"])


def ambil(periode: Periode, kode: str = DESA) -> Pengajuan:
    return Pengajuan.objects.select_related("periode", "desa").get(periode=periode, desa__kode=kode)


def atur_status(periode: Periode, status: str, kode: str = DESA) -> Pengajuan:
    """Put a submission in a state directly (test set-up for the state matrix), with its lock."""
    Pengajuan.objects.filter(periode=periode, desa__kode=kode).update(status=status)
    pengajuan = ambil(periode, kode)
    kunci_sinkron(pengajuan)
    return pengajuan
