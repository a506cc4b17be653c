"""The occupation printed on the KK (Dukcapil ``pekerjaan`` codes), derived from the work draw.

A pupil is 3 Pelajar/Mahasiswa, a housewife 2 Mengurus Rumah Tangga, a retired civil
servant 4 Pensiunan; a worker gets an occupation that fits the sector and the status in
work (a farm labourer is 20 Buruh Tani, a self-employed farmer 9 Petani/Pekebun, a
teacher 65 Guru or 5 PNS…).
"""

from __future__ import annotations

import numpy as np

from presisi.synth.context import Context
from presisi.synth.families import KAWIN

BELUM_BEKERJA, MENGURUS_RT, PELAJAR, PENSIUNAN = 1, 2, 3, 4
# sector → (occupation codes, shares) for the self-employed / for employees and casual workers
_SELF = {
    1: ([9], [1]), 2: ([10], [1]), 3: ([11], [1]), 4: ([12, 36, 30, 29, 27, 88], [.4, .15, .1, .1, .1, .15]),
    5: ([26, 27, 13], [.5, .2, .3]), 6: ([84, 8, 88], [.5, .2, .3]), 7: ([88, 46], [.8, .2]),
    8: ([81, 14, 79], [.6, .25, .15]),
    9: ([65], [1]), 10: ([73, 37], [.8, .2]), 11: ([85], [1]), 12: ([88, 36, 34, 32, 24, 35], [.4, .2, .1, .1, .1, .1]),
}
_EMPLOYEE = {
    1: ([20], [1]), 2: ([22], [1]), 3: ([21], [1]), 4: ([15, 12, 19], [.5, .3, .2]), 5: ([19, 26, 27], [.4, .4, .2]),
    6: ([15, 8], [.8, .2]), 7: ([15, 46], [.85, .15]), 8: ([81, 14, 79], [.6, .2, .2]),
    9: ([5, 65, 18, 64], [.4, .4, .15, .05]),
    10: ([74, 73, 5, 72, 75], [.35, .25, .2, .12, .08]), 11: ([5, 85, 18, 6, 7], [.55, .2, .1, .07, .08]),
    12: ([15, 19, 23, 88], [.45, .3, .1, .15]),
}
_EMPLOYEE_STATUS = (3, 4, 5, 6)  # employer, employee, casual farm and non-farm worker


def _from_table(rng, table: dict, sector: np.ndarray) -> np.ndarray:
    out = np.full(len(sector), BELUM_BEKERJA, dtype=np.int64)
    for s, (codes, shares) in table.items():
        sel = np.flatnonzero(sector == s)
        p = np.asarray(shares, dtype=float)
        out[sel] = np.asarray(codes)[rng.choice(len(codes), size=len(sel), p=p / p.sum())]
    return out


def occupation(ctx: Context) -> np.ndarray:
    rng = ctx.rng("kerja", "pekerjaan-kk")
    pop, age = ctx.pop, ctx.age_exact
    kegiatan, sector, status = ctx.notes["kegiatan"], ctx.notes["lapangan"], ctx.notes["status_kerja"]
    working = np.isin(kegiatan, [1, 2])
    employee = working & np.isin(status, _EMPLOYEE_STATUS)
    sec = np.nan_to_num(sector, nan=0).astype(int)
    job = np.where(employee, _from_table(rng, _EMPLOYEE, sec), _from_table(rng, _SELF, sec))
    job = np.where((job == 64) & (ctx.notes["pendidikan_akhir"] < 9), 65, job)  # lecturers hold a master's
    job = np.where(np.isin(job, [72, 75]) & (ctx.notes["pendidikan_akhir"] < 8), 74, job)
    pupil = ctx.notes["sekolah"] & (age >= 6)
    housekeeping = kegiatan == 8
    retired = (kegiatan == 9) & (age >= 58) & (ctx.notes["pendidikan_akhir"] >= 5) & (rng.random(len(age)) < 0.35)
    # Dukcapil often prints "Mengurus Rumah Tangga" for married women outside the labour force.
    married_woman = (pop.sex == 2) & (pop.kawin != 1) & ~working & (age >= 17) & ~pupil
    return np.select([working, pupil, housekeeping | married_woman, retired], [job, PELAJAR, MENGURUS_RT, PENSIUNAN],
                     BELUM_BEKERJA).astype(float)


def marital_consistency(ctx: Context) -> None:
    """Guard: nobody under 16 is married (the card structure must already ensure it)."""
    if ((ctx.pop.kawin == KAWIN) & (ctx.age_exact < 16)).any():
        raise RuntimeError("status kawin tidak masuk akal untuk umur")
