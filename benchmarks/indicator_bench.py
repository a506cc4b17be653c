"""Indicator engine benchmark: all standard indicators, all levels, one period, full synthetic regency.

Runs in a fresh process per engine: ``python -m benchmarks.indicator_bench [sqlite|postgresql]``.
Prints one JSON line. Also times one hand-written SQL query computing three indicators per
banjar straight from the analytic tables, and checks its numbers equal the engine's.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from benchmarks.common import SHARED, drop_scratch, machine, peak_rss_mb, scratch_database, setup_django, timed

HAND_WRITTEN = """
SELECT t.banjar_id,
       SUM(CASE WHEN t.umur >= 65 THEN 1 ELSE 0 END) AS lansia, COUNT(*) AS penduduk,
       SUM(CASE WHEN t.umur_bulan < 60 AND t.haz < -2 THEN 1 ELSE 0 END) AS stunting,
       SUM(CASE WHEN t.umur_bulan < 60 AND t.haz IS NOT NULL THEN 1 ELSE 0 END) AS balita_diukur
FROM analitik_individu t WHERE t.periode_id = %s GROUP BY t.banjar_id
"""
HAND_WRITTEN_RT = """
SELECT t.banjar_id, SUM(CASE WHEN t.air_minum_layak = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN t.air_minum_layak IS NOT NULL
THEN 1 ELSE 0 END) FROM analitik_rumah_tangga t WHERE t.periode_id = %s GROUP BY t.banjar_id
"""
SAME_THREE = ["persentase_lansia_65", "prevalensi_stunting", "persentase_rt_air_minum_layak"]


def main(engine: str) -> dict:
    setup_django(scratch_database(engine, "bench_indikator"))
    from django.core.management import call_command
    from django.db import connection

    from presisi.indicators.engine import hitung_indikator
    from presisi.indicators.models import NilaiIndikator
    from presisi.periods.models import Periode

    results: dict = {"engine": engine, "machine": machine(), "date": dt.date.today().isoformat()}
    call_command("migrate", verbosity=0)
    call_command("wilayah", "load")
    call_command("wilayah", "boundaries", str(SHARED / "klungkung_desa.geojson"))
    call_command("kamus", "load")
    call_command("indikator", "load")
    call_command("synth", scale=1.0, seed=42, no_progress=True)
    periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    first = hitung_indikator(periode=periode)
    results["full_first_run_s"] = first.detik
    results["indicators"], results["facts"] = first.indikator, first.fakta
    with timed(results, "recompute_unchanged_registry_s"):
        hitung_indikator(periode=periode)  # fingerprints match: no desa is re-extracted
    from presisi.indicators.analytics.build import snapshot_build

    with timed(results, "snapshot_rebuild_all_desa_s"):
        snapshot_build(periode=periode, paksa=True)
    with timed(results, "all_indicators_from_snapshot_s"):
        hitung_indikator(periode=periode, bangun_snapshot=False)
    with timed(results, "one_desa_after_approval_s"):
        from presisi.regions.models import Wilayah

        hitung_indikator(periode=periode, desa=[Wilayah.objects.get(kode="51.05.01.2001").pk])
    with timed(results, "engine_three_indicators_s"):
        hitung_indikator(periode=periode, kode=SAME_THREE, bangun_snapshot=False)
    with connection.cursor() as cursor, timed(results, "hand_written_sql_three_indicators_s"):
        cursor.execute(HAND_WRITTEN, [periode.pk])
        people = {r[0]: r[1:] for r in cursor.fetchall()}
        cursor.execute(HAND_WRITTEN_RT, [periode.pk])
        households = {r[0]: r[1:] for r in cursor.fetchall()}
    results["overhead_ratio"] = round(results["engine_three_indicators_s"]
                                      / max(results["hand_written_sql_three_indicators_s"], 1e-6), 1)
    lansia = dict(NilaiIndikator.objects.filter(indikator__kode="persentase_lansia_65", kedalaman=5,
                                                disagregasi="total").values_list("wilayah_id", "pembilang"))
    results["hand_written_matches"] = all(lansia.get(b) == v[0] for b, v in people.items()) and bool(households)
    results["peak_rss_mb"] = round(peak_rss_mb())
    drop_scratch(engine, "bench_indikator")
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")))
