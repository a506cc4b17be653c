"""Stored Indonesian messages shown in the reader's language.

Import and validation findings are stored as Indonesian text (operators read them, the files and the API
carry them). A page shows them in the active language: each known message shape is an Indonesian template
with ``{named}`` fields — the msgid of its English — the stored text is matched against it, and the
catalogue's English template is filled with the same fields (each field translated the same way, so a
message nested in another is translated too). A text that matches no template is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language, gettext

_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Pola:
    templat: str  # the Indonesian template, also the catalogue msgid
    regex: re.Pattern


@lru_cache(maxsize=2048)
def pola(templat: str) -> Pola:
    parts, pos = [], 0
    for m in _FIELD.finditer(templat):
        parts += [re.escape(templat[pos:m.start()]), f"(?P<{m.group(1)}>.+?)"]
        pos = m.end()
    parts.append(re.escape(templat[pos:]))
    return Pola(templat, re.compile("".join(parts), re.DOTALL))


def daftar_pola(templates: Iterable[str]) -> tuple[Pola, ...]:
    """The templates as patterns, the most specific (most literal text) first."""
    return tuple(sorted((pola(t) for t in set(templates)),
                        key=lambda p: -len(_FIELD.sub("", p.templat))))


def perlu_terjemahan() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] != settings.LANGUAGE_CODE


def terjemahkan(teks, pola_list: tuple[Pola, ...], _dalam: int = 0):
    """``teks`` in the active language when it has one of the shapes of ``pola_list``; else unchanged."""
    if not teks or not isinstance(teks, str) or _dalam > 3 or not perlu_terjemahan():
        return teks
    for p in pola_list:
        m = p.regex.fullmatch(teks)
        if m:
            isian = {k: terjemahkan(v, pola_list, _dalam + 1) for k, v in m.groupdict().items()}
            try:
                return gettext(p.templat).format(**isian)
            except (KeyError, IndexError, ValueError):  # a translation that names other fields
                return teks
    return teks
