"""The targeting-accuracy section of the kemiskinan dashboard and the profil desa: per program, the
inclusion and exclusion errors for the region shown (aggregates from ``presisi.integration``).

Like the dashboard's indicator values, counts below ``AMBANG`` are hidden from readers outside the
region's scope (small numbers could point at a household)."""

from __future__ import annotations

from typing import Any

from presisi.accounts.access import in_scope
from presisi.integration.selectors_sasaran import ringkas_wilayah
from presisi.periods.terbit import status_data

AMBANG = 5


def _persen(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%".replace(".", ",")


def bagian_sasaran(*, user, kode_wilayah: str, periode) -> list[dict[str, Any]]:
    """One row per program with a recipient list for the period; small counts hidden outside the scope.
    The public sees it only for a region whose data of that period is published (issue #10)."""
    rows = ringkas_wilayah(kode_wilayah, periode)  # one query when no program has a recipient list
    if not rows or (not getattr(user, "is_authenticated", False)
                    and not status_data([periode.pk]).terbit(periode.pk, kode_wilayah)):
        return []
    dalam = in_scope(user, kode_wilayah)
    out = []
    for row in rows:
        kecil = not dalam and (row["layak"] < AMBANG or row["penerima"] < AMBANG)
        out.append({"program": row["program"].nama, "kode": row["program"].kode, "periode": row["periode"],
                    "aturan": row["aturan"], "layak": None if kecil else row["layak"],
                    "penerima": None if kecil else row["penerima"],
                    "inklusi": "—" if kecil else _persen(row["inklusi"]),
                    "eksklusi": "—" if kecil else _persen(row["eksklusi"]), "disembunyikan": kecil})
    return out
