"""Template side of the one door for personal identifiers (``presisi.core.pdp.TampilanPribadi``).

``{% load pdp %}`` then ``{{ orang.nik|nik:tampilan }}`` for a NIK/KK number and
``{{ temuan.pesan|pribadi:tampilan }}`` for free text that may contain one. Without a
``tampilan`` in the context (``None``/missing) the value is masked: a template can never
show a full number on its own.
"""

from __future__ import annotations

from typing import Any

from django import template

from presisi.core.pdp import TampilanPribadi, mask_nik, mask_teks

register = template.Library()


@register.filter(name="nik")
def nik(value: Any, tampilan: TampilanPribadi | None = None) -> str:
    if isinstance(tampilan, TampilanPribadi):
        return tampilan.nik(value)
    return mask_nik(str(value)) if value else ""


@register.filter(name="pribadi")
def pribadi(value: Any, tampilan: TampilanPribadi | None = None) -> Any:
    if isinstance(tampilan, TampilanPribadi):
        return tampilan.teks(value)
    return mask_teks(value)
