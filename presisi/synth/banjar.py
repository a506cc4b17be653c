"""Synthetic banjar dinas (Balinese hamlets) for desa that have none loaded.

Balinese banjar are commonly named after a direction on the mountain–sea axis (kaja =
towards the mountain, kelod = towards the sea, kangin = east, kauh = west), the village
itself, or a local landmark or craft quarter (pekandelan, pande, puseh…). Kelurahan are
divided into lingkungan rather than banjar dinas.
"""

from __future__ import annotations

import numpy as np

from presisi.regions.codes import BANJAR, DEPTH, KELURAHAN
from presisi.regions.models import Wilayah
from presisi.synth.regions import RegionFrame
from presisi.synth.streams import stream

ARAH = ["Kaja", "Kelod", "Kangin", "Kauh", "Tengah", "Kaja Kangin", "Kelod Kauh", "Kaja Kauh", "Kelod Kangin"]
TEMPAT = [
    "Pekandelan", "Puseh", "Dalem", "Anyar", "Pasek", "Pande", "Dukuh", "Sari", "Tegal", "Bukit",
    "Pangkung", "Celuk", "Lebah", "Karang", "Peken", "Pempatan", "Bingin", "Abian", "Gelogor", "Batu",
    "Tegeh", "Bias", "Pesisi", "Sema", "Carik", "Umadesa", "Jelantik", "Penataran", "Pegending", "Sangging",
    "Jero Kuta", "Lod Rurung", "Babakan", "Pengambengan", "Dangin Pangkung", "Getas", "Bucu", "Sente",
]


def banjar_names(desa_name: str, n: int, rng: np.random.Generator, *, kelurahan: bool) -> list[str]:
    """``n`` distinct banjar names for one desa."""
    prefix = "Lingkungan" if kelurahan else "Banjar Dinas"
    pool: list[str] = []
    if rng.random() < 0.45:
        pool.append(desa_name)
    n_arah = min(len(ARAH), int(rng.integers(2, 6)))
    pool += [ARAH[i] for i in sorted(rng.permutation(5)[: min(n_arah, 5)])]
    pool += [ARAH[i] for i in rng.permutation(np.arange(5, len(ARAH)))[: max(0, n_arah - 5)]]
    pool += [TEMPAT[i] for i in rng.permutation(len(TEMPAT))]
    names: list[str] = []
    for word in pool:
        if word not in names:
            names.append(word)
        if len(names) == n:
            break
    return [f"{prefix} {w}" for w in names]


def plan_banjar(frame: RegionFrame, counts: np.ndarray, seed: int) -> list[Wilayah]:
    """Unsaved banjar rows for every desa of the frame that has no banjar yet."""
    rows: list[Wilayah] = []
    for desa, n in zip(frame.desa, counts, strict=True):
        if frame.banjar.get(desa.kode):
            continue  # real (or earlier) banjar lists are used as they are
        rng = stream(seed, "banjar", desa.kode)
        names = banjar_names(desa.nama, int(n), rng, kelurahan=desa.tingkat == KELURAHAN)
        for i, name in enumerate(names, start=1):
            rows.append(Wilayah(kode=f"{desa.kode}.{i:03d}", nama=name, tingkat=BANJAR,
                                kedalaman=DEPTH[BANJAR], induk=desa, sintetis=True))
    return rows


def create_banjar(frame: RegionFrame, counts: np.ndarray, seed: int) -> int:
    """Insert the planned banjar and add them to the frame; returns how many were made."""
    rows = plan_banjar(frame, counts, seed)
    if rows:
        Wilayah.objects.bulk_create(rows, batch_size=1000)
        created = {w.kode: w for w in Wilayah.objects.filter(kode__in=[r.kode for r in rows])}
        for r in rows:
            frame.banjar.setdefault(r.kode.rsplit(".", 1)[0], []).append(created[r.kode])
    return len(rows)
