"""Import findings by their human names: rule, sheet › column, message in the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from presisi.imports.tampilan import aturan_tampil, kolom_tampil, pesan_tampil, temuan_tampil_baris

pytestmark = pytest.mark.django_db


def test_sheet_and_column_by_their_names(kamus):
    with translation.override("id"):
        assert kolom_tampil("Individu!hubungan_keluarga") == "Individu › Status hubungan dalam keluarga"
        assert kolom_tampil("Individu!no_kk") == "Individu › Nomor KK"
        assert kolom_tampil("kolom_aneh") == "kolom_aneh"
    with translation.override("en"):
        assert kolom_tampil("Individu!no_kk") == "Individu sheet › No. KK"


def test_rules_by_their_names_never_their_codes(kamus):
    with translation.override("id"):
        assert aturan_tampil("kepala_keluarga_tunggal") == "Tepat satu kepala keluarga hidup per KK"
        assert aturan_tampil("angka_excel") == "Angka Excel kehilangan digit"
    with translation.override("en"):
        assert aturan_tampil("kepala_keluarga_tunggal") == "Exactly one living head of family per KK"
        assert aturan_tampil("nik_format") == "NIK of 16 digits"


def test_messages_in_english():
    with translation.override("en"):
        assert pesan_tampil("NIK harus 16 digit angka") == "NIK must be 16 digits"
        assert pesan_tampil("Uji coba lolos (tidak ada yang disimpan): akan 3 dibuat, 1 diubah, 0 tetap.") == \
            "Dry run passed (nothing saved): it would be 3 created, 1 changed, 0 unchanged."
        row = temuan_tampil_baris({"rule": "pola", "column": "Individu!nik", "message": "NIK harus 16 digit angka"})
        assert row["rule"] == "pola" and row["rule_label"] == "Value format"
        assert row["message"] == "NIK must be 16 digits"


def test_a_short_nik_in_a_file_says_16_digits(kamus):
    from presisi.imports.cells import _text_converter
    from presisi.imports.columns import columns_by_code

    convert = _text_converter(columns_by_code("individu")["nik"])
    value, rule, message = convert("51050123")
    assert value is None and "16 digit" in message
