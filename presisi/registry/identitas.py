"""Is an incoming record the same person as the one registered under its NIK?

Every way in (import row, batch, API, form) asks the same question before an existing NIK is
accepted: the name must be a plausible variant of the registered one, and birth date and sex
must be equal. Otherwise the NIK belongs to someone else, which is an error naming the
registered person — unless the row declares an identity correction with a reason, which is a
warning and gets its own audit entry (``KOREKSI_IDENTITAS``).

Names are compared after normalising what varies between two writings of one Balinese name:
case, spaces and punctuation, the I/Ni prefix and the birth-order names (Wayan, Gede, Putu, Luh,
Made, Kadek, Nengah, Nyoman, Komang, Ketut), which are often dropped or swapped for a synonym.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from presisi.core.pdp import mask_nik

KOREKSI_IDENTITAS = "registry.individu.koreksi_identitas"
PINDAH_KK = "registry.individu.pindah_kk"
# Two writings of one name score at least this (rapidfuzz token_set_ratio, 0–100, after
# normalisation): "Sudarma" vs "Sudarma Putra" scores 100, "Sudarma"/"Sudharma" 93, while two
# different given names score well under 70 ("Sudarma"/"Sukerta" 57, "Sudarma"/"Suartini" 53).
AMBANG_NAMA = 80
# Column/field names of the declaration (import template, API and form alike).
KOLOM_KOREKSI, KOLOM_ALASAN = "koreksi_identitas", "alasan_koreksi"
YA = {"ya", "y", "1", "true", "benar", "yes"}

_PREFIX = {"i", "ni", "ida", "bagus", "ayu", "dewa", "gusti", "ngurah", "anak", "agung", "sang", "desak", "cokorda"}
_BIRTH_ORDER = {"wayan", "gede", "putu", "luh", "made", "kadek", "nengah", "nyoman", "komang", "ketut"}
_DROP = _PREFIX | _BIRTH_ORDER
_WORD = re.compile(r"[a-z0-9]+")
IDENTITY_FIELDS = ("nama", "tanggal_lahir", "jenis_kelamin")
LABEL = {"nama": "nama", "tanggal_lahir": "tanggal lahir", "jenis_kelamin": "jenis kelamin"}


def nama_inti(nama: Any) -> str:
    """Lowercase ASCII words without the I/Ni prefix, noble titles and birth-order names."""
    text = unicodedata.normalize("NFKD", str(nama or "")).encode("ascii", "ignore").decode().lower()
    words = _WORD.findall(text)
    core = [w for w in words if w not in _DROP]
    return " ".join(core or words)


def nama_mirip(a: Any, b: Any) -> bool:
    """True when two names are plausibly the same person's (see ``AMBANG_NAMA``)."""
    if a == b:  # the common case (a file sent again): no normalising
        return True
    x, y = nama_inti(a), nama_inti(b)
    if x == y:
        return True
    if not x or not y:
        return False
    return fuzz.token_set_ratio(x, y) >= AMBANG_NAMA


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def beda_identitas(terdaftar: dict[str, Any], baru: dict[str, Any]) -> list[str]:
    """The identity fields in which ``baru`` is not the registered person (only fields it carries)."""
    out = []
    nama = baru.get("nama")
    if nama not in (None, "") and nama != terdaftar.get("nama") and not nama_mirip(terdaftar.get("nama"), nama):
        out.append("nama")
    if baru.get("tanggal_lahir") is not None and _date(terdaftar.get("tanggal_lahir")) != _date(baru["tanggal_lahir"]):
        out.append("tanggal_lahir")
    if baru.get("jenis_kelamin") is not None and terdaftar.get("jenis_kelamin") != baru.get("jenis_kelamin"):
        out.append("jenis_kelamin")
    return out


def koreksi_dinyatakan(value: Any) -> bool:
    """The row/field declares an identity correction: ya, 1, true…"""
    if isinstance(value, bool):
        return value
    return str(value if value is not None else "").strip().lower() in YA


@dataclass(frozen=True)
class Terdaftar:
    """The registered holder of a NIK, as findings name them (masked numbers)."""

    nik: str
    nama: str
    no_kk: str
    desa: str

    def __str__(self) -> str:
        return f"NIK {mask_nik(self.nik)} terdaftar a.n. {self.nama}, KK {mask_nik(self.no_kk)}, {self.desa}"


def pesan_orang_lain(terdaftar: Terdaftar, beda: list[str]) -> str:
    fields = ", ".join(LABEL[f] for f in beda)
    return (f"NIK ini milik orang lain: {terdaftar} ({fields} berbeda). Periksa NIK-nya; bila memang orang yang "
            f"sama dan data terdaftar salah, isi {KOLOM_KOREKSI} = ya dan {KOLOM_ALASAN}")


def pesan_koreksi(terdaftar: Terdaftar, beda: list[str], alasan: str) -> str:
    fields = ", ".join(LABEL[f] for f in beda)
    return f"koreksi identitas ({fields}) atas {terdaftar}; alasan: {alasan}"
