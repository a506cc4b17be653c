"""Fixtures for the update cycle: one user per role (in and out of scope), an open period, and
fakes for the validation and indicator adapters so tests choose the counts they need."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from presisi.accounts.services import pengguna_create
from presisi.updates import adapters
from presisi.updates.models import Pengajuan, Periode

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
    hasil: adapters.HasilValidasi = adapters.HasilValidasi(0, 0, 0)
    panggilan: list[tuple[str, str]] = field(default_factory=list)
    # the validation app's stored summary per desa code; None = app offers none
    rekap: dict[str, adapters.HasilValidasi] | None = None

    def atur(self, galat: int = 0, peringatan: int = 0, tanpa_alasan: int = 0) -> None:
        self.hasil = adapters.HasilValidasi(galat, peringatan, tanpa_alasan)

    def __call__(self, *, desa, periode, pengguna=None) -> adapters.HasilValidasi:
        self.panggilan.append((periode.kode, desa.kode))
        return self.hasil

    def baca_rekap(self, *, periode, user, desa_kode=None):
        return self.rekap


@pytest.fixture(autouse=True)
def validasi(monkeypatch) -> FakeValidasi:
    fake = FakeValidasi()
    monkeypatch.setattr(adapters, "validasi_jalankan", fake)
    monkeypatch.setattr(adapters, "validasi_rekap", fake.baca_rekap)
    return fake


@dataclass
class FakeMesin:
    panggilan: list[tuple] = field(default_factory=list)
    snapshot_tersedia: bool = True

    def bekukan(self, *, periode, desa) -> bool:
        self.panggilan.append(("bekukan", periode.kode, desa.kode))
        return self.snapshot_tersedia

    def cairkan(self, *, periode, desa) -> bool:
        self.panggilan.append(("cairkan", periode.kode, desa.kode))
        return self.snapshot_tersedia

    def hitung(self, *, periode, desa) -> bool:
        self.panggilan.append(("hitung", periode.kode, tuple(d.kode for d in desa)))
        return True


@pytest.fixture(autouse=True)
def mesin(monkeypatch) -> FakeMesin:
    fake = FakeMesin()
    monkeypatch.setattr(adapters, "snapshot_bekukan", fake.bekukan)
    monkeypatch.setattr(adapters, "snapshot_cairkan", fake.cairkan)
    monkeypatch.setattr(adapters, "indikator_hitung_ulang", fake.hitung)
    return fake


@pytest.fixture
def periode(pengguna) -> Periode:
    from presisi.updates.services import periode_buka

    return periode_buka(kode=KODE_PERIODE, tenggat="2027-01-15", pengguna=pengguna["wali"])


def ambil(periode: Periode, kode: str = DESA) -> Pengajuan:
    return Pengajuan.objects.select_related("periode", "desa").get(periode=periode, desa__kode=kode)


def atur_status(periode: Periode, status: str, kode: str = DESA) -> Pengajuan:
    """Put a submission in a state directly (test set-up for the state matrix)."""
    Pengajuan.objects.filter(periode=periode, desa__kode=kode).update(status=status)
    return ambil(periode, kode)
