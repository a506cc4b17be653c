"""PLACEHOLDER linkage engine (branch ``tautan``): same interface as the Splink engine of branch ``mesin``,
which replaces this file on merge. Exact NIK first, then rapidfuzz name similarity inside blocks of the
same birth date (or the day/month swap); a few per-field weights in log2 Bayes-factor form, prior included.
Deliberately simple: tests of the Django side must not depend on its scores."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

KOLOM = ["id", "nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_ayah", "nama_ibu"]
AMBANG_TERTAUT = 0.95
AMBANG_TINJAU = 0.5
PRIOR = -14.0  # log2 odds that two random records are the same person


@dataclass
class Pasangan:
    id_sumber: int
    id_registri: int
    probabilitas: float
    bobot_total: float
    bobot: list[dict] = field(default_factory=list)
    metode: str = "probabilistik"


@dataclass
class HasilTautan:
    pasangan: list[Pasangan]
    detik: float
    jumlah_sumber: int
    jumlah_registri: int
    info: dict = field(default_factory=dict)


def _kolom(frame: Any) -> dict[str, list]:
    if hasattr(frame, "to_pydict"):
        return frame.to_pydict()
    return {k: list(v) for k, v in frame.items()}


def _baris(frame: Any) -> list[dict]:
    cols = _kolom(frame)
    n = len(cols.get("id", []))
    return [{k: (cols.get(k) or [None] * n)[i] for k in KOLOM} for i in range(n)]


def _tanggal(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _teks(value: Any) -> str:
    return " ".join(str(value or "").upper().split())


def _p(w: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-w))


def _skor(s: dict, r: dict) -> tuple[float, list[dict]]:
    bobot = [{"kolom": "prior", "tingkat": "peluang awal", "bobot": PRIOR}]

    def add(kolom: str, tingkat: str, w: float) -> None:
        bobot.append({"kolom": kolom, "tingkat": tingkat, "bobot": w})

    if s["nik"] and r["nik"]:
        add("nik", "sama" if s["nik"] == r["nik"] else "beda", 12.0 if s["nik"] == r["nik"] else -3.0)
    sim = fuzz.token_sort_ratio(_teks(s["nama"]), _teks(r["nama"])) / 100.0
    add("nama", f"kemiripan {sim:.2f}", 8.0 if sim >= 0.95 else 5.0 if sim >= 0.85 else 1.0 if sim >= 0.7 else -6.0)
    ds, dr = _tanggal(s["tanggal_lahir"]), _tanggal(r["tanggal_lahir"])
    if ds and dr:
        add("tanggal_lahir", "sama" if ds == dr else "hari/bulan tertukar", 7.0 if ds == dr else 4.0)
    if s["jenis_kelamin"] and r["jenis_kelamin"]:
        same = int(s["jenis_kelamin"]) == int(r["jenis_kelamin"])
        add("jenis_kelamin", "sama" if same else "beda", 0.8 if same else -5.0)
    if s["kode_desa"] and r["kode_desa"]:
        same = s["kode_desa"] == r["kode_desa"]
        add("kode_desa", "sama" if same else "beda", 2.0 if same else -1.0)
    if s["no_kk"] and r["no_kk"]:
        same = s["no_kk"] == r["no_kk"]
        add("no_kk", "sama" if same else "beda", 3.0 if same else -0.5)
    return sum(b["bobot"] for b in bobot), bobot


def _kunci_tanggal(value: Any) -> list[dt.date]:
    d = _tanggal(value)
    if d is None:
        return []
    out = [d]
    if d.day <= 12 and d.day != d.month:
        out.append(d.replace(day=d.month, month=d.day))  # day ≤ 12: always a valid month
    return out


def _cocokkan(sumber: list[dict], registri: list[dict], teratas: int, ambang: float,
              sama_sisi: bool = False) -> list[Pasangan]:
    by_nik = {r["nik"]: r for r in registri if r["nik"]}
    by_tgl: dict[dt.date, list[dict]] = defaultdict(list)
    for r in registri:
        d = _tanggal(r["tanggal_lahir"])
        if d:
            by_tgl[d].append(r)
    out: list[Pasangan] = []
    for s in sumber:
        cands: dict[int, dict] = {}
        if s["nik"] and s["nik"] in by_nik:
            cands[by_nik[s["nik"]]["id"]] = by_nik[s["nik"]]
        for d in _kunci_tanggal(s["tanggal_lahir"]):
            for r in by_tgl.get(d, ()):
                cands[r["id"]] = r
        pairs = []
        for rid, r in cands.items():
            if sama_sisi and rid <= s["id"]:
                continue
            w, bobot = _skor(s, r)
            p = _p(w)
            if p >= ambang:
                metode = "nik" if s["nik"] and s["nik"] == r["nik"] else "probabilistik"
                pairs.append(Pasangan(s["id"], rid, p, w, bobot, metode))
        pairs.sort(key=lambda x: -x.probabilitas)
        out.extend(pairs[:teratas])
    return out


def tautkan(registri: Any, sumber: Any, *, teratas: int = 3, ambang_kandidat: float = 0.05,
            threads: int = 2) -> HasilTautan:
    start = time.perf_counter()
    reg, src = _baris(registri), _baris(sumber)
    pasangan = _cocokkan(src, reg, teratas, ambang_kandidat)
    return HasilTautan(pasangan, time.perf_counter() - start, len(src), len(reg), {"mesin": "placeholder"})


def cari_ganda(registri: Any, *, ambang_kandidat: float = 0.2, threads: int = 2) -> list[Pasangan]:
    reg = _baris(registri)
    pairs = _cocokkan(reg, reg, 5, ambang_kandidat, sama_sisi=True)
    # the same registry record never pairs with itself; a real NIK is unique, so "nik" cannot happen here
    return [p for p in pairs if not math.isnan(p.probabilitas)]


def status_dari(pasangan_terbaik_per_baris: list[Pasangan]) -> str:
    if not pasangan_terbaik_per_baris:
        return "tanpa_pasangan"
    best = pasangan_terbaik_per_baris[0].probabilitas
    second = pasangan_terbaik_per_baris[1].probabilitas if len(pasangan_terbaik_per_baris) > 1 else 0.0
    if best >= AMBANG_TERTAUT and second < AMBANG_TERTAUT:
        return "tertaut"
    if best >= AMBANG_TINJAU:
        return "tinjau"
    return "tanpa_pasangan"
