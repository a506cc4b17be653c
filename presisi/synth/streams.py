"""Named random streams: one independent generator per part of the synthetic regency.

Each part (banjar, families, names, health…) draws from its own stream derived from the
seed and a fixed name, so changing how many numbers one part draws never shifts the
values of another part, and re-using existing banjar instead of generating them leaves
every other value unchanged.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *names: str) -> np.random.Generator:
    """A generator determined by ``seed`` and the names (stable across runs and platforms)."""
    keys = [zlib.crc32(name.encode("utf-8")) for name in names]
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, *keys])
