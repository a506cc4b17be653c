"""The linkage engine: NIK pass, partial date agreement, waterfall weights, outcomes, registry duplicates."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presisi.integration.tautan import mesin
from presisi.integration.tautan.mesin import KOLOM, Pasangan, status_dari, status_semua
from presisi.synth.sektor import penduduk_sintetis


@pytest.fixture(scope="module")
def registri() -> dict[str, list]:
    return penduduk_sintetis(6000, seed=11)


def _orang(reg: dict[str, list], i: int, **ubah) -> dict:
    row = {k: reg[k][i] for k in KOLOM}
    row.update(ubah)
    return row


def _sumber(rows: list[dict]) -> dict[str, list]:
    return {k: [r.get(k) for r in rows] for k in KOLOM}


def _idx(reg: dict[str, list], *, nik: bool = True, start: int = 0) -> list[int]:
    """Registry rows of adults with a real NIK and a name with a core part (stable test subjects)."""
    out = []
    for i in range(start, len(reg["id"])):
        if nik and str(reg["nik"][i]).startswith("0"):
            continue
        if reg["tanggal_lahir"][i].year < 2000 and len(str(reg["nama"][i]).split()) >= 3:
            out.append(i)
    return out


def _per_baris(hasil) -> dict[int, list[Pasangan]]:
    out: dict[int, list[Pasangan]] = {}
    for p in hasil.pasangan:
        out.setdefault(p.id_sumber, []).append(p)
    return out


def test_nik_pass_links_and_explains(registri) -> None:
    i = _idx(registri)[0]
    row = _orang(registri, i, id=1, nama=str(registri["nama"][i]).upper())
    hasil = mesin.tautkan(registri, _sumber([row]))
    best = _per_baris(hasil)[1][0]
    assert (best.id_registri, best.metode) == (registri["id"][i], "nik")
    assert hasil.info["status"][1] == mesin.TERTAUT
    assert (best.bobot[1]["kolom"], best.bobot[1]["tingkat"]) == ("nik", "NIK sama")
    assert hasil.jumlah_sumber == 1 and hasil.jumlah_registri == len(registri["id"])


def test_mistyped_nik_colliding_with_another_person_is_not_auto_linked(registri) -> None:
    a, b = _idx(registri)[:2]
    # Person A's record carries (by a typo) person B's NIK.
    row = _orang(registri, a, id=1, nik=registri["nik"][b])
    hasil = mesin.tautkan(registri, _sumber([row]))
    kandidat = _per_baris(hasil).get(1, [])
    assert all(p.metode != "nik" for p in kandidat)
    linked_to_b = hasil.info["status"].get(1) == mesin.TERTAUT and kandidat[0].id_registri == registri["id"][b]
    assert not linked_to_b
    assert kandidat and kandidat[0].id_registri == registri["id"][a]  # the real person is found on name + birth date


def _tanggal_subjek(reg, *, swap: bool) -> int:
    for i in _idx(reg):
        d = reg["tanggal_lahir"][i]
        if not swap or (d.day <= 12 and d.day != d.month):
            return i
    raise AssertionError("no subject")


@pytest.mark.parametrize(("kind", "label"), [("swap", "tanggal dan bulan tertukar"), ("year", "tahun lahir selisih 1")])
def test_partial_birth_date_agreement(registri, kind: str, label: str) -> None:
    i = _tanggal_subjek(registri, swap=kind == "swap")
    d: dt.date = registri["tanggal_lahir"][i]
    wrong = d.replace(day=d.month, month=d.day) if kind == "swap" else d.replace(year=d.year + 1, day=min(d.day, 28))
    row = _orang(registri, i, id=7, nik="", tanggal_lahir=wrong)
    hasil = mesin.tautkan(registri, _sumber([row]))
    best = _per_baris(hasil)[7][0]
    assert best.id_registri == registri["id"][i] and best.metode == "probabilistik"
    step = next(b for b in best.bobot if b["kolom"] == "tanggal_lahir")
    assert step["tingkat"] == label and step["bobot"] > 0
    exact = next(b for b in _per_baris(mesin.tautkan(registri, _sumber([_orang(registri, i, id=7, nik="")])))[7][0]
                 .bobot if b["kolom"] == "tanggal_lahir")
    assert 0 < step["bobot"] < exact["bobot"]  # partial agreement: evidence, but less than an exact date


def test_waterfall_adds_up_and_rows_are_ranked(registri) -> None:
    rows = [_orang(registri, i, id=n + 1, nik="" if n % 2 else registri["nik"][i])
            for n, i in enumerate(_idx(registri)[:40])]
    hasil = mesin.tautkan(pa.Table.from_pydict(registri), pa.Table.from_pydict(_sumber(rows)),
                          teratas=2, ambang_kandidat=0.0001)
    per_row = _per_baris(hasil)
    assert set(per_row) == {r["id"] for r in rows}
    for kandidat in per_row.values():
        assert len(kandidat) <= 2
        assert [p.bobot_total for p in kandidat] == sorted((p.bobot_total for p in kandidat), reverse=True) or \
            kandidat[0].metode == "nik"
        for p in kandidat:
            assert p.bobot[0]["kolom"] == "prior"
            assert [b["kolom"] for b in p.bobot[1:]] == ["nik", "nama_inti", "urutan_lahir", "gelar", "tanggal_lahir",
                                                       "jenis_kelamin", "kode_desa", "no_kk", "nama_ayah", "nama_ibu"]
            assert sum(b["bobot"] for b in p.bobot) == pytest.approx(p.bobot_total, abs=1e-6)
            assert p.probabilitas == pytest.approx(2 ** p.bobot_total / (1 + 2 ** p.bobot_total))
            assert all(b["tingkat"] for b in p.bobot)
    assert all(s == mesin.TERTAUT for s in hasil.info["status"].values())


def test_empty_inputs() -> None:
    kosong = {k: [] for k in KOLOM}
    hasil = mesin.tautkan(kosong, kosong)
    assert hasil.pasangan == [] and hasil.jumlah_sumber == 0


def _p(row: int, person: int, p: float, w: float, metode: str = "probabilistik") -> Pasangan:
    return Pasangan(id_sumber=row, id_registri=person, probabilitas=p, bobot_total=w, bobot=[], metode=metode)


def test_status_thresholds_and_margin() -> None:
    assert status_dari([]) == mesin.TANPA_PASANGAN
    assert status_dari([_p(1, 1, 0.999, 10)]) == mesin.TERTAUT
    assert status_dari([_p(1, 1, 0.999, 10), _p(1, 2, 0.99, 9)]) == mesin.TINJAU  # not clearly ahead
    assert status_dari([_p(1, 1, 0.999, 10), _p(1, 2, 0.5, 0)]) == mesin.TERTAUT
    assert status_dari([_p(1, 1, mesin.AMBANG_TINJAU, -1)]) == mesin.TINJAU
    assert status_dari([_p(1, 1, mesin.AMBANG_TINJAU / 2, -3)]) == mesin.TANPA_PASANGAN
    assert status_dari([_p(1, 1, 0.2, -2, metode="nik")]) == mesin.TERTAUT


def test_one_to_one_allows_a_person_listed_twice_only() -> None:
    d = dt.date(1980, 5, 4)
    sumber = pa.table({
        "unique_id": pa.array([1, 2, 3], pa.int64()), "nik": ["", "", ""],
        "nama_inti": ["SUDARMA", "SUDARMAA", "MERTA"], "tgl": pa.array([d, d, d], pa.date32()),
        "jk": pa.array([1, 1, 1], pa.int8()),
    })
    pasangan = [_p(1, 50, 0.9999, 15), _p(2, 50, 0.999, 12), _p(3, 50, 0.999, 11)]
    status = status_semua(pasangan, sumber)
    # Rows 1 and 2 are the same record written twice; row 3 is someone else claiming the same person.
    assert status == {1: mesin.TERTAUT, 2: mesin.TERTAUT, 3: mesin.TINJAU}


def test_cari_ganda_finds_temporary_and_real_nik_of_one_person(registri) -> None:
    i = _idx(registri, start=100)[0]
    n = len(registri["id"])
    reg = {k: list(v) for k, v in registri.items()}
    twin = _orang(registri, i, id=n + 1000, nik="0" + str(registri["kode_desa"][i]).replace(".", "") + "00077",
                  nama=str(registri["nama"][i]).upper())
    for k in KOLOM:
        reg[k].append(twin[k])
    found = mesin.cari_ganda(reg)
    pairs = {(p.id_sumber, p.id_registri): p for p in found}
    assert (registri["id"][i], n + 1000) in pairs
    p = pairs[(registri["id"][i], n + 1000)]
    assert p.probabilitas >= 0.5
    assert all(q.id_sumber < q.id_registri for q in found)
    assert sum(b["bobot"] for b in p.bobot) == pytest.approx(p.bobot_total, abs=1e-6)


def test_status_of_a_single_best_pair() -> None:
    assert status_dari(None) == mesin.TANPA_PASANGAN
    assert status_dari(_p(1, 1, 0.999, 10)) == mesin.TERTAUT


def test_siblings_sharing_a_card_are_not_duplicates(registri) -> None:
    i = _idx(registri, start=200)[0]
    n = len(registri["id"])
    reg = {k: list(v) for k, v in registri.items()}
    # A twin: same card, parents, birth date and desa, another name and a real NIK of their own.
    nik = str(registri["nik"][i])
    twin = _orang(registri, i, id=n + 5000, nik=nik[:12] + f"{(int(nik[12:]) + 1) % 10000:04d}",
                  nama="I Made Juliarta" if registri["jenis_kelamin"][i] == 1 else "Ni Made Juliantari")
    for k in KOLOM:
        reg[k].append(twin[k])
    pairs = {(p.id_sumber, p.id_registri): p for p in mesin.cari_ganda(reg)}
    pair = pairs.get((registri["id"][i], n + 5000))
    assert pair is None or pair.probabilitas < 0.5


junk = st.one_of(st.none(), st.text(max_size=20), st.integers(-5, 10**17), st.dates(), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({k: junk for k in KOLOM[1:]}), min_size=1, max_size=6))
def test_no_cell_can_crash_input_preparation(rows) -> None:
    sumber = {"id": list(range(1, len(rows) + 1))} | {k: [r[k] for r in rows] for k in KOLOM[1:]}
    prepared = mesin.siapkan(sumber)
    assert prepared.num_rows == len(rows)
    assert all(n is None or (len(n) == 16 and n[0] != "0") for n in prepared.column("nik").to_pylist())


def test_tiny_registry_and_odd_rows_link_without_error() -> None:
    registri = {"id": [10, 11, 12], "nik": ["5105010101800001", "0510501200100001", ""],
                "no_kk": ["5105010101050001", "", None], "nama": ["I Wayan Sudarma", "Ni Made Sari", ""],
                "jenis_kelamin": [1, 2, None], "tanggal_lahir": [dt.date(1980, 1, 1), dt.date(1990, 5, 6), None],
                "kode_desa": ["51.05.01.2001", "51.05.01.2002", ""], "nama_ayah": ["", None, "x"],
                "nama_ibu": [None, "", ""]}
    sumber = {"id": [1, 2, 3, 4], "nik": ["5105010101800001", None, "12", "0510501200100001"],
              "no_kk": [None, "", "abc", "5105010101050001"], "nama": ["WYN SUDARMA", None, "", "ni md sari"],
              "jenis_kelamin": ["1", 3, None, 2], "tanggal_lahir": [dt.date(1980, 1, 1), None, "kemarin", None],
              "kode_desa": ["51.05.01.2001", None, "", "51.05.01.2002"], "nama_ayah": [None] * 4,
              "nama_ibu": [None] * 4}
    hasil = mesin.tautkan(registri, sumber)
    assert hasil.info["status"][1] == mesin.TERTAUT
    assert set(hasil.info["status"]) <= {1, 2, 3, 4}
    assert 2 not in hasil.info["status"]  # nothing to compare


def test_nik_of_someone_born_the_same_day_with_another_name_is_not_auto_linked(registri) -> None:
    # A serial-digit typo gives the NIK of another real person born the same day in the same
    # kecamatan: equal NIK, birth date, sex — but the name says it is someone else.
    i = _idx(registri, start=300)[0]
    other = "I Komang Budiarta" if registri["jenis_kelamin"][i] == 1 else "Ni Komang Sri Utami"
    row = _orang(registri, i, id=1, nama=other)
    hasil = mesin.tautkan(registri, _sumber([row]))
    assert hasil.info["status"].get(1) != mesin.TERTAUT
    best = _per_baris(hasil)[1][0]
    assert best.metode == "probabilistik"
