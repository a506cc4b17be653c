"""Import benchmark: the whole synthetic regency through the importer, every rule on.

    .venv/bin/python -m benchmarks.import_bench [--engine sqlite|postgresql|both] [--scale 1.0]

For each engine, in a scratch database (a SQLite file under var/, or a PostgreSQL database
made with createdb and dropped afterwards), and each phase in its own process so that the
peak memory (ru_maxrss) of one phase is not inflated by another:

1. prepare: migrate, load regions + dictionary, generate the synthetic regency (synth),
   export it to one template XLSX per desa, then wipe the registry;
2. import: time one batch of every desa file (``impor_banyak_buat`` + ``impor_banyak_proses``:
   read, clean, compare, all rules, write, audit, findings; one job per desa, one worker
   process per core plus one) — the number to compare with the 60 s / 1.5 GB target (peak
   memory is the parent's plus, for each worker, the largest worker's peak);
3. kirim_ulang: the same files again, which must report every row unchanged (``tetap``);
4. nik_asing: the same files with 1% of people carrying another registered person's NIK (someone
   of another desa, with this row's own name and birth data): every such row must be an error
   (``nik_orang_lain``) naming the registered person, and no registry row may change;
5. sel_kosong: the same files with 5% of the non-identity cells blank: a blank never erases, so
   no stored value may be cleared and no registry row may change;
6. validate: time ``validasi_jalankan_wilayah`` over the whole regency (216k people);
7. insert: wipe again and time only ``bulk_insert`` of the same rows (the floor).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.common import REPO, machine, peak_rss_mb, scratch_database, setup_django, worker_peak_rss_mb

WORK = REPO / "var" / "bench_import"
PERIODE = "2026-S2"
ENGINES = ("sqlite", "postgresql")


# ------------------------------------------------------------------------------------ phases

def phase_prepare(scale: float) -> dict:
    from django.conf import settings
    from django.core.management import call_command

    from presisi.dictionary.services import kamus_load
    from presisi.regions.services import wilayah_load_csv
    from presisi.synth.services import synth_generate

    call_command("migrate", verbosity=0)
    wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    kamus_load()
    start = time.perf_counter()
    summary = synth_generate(scale=scale, seed=42)
    synth_s = time.perf_counter() - start
    start = time.perf_counter()
    files = export_templates(WORK)
    export_s = time.perf_counter() - start
    rows = wipe_registry()
    return {"synth_detik": round(synth_s, 1), "ekspor_detik": round(export_s, 1), "berkas": len(files),
            "individu": summary.individu, "baris_dihapus": rows,
            "ukuran_berkas_mb": round(sum(f.stat().st_size for f in files) / 1e6, 1)}


def export_templates(folder: Path) -> list[Path]:
    """One filled template workbook per desa, from the synthetic registry."""
    from presisi.imports.export import ekspor_desa_xlsx
    from presisi.regions.models import Wilayah

    for old in folder.glob("*.xlsx"):
        old.unlink()
    files = []
    for desa in Wilayah.objects.desa_kelurahan().order_by("kode"):
        path = folder / f"desa-{desa.kode.replace('.', '')}.xlsx"
        path.write_bytes(ekspor_desa_xlsx(desa=desa))
        files.append(path)
    return files


def wipe_registry() -> int:
    from django.db import connection

    from presisi.registry.models import Bangunan, Individu, Keluarga, Peristiwa, RumahTangga

    n = 0
    with connection.cursor() as cursor:
        for model in (Peristiwa, Individu, Keluarga, RumahTangga, Bangunan):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
            n += max(cursor.rowcount, 0)
    return n


def import_batch(folder: Path | None = None) -> dict:
    """Every desa file in one batch as a kabupaten admin would send it (``presisi import FOLDER
    --periode P``): one job per desa, ``jobs_default()`` workers; the summed summary."""
    from presisi.imports.batch import Berkas, impor_banyak_buat, impor_banyak_proses, jobs_default
    from presisi.imports.selectors import total_unit
    from presisi.periods.codes import periode_bounds
    from presisi.periods.models import Periode

    mulai, ref = periode_bounds(PERIODE)
    periode, _ = Periode.objects.get_or_create(kode=PERIODE, defaults={"tanggal_mulai": mulai,
                                                                       "tanggal_referensi": ref})
    files = sorted((folder or WORK).glob("*.xlsx"))
    jobs = jobs_default()
    start = time.perf_counter()
    created = impor_banyak_buat(berkas=[Berkas(nama=p.name, isi=p.read_bytes()) for p in files], periode=periode,
                                antrekan=False)
    done = impor_banyak_proses(impor_ids=[i.pk for i in created], jobs=jobs)
    elapsed = time.perf_counter() - start
    rows = sum((Counter(counts) for counts in total_unit(done).values()), Counter())
    totals = {"baris": rows.total(), **{key: rows[key] for key in ("dibuat", "diubah", "tetap", "ditolak")},
              "error": sum(r.jumlah_error for r in done), "warning": sum(r.jumlah_warning for r in done),
              "berkas_ditolak": sum(r.hasil != r.DITERIMA for r in done)}
    per_rule = Counter(f["rule"] for r in done for f in r.temuan)
    return {"detik": round(elapsed, 1), "baris_per_detik": round(totals["baris"] / elapsed), "proses": jobs,
            **totals, "temuan_per_aturan": dict(per_rule.most_common()),
            # parent + every worker at its own peak: an upper bound (forked workers share pages)
            "puncak_memori_mb": round(peak_rss_mb() + jobs * worker_peak_rss_mb()),
            "puncak_memori_pekerja_mb": round(worker_peak_rss_mb()), "_jobs": done}


def phase_import() -> dict:
    """The whole regency into an empty registry: the number against the 60 s / 1.5 GB target."""
    result = import_batch()
    result.pop("_jobs")
    return result


def phase_resend() -> dict:
    """The same files again: every row is read, compared and checked, and nothing may change."""
    from presisi.registry.models import Individu

    before = Individu.objects.count()
    result = import_batch()
    result.pop("_jobs")
    result["individu_bertambah"] = Individu.objects.count() - before
    return result


# Person columns that say who someone is or link them: never blanked by the sel_kosong phase.
IDENTITAS = {"nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_rumah_tangga",
             "kode_bangunan", "banjar"}


def export_variant(folder: Path, mutate) -> list[Path]:
    """Like ``export_templates``, with ``mutate(unit, desa, rows)`` changing each sheet's rows first."""
    from openpyxl import Workbook

    from presisi.imports.columns import SHEET_NAMES, UNITS, unit_columns
    from presisi.imports.export import LOADERS, _active, _cell
    from presisi.regions.models import Wilayah

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    files = []
    for desa in Wilayah.objects.desa_kelurahan().order_by("kode"):
        banjar = {b.pk: b.kode.rsplit(".", 1)[-1] for b in Wilayah.objects.banjar().filter(induk=desa)}
        wb = Workbook(write_only=True)
        for unit in UNITS:
            cols = unit_columns(unit)
            ws = wb.create_sheet(SHEET_NAMES[unit])
            ws.append([c.kode for c in cols])
            ws.append([c.label + (" *" if c.wajib else "") for c in cols])
            rows = [{c.kode: _cell(c, rec, banjar) for c in cols}
                    for rec in LOADERS[unit](desa).values() if _active(unit, rec)]
            mutate(unit, desa, rows)
            for row in rows:
                ws.append([row[c.kode] for c in cols])
        path = folder / f"desa-{desa.kode.replace('.', '')}.xlsx"
        wb.save(path)
        files.append(path)
    return files


def registry_changes(since) -> dict:
    """Registry rows written since ``since`` (changed, created, events): all must stay 0."""
    from presisi.registry.models import Bangunan, Individu, Keluarga, Peristiwa, RumahTangga

    return {"diubah": sum(m.objects.filter(diubah__gte=since).count()
                          for m in (Individu, Keluarga, RumahTangga, Bangunan)),
            "dibuat": sum(m.objects.filter(dibuat__gte=since).count()
                          for m in (Individu, Keluarga, RumahTangga, Bangunan)),
            "peristiwa": Peristiwa.objects.filter(dicatat_pada__gte=since).count()}


def phase_foreign_nik() -> dict:
    """1% of people carry the NIK of a registered person of another desa (with their own name and birth)."""
    import random

    from django.utils import timezone

    from presisi.registry.identitas import nama_mirip
    from presisi.registry.models import HIDUP, Individu

    rng = random.Random(10)
    people = list(Individu.objects.filter(status_dasar=HIDUP).values_list("nik", "nama", "tanggal_lahir",
                                                                          "desa__kode"))
    planted: dict[str, str] = {}  # row's own NIK → registered name of the NIK it now carries

    def mutate(unit, desa, rows):
        if unit != "individu":
            return
        for row in rows:
            if rng.random() >= 0.01:
                continue
            for _ in range(20):  # someone else: another desa, another birth date, not a name variant
                nik, nama, lahir, kode = people[rng.randrange(len(people))]
                if kode != desa.kode and str(lahir) != str(row["tanggal_lahir"]) and not nama_mirip(nama,
                                                                                                  row["nama"]):
                    planted[row["nik"]] = nama
                    row["nik"] = nik
                    break

    folder = WORK / "nik_asing"
    export_variant(folder, mutate)
    since = timezone.now()
    result = import_batch(folder)
    found = [f for r in result.pop("_jobs") for f in r.temuan if f["rule"] == "nik_orang_lain"]
    named = sum(1 for f in found if any(name in f["message"] for name in planted.values()))
    result.update(baris_nik_asing=len(planted), temuan_nik_orang_lain=len(found), menyebut_pemilik=named,
                  perubahan_registri=registry_changes(since))
    result["lolos"] = (len(found) >= len(planted) and named >= len(planted)
                       and not any(result["perubahan_registri"].values()))
    return result


def phase_blank_cells() -> dict:
    """The same files with 5% of the non-identity cells blank: nothing stored may be cleared."""
    import random

    from django.utils import timezone

    from presisi.imports.columns import columns_by_code

    rng = random.Random(5)
    blanked = 0
    required = {unit: {c.kode for c in columns_by_code(unit).values() if c.wajib}
                for unit in ("individu", "keluarga", "rumah_tangga", "bangunan")}

    def mutate(unit, desa, rows):
        nonlocal blanked
        keep = IDENTITAS | required[unit]  # a blank required cell is refused: not what this phase measures
        for row in rows:
            for kode in row:
                if kode not in keep and row[kode] not in ("", None) and rng.random() < 0.05:
                    row[kode] = ""
                    blanked += 1

    folder = WORK / "sel_kosong"
    export_variant(folder, mutate)
    since = timezone.now()
    result = import_batch(folder)
    jobs = result.pop("_jobs")
    cleared = sum(int((r.ringkasan or {}).get("jumlah_dikosongkan") or 0) for r in jobs)
    result.update(sel_dikosongkan_di_berkas=blanked, nilai_tersimpan_dikosongkan=cleared,
                  perubahan_registri=registry_changes(since))
    result["lolos"] = (cleared == 0 and result["diubah"] == 0 and result["berkas_ditolak"] == 0
                       and not any(result["perubahan_registri"].values()))
    return result


def phase_validate() -> dict:
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah
    from presisi.validation.services import validasi_jalankan_wilayah

    kab = Wilayah.objects.filter(kedalaman=2).order_by("kode").first()
    periode = Periode.objects.get(kode=PERIODE)
    start = time.perf_counter()
    result = validasi_jalankan_wilayah(wilayah=kab, periode=periode)
    first = time.perf_counter() - start
    start = time.perf_counter()
    validasi_jalankan_wilayah(wilayah=kab, periode=periode)  # findings already stored: the steady state
    again = time.perf_counter() - start
    return {"detik_pertama": round(first, 2), "detik_ulang": round(again, 2),
            "individu": sum(r.jumlah_individu for r in result), "error": sum(r.error for r in result),
            "warning": sum(r.warning for r in result), "puncak_memori_mb": round(peak_rss_mb())}


def phase_insert() -> dict:
    """Read the same rows back, wipe, and time only bulk_insert of them (per unit, in link order)."""
    from django.db import connection, transaction

    from presisi.core.db import bulk_insert
    from presisi.registry.models import Bangunan, Individu, Keluarga, RumahTangga

    tables = {}
    for model in (Bangunan, RumahTangga, Keluarga, Individu):
        cols = [f.column for f in model._meta.concrete_fields]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(cols)} FROM {model._meta.db_table}")
            rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            rows = [[json.dumps(v) if isinstance(v, dict) else v for v in r] for r in rows]
        tables[model] = (cols, rows)
    wipe_registry()
    start = time.perf_counter()
    n = 0
    with transaction.atomic():
        for model, (cols, rows) in tables.items():
            n += bulk_insert(model._meta.db_table, cols, rows)
    elapsed = time.perf_counter() - start
    return {"detik": round(elapsed, 2), "baris": n, "baris_per_detik": round(n / elapsed),
            "puncak_memori_mb": round(peak_rss_mb())}


PHASES = {"prepare": phase_prepare, "import": phase_import, "kirim_ulang": phase_resend,
          "nik_asing": phase_foreign_nik, "sel_kosong": phase_blank_cells,
          "validate": phase_validate, "insert": phase_insert}


# ------------------------------------------------------------------------------------ driver

def run_child(engine: str, phase: str, url: str, scale: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.import_bench", "--child", phase, "--url", url, "--scale", str(scale)]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env={**os.environ, "DATABASE_URL": url})
    if out.returncode != 0:
        raise RuntimeError(f"{engine}/{phase} gagal:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_engine(engine: str, scale: float) -> dict:
    name = "presisi_bench_import"
    url = scratch_database(engine, name)
    try:
        result = {"engine": engine}
        for phase in PHASES:
            print(f"[{engine}] {phase} …", file=sys.stderr, flush=True)
            result[phase] = run_child(engine, phase, url, scale)
        return result
    finally:
        for path in [*WORK.glob("*.xlsx"), *WORK.glob("*/*.xlsx")]:
            path.unlink()
        if engine == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)


def report(results: list[dict]) -> str:
    lines = ["| engine | import (s) | rows/s | peak MB | re-send (s; created/changed/unchanged) "
             "| rules over regency (s, first/again) | bulk_insert (s) | rows/s | import ÷ insert "
             "| findings (err/warn) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        i, k, v, b = r["import"], r["kirim_ulang"], r["validate"], r["insert"]
        lines.append(f"| {r['engine']} | {i['detik']} | {i['baris_per_detik']:,} | {i['puncak_memori_mb']} | "
                     f"{k['detik']}; {k['dibuat']}/{k['diubah']}/{k['tetap']:,} | "
                     f"{v['detik_pertama']} / {v['detik_ulang']} | {b['detik']} | {b['baris_per_detik']:,} | "
                     f"{i['detik'] / b['detik']:.1f}× | {i['error']}/{i['warning']} |")
    for r in results:
        a, z = r.get("nik_asing"), r.get("sel_kosong")
        if a and z:
            lines.append(f"\n{r['engine']}: NIK orang lain {a['temuan_nik_orang_lain']}/{a['baris_nik_asing']} "
                         f"baris ditolak menyebut pemilik ({a['menyebut_pemilik']}), perubahan registri "
                         f"{a['perubahan_registri']} — {'LOLOS' if a['lolos'] else 'GAGAL'}; sel kosong "
                         f"{z['sel_dikosongkan_di_berkas']:,}: nilai terhapus {z['nilai_tersimpan_dikosongkan']}, "
                         f"diubah {z['diubah']} — {'LOLOS' if z['lolos'] else 'GAGAL'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--child", choices=list(PHASES))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        setup_django(args.url)
        WORK.mkdir(parents=True, exist_ok=True)
        print(json.dumps(PHASES[args.child](*([args.scale] if args.child == "prepare" else []))))
        return
    engines = ENGINES if args.engine == "both" else (args.engine,)
    results = [bench_engine(e, args.scale) for e in engines]
    print(json.dumps({"mesin": machine(), "skala": args.scale, "hasil": results}, indent=2, ensure_ascii=False))
    print(report(results))


if __name__ == "__main__":
    main()
