"""Balinese personal names, split into the parts that record linkage compares separately.

A Balinese name is ``[title | I / Ni] [birth-order name] given names`` (see presisi.synth.names).
Agency lists write the same person as ``I Wayan Sudarma``, ``WYN SUDARMA``, ``I Wy. Sudarma`` or
just ``Sudarma``: the birth-order name and the I/Ni prefix say little about who the person is
(a quarter of all Balinese are "Wayan") and are often abbreviated or dropped. So:

- ``gelar``: the caste title, canonical (IB, IA, AA, GUSTI, DEWA, DESAK, COKORDA) or "";
- ``urutan_lahir``: the birth-order name as 1..4 (Wayan/Putu/Gede/Luh = 1, Made/Kadek/Nengah = 2,
  Nyoman/Komang = 3, Ketut = 4) or None;
- ``nama_inti``: the rest, the given names that actually distinguish people;
- ``nama_inti_depan``: its first word (a blocking key).

Only the leading words are read as prefix/title/birth order, and only one birth-order name is
taken: "I Made Gede Suta" is order 2 with core name "GEDE SUTA". Everything is upper case,
punctuation becomes a space (so "I.B." reads as "I B" = Ida Bagus and "A.A." as Anak Agung).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9A-Z ]+")
_SPACES = re.compile(r" +")

# Birth-order names and their abbreviations → canonical order 1..4.
URUTAN: dict[str, int] = {
    "WAYAN": 1, "WYN": 1, "WY": 1, "PUTU": 1, "PT": 1, "GEDE": 1, "GD": 1, "GDE": 1, "ILUH": 1, "LUH": 1,
    "MADE": 2, "MD": 2, "KADEK": 2, "KD": 2, "KDK": 2, "NENGAH": 2, "NGH": 2, "NGAH": 2,
    "NYOMAN": 3, "NYM": 3, "NYN": 3, "KOMANG": 3, "KMG": 3,
    "KETUT": 4, "KT": 4, "KTT": 4,
}
# Canonical spelling of each order, used to rebuild the standard form.
URUTAN_BAKU = {1: "WAYAN", 2: "MADE", 3: "NYOMAN", 4: "KETUT"}
# Words that are only a prefix (sex marker) and carry no identity.
AWALAN = {"I", "NI"}
# "Luh" and "Gede" are a birth-order name on their own but a mere marker before another one
# ("Ni Luh Putu Sari", "I Gede Made Arta").
PENANDA = {"LUH", "GEDE", "GD"}
# Titles (longest first): word sequence → canonical title.
GELAR: list[tuple[tuple[str, ...], str]] = sorted([
    (("IDA", "BAGUS"), "IB"), (("IDA", "BGS"), "IB"), (("IB",), "IB"), (("I", "B"), "IB"),
    (("IDA", "AYU"), "IA"), (("IA",), "IA"), (("I", "A"), "IA"), (("DAYU",), "IA"),
    (("ANAK", "AGUNG"), "AA"), (("AA",), "AA"), (("A", "A"), "AA"),
    (("I", "GUSTI"), "GUSTI"), (("I", "GST"), "GUSTI"), (("GUSTI",), "GUSTI"), (("GST",), "GUSTI"),
    (("I", "DEWA"), "DEWA"), (("I", "DW"), "DEWA"), (("DEWA",), "DEWA"), (("DW",), "DEWA"),
    (("DESAK",), "DESAK"), (("DSK",), "DESAK"),
    (("COKORDA",), "COKORDA"), (("COK",), "COKORDA"), (("TJOKORDA",), "COKORDA"), (("TJOK",), "COKORDA"),
], key=lambda item: -len(item[0]))
GELAR_BAKU = {"IB": "IDA BAGUS", "IA": "IDA AYU", "AA": "ANAK AGUNG", "GUSTI": "GUSTI", "DEWA": "DEWA",
              "DESAK": "DESAK", "COKORDA": "COKORDA"}
# Words that complete a title and are dropped with it ("I Gusti Ngurah", "Anak Agung Istri").
PELENGKAP_GELAR = {"NGURAH", "AYU", "ISTRI", "GEDE", "GD", "GDE"}


# Full birth-order names long enough to be recognised with one typo ("KETTU", "NYMOAN"); the
# short ones (PUTU, MADE, GEDE) are left out: one edit away are real given names (PUTRI, MADI).
_URUTAN_PANJANG = {w: o for w, o in URUTAN.items() if len(w) >= 5}


def _satu_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly 1 (substitution, insertion, deletion, transposition)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=50_000)
def _urutan_kata(word: str) -> int | None:
    if word in URUTAN:
        return URUTAN[word]
    if len(word) >= 4:
        for full, order in _URUTAN_PANJANG.items():
            if _satu_edit(word, full):
                return order
    return None


@dataclass(frozen=True)
class NamaBali:
    normal: str  # the whole name, normalised
    gelar: str
    urutan_lahir: int | None
    nama_inti: str
    nama_inti_depan: str

    @property
    def baku(self) -> str:
        """The standard form: full title, full birth-order name, core name."""
        return " ".join(p for p in (GELAR_BAKU.get(self.gelar, ""),
                                    URUTAN_BAKU.get(self.urutan_lahir or 0, ""), self.nama_inti) if p)


def normalkan(nama: object) -> str:
    """Upper case, accents off, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKD", str(nama or "")).encode("ascii", "ignore").decode("ascii").upper()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def _gelar_di(words: list[str], i: int) -> tuple[str, int]:
    for seq, canon in GELAR:
        if tuple(words[i:i + len(seq)]) == seq and i + len(seq) < len(words):
            return canon, i + len(seq)
    return "", i


def _urai(words: list[str]) -> tuple[str, int | None, list[str]]:
    gelar, urutan, i = "", None, 0
    while i < len(words) - 1 and words[i] in AWALAN and not _gelar_di(words, i)[0]:
        i += 1
    gelar, i = _gelar_di(words, i)
    if gelar:
        # title complements and prefixes in any order ("Gusti I Ngurah …" = "I Gusti Ngurah …"), so that
        # the standard form parses back to the same parts
        while i < len(words) - 1 and (words[i] in PELENGKAP_GELAR or words[i] in AWALAN):
            i += 1
    while i < len(words) - 1 and words[i] in AWALAN:
        i += 1
    # A marker directly before another birth-order name is dropped.
    while i < len(words) - 1 and words[i] in PENANDA and _urutan_kata(words[i + 1]):
        i += 1
    if i < len(words) and (order := _urutan_kata(words[i])):
        urutan = order
        i += 1
    return gelar, urutan, words[i:]


@lru_cache(maxsize=200_000)
def urai_nama(nama: object) -> NamaBali:
    """Split a (Balinese) name into title, birth order and core name; never raises."""
    normal = normalkan(nama)
    gelar, urutan, inti = _urai(normal.split(" ") if normal else [])
    core = " ".join(inti)
    return NamaBali(normal=normal, gelar=gelar, urutan_lahir=urutan, nama_inti=core,
                    nama_inti_depan=inti[0] if inti else "")
