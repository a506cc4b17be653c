"""English beside Indonesian for data-borne texts (dictionary, indicators, dashboards).

Names, units and definitions that come from the standard YAML files are data, not gettext
messages: each model that holds them keeps a JSONField ``terjemahan`` = ``{"en": {field: text}}``
filled by its loader. ``teks(obj, "nama")`` returns the text in the active language, falling back
to the Indonesian field when there is no translation. The lowest layer: imports no other app.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language

BAHASA_INDONESIA = "id"


def bahasa_aktif() -> str:
    """The active language's primary code ('id', 'en'); Indonesian when none is active."""
    lang = get_language() or BAHASA_INDONESIA
    return lang.split("-")[0].lower()


def _terjemahan(terjemahan: Any, field: str, lang: str) -> str | None:
    if not isinstance(terjemahan, Mapping):
        return None
    texts = terjemahan.get(lang)
    if not isinstance(texts, Mapping):
        return None
    value = texts.get(field)
    return value if isinstance(value, str) and value.strip() else None


def teks(obj: Any, field: str) -> str:
    """``obj.<field>`` in the active language: its ``terjemahan`` when not Indonesian, else the field."""
    asli = getattr(obj, field, "") if obj is not None else ""
    lang = bahasa_aktif()
    if lang != BAHASA_INDONESIA:
        hasil = _terjemahan(getattr(obj, "terjemahan", None), field, lang)
        if hasil is not None:
            return hasil
    return "" if asli is None else str(asli)


def teks_dict(row: Mapping[str, Any], field: str) -> str:
    """``teks`` for a selector row (a dict that includes its ``terjemahan``)."""
    asli = row.get(field, "")
    lang = bahasa_aktif()
    if lang != BAHASA_INDONESIA:
        hasil = _terjemahan(row.get("terjemahan"), field, lang)
        if hasil is not None:
            return hasil
    return "" if asli is None else str(asli)


def teks_dari(terjemahan: Any, field: str, asli: str) -> str:
    """``teks`` when only the translation mapping and the Indonesian text are at hand."""
    lang = bahasa_aktif()
    if lang != BAHASA_INDONESIA:
        hasil = _terjemahan(terjemahan, field, lang)
        if hasil is not None:
            return hasil
    return asli


def terjemahan_dari_yaml(entry: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The ``terjemahan`` value for a YAML entry: ``en: {field: text}`` becomes ``{"en": {field: text}}``.

    Other language keys written the same way (a two-letter code mapping to a dict) are kept too."""
    hasil: dict[str, dict[str, str]] = {}
    for lang, texts in entry.items():
        if isinstance(lang, str) and len(lang) == 2 and lang != BAHASA_INDONESIA and isinstance(texts, Mapping):
            hasil[lang] = {str(k): str(v) for k, v in texts.items() if v not in (None, "")}
    return hasil


def tampilkan(obj: Any, *fields: str) -> Any:
    """Put the active language's texts on a display-only instance (its ``fields`` replaced by ``teks``).

    For objects read to be shown (dashboard pages, charts, tables, PDF): everything downstream then
    reads ``obj.nama`` in the reader's language. Never save an instance passed through here."""
    if obj is None or bahasa_aktif() == BAHASA_INDONESIA:
        return obj
    for field in fields:
        if hasattr(obj, field):
            setattr(obj, field, teks(obj, field))
    return obj
