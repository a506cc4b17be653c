"""The adapters to the validation and indicator apps: lazy imports, fallbacks, and the real contracts."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import inspect
import logging
import sys
import types

import pytest
from presisi.updates.adapters import (
    TIDAK_TERSEDIA,
    HasilValidasi,
    indikator_hitung_ulang,
    snapshot_bekukan,
    snapshot_cairkan,
    validasi_jalankan,
    validasi_rekap,
)

from presisi.core.exceptions import ValidationFailed
from presisi.regions.models import Wilayah
from presisi.updates import adapters
from tests.updates.conftest import DESA

pytestmark = pytest.mark.django_db


def _ada(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


VALIDASI_ADA = _ada("presisi.validation.services", "validasi_jalankan")


def _keluarga(nik_kepala: str):
    """One family in a banjar of DESA, stored with the ORM so a record may break a rule."""
    from presisi.regions.services import wilayah_load_csv
    from presisi.registry.models import HIDUP, Individu, Keluarga

    banjar_kode = f"{DESA}.001"
    if not Wilayah.objects.filter(kode=banjar_kode).exists():
        wilayah_load_csv(data=f"kode,nama,tingkat,kode_induk\n{banjar_kode},Kaja,banjar,{DESA}\n")
    banjar = Wilayah.objects.get(kode=banjar_kode)
    kel = Keluarga.objects.create(no_kk="5105010303150001", banjar=banjar, desa=banjar.induk, atribut={})
    Individu.objects.create(nik=nik_kepala, nama="I Wayan Sudarma", jenis_kelamin=1,
                            tanggal_lahir=dt.date(1980, 3, 12), hubungan_keluarga=1, status_kawin=2, agama=4,
                            pendidikan=5, pekerjaan=9, status_dasar=HIDUP, nama_ayah="I Made Rai",
                            nama_ibu="Ni Nyoman Sari", keluarga=kel, banjar=banjar, desa=banjar.induk,
                            atribut={})


@pytest.mark.skipif(not VALIDASI_ADA, reason="presisi.validation.services.validasi_jalankan belum ada "
                                             "(ditulis oleh engineer validasi); adapter diuji dengan tiruan")
def test_real_validation_gates_the_submission(periode, pengguna, kamus, monkeypatch):
    from presisi.updates.models import Pengajuan
    from presisi.updates.services import pengajuan_ajukan

    monkeypatch.setattr(adapters, "validasi_jalankan", validasi_jalankan)  # the real adapter, real app
    _keluarga(nik_kepala="123")  # an impossible NIK: an error for any rule set
    desa = Wilayah.objects.get(kode=DESA)
    hasil = validasi_jalankan(desa=desa, periode=periode, pengguna=pengguna["op"])
    assert isinstance(hasil, HasilValidasi) and hasil.tersedia and hasil.galat >= 1
    pengajuan = Pengajuan.objects.get(periode=periode, desa=desa)
    with pytest.raises(ValidationFailed, match="galat"):
        pengajuan_ajukan(pengajuan=pengajuan, pengguna=pengguna["op"])


def test_missing_validation_module_gives_unknown_counts_and_a_warning(periode, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "presisi.validation.services", None)
    with caplog.at_level(logging.WARNING, logger="presisi.updates.adapters"):
        hasil = validasi_jalankan(desa=Wilayah.objects.get(kode=DESA), periode=periode)
    assert hasil == TIDAK_TERSEDIA and not hasil.tersedia and hasil.bersih
    assert "Validasi belum tersedia" in caplog.text


def test_a_broken_import_inside_the_validation_app_is_not_hidden(periode, monkeypatch):
    broken = types.ModuleType("presisi.validation.services")

    def __getattr__(name):
        raise ImportError("No module named 'pustaka_hilang'", name="pustaka_hilang")

    broken.__getattr__ = __getattr__
    monkeypatch.setitem(sys.modules, "presisi.validation.services", broken)
    with pytest.raises(ImportError):
        validasi_jalankan(desa=Wilayah.objects.get(kode=DESA), periode=periode)


@pytest.mark.parametrize("ringkasan", [
    types.SimpleNamespace(errors=1, warnings=3, unjustified_warnings=2),  # names agreed in the issue
    types.SimpleNamespace(error=1, warning=3, warning_belum_dijustifikasi=2),  # the validation app's names
])
def test_validation_counts_are_read_from_the_summary(periode, monkeypatch, ringkasan):
    fake = types.ModuleType("presisi.validation.services")
    fake.validasi_jalankan = lambda *, desa, periode, pengguna=None: ringkasan
    monkeypatch.setitem(sys.modules, "presisi.validation.services", fake)
    hasil = validasi_jalankan(desa=Wilayah.objects.get(kode=DESA), periode=periode)
    assert hasil == HasilValidasi(1, 3, 2) and not hasil.bersih


@pytest.mark.skipif(not _ada("presisi.validation.selectors", "rekap_list"),
                    reason="presisi.validation.selectors.rekap_list belum ada")
def test_real_validation_summary_is_read_in_scope(periode, pengguna):
    assert validasi_rekap(periode=periode, user=pengguna["wali"]) == {}  # nothing validated yet


def test_missing_validation_summary_gives_none(periode, pengguna, monkeypatch):
    monkeypatch.setitem(sys.modules, "presisi.validation.selectors", None)
    assert validasi_rekap(periode=periode, user=pengguna["wali"]) is None


def test_snapshot_and_engine_adapters_pass_the_expected_arguments(periode, monkeypatch):
    calls = []
    snap = types.ModuleType("presisi.indicators.snapshot")
    snap.snapshot_bekukan = lambda *, periode, desa: calls.append(("bekukan", periode.kode, desa.kode))
    snap.snapshot_cairkan = lambda *, periode, desa: calls.append(("cairkan", periode.kode, desa.kode))
    engine = types.ModuleType("presisi.indicators.engine")
    engine.hitung_indikator = lambda *, periode, desa: calls.append(("hitung", periode.kode, desa))
    monkeypatch.setitem(sys.modules, "presisi.indicators.snapshot", snap)
    monkeypatch.setitem(sys.modules, "presisi.indicators.engine", engine)
    desa = Wilayah.objects.get(kode=DESA)
    assert snapshot_bekukan(periode=periode, desa=desa) and snapshot_cairkan(periode=periode, desa=desa)
    assert indikator_hitung_ulang(periode=periode, desa=[desa])
    # the engine takes desa ids
    assert calls == [("bekukan", "2026-S2", DESA), ("cairkan", "2026-S2", DESA),
                     ("hitung", "2026-S2", [desa.pk])]


def test_missing_indicator_engine_is_skipped_with_a_warning(periode, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "presisi.indicators.snapshot", None)
    monkeypatch.setitem(sys.modules, "presisi.indicators.engine", None)
    desa = Wilayah.objects.get(kode=DESA)
    with caplog.at_level(logging.WARNING, logger="presisi.updates.adapters"):
        assert snapshot_bekukan(periode=periode, desa=desa) is False
        assert indikator_hitung_ulang(periode=periode, desa=[desa]) is False
    assert "Snapshot belum tersedia" in caplog.text and "Mesin indikator belum tersedia" in caplog.text


@pytest.mark.skipif(importlib.util.find_spec("presisi.indicators.engine") is None
                    or importlib.util.find_spec("presisi.indicators.snapshot") is None,
                    reason="mesin indikator/snapshot belum ada")
def test_real_indicator_entry_points_accept_the_adapter_arguments():
    from presisi.indicators.engine import hitung_indikator
    from presisi.indicators.snapshot import snapshot_bekukan as bekukan
    from presisi.indicators.snapshot import snapshot_cairkan as cairkan

    for fn in (bekukan, cairkan):
        assert {"periode", "desa"} <= set(inspect.signature(fn).parameters)
    assert {"periode", "desa"} <= set(inspect.signature(hitung_indikator).parameters)
