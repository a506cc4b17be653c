"""Which desa × period data is published, final or provisional (issue #10), read from the lock record.

A desa's value in a period is "terbit" (published) when its submission is ``dipublikasikan`` and
"tetap" (final) when ``disetujui`` or ``dipublikasikan``; otherwise it is "sementara" (provisional).
An aggregate (kecamatan, kabupaten) is published/final only when EVERY desa under it is.
The submission state is the one the update workflow (``presisi.updates``) records in
``KunciDesa.status`` on every transition, so the indicator API and the dashboards (both above
this app) read it here without knowing about submissions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from presisi.periods.models import KunciDesa

# Submission states (``presisi.updates.models``) as ``KunciDesa.status`` records them.
DISETUJUI, DIPUBLIKASIKAN = "disetujui", "dipublikasikan"

TERBIT = frozenset({DIPUBLIKASIKAN})
TETAP = frozenset({DISETUJUI, DIPUBLIKASIKAN})


@dataclass
class StatusData:
    """Submission state per period and desa code, read once per page (one query)."""

    per_periode: dict[int, dict[str, str]]
    _memo: dict[tuple[int, str, frozenset], bool] = field(default_factory=dict)

    @staticmethod
    def _desa_kode(kode: str) -> str:
        parts = kode.split(".")
        return ".".join(parts[:4]) if len(parts) >= 4 else kode

    def semua(self, pid: int, kode: str, boleh: frozenset[str]) -> bool:
        """Is every desa under region ``kode`` (at least one) in one of the ``boleh`` states?"""
        key = (pid, kode, boleh)
        if key not in self._memo:
            desa = self.per_periode.get(pid, {})
            kode = self._desa_kode(kode)
            if kode.count(".") >= 3:
                states = [desa[kode]] if kode in desa else []
            else:
                states = [s for k, s in desa.items() if k.startswith(kode + ".")]
            self._memo[key] = bool(states) and all(s in boleh for s in states)
        return self._memo[key]

    def terbit(self, pid: int, kode: str) -> bool:
        return self.semua(pid, kode, TERBIT)

    def tetap(self, pid: int, kode: str) -> bool:
        return self.semua(pid, kode, TETAP)

    def periode_terbit(self) -> set[int]:
        return {pid for pid, desa in self.per_periode.items() if any(s in TERBIT for s in desa.values())}

    def hitung(self, pid: int, boleh: frozenset[str]) -> tuple[int, int]:
        """(desa in one of the states, all desa with a submission) in a period."""
        desa = self.per_periode.get(pid, {})
        return sum(1 for s in desa.values() if s in boleh), len(desa)


def status_data(periode_ids: Iterable[int]) -> StatusData:
    out: dict[int, dict[str, str]] = {pid: {} for pid in periode_ids}
    for pid, kode, status in KunciDesa.objects.filter(periode_id__in=list(out)).values_list(
            "periode_id", "desa__kode", "status"):
        out[pid][kode] = status
    return StatusData(out)


def status_baris(status: StatusData, pid: int, kode: str) -> str:
    """One region's state in a period as a word for API rows: terbit, tetap or sementara."""
    if status.terbit(pid, kode):
        return "terbit"
    return "tetap" if status.tetap(pid, kode) else "sementara"
