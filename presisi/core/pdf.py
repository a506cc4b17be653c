"""PDF pieces shared by every printable page (fpdf2, core fonts only: no font files to ship).

The core fonts draw Latin-1 only: ``teks`` spells out or replaces everything else; ``tabel``
draws a header row and body rows with light horizontal rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

GANTI = {"≥": ">=", "≤": "<=", "Σ": "jumlah ", "−": "-", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"',
         "”": '"', "…": "...", "•": "*", "▲": "+", "▼": "-", "→": "->", "‰": " per mil", "×": "x"}
KEPALA = FontFace(emphasis="BOLD", fill_color=(230, 242, 246))


def teks(value: object) -> str:
    """Text the core fonts can draw (Latin-1), everything else spelled out or replaced."""
    s = str(value if value is not None else "")
    for a, b in GANTI.items():
        s = s.replace(a, b)
    return s.encode("latin-1", "replace").decode("latin-1")


def tabel(pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float] | None = None,
          align: Sequence[str] | None = None) -> None:
    pdf.set_font("Helvetica", size=8)
    options: dict[str, Any] = {"headings_style": KEPALA, "line_height": 4.2, "padding": 0.8,
                               "borders_layout": "HORIZONTAL_LINES"}
    if widths:
        options["col_widths"] = tuple(widths)
    if align:
        options["text_align"] = tuple(align)
    with pdf.table(**options) as table:
        head = table.row()
        for h in header:
            head.cell(teks(h))
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(teks(c))
