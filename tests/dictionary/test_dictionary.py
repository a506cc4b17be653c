"""The standard dictionary: coverage, idempotent and versioned loading, validation of values."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import yaml

from presisi.core.exceptions import ValidationFailed
from presisi.dictionary.models import Klasifikasi, Variabel
from presisi.dictionary.services import STANDARD_DIR, kamus_load
from presisi.dictionary.validation import validate_columns, validate_record

pytestmark = pytest.mark.django_db

SEED_DOMAINS = {"kependudukan", "sosial_ekonomi", "kemiskinan", "pendidikan", "kesehatan", "perumahan",
                "air_sanitasi", "energi", "lingkungan", "kebencanaan", "pariwisata", "layanan_publik",
                "infrastruktur", "ketenagakerjaan", "bangunan"}


def test_standard_dictionary_covers_every_domain_and_unit(kamus):
    assert set(Variabel.objects.values_list("domain", flat=True)) >= SEED_DOMAINS
    units = set(Variabel.objects.values_list("unit", flat=True))
    assert units == {"individu", "keluarga", "rumah_tangga", "bangunan", "desa"}
    assert not Variabel.objects.filter(walidata__isnull=True).exists()
    # every MS-Var text field a steward needs is filled
    for field in ("konsep", "definisi", "referensi_waktu", "kalimat_pertanyaan"):
        assert not Variabel.objects.filter(**{field: ""}).exists(), field
    assert not Variabel.objects.filter(tipe="kode", klasifikasi__isnull=True).exists()


def test_code_lists_carry_the_official_codes(kamus):
    dasar = Klasifikasi.objects.get(kode="status_dasar", aktif=True)
    assert sorted(dasar.item.values_list("kode", flat=True)) == [1, 2, 3, 4, 6, 9]
    shdk = Klasifikasi.objects.get(kode="shdk", aktif=True)
    assert shdk.item.count() == 11
    assert Klasifikasi.objects.get(kode="pekerjaan", aktif=True).item.count() == 89


def test_loading_twice_changes_nothing(kamus):
    before = (Variabel.objects.count(), Klasifikasi.objects.count())
    again = kamus_load()
    assert (again.variabel, Klasifikasi.objects.count()) == before


def test_a_new_code_list_version_keeps_the_old_one(kamus, tmp_path):
    copy = tmp_path / "kamus"
    shutil.copytree(STANDARD_DIR, copy)
    doc = yaml.safe_load((copy / "klasifikasi.yaml").read_text())
    doc["versi"] = "2027.1"
    agama = next(k for k in doc["klasifikasi"] if k["kode"] == "agama")
    agama["item"].append({"kode": 8, "label": "Contoh baru"})
    (copy / "klasifikasi.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    kamus_load(directory=copy)
    versions = dict(Klasifikasi.objects.filter(kode="agama").values_list("versi", "aktif"))
    assert versions == {"2026.1": False, "2027.1": True}
    assert Variabel.objects.get(kode="agama").klasifikasi.versi == "2027.1"
    clean, findings = validate_record("individu", {"agama": 8}, partial=True)
    assert findings == [] and clean == {"agama": 8}


def test_a_broken_dictionary_is_refused_whole(kamus, tmp_path):
    copy = tmp_path / "kamus"
    shutil.copytree(STANDARD_DIR, copy)
    path = copy / "variabel" / "energi.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["variabel"][0]["klasifikasi"] = "tidak_ada"
    doc["variabel"][1]["unit"] = "planet"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    with pytest.raises(ValidationFailed) as err:
        kamus_load(directory=copy)
    assert {f.rule for f in err.value.findings} == {"klasifikasi", "unit"}


def test_validate_record_types_ranges_and_required(kamus):
    clean, findings = validate_record("rumah_tangga", {"luas_lantai": "36.5", "sumber_air_minum": "3"})
    assert clean == {"luas_lantai": 36.5, "sumber_air_minum": 3} and findings == []
    _, findings = validate_record("rumah_tangga", {"luas_lantai": 1, "waktu_ambil_air": 2.5}, partial=True)
    assert {(f.column, f.rule) for f in findings} == {("luas_lantai", "rentang"), ("waktu_ambil_air", "tipe")}
    _, findings = validate_record("individu", {"nama": "Ni Luh"})
    assert {"nik", "tanggal_lahir", "jenis_kelamin"} <= {f.column for f in findings if f.rule == "wajib"}


def test_validate_columns_reports_the_bad_rows(kamus):
    findings = validate_columns("individu", {"agama": np.array([4, 4, 8, np.nan, 0])}, first_row=2)
    assert [(f.row, f.value) for f in findings] == [(4, 8.0), (6, 0.0)]
    findings = validate_columns("rumah_tangga", {"luas_lantai": np.array([3.0, 50.0])})
    assert [f.row for f in findings] == [1]
