"""Validation findings by their human names, in the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from presisi.validation import tampilan
from presisi.validation.engine import bawaan_catalogue


def test_every_built_in_rule_has_its_name_and_message_in_english():
    with translation.override("en"):
        for kode, item in bawaan_catalogue().items():
            assert tampilan.label_aturan(kode) != item["nama"], kode
            if item["pesan"] != "{pesan_kamus}":
                assert translation.gettext(item["pesan"]) != item["pesan"], kode


@pytest.mark.parametrize(("stored", "english"), [
    ("umur 12 tahun dengan status perkawinan Kawin", "aged 12 with marital status Kawin"),
    ("anak 5.1 tahun lebih muda dari suami/istri kepala keluarga (Ni Luh, lahir 1990-01-02); selisih wajar "
     "minimal 12 tahun",
     "child is 5.1 years younger than the head of family's spouse (Ni Luh, born 1990-01-02); a plausible gap is "
     "at least 12 years"),
    ("KK 510501******0001 mempunyai 2 kepala keluarga; harus tepat satu",
     "KK 510501******0001 has 2 heads of family; it must have exactly one"),
    ("NIK harus 16 digit angka", "NIK must be 16 digits"),
])
def test_stored_messages_in_english(stored, english):
    with translation.override("en"):
        assert tampilan.pesan_tampil(stored) == english
    with translation.override("id"):
        assert tampilan.pesan_tampil(stored) == stored
