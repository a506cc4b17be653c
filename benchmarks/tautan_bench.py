"""Record linkage, the Django side: 60,000 agency rows against the full synthetic regency (216,000 people).

First delivery (decisions → reuse → engine on every row), then the same file delivered again:
with the registry unchanged every outcome is reused (no engine call); with the registry changed
only linked rows and decisions are reused and the rest goes to the engine again.

``python -m benchmarks.tautan_bench [sqlite|postgresql]`` prints one JSON line. The engine's own
cost is reported apart (``detik_mesin``); with the branch's placeholder engine the totals measure
the Django overhead (frames, reuse, bulk writes of outcomes and candidates).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time

from benchmarks.common import drop_scratch, machine, peak_rss_mb, scratch_database, setup_django, timed

N_ROWS = 60_000


def _rows(n: int, seed: int = 7) -> list[dict]:
    from presisi.registry.models import Individu

    rng = random.Random(seed)
    people = list(Individu.objects.values_list("nik", "keluarga__no_kk", "nama", "jenis_kelamin", "tanggal_lahir",
                                               "desa__kode", "nama_ayah", "nama_ibu"))
    rng.shuffle(people)
    out = []
    for i, (nik, kk, nama, jk, tgl, desa, ayah, ibu) in enumerate(people[:n - n // 20]):
        if i % 8 == 0:
            nik = ""  # about 1 in 8 rows without NIK
        if i % 11 == 0:
            nama = nama.upper()
        out.append({"nik": nik, "no_kk": kk, "nama": nama, "jenis_kelamin": jk, "tanggal_lahir": tgl,
                    "kode_desa": desa, "nama_ayah": ayah, "nama_ibu": ibu})
    for i in range(n - len(out)):  # non-residents
        out.append({"nik": "", "no_kk": "", "nama": f"PENDATANG {i} {rng.randint(0, 10**6)}",
                    "jenis_kelamin": 1 + i % 2,
                    "tanggal_lahir": dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 25000)),
                    "kode_desa": out[i]["kode_desa"], "nama_ayah": "", "nama_ibu": ""})
    return out


def _kirim(ds, periode, rows: list[dict], versi: int, ingat: bool = False):
    from presisi.integration.kunci import kunci_baris
    from presisi.integration.models import BarisSumber, Pengiriman
    from presisi.regions.models import Wilayah

    p = Pengiriman.objects.create(dataset=ds, periode=periode, versi=versi, sumber=Pengiriman.CLI, sha256="0" * 64,
                                  jumlah_baris=len(rows))
    from presisi.integration.services.tautan import hasil_terdahulu

    desa = dict(Wilayah.objects.desa_kelurahan().values_list("kode", "pk"))
    objs = [BarisSumber(pengiriman=p, baris=i, desa_id=desa.get(r["kode_desa"]), **r, kunci=kunci_baris(
            **{k: r[k] for k in ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa")}))
            for i, r in enumerate(rows, start=1)]
    if ingat:  # what the delivery service can do: insert each row with its remembered outcome
        known = hasil_terdahulu(ds.pk, [b.kunci for b in objs])
        for b in objs:
            if b.kunci in known:
                b.status_tautan, b.metode, b.individu_id, b.skor = known[b.kunci]
    BarisSumber.objects.bulk_create(objs, batch_size=5000)
    return p


def main(engine: str) -> dict:
    setup_django(scratch_database(engine, "bench_tautan"))
    from django.core.management import call_command

    from presisi.dictionary.models import Sektor
    from presisi.integration.models import DatasetSektor
    from presisi.integration.services.tautan import tautan_jalankan
    from presisi.periods.models import Periode
    from presisi.registry.models import Individu

    results: dict = {"engine": engine, "machine": machine(), "date": dt.date.today().isoformat(), "rows": N_ROWS}
    call_command("migrate", verbosity=0)
    call_command("wilayah", "load")
    call_command("kamus", "load")
    call_command("synth", scale=1.0, seed=42, no_progress=True)
    results["people"] = Individu.objects.count()
    ds = DatasetSektor.objects.create(kode="bench-pkh", nama="bench", sektor=Sektor.objects.get(kode="dinsos"),
                                      unit="individu")
    periode = Periode.objects.create(kode="2026-S2", nama="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    rows = _rows(N_ROWS)
    p1 = _kirim(ds, periode, rows, 1)
    with timed(results, "pertama_s"):
        r1 = tautan_jalankan(p1)
    results["pertama"] = {k: v for k, v in r1.as_dict().items() if k != "mesin"}
    p2 = _kirim(ds, periode, list(reversed(rows)), 2)
    with timed(results, "kedua_registri_tetap_s"):
        r2 = tautan_jalankan(p2)
    results["kedua_registri_tetap"] = {k: v for k, v in r2.as_dict().items() if k != "mesin"}
    start = time.perf_counter()
    p4 = _kirim(ds, periode, rows, 4, ingat=True)
    results["kedua_diisi_saat_kirim_insert_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    r4 = tautan_jalankan(p4)
    results["kedua_diisi_saat_kirim_s"] = round(time.perf_counter() - start, 3)
    results["kedua_diisi_saat_kirim"] = {k: v for k, v in r4.as_dict().items() if k != "mesin"}
    person = Individu.objects.order_by("pk").first()  # one correction in the registry since
    person.nama_ibu = (person.nama_ibu or "") + " X"
    person.save()
    p3 = _kirim(ds, periode, rows, 5)
    start = time.perf_counter()
    r3 = tautan_jalankan(p3)
    results["ketiga_registri_berubah_s"] = round(time.perf_counter() - start, 3)
    results["ketiga_registri_berubah"] = {k: v for k, v in r3.as_dict().items() if k != "mesin"}
    results["peak_rss_mb"] = round(peak_rss_mb())
    drop_scratch(engine, "bench_tautan")
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")))
