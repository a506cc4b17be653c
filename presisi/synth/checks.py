"""Vectorised checks of the generated NIK and No. KK against the identifier rules (codes.md §3–§5).

All rules are checked on every number with numpy; the official per-number functions
(``nik_findings``/``kk_findings``) are also run on an evenly spread sample, so that a
change in those rules is noticed here too. Any finding raises ``SynthBug``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from presisi.core.exceptions import Finding
from presisi.registry.identifiers import errors_only, is_temporary, kk_findings, nik_findings
from presisi.registry.models import PEREMPUAN
from presisi.synth.encode import SynthBug

SAMPLE = 1500


def _parts(numbers: np.ndarray) -> tuple[np.ndarray, ...]:
    digits = numbers.astype("U16")
    region = np.array([s[:6] for s in digits.tolist()])
    values = np.array([int(s[6:]) for s in digits.tolist()], dtype=np.int64)
    return region, values // 10**8, values // 10**6 % 100, values // 10**4 % 100, values % 10**4


def _sample_rows(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, SAMPLE)).astype(np.int64)) if n else np.zeros(0, dtype=np.int64)


def _basic(numbers: np.ndarray, what: str) -> list[Finding]:
    findings = []
    bad = np.flatnonzero((np.char.str_len(numbers.astype("U17")) != 16) | ~np.char.isdigit(numbers.astype("U17")))
    findings += [Finding(rule=f"{what}_format", row=int(i), value=str(numbers[i]), message="harus 16 digit")
                 for i in bad[:20]]
    values, counts = np.unique(numbers, return_counts=True)
    findings += [Finding(rule=f"{what}_ganda", value=str(v), message="nomor ganda") for v in values[counts > 1][:20]]
    return findings


def check_nik(nik: list[str], sex: np.ndarray, birth: np.ndarray, temporary: np.ndarray,
              kecamatan: set[str]) -> None:
    numbers = np.array(nik, dtype=object)
    findings = _basic(numbers, "nik")
    if findings:
        raise SynthBug("NIK sintetis tidak sah", findings)
    flagged = np.array([is_temporary(s) for s in nik])
    if not np.array_equal(flagged, temporary):
        raise SynthBug("penanda NIK sementara tidak cocok dengan nomornya")
    real = ~temporary
    region, dd, mm, yy, serial = _parts(numbers[real])
    days = (birth[real] - birth[real].astype("datetime64[M]")).astype(np.int64) + 1
    months = birth[real].astype("datetime64[M]").astype(np.int64) % 12 + 1
    years = (birth[real].astype("datetime64[Y]").astype(np.int64) + 1970) % 100
    female = sex[real] == PEREMPUAN
    bad = ~np.isin(region, list(kecamatan)) | (serial == 0) | (mm != months) | (yy != years)
    bad |= dd != days + np.where(female, 40, 0)
    if bad.any():
        rows = np.flatnonzero(real)[np.flatnonzero(bad)]
        raise SynthBug("NIK sintetis melanggar aturan", [
            Finding(rule="nik", row=int(i), value=nik[i], message="wilayah/tanggal/jenis kelamin/nomor urut salah")
            for i in rows[:20]])
    _official_nik_sample(nik, sex, birth, kecamatan)


def _official_nik_sample(nik: list[str], sex: np.ndarray, birth: np.ndarray, kecamatan: set[str]) -> None:
    findings: list[Finding] = []
    for i in _sample_rows(len(nik)).tolist():
        found = nik_findings(nik[i], jenis_kelamin=int(sex[i]), tanggal_lahir=birth[i].astype(dt.date),
                             kecamatan_dikenal=kecamatan, row=i)
        findings += [f for f in found if f.rule != "nik_sementara"]
    if findings:
        raise SynthBug("NIK sintetis ditolak aturan identitas", findings)


def check_kk(no_kk: list[str], issued: np.ndarray, kecamatan: set[str], kode_kabupaten: str,
             today: dt.date) -> None:
    numbers = np.array(no_kk, dtype=object)
    findings = _basic(numbers, "kk")
    if findings:
        raise SynthBug("No. KK sintetis tidak sah", findings)
    region, dd, mm, yy, serial = _parts(numbers)
    days = (issued - issued.astype("datetime64[M]")).astype(np.int64) + 1
    months = issued.astype("datetime64[M]").astype(np.int64) % 12 + 1
    years = (issued.astype("datetime64[Y]").astype(np.int64) + 1970) % 100
    bad = ~np.isin(region, list(kecamatan)) | (serial == 0) | (dd != days) | (mm != months) | (yy != years)
    bad |= issued > np.datetime64(today)
    if bad.any():
        raise SynthBug("No. KK sintetis melanggar aturan", [
            Finding(rule="kk", row=int(i), value=no_kk[i], message="wilayah/tanggal/nomor urut salah")
            for i in np.flatnonzero(bad)[:20]])
    sample = [f for i in _sample_rows(len(no_kk)).tolist()
              for f in kk_findings(no_kk[i], kode_kabupaten=kode_kabupaten, today=today, row=i)]
    if sample:
        raise SynthBug("No. KK sintetis ditolak aturan identitas", errors_only(sample) or sample)
