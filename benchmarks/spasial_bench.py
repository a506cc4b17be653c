"""Spatial layers benchmark (issue #12 item 6): demo hazard layers over the full synthetic regency.

``python -m benchmarks.spasial_bench [sqlite|postgresql]`` prints one JSON line: the upload of the
synthetic tsunami, landslide and road layers (read, check, write, exposure indicators) and one
exposure computation over 216,000 people / all buildings.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from benchmarks.common import SHARED, drop_scratch, machine, peak_rss_mb, scratch_database, setup_django, timed


def main(engine: str) -> dict:
    setup_django(scratch_database(engine, "bench_spasial"))
    from django.core.management import call_command

    from presisi.indicators.engine import hitung_indikator
    from presisi.integration.services.spasial import muat_demo_lapisan
    from presisi.integration.services.spasial_paparan import hitung_paparan, paparan_simpan
    from presisi.periods.models import Periode
    from presisi.registry.models import Bangunan

    results: dict = {"engine": engine, "machine": machine(), "date": dt.date.today().isoformat()}
    call_command("migrate", verbosity=0)
    call_command("wilayah", "load")
    call_command("wilayah", "boundaries", str(SHARED / "klungkung_desa.geojson"))
    call_command("kamus", "load")
    call_command("indikator", "load")
    call_command("synth", scale=1.0, seed=42, no_progress=True)
    periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    with timed(results, "hitung_indikator_s"):
        hitung_indikator(periode=periode)  # no layer yet: the exposure receiver does nothing
    with timed(results, "demo_layers_upload_s"):
        results["layers"] = muat_demo_lapisan()
    with timed(results, "exposure_compute_s"):
        p = hitung_paparan(periode=periode)
    results["exposure_detail_s"] = p.detik
    with timed(results, "exposure_compute_and_write_s"):
        paparan_simpan(periode=periode)
    results["buildings"] = Bangunan.objects.filter(aktif=True, lat__isnull=False).count()
    results["people_in_buildings"] = p.penduduk
    results["exposed_tsunami_sedang_tinggi"] = int(sum(v[0] for (d, b, k), v in p.sel.items()
                                                       if b == "tsunami" and k >= 2))
    results["exposed_longsor_sedang_tinggi"] = int(sum(v[0] for (d, b, k), v in p.sel.items()
                                                       if b == "longsor" and k >= 2))
    results["peak_rss_mb"] = round(peak_rss_mb())
    drop_scratch(engine, "bench_spasial")
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")))
