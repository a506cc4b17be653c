"""The written synthetic registry, checked in the database at small scale."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pytest

from presisi.dictionary.validation import validate_record
from presisi.regions.models import Wilayah
from presisi.registry.identifiers import kk_findings, nik_findings
from presisi.registry.models import AsetDesa, Bangunan, DataDesa, Individu, Keluarga, RumahTangga
from tests.synth.conftest import kabupaten_modul, read_people

pytestmark = pytest.mark.django_db
CENSUS_2020 = {"51.05.01": 57370, "51.05.02": 44431, "51.05.03": 64235, "51.05.04": 40889}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One run for the whole module, inside a transaction rolled back at the end (each test nests in it)."""
    with kabupaten_modul(django_db_blocker) as summary:
        yield summary


def test_summary_counts_and_dictionary_coverage(generated):
    s = generated
    assert s.individu == Individu.objects.count() and 2100 <= s.individu <= 2220
    assert s.keluarga == Keluarga.objects.count() and s.rumah_tangga == RumahTangga.objects.count()
    assert s.bangunan == Bangunan.objects.count() > s.rumah_tangga
    assert s.data_desa == DataDesa.objects.count() == 59 and AsetDesa.objects.count() == s.aset_desa >= 59 * 5
    assert s.banjar_dibuat == s.banjar == Wilayah.objects.banjar().filter(sintetis=True).count()
    assert s.variabel_tidak_diisi == {} and s.variabel_tanpa_kamus == {}
    assert sum(s.individu_per_kecamatan.values()) == s.individu


def test_kecamatan_shares_of_written_people(generated):
    total = sum(CENSUS_2020.values())
    for code, n in generated.individu_per_kecamatan.items():
        expected = generated.individu * CENSUS_2020[code] / total
        assert abs(n - expected) <= 0.05 * expected + 8  # within one family of the allocation


def test_banjar_codes_and_names(generated):
    for desa in Wilayah.objects.desa_kelurahan():
        banjar = list(Wilayah.objects.filter(induk=desa, tingkat="banjar").order_by("kode"))
        assert 3 <= len(banjar) <= 12
        assert [b.kode for b in banjar] == [f"{desa.kode}.{i:03d}" for i in range(1, len(banjar) + 1)]
        prefix = "Lingkungan " if desa.tingkat == "kelurahan" else "Banjar Dinas "
        assert all(b.nama.startswith(prefix) and b.sintetis for b in banjar)
        assert len({b.nama for b in banjar}) == len(banjar)


def test_every_nik_and_kk_valid_and_unique(generated):
    kecamatan = {k.replace(".", "") for k in Wilayah.objects.kecamatan().values_list("kode", flat=True)}
    people = list(Individu.objects.values_list("nik", "nik_sementara", "jenis_kelamin", "tanggal_lahir"))
    assert len({p[0] for p in people}) == len(people)
    for nik, temporary, sex, birth in people:
        rules = [f.rule for f in nik_findings(nik, jenis_kelamin=sex, tanggal_lahir=birth, kecamatan_dikenal=kecamatan)]
        assert rules == (["nik_sementara"] if temporary else []), nik
    numbers = list(Keluarga.objects.values_list("no_kk", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(kk_findings(k, kode_kabupaten="51.05") == [] for k in numbers)


def test_every_stored_value_fits_the_dictionary(generated):
    for model, unit in ((Individu, "individu"), (Keluarga, "keluarga"), (RumahTangga, "rumah_tangga"),
                        (Bangunan, "bangunan")):
        for atribut in model.objects.values_list("atribut", flat=True):
            assert None not in atribut.values()
            clean, findings = validate_record(unit, atribut, partial=True)
            assert findings == [] and clean == atribut
    for atribut in DataDesa.objects.values_list("atribut", flat=True):
        assert validate_record("desa", atribut)[1] == []
    core = ("jenis_kelamin", "agama", "status_kawin", "hubungan_keluarga", "pendidikan", "pekerjaan",
            "kewarganegaraan", "status_dasar", "hubungan_rumah_tangga")
    for row in Individu.objects.values(*core):
        assert validate_record("individu", row, partial=True)[1] == []


def test_family_structure(generated):
    p = read_people()
    by_kk: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(p.rows):
        by_kk[r["keluarga_id"]].append(i)
    for members in by_kk.values():
        roles = Counter(p.rows[i]["hubungan_keluarga"] for i in members)
        assert roles[1] == 1 and roles[2] + roles[3] <= 1
        head = next(i for i in members if p.rows[i]["hubungan_keluarga"] == 1)
        spouse = next((i for i in members if p.rows[i]["hubungan_keluarga"] in (2, 3)), None)
        if spouse is not None:
            assert p.rows[spouse]["jenis_kelamin"] != p.rows[head]["jenis_kelamin"]
            assert p.rows[spouse]["status_kawin"] == 2 == p.rows[head]["status_kawin"]
        for child in (i for i in members if p.rows[i]["hubungan_keluarga"] == 4):
            for parent in (head, spouse):
                if parent is not None:
                    assert 16 <= p.age[parent] - p.age[child] <= 45
            father = head if p.rows[head]["jenis_kelamin"] == 1 else spouse
            if father is not None:
                assert p.rows[child]["nama_ayah"] == p.rows[father]["nama"]
        for elder in (i for i in members if p.rows[i]["hubungan_keluarga"] == 7):
            assert p.age[elder] - p.age[head] >= 16
    assert all(r["nama_ayah"] and r["nama_ibu"] for r in p.rows)
    assert all(r["status_dasar"] == 1 and r["kewarganegaraan"] == 1 for r in p.rows)


def test_values_are_coherent_with_age_and_sex(generated):
    p = read_people()
    age, sex = p.age, p.col("jenis_kelamin")
    assert not ((p.col("status_kawin") != 1) & (age < 16)).any()
    assert (p.col("pendidikan")[age < 7] == 1).all()
    assert not ((p.col("pendidikan") >= 5) & (age < 17)).any()
    pupils = p.attr("partisipasi_sekolah") == 2
    assert (p.col("pekerjaan")[pupils & (age >= 7)] == 3).all()
    pregnant = ~np.isnan(p.attr("hamil"))
    assert (sex[pregnant] == 2).all() and age[pregnant].min() >= 10 and age[pregnant].max() < 55
    assert not ((p.attr("hamil") == 1) & ((age < 15) | (age >= 50))).any()
    months = p.age_days / 30.4375
    for name in ("berat_badan", "panjang_tinggi_badan", "tanggal_ukur", "edema"):
        assert months[[name in a for a in p.atribut]].max() < 60
    assert months[~np.isnan(p.attr("imunisasi_dasar_lengkap"))].min() >= 12
    for name in ("wg_melihat", "partisipasi_sekolah", "lama_sekolah", "bisa_baca_tulis"):
        assert np.isnan(p.attr(name)[age < 5]).all() and not np.isnan(p.attr(name)[age >= 5]).any()
    assert np.isnan(p.attr("kegiatan_seminggu")[age < 15]).all()
    working = np.isin(p.attr("kegiatan_seminggu"), [1, 2])
    assert (~np.isnan(p.attr("lapangan_usaha")) == working).all()
    kb = p.attr("akseptor_kb")
    assert set(kb[(sex == 1) & ~np.isnan(kb)]) <= {4, 7} and set(kb[(sex == 2) & ~np.isnan(kb)]) <= {1, 2, 3, 5, 6, 99}


def test_households_and_buildings(generated):
    households = list(RumahTangga.objects.select_related("bangunan"))
    assert all(h.bangunan is not None and h.bangunan.atribut["penggunaan_bangunan"] in (1, 2) for h in households)
    assert len({h.bangunan_id for h in households}) == len(households)
    heads = Counter(Individu.objects.filter(hubungan_rumah_tangga=1).values_list("rumah_tangga_id", flat=True))
    assert set(heads.values()) == {1} and len(heads) == len(households)
    uses = Counter(b["penggunaan_bangunan"] for b in Bangunan.objects.values_list("atribut", flat=True))
    assert uses[5] >= 59 * 3 and uses[9] == Wilayah.objects.banjar().count()  # pura and balai banjar
    kelurahan_rt = RumahTangga.objects.filter(desa__tingkat="kelurahan").values_list("atribut", flat=True)
    assert all("penerima_blt_dana_desa" not in a for a in kelurahan_rt)


def test_reference_date_and_kk_dates_are_not_in_the_future(generated):
    today = dt.date.today()
    assert Individu.objects.filter(tanggal_lahir__gt=dt.date(2026, 8, 1)).count() == 0
    for no_kk in Keluarga.objects.values_list("no_kk", flat=True)[:500]:
        day, month, year = int(no_kk[6:8]), int(no_kk[8:10]), 2000 + int(no_kk[10:12])
        assert dt.date(year, month, day) <= today
