"""Synthetic desa adat and banjar adat (Bali's customary hierarchy) and every synthetic KK's banjar adat.

The customary tree does not nest in the administrative one, and the demo shows it: along each
kecamatan's desa (in code order) most desa dinas hold one desa adat, some desa adat span two
neighbouring desa dinas, and some desa dinas hold two desa adat. Names say "Contoh" (example) and
rows carry ``sintetis``; codes use the synthetic ``.AS`` series (``51.05.AS001``), never a code a real
list could take. An existing tree covering the regency (real or from an earlier run) is used as it is.
"""

from __future__ import annotations

import numpy as np
from django.db import connection

from presisi.regions.models import BANJAR_ADAT, DESA_ADAT, DesaAdatDesaDinas, Wilayah, WilayahAdat
from presisi.registry.models import Keluarga
from presisi.synth.banjar import ARAH, TEMPAT
from presisi.synth.regions import RegionFrame
from presisi.synth.streams import stream

AWALAN_DESA, AWALAN_BANJAR = "Desa Adat Contoh", "Banjar Adat Contoh"
BANJAR_PER_DESA_ADAT = (3, 8)  # 394 banjar adat in 59 desa in Klungkung: ~6.7 per desa (klungkung.md)
SPAN, DUA = 2, 4  # position (mod 6) along a kecamatan's desa: spans two desa / a desa holding two


def _rencana(frame: RegionFrame) -> list[tuple[str, list[Wilayah]]]:
    """(name, desa dinas) of each desa adat to create, kecamatan by kecamatan.

    Position mod 6 along the kecamatan's desa: at SPAN a desa adat spans this desa and the next (which
    keeps one of its own too, so it holds two); at DUA a desa holds two desa adat; elsewhere one.
    """
    out: list[tuple[str, list[Wilayah]]] = []
    for kec in frame.kecamatan:
        desa = [d for d in frame.desa if d.kode.startswith(kec.kode + ".")]
        for i, d in enumerate(desa):
            if i % 6 == SPAN and i + 1 < len(desa):
                out.append((f"{AWALAN_DESA} {d.nama}–{desa[i + 1].nama}", [d, desa[i + 1]]))
            elif i % 6 == DUA:
                out += [(f"{AWALAN_DESA} {d.nama} Kaja", [d]), (f"{AWALAN_DESA} {d.nama} Kelod", [d])]
            else:
                out.append((f"{AWALAN_DESA} {d.nama}", [d]))
    return out


def _nama_banjar(n: int, rng: np.random.Generator) -> list[str]:
    pool = [ARAH[i] for i in rng.permutation(len(ARAH))[:3]] + [TEMPAT[i] for i in rng.permutation(len(TEMPAT))]
    return [f"{AWALAN_BANJAR} {w}" for w in pool[:n]]


def buat_desa_adat(frame: RegionFrame, seed: int) -> int:
    """Create the synthetic customary tree when no desa adat is mapped to the regency; returns how many."""
    desa_ids = [d.pk for d in frame.desa]
    if DesaAdatDesaDinas.objects.filter(desa_id__in=desa_ids).exists():
        return 0
    kab = frame.kabupaten.kode
    taken = set(WilayahAdat.objects.filter(kode__startswith=f"{kab}.AS").values_list("kode", flat=True))
    serial, made = 0, 0
    for name, desa in sorted(_rencana(frame), key=lambda r: (r[1][0].kode, len(r[1]) == 1, r[0])):
        serial += 1
        kode = f"{kab}.AS{serial:03d}"
        while kode in taken:
            serial += 1
            kode = f"{kab}.AS{serial:03d}"
        da = WilayahAdat.objects.create(kode=kode, nama=name, tingkat=DESA_ADAT, sintetis=True)
        DesaAdatDesaDinas.objects.bulk_create([DesaAdatDesaDinas(desa_adat=da, desa=d) for d in desa])
        rng = stream(seed, "adat", kode)
        n = int(rng.integers(*BANJAR_PER_DESA_ADAT)) * len(desa)
        WilayahAdat.objects.bulk_create([
            WilayahAdat(kode=f"{kode}.{j:02d}", nama=nama, tingkat=BANJAR_ADAT, induk=da, sintetis=True)
            for j, nama in enumerate(_nama_banjar(n, rng), start=1)])
        made += 1
    return made


def tetapkan_banjar_adat(frame: RegionFrame) -> int:
    """Give every synthetic KK of the regency a banjar adat; returns how many KK were assigned.

    Each banjar dinas belongs to one of its desa's desa adat (in turn), and its families are spread
    over that desa adat's banjar adat by id: deterministic and set-based (one UPDATE per banjar dinas).
    """
    banjar_of: dict[int, list[int]] = {}
    for b_id, induk_id in WilayahAdat.objects.filter(tingkat=BANJAR_ADAT, aktif=True).order_by("kode") \
            .values_list("id", "induk_id"):
        banjar_of.setdefault(induk_id, []).append(b_id)
    adat_of: dict[int, list[int]] = {}
    for desa_id, da_id in DesaAdatDesaDinas.objects.filter(desa_id__in=[d.pk for d in frame.desa]) \
            .order_by("desa_adat__kode").values_list("desa_id", "desa_adat_id"):
        if banjar_of.get(da_id):
            adat_of.setdefault(desa_id, []).append(da_id)
    table = connection.ops.quote_name(Keluarga._meta.db_table)
    assigned = 0
    with connection.cursor() as cursor:
        for d in frame.desa:
            adat = adat_of.get(d.pk)
            if not adat:
                continue
            for j, banjar in enumerate(frame.banjar.get(d.kode, [])):
                choices = banjar_of[adat[j % len(adat)]]
                # '%%': the query has parameters, so a literal modulo must be escaped (both backends)
                case = " ".join(f"WHEN {i} THEN {int(b)}" for i, b in enumerate(choices))
                cursor.execute(f"UPDATE {table} SET banjar_adat_id = CASE (id %% {len(choices)}) {case} END "
                               f"WHERE banjar_id = %s AND sintetis = %s", [banjar.pk, True])
                assigned += cursor.rowcount
    return assigned
