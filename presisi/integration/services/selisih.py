"""Where the sources disagree (built by the discrepancy work; placeholder so that linkage can call it)."""

from __future__ import annotations


def selisih_hitung(pengiriman) -> int:
    """Recompute the discrepancy items of one delivery; returns how many there are."""
    return 0
