"""Validation findings as a person reads them, in the active language.

A finding stores its message as Indonesian text, formatted from its rule's template (aturan_bawaan.yaml).
Pages show the rule by its name (never its code, e.g. ``kepala_keluarga_tunggal``) and the message through
its template: the English of each built-in rule's name and message template is in this app's catalogue
(``presisi.core.pesan``). A steward's condition rule is shown with the name and message the steward wrote.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.translation import gettext, gettext_noop

from presisi.core.pesan import Pola, daftar_pola, terjemahkan
from presisi.validation.engine import bawaan_catalogue

# Messages of the dictionary checks (presisi/dictionary/validation.py, validation/rules/kamus.py) and of
# the NIK/No. KK rules (presisi/registry/identifiers.py), which fill the built-in rules' {pesan_kamus}.
POLA_KAMUS_NIK = (
    gettext_noop("kode tidak ada dalam klasifikasi {nama} ({daftar})"),
    gettext_noop("{nama} minimal {nilai}"),
    gettext_noop("{nama} maksimal {nilai}"),
    gettext_noop("{nama} wajib diisi"),
    gettext_noop("nilai tidak sah untuk {nama}"),
    gettext_noop("variabel tidak ada dalam kamus data untuk unit {unit}"),
    gettext_noop("harus tanggal dengan format TTTT-BB-HH"),
    gettext_noop("NIK harus 16 digit angka"),
    gettext_noop("No. KK harus 16 digit angka"),
    gettext_noop("nomor sementara (belum ber-NIK); perlu dipadankan dengan NIK asli"),
    gettext_noop("bagian tanggal lahir NIK (digit 7–12) bukan tanggal yang sah"),
    gettext_noop("bagian tanggal lahir NIK (digit 7–8) harus 01–31 atau 41–71"),
    gettext_noop("nomor urut NIK (4 digit terakhir) tidak boleh 0000"),
    gettext_noop("kode kecamatan NIK (digit 1–6) tidak dikenal"),
    gettext_noop("tanggal NIK tidak cocok dengan jenis kelamin (perempuan: tanggal + 40)"),
    gettext_noop("tanggal dalam NIK tidak sama dengan tanggal lahir"),
)

# Fields the rules fill in (presisi/validation/rules/): who a record is compared with, why.
POLA_ISIAN = (
    gettext_noop("kepala keluarga"),
    gettext_noop("suami/istri kepala keluarga"),
    gettext_noop("{nama}, lahir {tanggal}"),
    gettext_noop("sama dengan {rekaman}"),
    gettext_noop("sudah terdaftar di {tempat}"),
    gettext_noop("baris {n}"),
    gettext_noop("rekaman #{n}"),
    gettext_noop("laki-laki"),
    gettext_noop("umur {umur} tahun"),
)


@lru_cache(maxsize=1)
def _katalog() -> dict[str, dict[str, Any]]:
    return bawaan_catalogue()


@lru_cache(maxsize=1)
def _pola() -> tuple[Pola, ...]:
    templates = [item["pesan"] for item in _katalog().values() if item.get("pesan") != "{pesan_kamus}"]
    return daftar_pola([*templates, *POLA_KAMUS_NIK, *POLA_ISIAN])


def label_aturan(kode: Any, nama: str | None = None) -> Any:
    """The rule's name in the active language: a built-in rule's from the catalogue, a condition rule's
    as its steward wrote it; an unknown code as it is."""
    item = _katalog().get(kode)
    if item:
        return gettext(item["nama"])
    if nama:
        return nama
    from presisi.validation.models import AturanValidasi

    return AturanValidasi.objects.filter(kode=kode).values_list("nama", flat=True).first() or kode


def pesan_tampil(teks: Any) -> Any:
    """A finding's message in the active language (built-in rule templates, dictionary and NIK checks)."""
    return terjemahkan(teks, _pola())


def label_kolom(kode: Any) -> Any:
    if not kode or not isinstance(kode, str):
        return kode
    from presisi.dictionary.models import Variabel

    var = Variabel.objects.filter(kode=kode).first()
    if var is None:
        return kode
    try:
        from presisi.core.i18n import teks
    except ImportError:  # the dictionary's English names are not in this tree
        return var.nama
    return teks(var, "nama")
