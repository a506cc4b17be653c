"""Fixtures for the synthetic-data tests: regions and dictionary loaded through the real services."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from presisi.regions.codes import DEPTH
from presisi.regions.models import Wilayah
from presisi.synth.allocation import allocate, banjar_counts
from presisi.synth.banjar import plan_banjar
from presisi.synth.calibration import load_kalibrasi
from presisi.synth.regions import RegionFrame
from tests.conftest import REFERENCE_DATA as SHARED

KLUNGKUNG_CSV = SHARED / "wilayah_klungkung.csv"
KLUNGKUNG_GEOJSON = SHARED / "klungkung_desa.geojson"
BALI_CSV = SHARED / "bali" / "bali_wilayah.csv"


@pytest.fixture
def regions(reference_data):
    from presisi.regions.services import wilayah_load_csv

    return wilayah_load_csv(data=reference_data / "wilayah_klungkung.csv")


@pytest.fixture
def dictionary(db):
    from presisi.dictionary.services import kamus_load

    return kamus_load()


@pytest.fixture
def boundaries(regions, reference_data):
    from presisi.regions.services import wilayah_load_boundaries

    return wilayah_load_boundaries(data=reference_data / "klungkung_desa.geojson")


def memory_frame(csv_path: Path = KLUNGKUNG_CSV, *, areas: bool = False, prefix: str = "51.05") -> RegionFrame:
    """A RegionFrame of unsaved regions read straight from the CSV (no database)."""
    with csv_path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kode"] == prefix or r["kode"].startswith(prefix + ".")]
    area = {}
    if areas:
        doc = json.loads(KLUNGKUNG_GEOJSON.read_text(encoding="utf-8"))
        area = {f["properties"]["kode"]: f["properties"]["luas_km2_geodesic"] for f in doc["features"]}
    regions = [Wilayah(kode=r["kode"], nama=r["nama"], tingkat=r["tingkat"], kedalaman=DEPTH[r["tingkat"]],
                       luas_km2=area.get(r["kode"])) for r in rows]
    kab = next(w for w in regions if w.kedalaman == 2)
    frame = RegionFrame(kabupaten=kab, kecamatan=[w for w in regions if w.kedalaman == 3],
                        desa=sorted((w for w in regions if w.kedalaman == 4), key=lambda w: w.kode))
    return frame


def memory_frame_with_banjar(seed: int = 42, **kwargs) -> RegionFrame:
    frame = memory_frame(**kwargs)
    kal = load_kalibrasi(frame.kabupaten.kode)
    alloc = allocate(frame, kal, scale=1.0, seed=seed)
    for b in plan_banjar(frame, banjar_counts(alloc, kal, seed), seed):
        frame.banjar.setdefault(b.kode.rsplit(".", 1)[0], []).append(b)
    return frame


@dataclass
class People:
    """The synthetic people read back from the database as arrays."""

    rows: list[dict]
    atribut: list[dict]
    age_days: np.ndarray
    age: np.ndarray

    def col(self, name: str) -> np.ndarray:
        return np.array([r[name] for r in self.rows])

    def attr(self, name: str, missing: float = np.nan) -> np.ndarray:
        return np.array([a.get(name, missing) for a in self.atribut], dtype=float)


def read_people(ref: dt.date = dt.date(2026, 8, 1)) -> People:
    from presisi.registry.models import Individu

    rows = list(Individu.objects.filter(sintetis=True).order_by("id").values(
        "id", "nik", "nik_sementara", "nama", "jenis_kelamin", "tanggal_lahir", "agama", "status_kawin",
        "hubungan_keluarga", "pendidikan", "pekerjaan", "kewarganegaraan", "status_dasar", "nama_ayah", "nama_ibu",
        "keluarga_id", "keluarga__no_kk", "rumah_tangga_id", "hubungan_rumah_tangga", "atribut", "desa__kode",
        "banjar__kode"))
    days = np.array([(ref - r["tanggal_lahir"]).days for r in rows])
    return People(rows=rows, atribut=[r["atribut"] for r in rows], age_days=days, age=days / 365.2425)


@contextlib.contextmanager
def kabupaten_modul(django_db_blocker, *, seed: int = 42, scale: float = 0.01, indikator: bool = False):
    """A small synthetic regency for a whole test module: regions, dictionary (and the standard
    indicators), generated inside one transaction that is rolled back at the end; yields the summary."""
    from django.db import transaction

    from presisi.dictionary.services import kamus_load
    from presisi.indicators.services import indikator_load
    from presisi.regions.services import wilayah_load_csv
    from presisi.synth.services import synth_generate

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            wilayah_load_csv(data=KLUNGKUNG_CSV)
            kamus_load()
            if indikator:
                indikator_load()
            yield synth_generate(scale=scale, seed=seed)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
