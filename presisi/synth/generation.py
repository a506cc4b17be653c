"""The generation pipeline (regions → people → attributes → checks) and the final write."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from presisi.core.exceptions import ApplicationError
from presisi.dictionary.models import BANGUNAN, DESA, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.regions.models import Wilayah
from presisi.registry.models import AsetDesa, Bangunan, DataDesa, Individu, Keluarga, RumahTangga
from presisi.synth import attributes, checks, identity, rows, writer
from presisi.synth.allocation import Allocation, allocate, banjar_counts
from presisi.synth.banjar import create_banjar
from presisi.synth.buildings import Buildings, buildings
from presisi.synth.calibration import Kalibrasi, load_kalibrasi
from presisi.synth.context import Columns, Context
from presisi.synth.encode import Coverage, atribut_json, check_columns
from presisi.synth.geo import DesaSampler, fallback_point
from presisi.synth.population import build_population
from presisi.synth.regions import RegionFrame, load_frame
from presisi.synth.summary import SynthSummary
from presisi.synth.village import Asset, village_assets, village_data
from presisi.synth.welfare import expenditure, welfare_scores

STAGES = ("wilayah", "penduduk", "kesejahteraan", "identitas", "individu", "rumah tangga", "desa dan bangunan",
          "pemeriksaan")


@dataclass
class Generated:
    ctx: Context
    ident: identity.Identity
    alamat: list[str]
    cols: dict[str, Columns]
    bld: Buildings
    assets: list[Asset]
    asset_points: tuple[np.ndarray, np.ndarray]


def _stage(bar: tqdm, name: str) -> None:
    bar.set_postfix_str(name)
    bar.update(1)


def _identity(ctx: Context, frame: RegionFrame, kal: Kalibrasi, seed: int) -> identity.Identity:
    pop = ctx.pop
    names, ayah, ibu = identity.person_names(pop, ctx.agama, kal, seed)
    nik, temporary, no_kk, issued = identity.identity_numbers(pop, frame, kal, seed)
    return identity.Identity(agama=ctx.agama, nama=names, nama_ayah=ayah, nama_ibu=ibu,
                             tempat_lahir=identity.birthplaces(pop, frame, ctx.agama, kal, seed), nik=nik,
                             nik_sementara=temporary, no_kk=no_kk, kk_terbit=issued)


def _context(frame: RegionFrame, kal: Kalibrasi, alloc: Allocation, seed: int, bar: tqdm) -> Context:
    pop = build_population(frame, kal, alloc, seed)
    _stage(bar, "penduduk")
    agama = identity.household_religion(pop, frame.desa_codes, kal, seed)[pop.rt]
    kel = np.array([d.tingkat == "kelurahan" for d in frame.desa])
    w = welfare_scores(pop, frame.desa_codes, kel, kal, seed)
    _stage(bar, "kesejahteraan")
    return Context(pop=pop, frame=frame, kal=kal, seed=seed, welfare=expenditure(pop, w, frame.desa_codes, kal, seed),
                   agama=agama)


def _asset_points(ctx: Context, assets: list[Asset]) -> tuple[np.ndarray, np.ndarray]:
    lat, lng = np.empty(len(assets)), np.empty(len(assets))
    desa = np.array([a.desa for a in assets], dtype=np.int64)
    centre = tuple(ctx.kal["titik_pusat"])
    for j, d in enumerate(ctx.frame.desa):
        sel = np.flatnonzero(desa == j)
        if len(sel):
            x, y = DesaSampler(d, fallback_point(j, centre), ctx.rng("geo-aset", d.kode)).uniform(len(sel))
            lng[sel], lat[sel] = x, y
    return lat, lng


def generate(kab: Wilayah, *, scale: float, seed: int, progress: bool, summary: SynthSummary) -> Generated:
    """Draw the whole regency in memory and check it; writes only the synthetic banjar."""
    bar = tqdm(total=len(STAGES), desc="synth", unit="tahap", file=sys.stderr, disable=not progress, leave=False)
    frame, kal = load_frame(kab), load_kalibrasi(kab.kode)
    if kal.tanggal_acuan > dt.date.today():
        raise ApplicationError(f"Tanggal acuan kalibrasi ({kal.tanggal_acuan}) masih di masa depan; "
                               "tanggal lahir dan tanggal terbit KK tidak boleh melewati hari ini.")
    alloc = allocate(frame, kal, scale=scale, seed=seed)
    summary.banjar_dibuat = create_banjar(frame, banjar_counts(alloc, kal, seed), seed)
    summary.banjar = sum(len(v) for v in frame.banjar.values())
    _stage(bar, "wilayah")
    ctx = _context(frame, kal, alloc, seed, bar)
    ident = _identity(ctx, frame, kal, seed)
    _stage(bar, "identitas")
    cols: dict[str, Columns] = {INDIVIDU: attributes.individu_columns(ctx, ident.nik_sementara)}
    attributes.check_couples(ctx)
    _stage(bar, "individu")
    cols[RUMAH_TANGGA] = attributes.rumah_tangga_columns(ctx)
    cols[KELUARGA] = attributes.keluarga_columns(ctx)
    _stage(bar, "rumah tangga")
    full_people = alloc.desa_weights * float(kal["penduduk_dasar"])
    cols[DESA] = village_data(ctx, full_people)
    bld = buildings(ctx, cols[RUMAH_TANGGA], cols[DESA])
    cols[BANGUNAN] = bld.cols
    assets = village_assets(ctx)
    _stage(bar, "desa dan bangunan")
    gen = Generated(ctx=ctx, ident=ident, alamat=identity.household_addresses(ctx.pop, frame, ctx.kelurahan, seed),
                    cols=cols, bld=bld, assets=assets, asset_points=_asset_points(ctx, assets))
    _verify(gen, kab, summary)
    _stage(bar, "pemeriksaan")
    bar.close()
    return gen


def _verify(gen: Generated, kab: Wilayah, summary: SynthSummary) -> None:
    coverage = Coverage()
    core = {INDIVIDU: tuple(f.name for f in Individu._meta.concrete_fields)}
    for unit in (INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN, DESA):
        gen.cols[unit] = check_columns(unit, gen.cols[unit], coverage, core=core.get(unit, ()))
    summary.variabel_tidak_diisi, summary.variabel_tanpa_kamus = coverage.tidak_diisi, coverage.tanpa_kamus
    kecamatan = {k.kode.replace(".", "") for k in gen.ctx.frame.kecamatan}
    pop = gen.ctx.pop
    checks.check_nik(gen.ident.nik, pop.sex, pop.birth, gen.ident.nik_sementara, kecamatan)
    checks.check_kk(gen.ident.no_kk, gen.ident.kk_terbit, kecamatan, kab.kode, dt.date.today())


def write_all(gen: Generated, summary: SynthSummary, *, progress: bool) -> None:
    ctx, cols = gen.ctx, gen.cols
    pop = ctx.pop
    total = len(pop) + len(pop.fam_desa) + len(pop.rt_desa) + len(gen.bld) + len(ctx.desa_codes) + len(gen.assets)
    bar = tqdm(total=total, desc="menulis", unit="baris", file=sys.stderr, disable=not progress, leave=False)
    keys = rows.Keys(individu=writer.next_id(Individu), keluarga=writer.next_id(Keluarga),
                     rumah_tangga=writer.next_id(RumahTangga), bangunan=writer.next_id(Bangunan),
                     data_desa=writer.next_id(DataDesa), aset=writer.next_id(AsetDesa),
                     desa_ids=np.array([d.id for d in ctx.frame.desa], dtype=np.int64),
                     banjar_ids=np.array([b.id for d in ctx.frame.desa for b in ctx.frame.banjar[d.kode]],
                                         dtype=np.int64))
    now = writer.now_value()
    n = len(pop)
    summary.bangunan = writer.write(Bangunan, rows.BANGUNAN_FIELDS, rows.bangunan_rows(
        ctx, keys, gen.bld, atribut_json(BANGUNAN, cols[BANGUNAN], len(gen.bld)), now), bar.update)
    summary.rumah_tangga = writer.write(RumahTangga, rows.RUMAH_TANGGA_FIELDS, rows.rumah_tangga_rows(
        ctx, keys, gen.bld, atribut_json(RUMAH_TANGGA, cols[RUMAH_TANGGA], len(pop.rt_desa)), now), bar.update)
    summary.keluarga = writer.write(Keluarga, rows.KELUARGA_FIELDS, rows.keluarga_rows(
        ctx, keys, gen.ident, gen.alamat, atribut_json(KELUARGA, cols[KELUARGA], len(pop.fam_desa)), now), bar.update)
    summary.individu = writer.write(Individu, rows.INDIVIDU_FIELDS, rows.individu_rows(
        ctx, keys, cols[INDIVIDU], gen.ident, atribut_json(INDIVIDU, cols[INDIVIDU], n), now), bar.update)
    filled = set(DataDesa.objects.filter(periode=str(ctx.kal["periode"]), desa_id__in=keys.desa_ids.tolist())
                 .values_list("desa_id", flat=True))  # real desa data of the period is kept as it is
    summary.data_desa = writer.write(DataDesa, rows.DATA_DESA_FIELDS, rows.data_desa_rows(
        ctx, keys, atribut_json(DESA, cols[DESA], len(ctx.desa_codes)), now, filled), bar.update)
    summary.aset_desa = writer.write(AsetDesa, rows.ASET_FIELDS, rows.aset_rows(keys, gen.assets, gen.asset_points,
                                                                                 now), bar.update)
    writer.analyze(writer.TABLES)
    bar.close()
    kec_of_desa = np.array([c.rsplit(".", 1)[0] for c in ctx.desa_codes])
    codes, counts = np.unique(kec_of_desa[pop.desa], return_counts=True)
    summary.individu_per_kecamatan = {str(c): int(k) for c, k in zip(codes, counts, strict=True)}
