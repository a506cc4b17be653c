"""Standard composite indeks_desa_presisi: hand-made data, components and index worked out by hand.

Method (standard/indikator/komposit.yaml): s = (x − min)/(max − min) clipped to 0-1, 1 − s when the component
is "turun"; dimension score = weighted mean of the components that have a value; index = mean of the
dimensions that have one; class = first band whose upper bound ≥ index. Computed at every level from the
component values AT that level (each a ratio of sums), never as a mean of desa indices.

    Sakti (A1)  H1 4 people: M40 JKN, 12 y school, worked, employee · F38 no JKN, 9 y, looking for work ·
                    F17 JKN, at school · M 24 months JKN(PBI), immunised, stunted (HAZ −2.5)
                    safe water, layak toilet, durable 10 m²/person, internet, a business, waste collected,
                    no disaster; MPI c = 3/18 (nutrition)
                H2 2 people: M70 JKN(PBI), 6 y, other activity · F65 3 y, JKN not recorded
                    river water, no toilet, no internet, no business, burns waste, hit by a disaster;
                    a child died + firewood + sanitation + water + no electricity: c = 7/18 → poor
    Negari (C1) H3 3 people: M30 JKN, 16 y, worked, own-account (informal) · F28 JKN, 12 y, worked, employee ·
                    M10 JKN, at school; safe water, layak toilet, durable 10 m²/person, internet, no business,
                    waste collected, no disaster; c = 0
    Desa data: Sakti roads 10 km (2.5 damaged), Destana yes, evacuation route no;
               Batumadeg (nobody registered) 10 km (5 damaged), Destana no, route yes;
               Negari 12 km (3 damaged), Destana no, route yes.
"""

from __future__ import annotations

import pytest
import yaml

from presisi.indicators.services import STANDARD_DIR
from tests.indicators.conftest import (
    A1,
    BANJARANGKAN,
    BATUMADEG,
    C1,
    KABUPATEN,
    KLUMPU,
    NEGARI,
    NUSA_PENIDA,
    SAKTI,
    born,
    child,
    compute_standard,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`
M, F = 1, 2
KODE = "indeks_desa_presisi"

# (component, dimension, min, max, arah) — the goalposts of komposit.yaml, all weights 1
GOALPOSTS = [
    ("cakupan_jkn", "sosial", 0, 100, "naik"),
    ("prevalensi_stunting", "sosial", 0, 30, "turun"),
    ("cakupan_imunisasi_dasar_lengkap", "sosial", 0, 100, "naik"),
    ("aps_16_18", "sosial", 0, 100, "naik"),
    ("rata_rata_lama_sekolah_25", "sosial", 0, 15, "naik"),
    ("persentase_rt_air_minum_layak", "sosial", 0, 100, "naik"),
    ("persentase_rt_sanitasi_layak", "sosial", 0, 100, "naik"),
    ("persentase_rt_rumah_layak_huni", "sosial", 0, 100, "naik"),
    ("persentase_rt_akses_internet", "sosial", 0, 100, "naik"),
    ("persentase_penduduk_miskin_multidimensi", "ekonomi", 0, 25, "turun"),
    ("tingkat_pengangguran_terbuka", "ekonomi", 0, 20, "turun"),
    ("persentase_pekerja_informal", "ekonomi", 0, 100, "turun"),
    ("persentase_rt_punya_usaha", "ekonomi", 0, 50, "naik"),
    ("persentase_jalan_desa_rusak", "ekonomi", 0, 100, "turun"),
    ("persentase_rt_sampah_terkelola", "lingkungan", 0, 100, "naik"),
    ("persentase_rt_terdampak_bencana", "lingkungan", 0, 50, "turun"),
    ("persentase_desa_tangguh_bencana", "lingkungan", 0, 100, "naik"),
    ("persentase_desa_jalur_evakuasi", "lingkungan", 0, 100, "naik"),
]
BANDS = [(0.4907, "Sangat Tertinggal"), (0.5989, "Tertinggal"), (0.7072, "Berkembang"), (0.8155, "Maju"),
         (1.0, "Mandiri")]
COMPONENTS = [g[0] for g in GOALPOSTS]

RT_OK = dict(sumber_air_minum=3, fasilitas_bab=1, jenis_kloset=1, pembuangan_tinja=1, jenis_atap=2, jenis_dinding=1,
             jenis_lantai=2, sumber_penerangan=1, bahan_bakar_memasak=4, punya_televisi=1, punya_telepon_seluler=1,
             punya_akses_internet=1, pengelolaan_sampah=1, pernah_terdampak_bencana=2)


def build(b):
    b.household("A1", [
        {"lahir": born(40), "jaminan_kesehatan": 4, "lama_sekolah": 12, "kegiatan_seminggu": 1, "status_pekerjaan": 4},
        {"lahir": born(38), "jk": F, "jaminan_kesehatan": 1, "lama_sekolah": 9, "kegiatan_seminggu": 3},
        {"lahir": born(17), "jk": F, "jaminan_kesehatan": 4, "partisipasi_sekolah": 2, "kegiatan_seminggu": 7},
        child(M, born(2), haz=-2.5, jaminan_kesehatan=2, imunisasi_dasar_lengkap=1),
    ], **RT_OK, luas_lantai=40.0, usaha_rumah_tangga=2)
    b.household("A1", [
        {"lahir": born(70), "jaminan_kesehatan": 2, "lama_sekolah": 6, "kegiatan_seminggu": 9},
        {"lahir": born(65), "jk": F, "lama_sekolah": 3},
    ], **(RT_OK | dict(sumber_air_minum=9, fasilitas_bab=6, jenis_kloset=5, sumber_penerangan=4,
                       bahan_bakar_memasak=10, punya_akses_internet=2, pengelolaan_sampah=4,
                       pernah_terdampak_bencana=1)),
        luas_lantai=40.0, usaha_rumah_tangga=1, kematian_anak_5_tahun=1)
    b.household("C1", [
        {"lahir": born(30), "jaminan_kesehatan": 5, "lama_sekolah": 16, "kegiatan_seminggu": 1, "status_pekerjaan": 1},
        {"lahir": born(28), "jk": F, "jaminan_kesehatan": 5, "lama_sekolah": 12, "kegiatan_seminggu": 1,
         "status_pekerjaan": 4},
        {"lahir": born(10), "jaminan_kesehatan": 5, "partisipasi_sekolah": 2},
    ], **RT_OK, luas_lantai=30.0, usaha_rumah_tangga=1)
    b.desa(SAKTI, panjang_jalan_desa_km=10.0, panjang_jalan_rusak_km=2.5, desa_tangguh_bencana=1,
           ada_jalur_evakuasi=2)
    b.desa(BATUMADEG, panjang_jalan_desa_km=10.0, panjang_jalan_rusak_km=5.0, desa_tangguh_bencana=2,
           ada_jalur_evakuasi=1)
    b.desa(NEGARI, panjang_jalan_desa_km=12.0, panjang_jalan_rusak_km=3.0, desa_tangguh_bencana=2,
           ada_jalur_evakuasi=1)


# Component values (indicator units) per level, each a ratio of sums counted from the data above.
SAKTI_VALUES = {
    "cakupan_jkn": 100 * 4 / 5,  # M40 F17 M2 M70 of the 5 recorded
    "prevalensi_stunting": 100.0,  # 1 of 1 measured
    "cakupan_imunisasi_dasar_lengkap": 100.0,
    "aps_16_18": 100.0,  # F17
    "rata_rata_lama_sekolah_25": (12 + 9 + 6 + 3) / 4,
    "persentase_rt_air_minum_layak": 50.0, "persentase_rt_sanitasi_layak": 50.0,
    "persentase_rt_rumah_layak_huni": 50.0, "persentase_rt_akses_internet": 50.0,
    "persentase_penduduk_miskin_multidimensi": 100 * 2 / 6,  # H2's 2 of 6
    "tingkat_pengangguran_terbuka": 50.0,  # F38 of M40 F38
    "persentase_pekerja_informal": 0.0,  # M40 is an employee
    "persentase_rt_punya_usaha": 50.0,
    "persentase_jalan_desa_rusak": 100 * 2.5 / 10,
    "persentase_rt_sampah_terkelola": 50.0, "persentase_rt_terdampak_bencana": 50.0,
    "persentase_desa_tangguh_bencana": 100.0, "persentase_desa_jalur_evakuasi": 0.0,
}
NEGARI_VALUES = {
    "cakupan_jkn": 100.0, "prevalensi_stunting": None, "cakupan_imunisasi_dasar_lengkap": None, "aps_16_18": None,
    "rata_rata_lama_sekolah_25": (16 + 12) / 2,
    "persentase_rt_air_minum_layak": 100.0, "persentase_rt_sanitasi_layak": 100.0,
    "persentase_rt_rumah_layak_huni": 100.0, "persentase_rt_akses_internet": 100.0,
    "persentase_penduduk_miskin_multidimensi": 0.0, "tingkat_pengangguran_terbuka": 0.0,
    "persentase_pekerja_informal": 50.0,  # M30 of M30 F28
    "persentase_rt_punya_usaha": 0.0, "persentase_jalan_desa_rusak": 100 * 3 / 12,
    "persentase_rt_sampah_terkelola": 100.0, "persentase_rt_terdampak_bencana": 0.0,
    "persentase_desa_tangguh_bencana": 0.0, "persentase_desa_jalur_evakuasi": 100.0,
}
BATUMADEG_VALUES = {k: None for k in COMPONENTS} | {
    "persentase_jalan_desa_rusak": 50.0, "persentase_desa_tangguh_bencana": 0.0,
    "persentase_desa_jalur_evakuasi": 100.0,
}
VALUES = {
    SAKTI: SAKTI_VALUES,
    BATUMADEG: BATUMADEG_VALUES,
    NEGARI: NEGARI_VALUES,
    # Nusa Penida = Sakti's people + the desa data of Sakti and Batumadeg
    NUSA_PENIDA: SAKTI_VALUES | {
        "persentase_jalan_desa_rusak": 100 * (2.5 + 5) / (10 + 10),
        "persentase_desa_tangguh_bencana": 50.0, "persentase_desa_jalur_evakuasi": 50.0,
    },
    BANJARANGKAN: NEGARI_VALUES,
    KABUPATEN: {
        "cakupan_jkn": 100 * (4 + 3) / (5 + 3),
        "prevalensi_stunting": 100.0, "cakupan_imunisasi_dasar_lengkap": 100.0, "aps_16_18": 100.0,
        "rata_rata_lama_sekolah_25": (30 + 28) / (4 + 2),
        "persentase_rt_air_minum_layak": 100 * 2 / 3, "persentase_rt_sanitasi_layak": 100 * 2 / 3,
        "persentase_rt_rumah_layak_huni": 100 * 2 / 3, "persentase_rt_akses_internet": 100 * 2 / 3,
        "persentase_penduduk_miskin_multidimensi": 100 * 2 / 9,
        "tingkat_pengangguran_terbuka": 100 * 1 / 4,
        "persentase_pekerja_informal": 100 * 1 / 3,
        "persentase_rt_punya_usaha": 100 * 1 / 3,
        "persentase_jalan_desa_rusak": 100 * (2.5 + 5 + 3) / (10 + 10 + 12),
        "persentase_rt_sampah_terkelola": 100 * 2 / 3, "persentase_rt_terdampak_bencana": 100 * 1 / 3,
        "persentase_desa_tangguh_bencana": 100 * 1 / 3, "persentase_desa_jalur_evakuasi": 100 * 2 / 3,
    },
}
# The index, spelled out: (sosial + ekonomi + lingkungan) / 3
SPELLED_OUT = {
    # sosial (0.8 + 0 [stunting 100 ≥ 30] + 1 + 1 + 0.5 + 4 × 0.5) / 9; ekonomi (0 + 0 + 1 + 1 + 0.75) / 5;
    # lingkungan (0.5 + 0 + 1 + 0) / 4
    SAKTI: ((0.8 + 0 + 1 + 1 + 0.5 + 4 * 0.5) / 9 + (0 + 0 + 1 + 1 + 0.75) / 5 + (0.5 + 0 + 1 + 0) / 4) / 3,
    # sosial over the 6 components with a value (1 + 14/15 + 4 × 1) / 6; ekonomi (1 + 1 + 0.5 + 0 + 0.75) / 5;
    # lingkungan (1 + 1 + 0 + 1) / 4
    NEGARI: ((1 + 14 / 15 + 4) / 6 + (1 + 1 + 0.5 + 0 + 0.75) / 5 + (1 + 1 + 0 + 1) / 4) / 3,
    # no sosial component has a value: (ekonomi 0.5 + lingkungan (0 + 1) / 2) / 2
    BATUMADEG: (0.5 + (0 + 1) / 2) / 2,
}
CLASSES = {SAKTI: "Tertinggal", NEGARI: "Maju", BATUMADEG: "Tertinggal", NUSA_PENIDA: "Tertinggal",
           BANJARANGKAN: "Maju", KABUPATEN: "Tertinggal"}
COVERED = [KODE]


def index_by_hand(values: dict[str, float | None]) -> float | None:
    """The method of komposit.yaml, written out for the test (all weights 1)."""
    by_dimension: dict[str, list[float]] = {}
    for kode, dimension, lo, hi, arah in GOALPOSTS:
        x = values[kode]
        if x is None:
            continue
        s = min(1.0, max(0.0, (x - lo) / (hi - lo)))
        by_dimension.setdefault(dimension, []).append(1 - s if arah == "turun" else s)
    if not by_dimension:
        return None
    return sum(sum(s) / len(s) for s in by_dimension.values()) / len(by_dimension)


@pytest.fixture(scope="module")
def facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build, [*COMPONENTS, KODE])


def test_goalposts_are_those_of_the_standard_set():
    doc = yaml.safe_load((STANDARD_DIR / "indikator" / "komposit.yaml").read_text(encoding="utf-8"))
    (ind,) = [i for i in doc["indikator"] if i["kode"] == KODE]
    assert [(c["indikator"], c["dimensi"], c["min"], c["max"], c["arah"]) for c in ind["komponen"]] == GOALPOSTS
    assert {c["bobot"] for c in ind["komponen"]} == {1} and set(ind["dimensi"].values()) == {1}
    assert [(k["batas"], k["label"]) for k in ind["kelas"]] == BANDS


def test_scenario_computed_without_errors(facts):
    assert facts.galat == {}
    assert KODE in facts.codes()


@pytest.mark.parametrize("region", list(VALUES))
def test_component_values(facts, region):
    for kode, expected in VALUES[region].items():
        value = facts.get(kode, region)[2] if facts.has(kode, region) else None
        assert value == (None if expected is None else pytest.approx(expected)), (kode, region)


@pytest.mark.parametrize("region", list(VALUES))
def test_index_and_class_at_desa_kecamatan_and_kabupaten(facts, region):
    expected = index_by_hand(VALUES[region])
    if region in SPELLED_OUT:
        assert expected == pytest.approx(SPELLED_OUT[region])
    num, den, nilai, kelas = facts.get(KODE, region)
    assert (num, den) == (pytest.approx(expected), 1.0)
    assert nilai == pytest.approx(expected)  # skala 1
    assert kelas == CLASSES[region]
    assert kelas == next(label for bound, label in BANDS if expected <= bound)


def test_the_kabupaten_index_comes_from_kabupaten_components(facts):
    kab = facts.get(KODE, KABUPATEN)[2]
    assert kab == pytest.approx(0.53687, abs=1e-5)
    desa = [facts.get(KODE, r)[2] for r in (SAKTI, BATUMADEG, NEGARI)]
    kecamatan = [facts.get(KODE, r)[2] for r in (NUSA_PENIDA, BANJARANGKAN)]
    assert kab != pytest.approx(sum(desa) / 3) and kab != pytest.approx(sum(kecamatan) / 2)


def test_no_index_where_no_component_has_a_value(facts):
    # Klumpu and the desa of Dawan have no data at all: every component is 0/0 there
    assert not facts.has(KODE, KLUMPU)
    assert not facts.has(KODE, "51.05.04.2001") and not facts.has(KODE, "51.05.04")


def test_a_desa_level_index_has_no_banjar_values(facts):
    assert not facts.has(KODE, A1) and not facts.has(KODE, C1)
