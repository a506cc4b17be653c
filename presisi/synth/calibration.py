"""Calibration of the synthetic regency, read from ``kalibrasi/*.yaml``.

``kalibrasi/bawaan.yaml`` holds generic Bali defaults. A regency may ship its own file
``kalibrasi/<kode kabupaten>.yaml`` (e.g. ``51.05.yaml``) whose values override the
defaults; inside it ``kecamatan`` and ``desa`` sections override ``parameter`` values for
one area. Nothing in the code is specific to one regency: every local fact lives here.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

KALIBRASI_DIR = Path(__file__).resolve().parent / "kalibrasi"
DEFAULT_FILE = "bawaan.yaml"


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge; a mapping whose keys are codes (a distribution) is replaced, not merged."""
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and not _is_distribution(value):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _is_distribution(value: dict[Any, Any]) -> bool:
    return bool(value) and all(isinstance(k, int) for k in value)


@cache
def _read(name: str) -> dict[str, Any]:
    path = KALIBRASI_DIR / name
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@dataclass(frozen=True)
class Kalibrasi:
    """Merged calibration of one regency. ``param(name, kode)`` resolves area overrides."""

    kode_kabupaten: str
    data: dict[str, Any]
    khusus: bool  # True when the regency has its own calibration file

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def tanggal_acuan(self) -> dt.date:
        value = self.data["tanggal_acuan"]
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    def kecamatan(self, kode: str) -> dict[str, Any]:
        return (self.data.get("kecamatan") or {}).get(kode) or {}

    def param(self, name: str, kode: str | None = None, *, kelurahan: bool = False) -> Any:
        """A ``parameter`` value for a kecamatan or desa code.

        Overrides apply from the broad to the narrow: regency, kecamatan, the ``kelurahan``
        section (urban wards), then the desa's own section.
        """
        value = self.data["parameter"][name]
        if kode:
            parts = kode.split(".")
            sections = [self.kecamatan(".".join(parts[:3]))]
            if kelurahan:
                sections.append(self.data.get("kelurahan") or {})
            if len(parts) >= 4:
                sections.append((self.data.get("desa") or {}).get(".".join(parts[:4])) or {})
            for section in sections:
                over = (section.get("parameter") or {}).get(name)
                if over is not None:
                    value = _merge({"v": value}, {"v": over})["v"] if isinstance(value, dict) else over
        return value

    def param_array(self, name: str, desa_codes: list[str], kelurahan: np.ndarray | None = None) -> np.ndarray:
        """A numeric parameter for each desa, as a float array (one value per desa)."""
        flags = kelurahan if kelurahan is not None else np.zeros(len(desa_codes), dtype=bool)
        return np.array([float(self.param(name, k, kelurahan=bool(f))) for k, f in zip(desa_codes, flags,
                                                                                     strict=True)])


def load_kalibrasi(kode_kabupaten: str) -> Kalibrasi:
    """Defaults merged with the regency's own file when there is one."""
    own = _read(f"{kode_kabupaten}.yaml")
    return Kalibrasi(kode_kabupaten=kode_kabupaten, data=_merge(_read(DEFAULT_FILE), own), khusus=bool(own))


def distribution(spec: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """Codes and normalised probabilities of a ``{code: weight}`` mapping."""
    codes = np.array(list(spec.keys()), dtype=np.int64)
    weights = np.array(list(spec.values()), dtype=float)
    return codes, weights / weights.sum()
