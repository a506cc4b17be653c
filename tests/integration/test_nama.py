"""Balinese name parsing: fixed examples and properties (never crashes, idempotent, abbreviations)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from presisi.integration.tautan.nama import URUTAN, URUTAN_BAKU, normalkan, urai_nama


@pytest.mark.parametrize(("nama", "gelar", "urutan", "inti"), [
    ("I Wayan Sudarma", "", 1, "SUDARMA"),
    ("WYN. SUDARMA", "", 1, "SUDARMA"),
    ("i  wy  sudarma", "", 1, "SUDARMA"),
    ("Sudarma", "", None, "SUDARMA"),
    ("Ni Luh Putu Ayu Lestari", "", 1, "AYU LESTARI"),
    ("Ni Luh Sudiani", "", 1, "SUDIANI"),
    ("I Gusti Ayu Made Sariani", "GUSTI", 2, "SARIANI"),
    ("I Gst. Ngurah Kt. Oka", "GUSTI", 4, "OKA"),
    ("Anak Agung Gede Nyoman Rai", "AA", 3, "RAI"),
    ("A.A. Istri Kmg Sukerti", "AA", 3, "SUKERTI"),
    ("Ida Bagus Ketut Oka", "IB", 4, "OKA"),
    ("IB Ktt Oka", "IB", 4, "OKA"),
    ("Ida Ayu Nengah Swandewi", "IA", 2, "SWANDEWI"),
    ("Dewa Gede Made Arta", "DEWA", 2, "ARTA"),
    ("Desak Nyoman Suarni", "DESAK", 3, "SUARNI"),
    ("Cok. Istri Putu Kartini", "COKORDA", 1, "KARTINI"),
    ("I Made Gede Suta", "", 2, "GEDE SUTA"),
    ("I KETTU TISTA", "", 4, "TISTA"),  # one typo in a long birth-order name
    ("Ni Putri Maharani", "", None, "PUTRI MAHARANI"),  # Putri is a name, not a misspelt Putu
    ("Muhammad Ali", "", None, "MUHAMMAD ALI"),
    ("", "", None, ""),
])
def test_urai_nama(nama: str, gelar: str, urutan: int | None, inti: str) -> None:
    parts = urai_nama(nama)
    assert (parts.gelar, parts.urutan_lahir, parts.nama_inti) == (gelar, urutan, inti)
    assert parts.nama_inti_depan == (inti.split(" ")[0] if inti else "")


names = st.text(alphabet=st.sampled_from(list("AaBbIiNnUuWwYyKkTt .,-'") + ["é", "\u00a0", "Ñ"]), max_size=40)
words = st.sampled_from(["I", "Ni", "Luh", "Ida", "Bagus", "Ayu", "Gusti", "Gst", "AA", "Anak", "Agung", "Gede",
                         "Dewa", "Desak", "Cok", "Wayan", "Made", "Kadek", "Nyoman", "Ketut", "Sudarma", "Sari",
                         "Oka", "Putri", "Eka", "Ngurah", "Istri", "Kt", "Md"])


@given(st.one_of(names, st.lists(words, max_size=7).map(" ".join), st.integers(), st.none()))
def test_never_crashes_and_idempotent(nama) -> None:
    parts = urai_nama(nama)
    assert normalkan(parts.normal) == parts.normal
    again = urai_nama(parts.baku)
    assert (again.gelar, again.urutan_lahir, again.nama_inti) == (parts.gelar, parts.urutan_lahir, parts.nama_inti)


SINGKATAN = {"WYN": "WAYAN", "WY": "WAYAN", "PT": "PUTU", "GD": "GEDE", "MD": "MADE", "KD": "KADEK", "NGH": "NENGAH",
             "NYM": "NYOMAN", "NYN": "NYOMAN", "KMG": "KOMANG", "KT": "KETUT", "KTT": "KETUT"}


def test_every_abbreviation_has_its_order() -> None:
    for abbr, full in SINGKATAN.items():
        assert URUTAN[abbr] == URUTAN[full]
    assert set(URUTAN_BAKU) == {1, 2, 3, 4}


@given(st.sampled_from(sorted(SINGKATAN)), st.sampled_from(["I", "Ni", "", "Ida Bagus", "I Gusti"]),
       st.lists(st.sampled_from(["SUDARMA", "AYU LESTARI", "OKA", "MERTA", "DIAN PERTIWI"]), min_size=1,
                max_size=2))
def test_abbreviation_equals_full_form(order_word: str, prefix: str, given_names: list[str]) -> None:
    core = " ".join(given_names)
    short = urai_nama(f"{prefix} {order_word.title()}. {core}")
    full = urai_nama(f"{prefix} {SINGKATAN[order_word]} {core}")
    assert (short.gelar, short.urutan_lahir, short.nama_inti) == (full.gelar, full.urutan_lahir, full.nama_inti)
