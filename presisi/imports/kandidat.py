"""Probable-duplicate candidates held in memory for a batch of desa imports.

One desa import asks for the living people of other desa born on the same days with the same
sex: a few thousand rows scattered over the whole registry table, which the database reads page
by page (a quarter of a second per desa on the full regency). A batch of imports asks that for
every desa, so a worker loads the registry's people once and, before each desa, reloads only the
desa whose imports finished since (one desa's rows lie together, and are read by its index).

Records changed in the meantime by anything but an import (a form, a life event) keep the
values they had when loaded; the rule only warns, and every submission re-validates the desa
against the registry itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from django.utils import timezone

from presisi.imports.models import Impor
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, LAKI_LAKI, PEREMPUAN, Individu
from presisi.validation.rules import Kandidat

FIELDS = ("nik", "nama", "tanggal_lahir", "nama_ayah", "nama_ibu", "desa_id", "jenis_kelamin", "status_dasar")
_active: KandidatPool | None = None


class KandidatPool:
    def __init__(self) -> None:
        self.cols: dict[str, np.ndarray] = {}
        self.names: dict[int, str] = {}
        self.sejak: dt.datetime | None = None
        self.impor_dilihat: set[int] = set()

    def _refresh(self) -> None:
        if self.sejak is None:
            self.sejak = timezone.now()  # before reading: an import finishing meanwhile is reloaded
            self._load(Individu.objects.all())
            return
        finished = list(Impor.objects.filter(selesai__gte=self.sejak, hasil=Impor.DITERIMA, dry_run=False)
                        .exclude(pk__in=self.impor_dilihat).values_list("pk", "desa_id"))
        if not finished:
            return
        self.impor_dilihat.update(pk for pk, _ in finished)
        desa_ids = sorted({d for _, d in finished})
        if self.cols:
            keep = ~np.isin(self.cols["desa_id"], desa_ids)
            self.cols = {k: v[keep] for k, v in self.cols.items()}
        self._load(Individu.objects.filter(desa_id__in=desa_ids))

    def _load(self, qs) -> None:
        rows = list(qs.values_list(*FIELDS))
        if not rows:
            return
        new = {
            "nik": np.array([r[0] for r in rows], dtype=object),
            "nama": np.array([r[1] for r in rows], dtype=object),
            "tanggal_lahir": np.array([r[2] for r in rows], dtype="datetime64[D]"),
            "nama_ayah": np.array([r[3] for r in rows], dtype=object),
            "nama_ibu": np.array([r[4] for r in rows], dtype=object),
            "desa_id": np.array([r[5] for r in rows], dtype=np.int64),
            "jenis_kelamin": np.array([r[6] for r in rows], dtype=np.int64),
            "status_dasar": np.array([r[7] for r in rows], dtype=np.int64),
        }
        self.cols = {k: np.concatenate([self.cols[k], v]) for k, v in new.items()} if self.cols else new
        missing = set(new["desa_id"].tolist()) - set(self.names)
        self.names.update({w.pk: f"{w.nama} ({w.kode})" for w in Wilayah.objects.filter(pk__in=missing)
                           .only("pk", "nama", "kode")})

    def kandidat(self, *, tanggal_lahir: np.ndarray, jenis_kelamin: np.ndarray, kecuali_desa: list[int]) -> Kandidat:
        """The same selection as ``konteks.kandidat_ganda`` makes in SQL, from memory."""
        self._refresh()
        c = self.cols
        if not c:
            return _empty()
        born = ~np.isnat(tanggal_lahir)
        days, sexes = tanggal_lahir[born].astype(np.int64), jenis_kelamin[born]
        known = np.isin(sexes, (LAKI_LAKI, PEREMPUAN))
        day = c["tanggal_lahir"].astype(np.int64)
        wanted = np.isin(day * 4 + c["jenis_kelamin"], days[known] * 4 + sexes[known]) | np.isin(day, days[~known])
        keep = np.flatnonzero(wanted & (c["status_dasar"] == HIDUP) & ~np.isin(c["desa_id"], kecuali_desa)
                              & ~np.isnat(c["tanggal_lahir"]))
        nik, nama = c["nik"][keep], c["nama"][keep]
        return Kandidat(nik=nik, nama=nama, tanggal_lahir=c["tanggal_lahir"][keep], nama_ayah=c["nama_ayah"][keep],
                        nama_ibu=c["nama_ibu"][keep], jenis_kelamin=c["jenis_kelamin"][keep],
                        keterangan=[f"NIK {n} {m} di {self.names.get(d, '')}"
                                    for n, m, d in zip(nik, nama, c["desa_id"][keep].tolist(), strict=True)])


def _empty() -> Kandidat:
    return Kandidat(nik=np.array([], dtype=object), nama=np.array([], dtype=object),
                    tanggal_lahir=np.array([], dtype="datetime64[D]"), nama_ayah=np.array([], dtype=object),
                    nama_ibu=np.array([], dtype=object), keterangan=[], jenis_kelamin=np.array([], dtype=np.int64))


def pool_aktif() -> KandidatPool | None:
    return _active


@contextmanager
def kandidat_pool() -> Iterator[KandidatPool]:
    """Hold one pool for the imports run inside (a batch, in one process)."""
    global _active
    previous, _active = _active, KandidatPool()
    try:
        yield _active
    finally:
        _active = previous


def pool_untuk_proses() -> None:
    """Worker-process initializer: the worker's imports share one pool until it exits."""
    global _active
    _active = KandidatPool()
