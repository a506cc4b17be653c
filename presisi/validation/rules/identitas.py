"""NIK and No. KK rules (codes.md §3–§5), vectorised over whole columns.

Same rules, codes and order as ``presisi.registry.identifiers`` (which checks one number):
a format error or a temporary number stops the other checks of that number.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from presisi.dictionary.models import INDIVIDU, KELUARGA
from presisi.regions.known import KodeWilayah, kode_bali
from presisi.registry.identifiers import region_findings, temporary_layout_ok
from presisi.validation.frames import Frame
from presisi.validation.rules.base import Hit, Konteks, rule, where

_MONTH_DAYS = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _wilayah(ktx: Konteks) -> KodeWilayah:
    return ktx.kode_wilayah if ktx.kode_wilayah is not None else kode_bali()


def digits(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(16 digits per row as int array, mask of well-formed 16-digit numbers).

    Only ASCII digits count: ``isdigit`` alone accepts Arabic-Indic digits, which then fail the
    byte conversion below (the UnicodeEncodeError that crashed imports)."""
    text = np.array([str(x) if x is not None else "" for x in numbers], dtype="U")
    if len(text) == 0:
        return np.zeros((0, 16), dtype=np.int64), np.zeros(0, dtype=bool)
    ok = np.array([len(t) == 16 and t.isascii() and t.isdigit() for t in text.tolist()], dtype=bool)
    padded = np.where(ok, text, "0" * 16).astype("S16")
    d = (np.frombuffer(padded.tobytes(), dtype=np.uint8).reshape(-1, 16) - 48).astype(np.int64)
    return d, ok


def _pair(d: np.ndarray, i: int) -> np.ndarray:
    return d[:, i] * 10 + d[:, i + 1]


def _real_date(day: np.ndarray, month: np.ndarray, yy: np.ndarray) -> np.ndarray:
    """A real date in 19yy or 20yy (29 February exists in 2000+yy when yy % 4 == 0)."""
    ok_month = (month >= 1) & (month <= 12)
    limit = _MONTH_DAYS[np.clip(month - 1, 0, 11)]
    limit = np.where((month == 2) & (yy % 4 != 0), 28, limit)
    return ok_month & (day >= 1) & (day <= limit)


def _region_ok(d: np.ndarray, rows: np.ndarray, wilayah: KodeWilayah) -> tuple[np.ndarray, np.ndarray]:
    """(province and kabupaten/kota known, kecamatan unknown in a fully listed kabupaten) per row;
    each distinct six-digit prefix is looked up once."""
    if len(rows) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    prefix = d[rows, :6] @ (10 ** np.arange(5, -1, -1, dtype=np.int64))
    uniq, inv = np.unique(prefix, return_inverse=True)
    checked = [region_findings(f"{p:06d}", wilayah) for p in uniq]
    known = np.array([bad is None for bad, _ in checked], dtype=bool)
    unknown_kec = np.array([kec for _, kec in checked], dtype=bool)
    return known[inv], unknown_kec[inv]


def _temporary_ok(numbers: np.ndarray, rows: np.ndarray, wilayah: KodeWilayah) -> np.ndarray:
    return np.array([temporary_layout_ok(str(numbers[i]), wilayah) for i in rows], dtype=bool)


@rule(INDIVIDU, "nik_format", "nik_sementara", "nik_sementara_tidak_sah", "nik_tanggal", "nik_wilayah",
      "nik_nomor_urut", "nik_kecamatan", "nik_jenis_kelamin", "nik_tanggal_lahir")
def nik_rules(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    nik = frame.text("nik")
    col = "nik"
    d, ok = digits(nik)
    yield Hit("nik_format", where(~ok), col, nik[~ok])
    temp = ok & (d[:, 0] == 0)
    temp_rows = where(temp)
    layout = _temporary_ok(nik, temp_rows, _wilayah(ktx))
    yield Hit("nik_sementara", temp_rows[layout], col, nik[temp_rows[layout]])
    yield Hit("nik_sementara_tidak_sah", temp_rows[~layout], col, nik[temp_rows[~layout]])
    rest = where(ok & ~temp)
    if len(rest) == 0:
        return
    dr = d[rest]
    day_raw, month, yy = _pair(dr, 6), _pair(dr, 8), _pair(dr, 10)
    day = np.where(day_raw > 40, day_raw - 40, day_raw)
    date_ok = _real_date(day, month, yy) & ((day_raw <= 31) | (day_raw >= 41))
    yield Hit("nik_tanggal", rest[~date_ok], col, nik[rest[~date_ok]])
    region_ok, kec_unknown = _region_ok(d, rest, _wilayah(ktx))
    bad_region = date_ok & ~region_ok
    yield Hit("nik_wilayah", rest[bad_region], col, nik[rest[bad_region]])
    good = date_ok & region_ok
    serial0 = good & (dr[:, 12:].sum(axis=1) == 0)
    yield Hit("nik_nomor_urut", rest[serial0], col, nik[rest[serial0]])
    kec = np.array([str(x)[:6] for x in nik[rest]], dtype=object)
    known_kec = np.isin(kec, list(ktx.kecamatan_dikenal | _wilayah(ktx).kecamatan))
    bad_kec = good & ~known_kec & (kec_unknown | bool(ktx.kecamatan_dikenal))
    yield Hit("nik_kecamatan", rest[bad_kec], col, nik[rest[bad_kec]])
    sex = frame.num("jenis_kelamin")[rest]
    bad_sex = good & np.isin(sex, [1, 2]) & ((day_raw > 40) != (sex == 2))
    sex_label = np.where(sex == 2, "perempuan", "laki-laki")
    yield Hit("nik_jenis_kelamin", rest[bad_sex], col, nik[rest[bad_sex]],
              {"jenis_kelamin": sex_label[bad_sex]})
    birth = frame.dates("tanggal_lahir")[rest]
    has_birth = ~np.isnat(birth)
    safe = np.where(has_birth, birth, np.datetime64("2000-01-01"))
    b_year = safe.astype("datetime64[Y]").astype(np.int64) + 1970
    b_month = safe.astype("datetime64[M]").astype(np.int64) % 12 + 1
    b_day = (safe - safe.astype("datetime64[M]")).astype(np.int64) + 1
    mismatch = good & has_birth & ((day != b_day) | (month != b_month) | (yy != b_year % 100))
    yield Hit("nik_tanggal_lahir", rest[mismatch], col, nik[rest[mismatch]],
              {"tanggal_lahir": [str(x) for x in birth[mismatch]]})


@rule(KELUARGA, "kk_format", "kk_sementara", "kk_sementara_tidak_sah", "kk_wilayah", "kk_tanggal",
      "kk_tanggal_depan", "kk_kabupaten")
def kk_rules(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    no_kk = frame.text("no_kk")
    col = "no_kk"
    d, ok = digits(no_kk)
    yield Hit("kk_format", where(~ok), col, no_kk[~ok])
    temp = ok & (d[:, 0] == 0)
    temp_rows = where(temp)
    layout = _temporary_ok(no_kk, temp_rows, _wilayah(ktx))
    yield Hit("kk_sementara", temp_rows[layout], col, no_kk[temp_rows[layout]])
    yield Hit("kk_sementara_tidak_sah", temp_rows[~layout], col, no_kk[temp_rows[~layout]])
    rest = where(ok & ~temp)
    if len(rest) == 0:
        return
    dr = d[rest]
    region_ok, _ = _region_ok(d, rest, _wilayah(ktx))
    yield Hit("kk_wilayah", rest[~region_ok], col, no_kk[rest[~region_ok]])
    day, month, yy = _pair(dr, 6), _pair(dr, 8), _pair(dr, 10)
    date_ok = _real_date(day, month, yy)
    yield Hit("kk_tanggal", rest[~date_ok], col, no_kk[rest[~date_ok]])
    today = ktx.hari_ini
    year = np.where(2000 + yy <= today.year, 2000 + yy, 1900 + yy)
    issued = year * 10000 + month * 100 + day
    future = date_ok & (issued > today.year * 10000 + today.month * 100 + today.day)
    yield Hit("kk_tanggal_depan", rest[future], col, no_kk[rest[future]])
    kab = np.array([ktx.kabupaten_desa.get(int(x), "") for x in frame.desa_id[rest]], dtype=object)
    prefix = np.array([str(x)[:4] for x in no_kk[rest]], dtype=object)
    other = (kab != "") & (prefix != kab)
    yield Hit("kk_kabupaten", rest[other], col, no_kk[rest[other]])


@rule(INDIVIDU, "koreksi_identitas")
def koreksi_identitas_rule(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    """A declared identity correction of the period stays a warning until someone justifies it
    (re-running the rules keeps it, so the justification is kept too)."""
    if not ktx.koreksi_identitas or frame.n == 0:
        return
    idx = np.flatnonzero(np.isin(frame.objek_id, np.fromiter(ktx.koreksi_identitas, dtype=np.int64)))
    yield Hit("koreksi_identitas", idx, "nama", [frame.text("nama")[i] for i in idx],
              {"alasan": [ktx.koreksi_identitas[int(frame.objek_id[i])] for i in idx]})
