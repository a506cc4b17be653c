"""Record linkage (issue 12): 60,000 agency rows against the full synthetic regency (216,000 people).

``python -m benchmarks.tautan_mesin_bench [--sumber N] [--registri N]`` prints one JSON line: the wall
time of ``tautkan`` (input preparation, NIK pass, u estimation, prediction, outcomes), the
process's peak RSS, the outcome counts and the accuracy against the planted truth. The registry
is drawn in memory with the ``presisi synth`` generator (no database), the list with
``presisi.synth.sektor`` (every perturbation of the accuracy test). Targets: ≤ 30 s, ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter

from benchmarks.common import REPO, machine, peak_rss_mb, setup_django, timed


def _akurasi(hasil, kebenaran: dict[int, int | None]) -> dict:
    from presisi.integration.tautan import mesin

    best: dict[int, int] = {}
    for p in hasil.pasangan:
        best.setdefault(p.id_sumber, p.id_registri)
    tp = fp = fn = luar = luar_tertaut = 0
    for idx, truth in kebenaran.items():
        linked = hasil.info["status"].get(idx + 1) == mesin.TERTAUT
        right = linked and best[idx + 1] == truth
        tp += right
        fp += linked and not right
        fn += truth is not None and not right
        luar += truth is None
        luar_tertaut += truth is None and linked
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
            "non_residents_not_linked": round(1 - luar_tertaut / max(luar, 1), 4)}


def main(n_sumber: int, n_registri: int) -> dict:
    setup_django(f"sqlite:///{REPO / 'var' / 'bench_tautan.sqlite3'}")  # settings only; no table is touched
    from presisi.integration.tautan import mesin
    from presisi.synth.sektor import baris_ke_kolom, daftar_sektor, penduduk_sintetis

    results: dict = {"machine": machine(), "date": dt.date.today().isoformat()}
    with timed(results, "registry_build_s"):
        registri = penduduk_sintetis(n_registri, seed=42)
    with timed(results, "list_build_s"):
        daftar = daftar_sektor(registri, n_sumber, seed=7)
        sumber = baris_ke_kolom(daftar.baris)
    results.update(registry_people=len(registri["id"]), source_rows=n_sumber)
    results["rss_before_link_mb"] = round(peak_rss_mb())
    hasil = mesin.tautkan(registri, sumber, threads=2)
    results["link_s"] = hasil.detik
    results["link_parts_s"] = {k: hasil.info[k] for k in ("siapkan_detik", "latih_detik", "prediksi_detik")}
    results["peak_rss_after_link_mb"] = round(peak_rss_mb())
    counts = Counter(hasil.info["status"].values())
    counts[mesin.TANPA_PASANGAN] += n_sumber - len(hasil.info["status"])
    results["outcomes"] = dict(counts)
    results["nik_pass"] = hasil.info["lewat_nik"]
    results["candidate_pairs"] = len(hasil.pasangan)
    results["accuracy"] = _akurasi(hasil, daftar.kebenaran)
    small = daftar_sektor(registri, 500, seed=8)
    with timed(results, "link_500_rows_s"):
        mesin.tautkan(registri, baris_ke_kolom(small.baris), threads=2)
    results["duplicates"] = _ganda(registri)
    results["peak_rss_mb"] = round(peak_rss_mb())
    return results


def _ganda(registri: dict[str, list]) -> dict:
    """``cari_ganda`` on the registry with 300 people planted twice (once under a temporary number)."""
    import time

    from presisi.integration.tautan import mesin

    reg = {k: list(v) for k, v in registri.items()}
    n = len(reg["id"])
    planted = set()
    for j, i in enumerate(range(0, n, n // 300)[:300]):
        if str(reg["nik"][i]).startswith("0"):
            continue
        for k in mesin.KOLOM:
            reg[k].append(reg[k][i])
        reg["id"][-1] = n + 1 + j
        reg["nik"][-1] = "0" + str(reg["kode_desa"][i]).replace(".", "") + f"{90000 + j:05d}"
        planted.add((reg["id"][i], n + 1 + j))
    start = time.perf_counter()
    pairs = mesin.cari_ganda(reg, threads=2)
    found = {(p.id_sumber, p.id_registri) for p in pairs if p.probabilitas >= 0.5}
    return {"seconds": round(time.perf_counter() - start, 3), "people": len(reg["id"]), "planted": len(planted),
            "planted_found_p_0_5": len(planted & found), "other_pairs_p_0_5": len(found - planted),
            "pairs_p_0_2": len(pairs)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sumber", type=int, default=60_000)
    parser.add_argument("--registri", type=int, default=216_000)
    args = parser.parse_args()
    print(json.dumps(main(args.sumber, args.registri)))
