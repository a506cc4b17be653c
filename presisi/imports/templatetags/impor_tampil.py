"""``{{ impor.pesan_progres|pesan_impor }}``: an import's stored message in the page's language."""

from __future__ import annotations

from django import template

from presisi.imports.tampilan import pesan_tampil

register = template.Library()


@register.filter
def pesan_impor(teks):
    return pesan_tampil(teks)
