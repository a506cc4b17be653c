"""What a synth run made, as returned by ``synth_generate`` and printed by ``presisi synth --json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SynthSummary:
    kabupaten: str
    seed: int
    scale: float
    banjar: int = 0
    banjar_dibuat: int = 0
    keluarga: int = 0
    rumah_tangga: int = 0
    individu: int = 0
    bangunan: int = 0
    data_desa: int = 0
    aset_desa: int = 0
    desa_adat_dibuat: int = 0
    keluarga_banjar_adat: int = 0  # synthetic KK given a banjar adat
    individu_per_kecamatan: dict[str, int] = field(default_factory=dict)
    dihapus: dict[str, int] = field(default_factory=dict)
    variabel_tidak_diisi: dict[str, list[str]] = field(default_factory=dict)
    variabel_tanpa_kamus: dict[str, list[str]] = field(default_factory=dict)
    detik: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
