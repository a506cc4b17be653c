"""``{% load presisi_i18n %}{{ obj|teks:"nama" }}``: a data-borne text in the active language.

Works on model instances and on selector rows (dicts carrying ``terjemahan``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from presisi.core import i18n

register = template.Library()


@register.filter(name="teks")
def teks(obj: Any, field: str) -> str:
    if isinstance(obj, Mapping):
        return i18n.teks_dict(obj, field)
    return i18n.teks(obj, field)
