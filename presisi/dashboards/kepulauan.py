"""Islands vs mainland: the kecamatan of the islands against the rest, and island desa (desa variable
``desa_kepulauan``) against the others, for every indicator of a dashboard.

Groups are ratios of summed numerators and denominators (never averages of desa percentages);
small-cell suppression is applied to each group's own sums.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from presisi.dashboards.analitik import ada
from presisi.dashboards.fmt import satuan_pendek
from presisi.dashboards.selectors import DasborData, Pembaca, Sel, sel_dari
from presisi.dashboards.tabel import Tabel
from presisi.indicators.analytics.tables import TABLE
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.periods.models import Periode

YA = 1


def bendera_desa(*, periode: Periode, variabel: str) -> dict[int, int] | None:
    """desa id → value of a desa variable in the period's analytic rows (None if the table/column is absent)."""
    qn = connection.ops.quote_name
    if not ada(("desa",), variabel):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT desa_id, {qn(variabel)} FROM {qn(TABLE['desa'])} WHERE periode_id = %s", [periode.pk])
        rows = cursor.fetchall()
    return {int(d): (int(v) if v is not None else 0) for d, v in rows}


def _raw(indikator: list[Indikator], periode: Periode, prefix: str) -> list[tuple]:
    return list(NilaiIndikator.objects.filter(
        indikator_id__in=[i.pk for i in indikator], periode=periode, kedalaman__in=[3, 4], disagregasi="total",
        wilayah__kode__startswith=prefix + ".",
    ).values_list("indikator_id", "wilayah_id", "wilayah__kode", "wilayah__nama", "kedalaman", "pembilang",
                  "penyebut"))


def _group(ind: Indikator, members: list[tuple[float, float]], hide: bool) -> Sel:
    if not members or ind.jenis != Indikator.RASIO:
        return Sel(None, None, None)
    num, den = sum(m[0] for m in members), sum(m[1] for m in members)
    total = den + ind.konstanta_penyebut
    value = (num + ind.konstanta_pembilang) * ind.skala / total if total else None
    return sel_dari(num, den, value, "", ind, hide)


def perbandingan(*, data: DasborData, periode: Periode, reader: Pembaca, opsi: dict[str, Any]) -> dict[str, Any]:
    kec = str(opsi.get("kecamatan") or "")
    kab = ".".join(kec.split(".")[:2])
    flags = bendera_desa(periode=periode, variabel=str(opsi.get("variabel") or "desa_kepulauan"))
    if not flags or not any(v == YA for v in flags.values()):
        flags = None  # variable not collected yet: the islands are the desa of the kecamatan
    rows = _raw(data.indikator, periode, kab)
    nama_kec = next((r[3] for r in rows if r[2] == kec), kec)
    groups: dict[tuple[int, str], list[tuple[float, float]]] = defaultdict(list)
    n_desa = {"pulau": set(), "darat": set()}
    for iid, wid, kode, _nama, depth, num, den in rows:
        if depth == 3:
            groups[(iid, "kec" if kode == kec else "lain")].append((num, den))
            continue
        island = flags.get(wid) == YA if flags is not None else kode.startswith(kec + ".")
        key = "pulau" if island else "darat"
        groups[(iid, key)].append((num, den))
        n_desa[key].add(wid)
    hide = not reader.penuh(kab)
    out = []
    for ind in data.indikator:
        cells = {g: _group(ind, groups.get((ind.pk, g), []), hide) for g in ("kec", "lain", "pulau", "darat")}
        gap = (round(cells["kec"].nilai - cells["lain"].nilai, ind.desimal)
               if cells["kec"].nilai is not None and cells["lain"].nilai is not None else None)
        out.append({"kode": ind.kode, "nama": ind.nama, "satuan": satuan_pendek(ind.satuan), "arah": ind.arah,
                    "desimal": ind.desimal,
                    "kec": cells["kec"].nilai, "lain": cells["lain"].nilai, "pulau": cells["pulau"].nilai,
                    "darat": cells["darat"].nilai, "selisih": gap,
                    "disembunyikan": any(c.disembunyikan for c in cells.values())})
    cols = [("kode", _("Kode indikator")), ("nama", _("Indikator")), ("satuan", _("Satuan")),
            ("kec", _("Kec. %(nama)s") % {"nama": nama_kec}), ("lain", _("Kecamatan lain (daratan)")),
            ("selisih", _("Selisih kepulauan − daratan")),
            ("pulau", _("Desa kepulauan (%(n)s)") % {"n": len(n_desa["pulau"])}),
            ("darat", _("Desa bukan kepulauan (%(n)s)") % {"n": len(n_desa["darat"])})]
    return {"nama_kecamatan": nama_kec, "variabel_ada": flags is not None, "baris": out,
            "tabel": Tabel("kepulauan", _("Kepulauan dibandingkan daratan"), cols, out,
                           sembunyi=("kode",))}  # codes in the files, names on the page
