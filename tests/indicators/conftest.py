"""A hand-made regency for indicator tests: 2 kecamatan, 3 desa, 4 banjar, known people and households."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from presisi.periods.models import Periode
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import Individu, Keluarga, RumahTangga

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
                nik=f"5105{n:06d}{i:06d}", nama=f"Orang {n}-{i}",
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


# ---------------------------------------------------------------------------------------------
# Helpers for the standard-indicator tests (tests/indicators/test_standard_*.py).
#
# Each of those modules builds ONE hand-made scenario, computes it once (module scope) and keeps
# the facts as plain Python, so its tests need no database. Expected values are written by hand
# in the modules; the helpers below only look facts up and add the test's own banjar/desa numbers
# up the hierarchy (banjar → desa → kecamatan → kabupaten).
# ---------------------------------------------------------------------------------------------

# A lingkungan of a KELURAHAN (Semarapura Kaja, kecamatan Klungkung): households there are urban
# (perdesaan = 2), which matters for the sanitation rule (a pit counts only in rural desa).
KELURAHAN_BANJAR = {"K1": ("51.05.03.1008.001", "Lingkungan Uji")}

# Short names of the regions of the scenario → codes.
A1, A2, B1, C1, K1 = (*(BANJAR[k][0] for k in ("A1", "A2", "B1", "C1")), KELURAHAN_BANJAR["K1"][0])
SAKTI, BATUMADEG, NEGARI, SEMARAPURA_KAJA = "51.05.01.2001", "51.05.01.2002", "51.05.02.2001", "51.05.03.1008"
KLUMPU = "51.05.01.2003"  # a desa of Nusa Penida without people (only desa data)
NUSA_PENIDA, BANJARANGKAN, KLUNGKUNG_KEC, DAWAN = "51.05.01", "51.05.02", "51.05.03", "51.05.04"
KABUPATEN = "51.05"
# Desa/kelurahan per kecamatan in the shipped region list (presisi/data/wilayah_klungkung.csv):
# a desa-unit count() counts every one of them, with or without data.
DESA_PER_KECAMATAN = {NUSA_PENIDA: 16, BANJARANGKAN: 13, KLUNGKUNG_KEC: 12 + 6, DAWAN: 12}
DESA_IN_KABUPATEN = 59

PERIODE_KODE = "2026-S2"
# Individu variables stored as registry columns, not in ``atribut``.
INDIVIDU_KOLOM = ("status_kawin", "pendidikan", "pekerjaan", "agama")
_standard_serial = itertools.count(1)


class StandardBuilder(Builder):
    """The Builder plus a kelurahan banjar, core columns, collision-free NIKs and desa-level data."""

    def __init__(self):
        from presisi.regions.models import Wilayah

        super().__init__()
        self.banjar.update({k: Wilayah.objects.get(kode=v[0]) for k, v in KELURAHAN_BANJAR.items()})

    def household(self, banjar: str, members: list[dict], **atribut) -> RumahTangga:
        """Like Builder.household; members may also carry ``hubungan`` (1 = head) and core columns."""
        b = self.banjar[banjar]
        n = next(_standard_serial)
        rt = RumahTangga.objects.create(kode=f"SRT{n:06d}", banjar=b, desa=b.induk, atribut=atribut)
        kk = Keluarga.objects.create(no_kk=f"52{n:014d}", banjar=b, desa=b.induk)
        for i, m in enumerate(members):
            m = dict(m)
            head = m.pop("hubungan", 1 if i == 0 else 2) == 1
            kolom = {k: m.pop(k) for k in INDIVIDU_KOLOM if k in m}
            Individu.objects.create(
                nik=f"52{n:08d}{i:06d}", nama=f"Warga {n}-{i}", jenis_kelamin=m.pop("jk", 1),
                tanggal_lahir=m.pop("lahir"), hubungan_keluarga=1 if i == 0 else 4,
                hubungan_rumah_tangga=1 if head else 2, status_dasar=m.pop("status", 1), keluarga=kk,
                rumah_tangga=rt, banjar=b, desa=b.induk, atribut=m, **kolom,
            )
        return rt

    def add_banjar(self, codes: dict[str, str]) -> None:
        """More banjar (key → code ``<desa code>.<serial>``), usable as ``household(key, …)``."""
        from presisi.regions.models import Wilayah

        rows = "".join(f"{code},Banjar {key},banjar,{code.rsplit('.', 1)[0]}\n" for key, code in codes.items())
        wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows)
        self.banjar.update({key: Wilayah.objects.get(kode=code) for key, code in codes.items()})

    def desa(self, kode: str, *, luas_km2: float | None = None, periode: str = PERIODE_KODE, **atribut):
        """The desa's own data for a period (DataDesa.atribut) and, when given, its area."""
        from presisi.regions.models import Wilayah
        from presisi.registry.models import DataDesa

        w = Wilayah.objects.get(kode=kode)
        if luas_km2 is not None:
            Wilayah.objects.filter(pk=w.pk).update(luas_km2=luas_km2)
        return DataDesa.objects.create(desa=w, periode=periode, atribut=atribut)


def load_standard_base() -> StandardBuilder:
    """Regions (the shipped list + the test banjar), the dictionary and the standard indicator set."""
    from django.conf import settings

    from presisi.dictionary.services import kamus_load
    from presisi.indicators.services import indikator_load

    wilayah_load_csv(data=settings.PRESISI_REGION_FILE)
    rows = "".join(f"{code},{name},banjar,{code.rsplit('.', 1)[0]}\n"
                   for code, name in [*BANJAR.values(), *KELURAHAN_BANJAR.values()])
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows)
    kamus_load()
    indikator_load()
    return StandardBuilder()


class StandardFacts:
    """Every fact of one computed scenario, as plain Python (no database needed to read them)."""

    def __init__(self, rows, regions, galat, komposit):
        # (kode, region code, disagregasi) → (pembilang, penyebut, nilai, kelas)
        self.rows: dict[tuple[str, str, str], tuple[float, float, float | None, str]] = rows
        self.regions: dict[str, tuple[int, str | None]] = regions  # code → (kedalaman, parent code)
        self.galat: dict[str, str] = galat
        self.komposit: set[str] = komposit

    def get(self, kode: str, region: str, disagregasi: str = "total"):
        key = (kode, region, disagregasi)
        assert key in self.rows, f"no fact for {key}"
        return self.rows[key]

    def has(self, kode: str, region: str, disagregasi: str = "total") -> bool:
        return (kode, region, disagregasi) in self.rows

    def codes(self) -> set[str]:
        return {k for k, _, _ in self.rows}

    def regions_of(self, kode: str, disagregasi: str = "total") -> set[str]:
        return {r for k, r, d in self.rows if k == kode and d == disagregasi}


def compute_standard(django_db_blocker, build, kode: list[str]) -> StandardFacts:
    """Build a scenario with ``build(StandardBuilder)``, compute ``kode`` for period 2026-S2, read back
    every fact, then roll everything back (module-scoped use: the tests only read the facts)."""
    from django.db import transaction

    from presisi.dictionary.validation import clear_cache
    from presisi.indicators.engine import hitung_indikator
    from presisi.indicators.models import Indikator, NilaiIndikator
    from presisi.regions.models import Wilayah

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                builder = load_standard_base()
                periode = Periode.objects.create(kode=PERIODE_KODE, tanggal_mulai=dt.date(2026, 7, 1),
                                                 tanggal_referensi=REF)
                build(builder)
                result = hitung_indikator(periode=periode, kode=kode)
                rows = {
                    (k, w, d): (n, p, v, c)
                    for k, w, d, n, p, v, c in NilaiIndikator.objects.filter(periode=periode).values_list(
                        "indikator__kode", "wilayah__kode", "disagregasi", "pembilang", "penyebut", "nilai",
                        "kelas")
                }
                regions = {k: (d, p) for k, d, p in Wilayah.objects.values_list("kode", "kedalaman", "induk__kode")}
                komposit = set(Indikator.objects.filter(jenis=Indikator.KOMPOSIT).values_list("kode", flat=True))
                transaction.set_rollback(True)
        finally:
            clear_cache()  # the dictionary cache must not outlive the rolled-back dictionary
    return StandardFacts(rows, regions, dict(result.galat), komposit)


def roll_up(base: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """The test's own sums: hand-made (numerator, denominator) of banjar or desa codes, added to every
    ancestor up to the kabupaten (a code's parent is the code without its last dotted part)."""
    out: dict[str, list[float]] = {}
    for code, (num, den) in base.items():
        parts = code.split(".")
        for depth in range(2, len(parts) + 1):
            cell = out.setdefault(".".join(parts[:depth]), [0.0, 0.0])
            cell[0] += num
            cell[1] += den
    return {code: (num, den) for code, (num, den) in out.items()}


def check_fact(facts: StandardFacts, kode: str, region: str, expected: tuple[float, float], *, skala: float,
               konstanta_penyebut: float = 0.0, disagregasi: str = "total") -> None:
    """Numerator and denominator as expected; value = numerator × skala / (denominator + constant)."""
    num, den, nilai, _ = facts.get(kode, region, disagregasi)
    e_num, e_den = expected
    where = f"{kode} @ {region} [{disagregasi}]"
    assert (num, den) == (pytest.approx(e_num, abs=1e-9), pytest.approx(e_den, abs=1e-9)), where
    if e_den + konstanta_penyebut == 0:
        assert nilai is None, where
    else:
        assert nilai == pytest.approx(e_num * skala / (e_den + konstanta_penyebut), rel=1e-9, abs=1e-9), where


def check_rollups(facts: StandardFacts) -> int:
    """For every ratio indicator, each parent's numerator and denominator equal the sums over its
    children's facts (banjar → desa → kecamatan → kabupaten); returns how many parents were checked."""
    children: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for (kode, region, disagg), (num, den, _, _) in facts.rows.items():
        parent = facts.regions[region][1]
        if kode not in facts.komposit and parent is not None:
            children.setdefault((kode, parent, disagg), []).append((num, den))
    checked = 0
    for (kode, region, disagg), (num, den, _, _) in facts.rows.items():
        if kode in facts.komposit or facts.regions[region][0] == 5:
            continue
        kids = children.get((kode, region, disagg))
        if kids is None:  # a base fact (desa-unit indicator at desa level)
            assert facts.regions[region][0] == 4, f"{kode} @ {region} [{disagg}] has no children"
            continue
        assert num == pytest.approx(sum(k[0] for k in kids), abs=1e-9), (kode, region, disagg)
        assert den == pytest.approx(sum(k[1] for k in kids), abs=1e-9), (kode, region, disagg)
        checked += 1
    return checked


def check_disaggregations(facts: StandardFacts) -> int:
    """Each disaggregation's cells add up to the total (every person has a sex and an age group)."""
    checked = 0
    cells: dict[tuple[str, str, str], list[float]] = {}
    for (kode, region, disagg), (num, den, _, _) in facts.rows.items():
        if disagg != "total":
            cell = cells.setdefault((kode, region, disagg.split(":")[0]), [0.0, 0.0])
            cell[0] += num
            cell[1] += den
    for (kode, region, _name), (num, den) in cells.items():
        total = facts.get(kode, region)
        assert (num, den) == (pytest.approx(total[0], abs=1e-9), pytest.approx(total[1], abs=1e-9)), (kode, region)
        checked += 1
    return checked


def child(sex: int, lahir: dt.date, *, haz: float | None = None, whz: float | None = None,
          waz: float | None = None, measured: dt.date = REF, standing_under_two: bool = False, **extra) -> dict:
    """A member under five with measurements built from WHO z-scores (growth.value_for_z, the LMS
    inverse): ``haz`` fixes the length/height, ``whz`` (with ``haz``) or ``waz`` the weight. Measured
    lying under 731 days and standing from 731 days, unless ``standing_under_two``: then the height
    written is the length − 0.7 cm, which WHO's +0.7 cm correction must undo."""
    from presisi.indicators import growth

    age_days = (measured - lahir).days
    member = {"lahir": lahir, "jk": sex, "tanggal_ukur": measured.isoformat(), **extra}
    under_two = age_days < 731
    if haz is not None:
        lenhei = float(growth.value_for_z("hfa", sex, age_days, haz))
        member["panjang_tinggi_badan"] = lenhei - 0.7 if standing_under_two else lenhei
        member["cara_ukur"] = 2 if standing_under_two or not under_two else 1
        if whz is not None:
            member["berat_badan"] = float(growth.value_for_z("wfl" if under_two else "wfh", sex, lenhei, whz))
    if waz is not None:
        assert whz is None, "weight comes from either whz or waz"
        member["berat_badan"] = float(growth.value_for_z("wfa", sex, age_days, waz))
    z = z_scores(member)
    oedema = extra.get("edema") == 1
    for name, wanted in (("haz", haz), ("whz", whz), ("waz", waz)):
        if wanted is None:
            continue
        if oedema and name != "haz":  # oedematous weight gives no weight-based z-score (WHO)
            assert getattr(z, name) is None, (name, z)
        else:  # the constructed child has exactly the designed z-score
            assert getattr(z, name) == pytest.approx(wanted, abs=0.005), (name, wanted, z)
    return member


def z_scores(member: dict):
    """The member's WHO z-scores at the measurement date (for stating a constructed child's third z)."""
    from presisi.indicators import growth

    measured = dt.date.fromisoformat(member["tanggal_ukur"])
    return growth.zscores(member.get("jk", 1), (measured - member["lahir"]).days, member.get("berat_badan"),
                          member.get("panjang_tinggi_badan"), {1: "L", 2: "H"}.get(member.get("cara_ukur")),
                          member.get("edema") == 1)


def check_desa_unit(facts: StandardFacts, kode: str, expected: dict[str, tuple[float, float]], *, skala: float,
                    konstanta_penyebut: float = 0.0, empty_desa: tuple[float, float] = (0, 0)) -> None:
    """A desa-unit indicator: the expected (numerator, denominator) per region; every other desa/kelurahan
    of the regency has a fact equal to ``empty_desa`` (no data), a kecamatan not listed the sum of its desa
    of that kind; and there is no banjar-level fact."""
    regions = facts.regions_of(kode)
    assert not any(facts.regions[r][0] == 5 for r in regions), f"{kode} has banjar facts"
    assert sum(1 for r in regions if facts.regions[r][0] == 4) == DESA_IN_KABUPATEN, kode
    for region, pair in expected.items():
        check_fact(facts, kode, region, pair, skala=skala, konstanta_penyebut=konstanta_penyebut)
    for region in regions - set(expected):
        depth = facts.regions[region][0]
        n = 1 if depth == 4 else DESA_PER_KECAMATAN[region]
        assert depth in (3, 4), (kode, region)
        check_fact(facts, kode, region, (empty_desa[0] * n, empty_desa[1] * n), skala=skala,
                   konstanta_penyebut=konstanta_penyebut)


def check_every_level(facts, kode: str, base: dict, *, skala: float, konstanta_penyebut: float = 0.0) -> None:
    """Base-level (numerator, denominator) pairs rolled up by hand: facts exist exactly for those
    regions and their ancestors, with the expected numerator, denominator and value at each."""
    expected = roll_up(base)
    assert facts.regions_of(kode) == set(expected)
    for region, pair in expected.items():
        check_fact(facts, kode, region, pair, skala=skala, konstanta_penyebut=konstanta_penyebut)
