"""Template filters that show a finding's rule, column and message as a person reads them."""

from __future__ import annotations

from django import template

from presisi.validation import tampilan

register = template.Library()


@register.filter
def label_aturan(aturan):
    """``{{ t.aturan|label_aturan }}``: the rule's name in the active language, never its code."""
    return tampilan.label_aturan(aturan.kode, aturan.nama)


@register.filter
def pesan_temuan(teks):
    return tampilan.pesan_tampil(teks)


@register.filter
def label_kolom(kode):
    """A dictionary column code (``hubungan_keluarga``) by its variable's name."""
    return tampilan.label_kolom(kode)
