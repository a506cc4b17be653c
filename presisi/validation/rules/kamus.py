"""Dictionary rules over whole columns (code lists and ranges), and the desa-level outlier rule."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from presisi.dictionary.models import BANGUNAN, BILANGAN, DESIMAL, INDIVIDU, KODE
from presisi.dictionary.validation import unit_spec, validate_columns
from presisi.validation.frames import Frame
from presisi.validation.rules.base import DESA_LEVEL, Hit, Konteks, rule

AMBANG_PENCILAN = 0.10


@rule(None, "klasifikasi", "rentang")
def kamus_rules(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    """Values outside their code list or range. A file's values were checked while reading it;
    here the registry is re-checked, e.g. after a code list changed."""
    if ktx.kamus_registri is not None:
        yield from _registry_hits(ktx.kamus_registri.get(frame.unit, []))
        return
    spec = unit_spec(frame.unit)
    columns = {k: v for k, v in frame.cols.items()
               if k in spec and spec[k].tipe in (KODE, BILANGAN, DESIMAL) and v.dtype.kind == "f"}
    if not columns or frame.n == 0:
        return
    findings = validate_columns(frame.unit, columns, first_row=0, limit=10 ** 9)
    by_key: dict[tuple[str, str], list] = {}
    for f in findings:
        by_key.setdefault((f.rule, f.column), []).append(f)
    for (code, column), items in by_key.items():
        var = spec[column]
        idx = np.array([f.row for f in items], dtype=np.int64)
        if code == "klasifikasi":
            allowed = ", ".join(f"{k}={lbl}" for k, lbl in var.labels[:12])
            text = f"kode tidak ada dalam klasifikasi {var.nama} ({allowed}{' …' if len(var.labels) > 12 else ''})"
        else:
            text = f"{var.nama} harus antara {var.minimum} dan {var.maximum}"
        values = [int(f.value) if float(f.value).is_integer() else f.value for f in items]
        yield Hit(code, idx, column, values, pesan=[text] * len(idx))


def _registry_hits(found: list[tuple]) -> Iterator[Hit]:
    by_key: dict[tuple[str, str], list[tuple]] = {}
    for item in found:
        by_key.setdefault((item[3], item[1]), []).append(item)
    for (code, column), items in by_key.items():
        yield Hit(code, np.array([i[0] for i in items], dtype=np.int64), column, [i[2] for i in items],
                  pesan=[i[4] for i in items])


@rule(INDIVIDU, "pencilan_jumlah_penduduk")
def pencilan_rule(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    """A desa whose population changed by more than 10% since the previous period."""
    if not ktx.jumlah_sebelumnya:
        return
    ids, counts = np.unique(frame.desa_id, return_counts=True)
    now = dict(zip(ids.tolist(), counts.tolist(), strict=True))
    for desa_id, (before, periode) in ktx.jumlah_sebelumnya.items():
        count = now.get(desa_id, 0)
        if before <= 0:
            continue
        change = (count - before) / before
        if abs(change) > AMBANG_PENCILAN:
            yield Hit("pencilan_jumlah_penduduk", np.array([DESA_LEVEL]), "jumlah_penduduk", [count],
                      {"persen": [f"{change * 100:+.1f}"], "sebelumnya": [before], "periode_sebelumnya": [periode]},
                      desa_id=desa_id)


@rule(BANGUNAN, "koordinat")
def koordinat_rule(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    lat, lng = frame.num("lat"), frame.num("lng")
    bad = (~np.isnan(lat) & ((lat < -90) | (lat > 90))) | (~np.isnan(lng) & ((lng < -180) | (lng > 180)))
    idx = np.flatnonzero(bad)
    yield Hit("koordinat", idx, "lat", [f"{lat[i]},{lng[i]}" for i in idx])
