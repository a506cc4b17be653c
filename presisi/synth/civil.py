"""Civil-registration attributes: blood group, residence status, e-KTP recording, birth certificate."""

from __future__ import annotations

import numpy as np

from presisi.synth.context import Columns, Context
from presisi.synth.draws import pick, yes_no
from presisi.synth.families import BELUM_KAWIN, FAMILI_LAIN

# Most people do not know their blood group; of those who do, ABO shares of Indonesia.
_BLOOD = ([13, 1, 2, 3, 4, 5, 7, 11, 9], [.55, .11, .12, .03, .16, .005, .005, .01, .01])
_KTP_WAJIB = ([2, 3, 4, 5, 6, 7, 8], [.03, .03, .02, .005, .005, .01, .9])


def civil(ctx: Context, temporary: np.ndarray) -> Columns:
    rng = ctx.rng("sipil")
    pop, age = ctx.pop, ctx.age_exact
    n = len(pop)
    blood = pick(rng, *_BLOOD, n)
    # Temporary residents: mostly relatives staying for work or school in town.
    p_temp = np.where(pop.shdk == FAMILI_LAIN, 0.25, 0.004) * np.where(ctx.kelurahan[pop.desa], 2.0, 1.0)
    resident = np.where(rng.random(n) < p_temp, 2.0, 1.0)
    must_have_ktp = (age >= 17) | (pop.kawin != BELUM_KAWIN)
    ktp = np.where(must_have_ktp, pick(rng, *_KTP_WAJIB, n), 1.0)
    ktp = np.where(temporary & must_have_ktp, 2.0, ktp)  # no NIK yet → nothing recorded yet
    p_akta = np.interp(age, [0, 1, 5, 18, 40, 60, 80], [.8, .93, .97, .97, .9, .7, .5])
    akta = rng.random(n) < np.where(temporary, 0.1, p_akta)
    return {"golongan_darah": blood, "status_penduduk": resident, "status_rekam_ktp": ktp,
            "akta_kelahiran": yes_no(akta)}
