"""Foundation benchmark: loading regions and boundaries, and ``synth --scale 1.0`` (issue: foundation).

``python -m benchmarks.registry_bench [sqlite|postgresql]`` prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from benchmarks.common import SHARED, drop_scratch, machine, peak_rss_mb, scratch_database, setup_django, timed


def main(engine: str) -> dict:
    setup_django(scratch_database(engine, "bench_registri"))
    from django.core.management import call_command

    from presisi.registry.selectors import statistik_kabupaten

    results: dict = {"engine": engine, "machine": machine(), "date": dt.date.today().isoformat()}
    call_command("migrate", verbosity=0)
    with timed(results, "wilayah_load_s"):
        call_command("wilayah", "load")
    with timed(results, "boundaries_load_s"):
        call_command("wilayah", "boundaries", str(SHARED / "klungkung_desa.geojson"))
    with timed(results, "kamus_load_s"):
        call_command("kamus", "load")
    with timed(results, "synth_scale_1_s"):
        call_command("synth", scale=1.0, seed=42, no_progress=True)
    with timed(results, "stats_s"):
        stats = statistik_kabupaten()
    census = {"51.05.01": 57370, "51.05.02": 44431, "51.05.03": 64235, "51.05.04": 40889}
    total = sum(k["penduduk"] for k in stats["kecamatan"])
    results["people"] = total
    results["kecamatan_share_vs_census_pct"] = {
        k["kode"]: round(100 * (k["penduduk"] / total) / (census[k["kode"]] / sum(census.values())) - 100, 2)
        for k in stats["kecamatan"]
    }
    results["peak_rss_mb"] = round(peak_rss_mb())
    drop_scratch(engine, "bench_registri")
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")))
