"""Optimistic locking of registry records: one version number per record, moved on by every write.

A form or API client reads a record with its ``versi`` and sends it back with the change. The
write starts with a compare-and-swap ``UPDATE … SET versi = versi + 1 WHERE id = … AND versi = …``
inside the service's transaction: the row lock it takes makes a second writer wait for the first
to commit, and then its WHERE no longer matches, so two writers of the same version can never both
win (last-write-wins would silently undo the other user's correction). Writes without a version
(events, moves, CLI) still move it on, so a form opened before them is refused too.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from django.db.models import F, Model

from presisi.core.exceptions import VersiBasi

M = TypeVar("M", bound=Model)
# Largest value of the column on every engine; a larger one can match nothing (and would overflow SQLite).
VERSI_MAKS = 2**31 - 1


def versi_sah(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= VERSI_MAKS


def kunci_versi(model: type[M], pk: int, versi: int | Collection[int] | None = None, *,
                related: tuple[str, ...] = ()) -> M:
    """Lock record ``pk`` for a write in the caller's transaction and move its version on.

    ``versi`` is the version the caller read (or several acceptable ones, as an ``If-Match`` list
    may give); ``None`` skips the check. A stale version raises ``VersiBasi`` and writes nothing.
    Returns the locked record with its new version (the caller's ``save()`` keeps it).
    """
    rows = model.objects.filter(pk=pk)
    wanted: set[int] | None = None
    if versi is not None:
        wanted = {v for v in ([versi] if isinstance(versi, int) else versi) if versi_sah(v)}
        rows = rows.filter(versi__in=wanted)
    # no acceptable version at all (e.g. an If-Match of garbage) can match nothing: skip the UPDATE
    moved = rows.update(versi=F("versi") + 1) if wanted is None or wanted else 0
    if not moved:
        current = model.objects.filter(pk=pk).values_list("versi", flat=True).first()
        if current is None:
            raise model.DoesNotExist(f"{model._meta.verbose_name} {pk} tidak ada")
        dikirim = sorted(wanted or [])
        raise VersiBasi(
            f"Data {model._meta.verbose_name} ini sudah diubah pengguna lain sejak Anda membukanya "
            f"(versi sekarang {current}, Anda mengirim versi {', '.join(map(str, dikirim)) or '-'}). "
            "Tidak ada yang disimpan: lihat data terbaru, lalu ulangi perubahan Anda bila masih perlu.",
            extra={"versi_dikirim": dikirim[0] if len(dikirim) == 1 else dikirim, "versi_sekarang": current})
    return model.objects.select_for_update().select_related(*related).get(pk=pk)

