"""Assets, household businesses, poverty and social assistance, family welfare stage, JKN.

Programme receipt follows the DTSEN decile with the targeting noise real programmes
have: PKH goes to families in deciles 1–4 that have a PKH component (young child, pupil,
pregnant woman, elderly or severely disabled member), with exclusion errors among the
eligible and a little inclusion above the cut-off (indicators.md §7.2).
"""

from __future__ import annotations

import numpy as np

from presisi.synth.context import Columns, Context
from presisi.synth.draws import bernoulli_logit, pick, shares_matrix, tilted, yes_no

# asset → welfare slope (the share at w = 0 comes from the calibration)
ASSET_SLOPES = {"punya_radio": 0.3, "punya_televisi": 0.6, "punya_telepon_seluler": 0.8, "punya_komputer": 0.9,
                "punya_sepeda": 0.1, "punya_sepeda_motor": 0.8, "punya_kulkas": 0.9, "punya_mobil": 1.0,
                "tabungan_500rb": 1.0, "punya_akses_internet": 0.8}
_BUSINESS_TILT = [0.0, -0.2, -0.3, 0.0, 0.2, 0.2, 0.3]
_TOURISM_KINDS = ([2, 3, 4, 5, 6, 7, 8], [0.35, 0.2, 0.15, 0.1, 0.1, 0.07, 0.03])


def assets(ctx: Context) -> Columns:
    rng = ctx.rng("rumah", "aset")
    w, desa = ctx.welfare.w, ctx.pop.rt_desa
    shares = ctx.kal.param("aset")
    cols: Columns = {name: yes_no(bernoulli_logit(rng, float(shares[name]), slope, w))
                     for name, slope in ASSET_SLOPES.items()}
    has_land = rng.random(len(w)) < ctx.desa_param("p_punya_lahan")[desa]
    land = ctx.desa_param("median_lahan_m2")[desa] * np.exp(0.35 * w + rng.normal(0.0, 0.8, len(w)))
    cols["luas_lahan_dikuasai"] = np.where(has_land, np.clip(np.rint(land), 10, 5_000_000), 0.0)
    has_cattle = rng.random(len(w)) < ctx.desa_param("p_ternak_besar")[desa]
    cols["jumlah_ternak_besar"] = np.where(has_cattle, np.minimum(1 + rng.poisson(1.2, len(w)), 500), 0.0)
    return cols


def businesses(ctx: Context) -> Columns:
    rng = ctx.rng("rumah", "usaha")
    w, desa = ctx.welfare.w, ctx.pop.rt_desa
    base = shares_matrix(ctx.desa_shares("usaha_rumah_tangga"), list(range(1, 8)))[desa]
    usaha = tilted(rng, list(range(1, 8)), base, _BUSINESS_TILT, w)
    tourism = ctx.desa_param("pariwisata")[desa]
    runs = rng.random(len(w)) < np.clip(0.55 * tourism * np.exp(0.3 * w), 0, 0.9)
    kinds, p = _TOURISM_KINDS
    kind = np.asarray(kinds, dtype=float)[rng.choice(len(kinds), size=len(w), p=np.asarray(p) / sum(p))]
    return {"usaha_rumah_tangga": usaha, "usaha_pariwisata": np.where(runs, kind, 1.0)}


def _components(ctx: Context) -> np.ndarray:
    """Households with a PKH component member."""
    age, pop = ctx.age_exact, ctx.pop
    member = (age < 6) | (ctx.notes["sekolah"] & (age < 21)) | ctx.notes["hamil"] | (age >= 70)
    member |= ctx.notes["disabilitas_berat"]
    return np.bincount(pop.rt, weights=member.astype(float), minlength=len(pop.rt_desa)) > 0


def poverty(ctx: Context, durable: np.ndarray) -> Columns:
    rng = ctx.rng("rumah", "bansos")
    wf, n = ctx.welfare, len(ctx.pop.rt_desa)
    desil = np.nan_to_num(wf.desil, nan=99)
    comp = _components(ctx)
    p_pkh = np.select([desil <= 2, desil <= 4, desil <= 6], [0.72, 0.55, 0.04], 0.003) * comp
    pkh = rng.random(n) < p_pkh
    bpnt = rng.random(n) < np.select([desil <= 2, desil <= 5, desil <= 7], [0.82, 0.6, 0.04], 0.003)
    desa_only = ~ctx.kelurahan[ctx.pop.rt_desa]  # BLT Dana Desa does not exist in kelurahan
    blt = rng.random(n) < np.where((desil <= 2) & ~pkh & ~bpnt, 0.4, np.where(wf.poor, 0.06, 0.004))
    rtlh = rng.random(n) < np.where(durable, 0.006, 0.2)
    w = wf.w
    meals = np.where(rng.random(n) < np.clip(0.06 - 0.08 * w, 0.01, 0.5), 2.0, 3.0)
    meals = np.where((w > 1.2) & (rng.random(n) < 0.05), 4.0, meals)
    return {
        "pengeluaran_per_kapita": wf.pengeluaran, "desil_dtsen": wf.desil,
        "penerima_pkh": yes_no(pkh), "penerima_bpnt": yes_no(bpnt), "penerima_blt_dana_desa": yes_no(blt, desa_only),
        "penerima_bantuan_rtlh": yes_no(rtlh), "frekuensi_makan_sehari": meals,
        "konsumsi_daging_susu_seminggu": np.minimum(rng.poisson(np.exp(1.0 + 0.45 * w)), 14).astype(float),
        "beli_pakaian_setahun": np.minimum(rng.poisson(np.exp(0.9 + 0.35 * w)), 20).astype(float),
        "mampu_berobat": yes_no(bernoulli_logit(rng, 0.94, 0.9, w)),
        "kematian_anak_5_tahun": yes_no(bernoulli_logit(rng, 0.008, -0.4, w)),
    }


def welfare_stage(ctx: Context) -> np.ndarray:
    """BKKBN tahapan keluarga sejahtera per family, from the household's welfare and noise."""
    rng = ctx.rng("keluarga", "tahapan")
    score = ctx.welfare.w[ctx.pop.fam_rt] + rng.normal(0.0, 0.5, len(ctx.pop.fam_rt))
    cuts = np.quantile(score, np.cumsum([0.06, 0.18, 0.35, 0.30])) if len(score) else np.zeros(4)
    return (np.searchsorted(cuts, score) + 1).astype(float)


def insurance(ctx: Context) -> np.ndarray:
    """jaminan_kesehatan per person: a family segment (PBI by decile, PPU for formal workers) plus noise."""
    rng = ctx.rng("kesehatan", "jkn")
    pop = ctx.pop
    n_fam = len(pop.fam_head)
    desil = np.nan_to_num(ctx.welfare.desil, nan=11)[pop.fam_rt]
    formal = (ctx.notes["status_kerja"] == 4) & np.isin(ctx.notes["lapangan"], [7, 9, 10, 11])
    fam_formal = np.bincount(pop.fam, weights=formal.astype(float), minlength=n_fam) > 0
    segment = np.select(
        [fam_formal, desil <= 4, desil <= 6],
        [pick(rng, [5, 7, 4], [0.9, 0.05, 0.05], n_fam), pick(rng, [2, 3, 1], [0.72, 0.25, 0.03], n_fam),
         pick(rng, [3, 2, 4, 1], [0.36, 0.16, 0.42, 0.06], n_fam)],
        pick(rng, [4, 3, 6, 7, 1], [0.56, 0.24, 0.08, 0.07, 0.05], n_fam),
    )
    out = segment[pop.fam]
    uncovered = rng.random(len(pop)) < np.where(ctx.age_days < 90, 0.4, 0.008)
    return np.where(uncovered, 1.0, out)



def disasters(ctx: Context) -> Columns:
    """Households hit by a disaster in the last five years, and by which kind (the area's hazards)."""
    rng = ctx.rng("rumah", "bencana")
    w, desa = ctx.welfare.w, ctx.pop.rt_desa
    hit = bernoulli_logit(rng, ctx.desa_param("p_terdampak_bencana")[desa], -0.3, w)
    kinds = list(range(1, 11))
    base = shares_matrix(ctx.desa_shares("ancaman_bencana"), kinds)[desa]
    kind = tilted(rng, kinds, base, np.zeros(len(kinds)), w)
    return {"pernah_terdampak_bencana": yes_no(hit), "jenis_bencana": np.where(hit, kind, np.nan)}
