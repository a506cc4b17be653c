"""Sector delivery benchmark: one 60,000-row agency list through ``pengiriman_terima``, committed.

    .venv/bin/python -m benchmarks.sektor_bench [--engine sqlite|postgresql|both] [--baris 60000]

In a scratch database per engine: migrate, load the Klungkung regions and the dictionary, then time
(1) a dry run, (2) the delivery (parse, normalise, NIK/KK rules, desa, keys, one bulk insert — COPY on
PostgreSQL — and the commit with its deferred foreign-key checks), (3) the same bytes again (must be
recognised: nothing written). The list is like an agency's: 1 in 8 rows without NIK, day-first dates,
L/P, undotted desa codes in half of the rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from benchmarks.common import drop_scratch, machine, peak_rss_mb, scratch_database, setup_django

ENGINES = ("sqlite", "postgresql")


def daftar(n: int, desa: list[str]) -> bytes:
    lines = ["NIK,NO KK,NAMA LENGKAP,JK,TGL LAHIR,KODE DESA,ALAMAT,BANTUAN,DESIL"]
    for i in range(n):
        day, woman = (i % 28) + 1, i % 2
        nik = f"510501{day + 40 * woman:02d}0380{i % 9999 + 1:04d}" if i % 8 else ""
        kode = desa[i % len(desa)]
        kode = kode.replace(".", "") if i % 2 else kode
        lines.append(f"{nik},5105010203150001,Warga {i},{'LP'[woman]},{day:02d}-03-1980,{kode},Banjar {i % 7},"
                     f"PKH,{i % 10 + 1}")
    return ("\n".join(lines) + "\n").encode()


def run(engine: str, n: int) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from presisi.dictionary.services import kamus_load
    from presisi.integration.models import BarisSumber
    from presisi.integration.services.dataset import dataset_buat
    from presisi.integration.services.pengiriman import pengiriman_terima
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah
    from presisi.regions.services import wilayah_load_csv

    call_command("migrate", verbosity=0)
    wilayah_load_csv(data=settings.PRESISI_REGION_FILE)
    kamus_load()
    periode = Periode.objects.create(kode="2026-S2", nama="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    ds = dataset_buat(oleh=None, kode="dinsos-pkh", sektor="dinsos", data={"nama": "PKH", "unit": "individu",
                                                                         "metadata": {"cakupan_wilayah": "51.05"}})
    desa = list(Wilayah.objects.desa_kelurahan().values_list("kode", flat=True))
    data = daftar(n, desa)
    out: dict = {"engine": engine, "baris": n, "byte": len(data)}
    for label, kwargs in (("uji_coba_s", {"dry_run": True}), ("kirim_s", {}), ("kirim_ulang_s", {})):
        start = time.perf_counter()
        hasil = pengiriman_terima(ds, periode, data, "pkh.csv", oleh=None, sumber="cli", **kwargs)
        out[label] = round(time.perf_counter() - start, 2)
        out[label.replace("_s", "_baru")] = hasil.baru
    out["baris_tersimpan"] = BarisSumber.objects.count()
    out["peringatan"] = hasil.jumlah.get("peringatan")
    out["peak_rss_mb"] = round(peak_rss_mb())
    connection.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="both", choices=[*ENGINES, "both"])
    parser.add_argument("--baris", type=int, default=60_000)
    parser.add_argument("--_satu", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._satu:  # one engine in this process (fresh Django, fresh scratch database)
        setup_django(scratch_database(args._satu, "presisi_bench_sektor"))
        try:
            print(json.dumps(run(args._satu, args.baris)))
        finally:
            drop_scratch(args._satu, "presisi_bench_sektor")
        return
    import subprocess
    import sys

    print(machine())
    for engine in ENGINES if args.engine == "both" else (args.engine,):
        proc = subprocess.run([sys.executable, "-m", "benchmarks.sektor_bench", "--_satu", engine, "--baris",
                               str(args.baris)], capture_output=True, text=True)
        print(proc.stdout.strip() or proc.stderr[-2000:])


if __name__ == "__main__":
    main()
