"""Stored Indonesian messages shown in the reader's language (presisi.core.pesan)."""

from __future__ import annotations

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from presisi.core.pesan import daftar_pola, pola, terjemahkan

POLA = daftar_pola(["Impor ditolak: {n} kesalahan. Tidak ada data yang disimpan; perbaiki baris yang disebut lalu "
                    "unggah ulang.", "umur {umur} tahun", "NIK harus 16 digit angka"])


def test_indonesian_stays_as_stored():
    with translation.override("id"):
        assert terjemahkan("NIK harus 16 digit angka", POLA) == "NIK harus 16 digit angka"


def test_english_fills_the_catalogue_template_with_the_same_fields():
    with translation.override("en"):
        assert terjemahkan("NIK harus 16 digit angka", POLA) == "NIK must be 16 digits"
        assert terjemahkan("Impor ditolak: 3 kesalahan. Tidak ada data yang disimpan; perbaiki baris yang disebut "
                           "lalu unggah ulang.", POLA).startswith("Import rejected: 3 errors.")
        assert terjemahkan("sesuatu yang lain", POLA) == "sesuatu yang lain"  # unknown shape: as stored
        assert terjemahkan("", POLA) == "" and terjemahkan(None, POLA) is None


def test_specific_templates_come_first():
    ordered = daftar_pola(["{a}.", "Impor diterima: {hasil}."])
    assert ordered[0].templat == "Impor diterima: {hasil}."


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_a_template_matches_what_it_formats(value):
    template = "kode {kode} tidak ada dalam klasifikasi {nama} ({daftar})"
    text = template.format(kode="99", nama=value, daftar="1=A")
    match = pola(template).regex.fullmatch(text)
    assert match is not None
    assert template.format(**match.groupdict()) == text
