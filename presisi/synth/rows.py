"""Database rows of the synthetic registry, built column-wise from the generated arrays."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from presisi.synth.buildings import Buildings
from presisi.synth.context import Columns, Context
from presisi.synth.village import Asset

INDIVIDU_FIELDS = (
    "id", "dibuat", "diubah", "banjar", "desa", "atribut", "sintetis", "nik", "nik_sementara", "nama",
    "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "status_kawin", "hubungan_keluarga", "pendidikan",
    "pekerjaan", "kewarganegaraan", "status_dasar", "nama_ayah", "nama_ibu", "keluarga", "rumah_tangga",
    "hubungan_rumah_tangga",
)
KELUARGA_FIELDS = ("id", "dibuat", "diubah", "banjar", "desa", "atribut", "sintetis", "no_kk", "no_kk_sementara",
                   "no_kk_sebelumnya", "alamat", "aktif")
RUMAH_TANGGA_FIELDS = ("id", "dibuat", "diubah", "banjar", "desa", "atribut", "sintetis", "kode", "bangunan", "aktif")
BANGUNAN_FIELDS = ("id", "dibuat", "diubah", "banjar", "desa", "atribut", "sintetis", "kode", "lat", "lng", "aktif")
DATA_DESA_FIELDS = ("id", "dibuat", "diubah", "desa", "periode", "atribut", "sintetis")
ASET_FIELDS = ("id", "dibuat", "diubah", "desa", "banjar", "jenis", "nama", "kondisi", "tahun_perolehan",
               "nilai_rupiah", "lat", "lng", "aktif", "sintetis")


@dataclass
class Keys:
    """Database ids: first id of each new table, and the ids of existing desa and banjar."""

    individu: int
    keluarga: int
    rumah_tangga: int
    bangunan: int
    data_desa: int
    aset: int
    desa_ids: np.ndarray
    banjar_ids: np.ndarray  # flat banjar order


def _ints(values: np.ndarray) -> list[Any]:
    """Python ints (None where missing): database drivers do not take numpy scalars."""
    arr = np.asarray(values, dtype=float)
    out = np.where(np.isnan(arr), 0, arr).astype(np.int64).tolist()
    if np.isnan(arr).any():
        return [None if m else v for v, m in zip(out, np.isnan(arr).tolist(), strict=True)]
    return out


def serial_codes(prefix: str, desa: np.ndarray, desa_codes: list[str]) -> list[str]:
    """'<prefix>-<desa code undotted>-<serial>' with serials 1.. per desa in row order."""
    order = np.lexsort((np.arange(len(desa)), desa))
    sorted_desa = desa[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_desa)) + 1] if len(desa) else np.zeros(0, dtype=np.int64)
    first = np.repeat(starts, np.diff(np.r_[starts, len(desa)]))
    serial = np.empty(len(desa), dtype=np.int64)
    serial[order] = np.arange(len(desa)) - first + 1
    undotted = [c.replace(".", "") for c in desa_codes]
    return [f"{prefix}-{undotted[d]}-{s:05d}" for d, s in zip(desa.tolist(), serial.tolist(), strict=True)]


def individu_rows(ctx: Context, keys: Keys, cols: Columns, ident, atribut: Iterable[str], now: Any) -> Iterator[tuple]:
    pop, n = ctx.pop, len(ctx.pop)
    birth = np.datetime_as_string(pop.birth, unit="D").tolist()
    core = [_ints(cols[k]) for k in ("jenis_kelamin",)]
    middle = [_ints(cols[k]) for k in ("agama", "status_kawin", "hubungan_keluarga", "pendidikan", "pekerjaan",
                                       "kewarganegaraan", "status_dasar")]
    return zip(
        range(keys.individu, keys.individu + n), [now] * n, [now] * n, keys.banjar_ids[pop.banjar].tolist(),
        keys.desa_ids[pop.desa].tolist(), atribut, [True] * n, ident.nik, ident.nik_sementara.tolist(), ident.nama,
        *core, ident.tempat_lahir, birth, *middle, ident.nama_ayah, ident.nama_ibu,
        (keys.keluarga + pop.fam).tolist(), (keys.rumah_tangga + pop.rt).tolist(), _ints(cols["hubungan_rumah_tangga"]),
        strict=True,
    )


def keluarga_rows(ctx: Context, keys: Keys, ident, alamat: list[str], atribut: Iterable[str],
                  now: Any) -> Iterator[tuple]:
    pop, n = ctx.pop, len(ctx.pop.fam_desa)
    return zip(range(keys.keluarga, keys.keluarga + n), [now] * n, [now] * n, keys.banjar_ids[pop.fam_banjar].tolist(),
               keys.desa_ids[pop.fam_desa].tolist(), atribut, [True] * n, ident.no_kk, [False] * n, [""] * n,
               alamat, [True] * n, strict=True)


def rumah_tangga_rows(ctx: Context, keys: Keys, bld: Buildings, atribut: Iterable[str], now: Any) -> Iterator[tuple]:
    pop, n = ctx.pop, len(ctx.pop.rt_desa)
    codes = serial_codes("RT", pop.rt_desa, ctx.desa_codes)
    return zip(range(keys.rumah_tangga, keys.rumah_tangga + n), [now] * n, [now] * n,
               keys.banjar_ids[pop.rt_banjar].tolist(), keys.desa_ids[pop.rt_desa].tolist(), atribut, [True] * n,
               codes, (keys.bangunan + bld.rt_building).tolist(), [True] * n, strict=True)


def bangunan_rows(ctx: Context, keys: Keys, bld: Buildings, atribut: Iterable[str], now: Any) -> Iterator[tuple]:
    n = len(bld)
    codes = serial_codes("BG", bld.desa, ctx.desa_codes)
    return zip(range(keys.bangunan, keys.bangunan + n), [now] * n, [now] * n, keys.banjar_ids[bld.banjar].tolist(),
               keys.desa_ids[bld.desa].tolist(), atribut, [True] * n, codes, bld.lat.tolist(), bld.lng.tolist(),
               [True] * n, strict=True)


def data_desa_rows(ctx: Context, keys: Keys, atribut: Iterable[str], now: Any,
                   skip: set[int]) -> Iterator[tuple]:
    """One row per desa, except desa (ids in ``skip``) that already have real data for the period."""
    periode = str(ctx.kal["periode"])
    next_id = keys.data_desa
    for desa_id, text in zip(keys.desa_ids.tolist(), atribut, strict=True):
        if desa_id not in skip:
            yield (next_id, now, now, desa_id, periode, text, True)
            next_id += 1


def aset_rows(keys: Keys, assets: list[Asset], points: tuple[np.ndarray, np.ndarray], now: Any) -> Iterator[tuple]:
    lat, lng = points
    for i, a in enumerate(assets):
        yield (keys.aset + i, now, now, int(keys.desa_ids[a.desa]), int(keys.banjar_ids[a.banjar]), a.jenis, a.nama,
               a.kondisi, a.tahun, a.nilai, float(lat[i]), float(lng[i]), True, True)
