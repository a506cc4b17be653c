"""Targeting accuracy and "where the sources disagree" on the full synthetic regency.

    .venv/bin/python -m benchmarks.sasaran_bench [--scale 1.0] [--rebuild]

A scratch SQLite file (var/bench_sasaran.sqlite3): regions, dictionary, ``synth`` (seed 42), one period's
analytic rows. Recipient lists are made from the registry's own ``penerima_*`` flags (every member of a
flagged household for PBI-JK, the household head otherwise), delivered as linked source rows; then
``sasaran_hitung`` per program and ``selisih_hitung`` on the PKH delivery are timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time

from benchmarks.common import REPO, machine, peak_rss_mb, setup_django

DB_NAME = "bench_sasaran"
FLAG = {"pkh": "penerima_pkh", "bpnt": "penerima_bpnt", "pbi_jk": "penerima_pkh", "blt_dd": "penerima_blt_dana_desa",
        "rtlh": "penerima_bantuan_rtlh"}


def _presisi(url: str, *args: str) -> None:
    env = {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "presisi.settings", "PYTHONPATH": str(REPO),
           "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "presisi.cli", args[0], "--skip-checks", *args[1:]], cwd=REPO, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def prepare(scale: float, rebuild: bool) -> tuple[str, dict]:
    path = REPO / "var" / f"{DB_NAME}.sqlite3"
    marker = path.with_suffix(f".scale-{scale:g}.ok")
    url = f"sqlite:///{path}"
    if marker.exists() and path.exists() and not rebuild:
        _presisi(url, "migrate", "--noinput")
        return url, {}
    for suffix in ("", "-wal", "-shm"):
        (REPO / "var" / f"{DB_NAME}.sqlite3{suffix}").unlink(missing_ok=True)
    times = {}
    for name, args in (("migrate", ["migrate", "--noinput"]), ("wilayah", ["wilayah", "load"]),
                       ("kamus", ["kamus", "load"]),
                       ("synth", ["synth", "--scale", str(scale), "--seed", "42", "--no-progress"])):
        t = time.perf_counter()
        _presisi(url, *args)
        times[name] = round(time.perf_counter() - t, 1)
    marker.write_text(json.dumps(times))
    return url, times


def deliveries(periode) -> None:
    from django.db import transaction

    from presisi.dictionary.models import Sektor
    from presisi.integration.models import TERTAUT, BarisSumber, DatasetSektor, Pengiriman
    from presisi.registry.models import Individu

    with transaction.atomic():
        for program, flag in FLAG.items():
            ds, _ = DatasetSektor.objects.get_or_create(
                kode=f"bench-{program}", defaults={"nama": program, "sektor": Sektor.objects.get(kode="dinsos"),
                                                   "unit": "individu", "program": program})
            Pengiriman.objects.filter(dataset=ds).delete()
            kirim = Pengiriman.objects.create(dataset=ds, periode=periode, versi=1, sumber=Pengiriman.CLI,
                                              sha256="0" * 64)
            people = Individu.objects.filter(**{f"rumah_tangga__atribut__{flag}": 1})
            if program != "pbi_jk":
                people = people.filter(hubungan_rumah_tangga=1)
            rows = [BarisSumber(pengiriman=kirim, baris=n, desa_id=p["desa_id"], kode_desa="", nik=p["nik"],
                                jenis_kelamin=p["jenis_kelamin"], tanggal_lahir=p["tanggal_lahir"],
                                kunci=f"{program}{n:058d}", status_tautan=TERTAUT, individu_id=p["id"])
                    for n, p in enumerate(people.values("id", "desa_id", "nik", "jenis_kelamin", "tanggal_lahir"),
                                          start=1)]
            BarisSumber.objects.bulk_create(rows, batch_size=5000)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    url, setup_times = prepare(args.scale, args.rebuild)
    setup_django(url)
    from presisi.indicators.analytics.build import snapshot_build
    from presisi.integration.models import Pengiriman, Program
    from presisi.integration.services.sasaran import program_bawaan_muat, rekap_wilayah, sasaran_hitung
    from presisi.integration.services.selisih import selisih_hitung
    from presisi.periods.models import Periode
    from presisi.registry.models import Individu

    program_bawaan_muat()
    ref = dt.date(2026, 6, 30)
    periode, _ = Periode.objects.get_or_create(kode="2026-S1", defaults={"tanggal_referensi": ref,
                                                                         "tanggal_mulai": dt.date(2026, 1, 1)})
    out: dict = {"machine": machine(), "people": Individu.objects.count(), "setup_s": setup_times}
    t = time.perf_counter()
    snapshot_build(periode=periode)
    out["analytics_build_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    deliveries(periode)
    out["deliveries_s"] = round(time.perf_counter() - t, 1)
    out["sasaran"] = {}
    for program in Program.objects.order_by("kode"):
        t = time.perf_counter()
        hasil = sasaran_hitung(program=program, periode=periode)
        took = time.perf_counter() - t
        kab = next(r for r in rekap_wilayah(hasil).values() if r["kedalaman"] == 2)
        out["sasaran"][program.kode] = {"detik": round(took, 2), "layak": kab["layak"], "penerima": kab["penerima"],
                                        "inklusi": round(kab["inklusi"] or 0, 3),
                                        "eksklusi": round(kab["eksklusi"] or 0, 3)}
    kirim = Pengiriman.objects.get(dataset__kode="bench-pkh")
    t = time.perf_counter()
    out["selisih_pkh_item"] = selisih_hitung(kirim)
    out["selisih_pkh_s"] = round(time.perf_counter() - t, 2)
    out["selisih_pkh_baris"] = kirim.baris.count()
    out["peak_rss_mb"] = round(peak_rss_mb())
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
