"""The outcome of an import: counts per unit, people missing from the file, row findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from presisi.core.exceptions import Finding

COUNT_KEYS = ("dibuat", "diubah", "tetap", "ditolak", "dilewati")


@dataclass
class RingkasanImpor:
    nama_berkas: str
    desa: str
    periode: str
    dry_run: bool
    format: str = ""
    sha256: str = ""
    unit: dict[str, dict[str, int]] = field(default_factory=dict)
    tidak_ada_di_berkas: list[dict[str, str]] = field(default_factory=list)
    jumlah_tidak_ada_di_berkas: int = 0
    temuan: list[Finding] = field(default_factory=list)
    # stored values the file clears with the marker "-" (row, column, old value masked if personal)
    dikosongkan: list[dict[str, Any]] = field(default_factory=list)
    jumlah_dikosongkan: int = 0
    validasi: dict[str, Any] | None = None
    detik: float = 0.0
    ditulis: bool = False

    @property
    def jumlah_error(self) -> int:
        return sum(1 for f in self.temuan if f.severity == "error")

    @property
    def jumlah_warning(self) -> int:
        return sum(1 for f in self.temuan if f.severity == "warning")

    @property
    def diterima(self) -> bool:
        return self.jumlah_error == 0

    @property
    def pesan(self) -> str:
        if not self.diterima:
            return (f"Impor ditolak: {self.jumlah_error} kesalahan. Tidak ada data yang disimpan; perbaiki baris "
                    "yang disebut lalu unggah ulang.")
        totals = {k: sum(u.get(k, 0) for u in self.unit.values()) for k in COUNT_KEYS}
        done = (f"{totals['dibuat']} dibuat, {totals['diubah']} diubah, {totals['tetap']} tetap"
                + (f", {totals['dilewati']} dilewati" if totals["dilewati"] else ""))
        if self.jumlah_dikosongkan:
            done += f"; {self.jumlah_dikosongkan} nilai tersimpan dikosongkan (tanda -)"
        if self.dry_run:
            return f"Uji coba lolos (tidak ada yang disimpan): akan {done}."
        warn = f"; {self.jumlah_warning} peringatan perlu justifikasi" if self.jumlah_warning else ""
        return f"Impor diterima: {done}{warn}."

    def as_dict(self, *, limit: int | None = None) -> dict[str, Any]:
        findings = self.temuan if limit is None else self.temuan[:limit]
        return {
            "nama_berkas": self.nama_berkas, "desa": self.desa, "periode": self.periode, "format": self.format,
            "sha256": self.sha256, "dry_run": self.dry_run, "diterima": self.diterima, "ditulis": self.ditulis,
            "pesan": self.pesan, "unit": self.unit, "jumlah_error": self.jumlah_error,
            "jumlah_warning": self.jumlah_warning, "jumlah_temuan": len(self.temuan),
            "jumlah_tidak_ada_di_berkas": self.jumlah_tidak_ada_di_berkas,
            "tidak_ada_di_berkas": self.tidak_ada_di_berkas, "jumlah_dikosongkan": self.jumlah_dikosongkan,
            "dikosongkan": self.dikosongkan, "validasi": self.validasi, "detik": self.detik,
            "temuan": [f.as_dict() for f in findings],
        }
