"""Derived variables of the analytics layer, written as portable SQL over extracted columns.

Each expression reads columns of the same row (alias-free names) and may use ``{param}``
placeholders for dated parameters. Flags use the ``ya_tidak`` codes (1 = ya, 2 = tidak).
"""

from __future__ import annotations

from dataclasses import dataclass

YA_TIDAK = frozenset({1, 2})


@dataclass(frozen=True)
class Derived:
    name: str
    unit: str
    tipe: str  # kode | bilangan | desimal
    label: str
    codes: frozenset[int] = frozenset()


def _flag(cond: str, applies: str | None = None) -> str:
    if applies:
        return f"CASE WHEN NOT ({applies}) THEN NULL WHEN {cond} THEN 1 ELSE 2 END"
    return f"CASE WHEN {cond} THEN 1 ELSE 2 END"


WG = ("wg_melihat", "wg_mendengar", "wg_berjalan", "wg_mengingat", "wg_mengurus_diri", "wg_berkomunikasi")

# Individu: computed in the outer SELECT over the extracted row (umur is already there).
INDIVIDU_DERIVED: dict[str, tuple[Derived, str]] = {
    "kelompok_umur": (Derived("kelompok_umur", "individu", "kode", "Kelompok umur", frozenset(range(1, 7))),
                      "CASE WHEN umur < 5 THEN 1 WHEN umur < 15 THEN 2 WHEN umur < 25 THEN 3 WHEN umur < 45 THEN 4 "
                      "WHEN umur < 65 THEN 5 ELSE 6 END"),
    "disabilitas": (Derived("disabilitas", "individu", "kode", "Penyandang disabilitas (Washington Group)", YA_TIDAK),
                    "CASE WHEN umur < 5 THEN NULL WHEN " + " OR ".join(f"{w} IN (3, 4)" for w in WG)
                    + " THEN 1 WHEN COALESCE(" + ", ".join(WG) + ") IS NOT NULL THEN 2 END"),
    "angkatan_kerja": (Derived("angkatan_kerja", "individu", "kode", "Angkatan kerja", YA_TIDAK),
                       "CASE WHEN umur < 15 OR kegiatan_seminggu IS NULL THEN NULL "
                       "WHEN kegiatan_seminggu BETWEEN 1 AND 6 THEN 1 ELSE 2 END"),
    "pengangguran": (Derived("pengangguran", "individu", "kode", "Pengangguran terbuka", YA_TIDAK),
                     "CASE WHEN umur < 15 OR kegiatan_seminggu IS NULL THEN NULL "
                     "WHEN kegiatan_seminggu BETWEEN 3 AND 6 THEN 1 ELSE 2 END"),
}
# Filled by the engine (ages at the reference date; z-scores from the WHO module).
INDIVIDU_COMPUTED = [
    Derived("umur", "individu", "bilangan", "Umur (tahun)"),
    Derived("umur_bulan", "individu", "bilangan", "Umur (bulan)"),
    Derived("umur_hari", "individu", "bilangan", "Umur (hari)"),
    Derived("lahir_12_bulan", "individu", "kode", "Lahir dalam 12 bulan terakhir", YA_TIDAK),
    Derived("haz", "individu", "desimal", "Z-skor TB/U (WHO)"),
    Derived("waz", "individu", "desimal", "Z-skor BB/U (WHO)"),
    Derived("whz", "individu", "desimal", "Z-skor BB/TB (WHO)"),
]

# Member aggregates joined onto each household (from the period's individu rows).
RT_MEMBER_AGGREGATES = {
    "jumlah_anggota": "COUNT(*)",
    "jumlah_balita": "SUM(CASE WHEN umur < 5 THEN 1 ELSE 0 END)",
    "jumlah_lansia": "SUM(CASE WHEN umur >= 60 THEN 1 ELSE 0 END)",
    "jumlah_disabilitas": "SUM(CASE WHEN disabilitas = 1 THEN 1 ELSE 0 END)",
    "kepala_jenis_kelamin": "MAX(CASE WHEN hubungan_rumah_tangga = 1 THEN jenis_kelamin END)",
    "kepala_umur": "MAX(CASE WHEN hubungan_rumah_tangga = 1 THEN umur END)",
    "kepala_pendidikan": "MAX(CASE WHEN hubungan_rumah_tangga = 1 THEN pendidikan END)",
    "kepala_lapangan_usaha": "MAX(CASE WHEN hubungan_rumah_tangga = 1 THEN lapangan_usaha END)",
    "kepala_pekerjaan": "MAX(CASE WHEN hubungan_rumah_tangga = 1 THEN pekerjaan END)",
    "kepala_pendapatan": "MAX(CASE WHEN hubungan_rumah_tangga = 1 THEN pendapatan_sebulan END)",
    # Alkire–Foster member-based deprivations (indicators.md §1.4)
    "_gizi_kurang": "MAX(CASE WHEN umur_bulan < 60 AND (haz < -2 OR whz < -2) THEN 1 ELSE 0 END)",
    "_sekolah_6_tahun": "MAX(CASE WHEN umur >= 10 AND lama_sekolah >= 6 THEN 1 ELSE 0 END)",
    "_ada_10_plus_terdata": "MAX(CASE WHEN umur >= 10 AND lama_sekolah IS NOT NULL THEN 1 ELSE 0 END)",
    "_anak_tidak_sekolah": "MAX(CASE WHEN umur BETWEEN 7 AND 15 AND partisipasi_sekolah IN (1, 3) THEN 1 ELSE 0 END)",
}

_AIR_LAYAK = "(3, 4, 5, 7, 10)"
AIR_MINUM_LAYAK = (f"(sumber_air_minum IN {_AIR_LAYAK} OR (sumber_air_minum IN (1, 2) "
                   f"AND sumber_air_mandi IN {_AIR_LAYAK}))")
# Rural desa may count a pit (lubang tanah) as proper disposal (indicators.md §4).
SANITASI_LAYAK = ("(jenis_kloset = 1 AND fasilitas_bab IN (1, 2, 3) AND (pembuangan_tinja IN (1, 2) "
                  "OR (pembuangan_tinja = 4 AND perdesaan = 1)))")
BANGUNAN_TAHAN = ("(jenis_atap IN (1, 2, 3, 5) AND jenis_dinding IN (1, 2, 3, 5) "
                  "AND jenis_lantai IN (1, 2, 3, 4, 5, 6))")
LUAS_PER_KAPITA = "(1.0 * luas_lantai / NULLIF(jumlah_anggota, 0))"
ASET = ("punya_radio", "punya_televisi", "punya_telepon_seluler", "punya_komputer", "punya_sepeda",
        "punya_sepeda_motor", "punya_kulkas")

KRITERIA_14 = [
    f"{LUAS_PER_KAPITA} < 8",
    "jenis_lantai IN (7, 8)",
    "jenis_dinding IN (4, 5, 6)",
    "fasilitas_bab IN (2, 3, 4, 5, 6)",
    "sumber_penerangan = 4",
    "sumber_air_minum IN (6, 8, 9, 10)",  # BPS criterion 6 includes rain water
    "bahan_bakar_memasak IN (7, 9, 10)",
    "konsumsi_daging_susu_seminggu <= 1",
    "beli_pakaian_setahun <= 1",
    "frekuensi_makan_sehari <= 2",
    "mampu_berobat = 2",
    "(kepala_pekerjaan IN (19, 20, 21, 22) OR kepala_pendapatan < 600000 "
    "OR (kepala_lapangan_usaha = 1 AND luas_lahan_dikuasai < 500))",
    "kepala_pendidikan IN (1, 2, 3)",
    "(tabungan_500rb = 2 AND punya_sepeda_motor = 2 AND punya_mobil = 2)",
]

_MPI_TERMS = [
    ("1.0 / 6", "_gizi_kurang = 1"),
    ("1.0 / 6", "kematian_anak_5_tahun = 1"),
    ("1.0 / 6", "(_ada_10_plus_terdata = 1 AND _sekolah_6_tahun = 0)"),
    ("1.0 / 6", "_anak_tidak_sekolah = 1"),
    ("1.0 / 18", "bahan_bakar_memasak IN (8, 9, 10)"),
    ("1.0 / 18", f"NOT {SANITASI_LAYAK}"),
    ("1.0 / 18", f"(NOT {AIR_MINUM_LAYAK} OR waktu_ambil_air >= 30)"),
    ("1.0 / 18", "sumber_penerangan = 4"),
    ("1.0 / 18", f"(NOT {BANGUNAN_TAHAN} OR {LUAS_PER_KAPITA} < {{luas_lantai_layak}})"),
    # assets: deprived only when the assets were recorded (missing data is not deprivation)
    ("1.0 / 18", "(COALESCE(" + ", ".join(ASET) + ", punya_mobil) IS NOT NULL AND (("
     + " + ".join(f"CASE WHEN {a} = 1 THEN 1 ELSE 0 END" for a in ASET)
     + ") <= 1 AND COALESCE(punya_mobil, 2) = 2))"),
]
# The 14 criteria can be assessed when at least the housing block was recorded.
KRITERIA_DAPAT_DINILAI = ("COALESCE(jenis_lantai, jenis_dinding, fasilitas_bab, sumber_penerangan, sumber_air_minum, "
                          "bahan_bakar_memasak) IS NOT NULL")
MPI_SKOR = "(" + " + ".join(f"CASE WHEN {cond} THEN {w} ELSE 0 END" for w, cond in _MPI_TERMS) + ")"

# Household composites, computed over the extracted row + member aggregates.
RT_DERIVED: dict[str, tuple[Derived, str]] = {
    "luas_lantai_per_kapita": (Derived("luas_lantai_per_kapita", "rumah_tangga", "desimal", "Luas lantai per kapita"),
                               LUAS_PER_KAPITA),
    "air_minum_layak": (Derived("air_minum_layak", "rumah_tangga", "kode", "Air minum layak", YA_TIDAK),
                        _flag(AIR_MINUM_LAYAK, "sumber_air_minum IS NOT NULL")),
    "sanitasi_layak": (Derived("sanitasi_layak", "rumah_tangga", "kode", "Sanitasi layak", YA_TIDAK),
                       _flag(SANITASI_LAYAK, "fasilitas_bab IS NOT NULL")),
    "listrik": (Derived("listrik", "rumah_tangga", "kode", "Penerangan listrik", YA_TIDAK),
                _flag("sumber_penerangan IN (1, 2, 3)", "sumber_penerangan IS NOT NULL")),
    "bahan_bakar_bersih": (Derived("bahan_bakar_bersih", "rumah_tangga", "kode", "Bahan bakar memasak bersih",
                                   YA_TIDAK),
                           _flag("bahan_bakar_memasak IN (1, 2, 3, 4, 5, 6)",
                                 "bahan_bakar_memasak IS NOT NULL AND bahan_bakar_memasak <> 12")),
    "rumah_layak_huni": (Derived("rumah_layak_huni", "rumah_tangga", "kode", "Rumah layak huni", YA_TIDAK),
                         _flag(f"{BANGUNAN_TAHAN} AND {LUAS_PER_KAPITA} >= {{luas_lantai_layak}} "
                               f"AND {AIR_MINUM_LAYAK} AND {SANITASI_LAYAK}",
                               # decent housing needs every one of its four criteria recorded
                               "jenis_atap IS NOT NULL AND jenis_dinding IS NOT NULL AND jenis_lantai IS NOT NULL "
                               "AND luas_lantai IS NOT NULL AND sumber_air_minum IS NOT NULL "
                               "AND fasilitas_bab IS NOT NULL")),
    "jumlah_kriteria_miskin": (Derived("jumlah_kriteria_miskin", "rumah_tangga", "bilangan",
                                       "Jumlah kriteria miskin BPS yang dipenuhi (0–14)"),
                               "(" + " + ".join(f"CASE WHEN {c} THEN 1 ELSE 0 END" for c in KRITERIA_14) + ")"),
    "miskin_moneter": (Derived("miskin_moneter", "rumah_tangga", "kode", "Pengeluaran per kapita di bawah garis "
                                                                         "kemiskinan", YA_TIDAK),
                       _flag("pengeluaran_per_kapita < {garis_kemiskinan}", "pengeluaran_per_kapita IS NOT NULL")),
    "mpi_skor": (Derived("mpi_skor", "rumah_tangga", "desimal", "Skor deprivasi IKM (Alkire–Foster)"),
                 f"CASE WHEN jumlah_anggota > 0 THEN {MPI_SKOR} END"),
}
# Second pass: flags over the composites above.
RT_DERIVED_2: dict[str, tuple[Derived, str]] = {
    "miskin_14_kriteria": (Derived("miskin_14_kriteria", "rumah_tangga", "kode", "Memenuhi ≥ 9 dari 14 kriteria",
                                   YA_TIDAK),
                           _flag("jumlah_kriteria_miskin >= 9", KRITERIA_DAPAT_DINILAI)),
    "mpi_miskin": (Derived("mpi_miskin", "rumah_tangga", "kode", "Miskin multidimensi (c ≥ 1/3)", YA_TIDAK),
                   _flag("mpi_skor >= 1.0 / 3 - 0.000001", "mpi_skor IS NOT NULL")),
    "mpi_rentan": (Derived("mpi_rentan", "rumah_tangga", "kode", "Rentan miskin multidimensi (0,2 ≤ c < 1/3)",
                           YA_TIDAK), _flag("mpi_skor >= 0.2 AND mpi_skor < 1.0 / 3 - 0.000001",
                                            "mpi_skor IS NOT NULL")),
}
# Member aggregates as variables; kepala_* take the code list of the member variable they copy.
RT_COMPUTED = [
    Derived("jumlah_anggota", "rumah_tangga", "bilangan", "Jumlah anggota rumah tangga"),
    Derived("jumlah_balita", "rumah_tangga", "bilangan", "Jumlah balita"),
    Derived("jumlah_lansia", "rumah_tangga", "bilangan", "Jumlah lansia (60+)"),
    Derived("jumlah_disabilitas", "rumah_tangga", "bilangan", "Jumlah anggota penyandang disabilitas"),
    Derived("kepala_jenis_kelamin", "rumah_tangga", "kode", "Jenis kelamin kepala rumah tangga"),
    Derived("kepala_umur", "rumah_tangga", "bilangan", "Umur kepala rumah tangga"),
    Derived("kepala_pendidikan", "rumah_tangga", "kode", "Pendidikan kepala rumah tangga"),
    Derived("kepala_lapangan_usaha", "rumah_tangga", "kode", "Lapangan usaha kepala rumah tangga"),
    Derived("kepala_pekerjaan", "rumah_tangga", "kode", "Pekerjaan kepala rumah tangga"),
    Derived("kepala_pendapatan", "rumah_tangga", "bilangan", "Pendapatan sebulan kepala rumah tangga"),
]
# Which member variable's code list a kepala_* column carries.
KEPALA_SOURCE = {"kepala_jenis_kelamin": "jenis_kelamin", "kepala_pendidikan": "pendidikan",
                 "kepala_lapangan_usaha": "lapangan_usaha", "kepala_pekerjaan": "pekerjaan"}

KELUARGA_MEMBER_AGGREGATES = {
    "jumlah_anggota": "COUNT(*)",
    "kepala_jenis_kelamin": "MAX(CASE WHEN hubungan_keluarga = 1 THEN jenis_kelamin END)",
}
KELUARGA_COMPUTED = [Derived("jumlah_anggota", "keluarga", "bilangan", "Jumlah anggota keluarga"),
                     Derived("kepala_jenis_kelamin", "keluarga", "kode", "Jenis kelamin kepala keluarga",
                             frozenset({1, 2}))]
BANGUNAN_COMPUTED = [Derived("jumlah_rumah_tangga", "bangunan", "bilangan", "Jumlah rumah tangga penghuni")]
DESA_COMPUTED = [Derived("luas_km2", "desa", "desimal", "Luas wilayah (km²)"),
                 Derived("jumlah_penduduk", "desa", "bilangan", "Jumlah penduduk"),
                 Derived("jumlah_rumah_tangga", "desa", "bilangan", "Jumlah rumah tangga"),
                 Derived("jumlah_keluarga", "desa", "bilangan", "Jumlah keluarga")]


def all_derived() -> list[Derived]:
    """Every derived variable, for the catalogue the expression checker uses."""
    out = [d for d, _ in INDIVIDU_DERIVED.values()] + INDIVIDU_COMPUTED
    out += [d for d, _ in RT_DERIVED.values()] + [d for d, _ in RT_DERIVED_2.values()] + RT_COMPUTED
    out += KELUARGA_COMPUTED + BANGUNAN_COMPUTED + DESA_COMPUTED
    return out
