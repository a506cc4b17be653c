"""Reading periods: the one lookup by code, and the explicit "current period".

Every face (web pages, API, CLI, other apps' selectors) resolves a period code with
``periode_get``: an unknown code is a ``NotFound`` (a ``ValidationFailed``) whose finding
lists the known codes — never a silent fall-back to another period. Where "no period given"
legitimately means the latest one, callers say so with ``periode_terkini``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from presisi.core.exceptions import Finding, NotFound
from presisi.periods.codes import FORMAT_BANTUAN, kode_rapikan, kode_sah
from presisi.periods.models import Periode


def periode_list() -> QuerySet[Periode]:
    """Periods, newest first. Periods are regency-wide metadata: every signed-in role may list them."""
    return Periode.objects.order_by("-tanggal_referensi", "-kode")


def periode_kode_list() -> list[str]:
    return list(periode_list().values_list("kode", flat=True))


def periode_dict(periode: Periode) -> dict[str, Any]:
    return {
        "kode": periode.kode,
        "nama": periode.nama,
        "tanggal_mulai": periode.tanggal_mulai,
        "tanggal_referensi": periode.tanggal_referensi,
        "tenggat": periode.tenggat,
        "status": periode.status,
        "ditutup_pada": periode.ditutup_pada,
    }


def periode_get(kode: str) -> Periode:
    """The period with this code (case and whitespace ignored), or ``NotFound`` naming the known codes."""
    periode = Periode.objects.filter(kode=kode_rapikan(kode)).first() if kode_sah(kode) else None
    if periode is None:
        raise periode_tidak_dikenal(kode)
    return periode


def periode_tidak_dikenal(kode: object) -> NotFound:
    known = periode_kode_list()
    ada = ("periode yang ada: " + ", ".join(known)) if known else \
        "belum ada periode; buka periode pemutakhiran terlebih dahulu"
    pesan = ada if kode_sah(kode) or not str(kode or "").strip() else f"{FORMAT_BANTUAN}; {ada}"
    teks = str(kode or "").strip()
    return NotFound(f"Periode '{teks}' tidak ditemukan." if teks else "Periode belum dipilih.", [Finding(
        rule="periode_tidak_dikenal", column="periode", value=kode, message=pesan)],
        extra={"periode_tersedia": known})


def periode_terkini() -> Periode | None:
    """The latest period by reference date (what a page shows when no period is asked for)."""
    return periode_list().first()


def periode_get_atau_terkini(kode: str | None, *, wajib: bool = False) -> Periode | None:
    """``periode_get(kode)`` when a code is given (unknown → ``NotFound``); else the latest period.

    With no period at all: None, or ``NotFound`` when ``wajib`` (the caller cannot do without one).
    """
    if kode is None or not str(kode).strip():
        periode = periode_terkini()
        if periode is None and wajib:
            raise periode_tidak_dikenal("")
        return periode
    return periode_get(kode)
