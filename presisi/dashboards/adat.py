"""The dashboard table grouped by desa adat (``?kelompok=adat``): Bali's customary villages side by side.

Desa adat cut across desa dinas, so their figures come from families (``indicators.adat``), not from
the administrative facts; the table ends with a total row that equals the region's administrative total.
A desa adat is counted only for its families inside the region shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from presisi.dashboards.fmt import satuan_pendek
from presisi.dashboards.selectors import Konteks, Pembaca, sel_dari
from presisi.dashboards.tabel import Tabel
from presisi.indicators.adat import nama_desa_adat, nilai_per_desa_adat, nilai_rasio
from presisi.indicators.models import Indikator
from presisi.indicators.selectors import MIN_CELL
from presisi.periods.models import Periode

ADAT = "adat"


def boleh(reader: Pembaca, pid: int, kode: str) -> bool:
    """Groups cut across desa: shown only when every desa of the region is published (or provisional mode)."""
    return reader.status is None or reader.sementara or reader.status.terbit(pid, kode)


def _baris(kode: str, nama: str, dinas: str, penduduk: int, keluarga: int, sel, hide: bool) -> dict[str, Any]:
    row = {"kode": kode, "nama": nama, "desa_dinas": dinas, "penduduk": penduduk, "keluarga": keluarga,
           "pembilang": sel.pembilang if sel else None, "penyebut": sel.penyebut if sel else None,
           "nilai": sel.nilai if sel else None, "disembunyikan": bool(sel and sel.disembunyikan)}
    small = [c for c in ("penduduk", "keluarga") if hide and 0 < row[c] < MIN_CELL]
    for c in small:
        row[c] = None
    row["sembunyi"] = tuple(small)
    return row


def tabel_desa_adat(*, ind: Indikator, periode: Periode, konteks: Konteks, reader: Pembaca) -> Tabel:
    """One row per desa adat with families in the region, then families without one, then the total."""
    wilayah = konteks.wilayah
    hasil = nilai_per_desa_adat(periode=periode, indikator=[ind], wilayah=wilayah)
    names = nama_desa_adat([g for g in hasil.kelompok if g is not None], wilayah)
    hide = not reader.penuh(wilayah.kode)
    tersedia = ind.pk not in hasil.tidak_tersedia
    rows, total = [], {"penduduk": 0, "keluarga": 0, "num": 0.0, "den": 0.0}
    for g in sorted(hasil.kelompok, key=lambda g: (g is None, names.get(g, ("",))[0])):
        k = hasil.kelompok[g]
        num, den, value = k.nilai.get(ind.pk, (0.0, 0.0, None))
        sel = sel_dari(num, den, value, "", ind, hide) if tersedia else None
        kode, nama, dinas = names[g] if g is not None else ("", _("Belum ditetapkan banjar adatnya"), "")
        rows.append(_baris(kode, nama, dinas, k.penduduk, k.keluarga, sel, hide))
        total["penduduk"] += k.penduduk
        total["keluarga"] += k.keluarga
        total["num"] += num
        total["den"] += den
    if rows:
        sel = sel_dari(total["num"], total["den"], nilai_rasio(ind, total["num"], total["den"]), "", ind,
                       hide) if tersedia else None
        rows.append(_baris("", _("Jumlah %(wilayah)s") % {"wilayah": wilayah.nama}, "", total["penduduk"],
                           total["keluarga"], sel, hide))
    unit = satuan_pendek(ind.satuan)
    cols = [("kode", _("Kode")), ("nama", _("Desa adat")), ("desa_dinas", _("Desa dinas")),
            ("penduduk", _("Penduduk")), ("keluarga", _("Keluarga"))]
    if tersedia:
        cols += [("pembilang", _("Pembilang")), ("penyebut", _("Penyebut")),
                 ("nilai", _("Nilai %(periode)s") % {"periode": periode.kode} + (f" ({unit})" if unit else ""))]
    judul = _("Menurut desa adat: %(ind)s") % {"ind": ind.nama}
    return Tabel("desa_adat", judul, cols, rows, ind.desimal, sembunyi=("pembilang", "penyebut"))
