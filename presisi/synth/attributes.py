"""All dictionary values of each unit, assembled from the generators in a dependency-safe order.

Order matters because values are correlated: disability feeds schooling (special schools),
schooling feeds work, work feeds health insurance and the KK occupation, and pregnancy,
pupils and disability decide who may receive PKH.
"""

from __future__ import annotations

import numpy as np

from presisi.synth import anthropometry, civil, education, health, housing, occupation, social, work
from presisi.synth.context import Columns, Context
from presisi.synth.families import ISTRI, KEPALA, SUAMI

HIDUP, WNI = 1.0, 1.0


def individu_columns(ctx: Context, temporary: np.ndarray) -> Columns:
    """Core columns and attributes of every person (NaN = not recorded / not applicable)."""
    pop, n = ctx.pop, len(ctx.pop)
    cols: Columns = {}
    cols.update(health.functioning(ctx))
    cols.update(education.education(ctx))
    cols.update(work.work(ctx))
    cols["pekerjaan"] = occupation.occupation(ctx)
    occupation.marital_consistency(ctx)
    cols["hamil"] = health.pregnancy(ctx)
    cols["akseptor_kb"] = health.contraception(ctx)
    cols["penyakit_kronis"] = health.chronic(ctx)
    cols["imunisasi_dasar_lengkap"] = health.immunisation(ctx)
    cols["merokok"] = health.smoking(ctx)
    cols["jaminan_kesehatan"] = social.insurance(ctx)
    cols.update(civil.civil(ctx, temporary))
    cols.update(anthropometry.anthropometry(ctx))
    cols.update(
        jenis_kelamin=pop.sex.astype(float), agama=ctx.agama.astype(float), status_kawin=pop.kawin.astype(float),
        hubungan_keluarga=pop.shdk.astype(float), kewarganegaraan=np.full(n, WNI),
        status_dasar=np.full(n, HIDUP), hubungan_rumah_tangga=pop.hub_rt.astype(float),
    )
    return cols


def rumah_tangga_columns(ctx: Context) -> Columns:
    cols = housing.housing(ctx)
    cols.update(social.assets(ctx))
    cols.update(social.businesses(ctx))
    cols.update(social.disasters(ctx))
    durable = (cols["jenis_lantai"] <= 6) & np.isin(cols["jenis_dinding"], [1, 2, 3, 5]) & np.isin(
        cols["jenis_atap"], [1, 2, 3, 5])
    cols.update(social.poverty(ctx, durable))
    return cols


def keluarga_columns(ctx: Context) -> Columns:
    return {"tahapan_keluarga_sejahtera": social.welfare_stage(ctx)}


def check_couples(ctx: Context) -> None:
    """Guard for codes.md §6 rule 2: a spouse is of the other sex than the head and married."""
    pop = ctx.pop
    spouse = np.isin(pop.shdk, [SUAMI, ISTRI])
    head = pop.fam_head[pop.fam[spouse]]
    if (pop.sex[spouse] == pop.sex[head]).any() or (pop.kawin[spouse] != 2).any():
        raise RuntimeError("pasangan kepala keluarga tidak konsisten")
    if (pop.shdk[pop.fam_head] != KEPALA).any():
        raise RuntimeError("baris kepala keluarga salah")
