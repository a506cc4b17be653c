"""Text normalisation shared by every matcher (region names, person names)."""

from __future__ import annotations

import re
import unicodedata

_PREFIXES = re.compile(
    r"^(desa|kelurahan|kel\.?|ds\.?|kabupaten|kab\.?|kota|kecamatan|kec\.?|provinsi|prov\.?|banjar|br\.?)\s+"
)
# Spelling variants common in Balinese place names (codes.md, klungkung.md).
_VARIANTS = [(re.compile(r"kelod"), "klod"), (re.compile(r"toyepakeh"), "toyapakeh")]


def normalize_name(name: str) -> str:
    """Lowercase, ASCII, no administrative prefix, no spaces or punctuation.

    ``"Desa Bunga Mekar"`` and ``"BUNGAMEKAR"`` both become ``"bungamekar"``.
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower().strip()
    text = _PREFIXES.sub("", text)
    for pattern, repl in _VARIANTS:
        text = pattern.sub(repl, text)
    return re.sub(r"[^a-z0-9]", "", text)
