"""``presisi import FILE [FILE|FOLDER ...] --periode P [--desa KODE] [--jobs N] [--dry-run] [--json]``.

One file: its desa is ``--desa`` or recognised from the file. Several files or a folder: one job
per desa file (desa recognised from each file), run ``--jobs`` at a time in worker processes.

Django loads command modules with importlib by name, so a module called ``import`` works
even though ``import`` is a Python keyword.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError

from presisi.core.commands import PresisiCommand, to_json
from presisi.core.exceptions import ApplicationError
from presisi.core.pdp import tampilan_server
from presisi.imports.batch import Berkas, desa_dari_berkas, impor_banyak_buat, impor_banyak_proses, jobs_default
from presisi.imports.selectors import impor_dict, temuan_tampil, total_unit
from presisi.imports.services import impor_buat, impor_proses
from presisi.periods.selectors import periode_get
from presisi.validation.lookups import desa_by_kode

MAX_PRINTED = 200


def nama_jumlah(impor) -> dict[str, str]:
    """Count names as printed: past tense only for what was saved (a dry run "akan", a refusal none)."""
    if impor.hasil == impor.DITOLAK or impor.status == impor.GAGAL:
        return {"dibuat": "baru (tidak disimpan)", "diubah": "berubah (tidak disimpan)"}
    if impor.dry_run:
        return {"dibuat": "akan dibuat", "diubah": "akan diubah"}
    return {}
SUFFIXES = {".xlsx", ".csv"}


class Command(PresisiCommand):
    help = "Impor berkas templat Presisi (XLSX/CSV) atau ekspor penduduk OpenSID untuk satu desa."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("berkas", nargs="+", help="Berkas .xlsx/.csv, atau folder berisi berkas per desa")
        parser.add_argument("--desa", help="Kode desa/kelurahan, mis. 51.05.01.2001 (satu berkas; bila kosong "
                                           "dikenali dari nama berkas atau lembar Petunjuk templat)")
        parser.add_argument("--jobs", type=int, default=None,
                            help="Berkas yang diproses bersamaan (bawaan: jumlah inti CPU + 1)")
        parser.add_argument("--periode", required=True, help="Kode periode yang dibuka, mis. 2026-S2")
        parser.add_argument("--dry-run", action="store_true", help="Uji coba: periksa saja, tidak menyimpan.")
        parser.add_argument("--format", choices=["template", "opensid"], default=None)

    def handle(self, *args, **options):
        paths = self._paths(options["berkas"])
        if len(paths) > 1 or Path(options["berkas"][0]).is_dir():
            return self._handle_batch(paths, options)
        as_json = options.get("json")
        try:
            impor = self._run(paths[0], options)
        except ApplicationError as exc:
            self._refuse(exc, as_json)
        accepted = impor.hasil in (impor.DITERIMA, impor.UJI)
        if as_json:
            self.stdout.write(to_json({"ok": accepted, "impor": impor_dict(impor, tampilan=tampilan_server())}))
        else:
            self._render(impor)
        if not accepted:
            raise CommandError("Impor ditolak; tidak ada data yang disimpan.", returncode=1)

    @staticmethod
    def _paths(names: list[str]) -> list[Path]:
        paths: list[Path] = []
        for name in names:
            path = Path(name)
            if path.is_dir():
                paths += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            elif path.is_file():
                paths.append(path)
            else:
                raise CommandError(f"Berkas tidak ditemukan: {path}", returncode=2)
        if not paths:
            raise CommandError("Tidak ada berkas .xlsx/.csv untuk diimpor.", returncode=2)
        return paths

    def _run(self, path: Path, options):
        isi = path.read_bytes()
        if options.get("desa"):
            desa = desa_by_kode(options["desa"])
        else:
            desa = desa_dari_berkas(nama_berkas=path.name, isi=isi)
        periode = periode_get(options["periode"])
        impor = impor_buat(berkas=isi, nama_berkas=path.name, desa=desa, periode=periode,
                           pengguna=None, dry_run=options["dry_run"], format=options["format"], antrekan=False)
        show = None if options.get("json") else self._progress
        return impor_proses(impor_id=impor.pk, progress=show)

    def _handle_batch(self, paths: list[Path], options) -> None:
        if options.get("desa"):
            raise CommandError("--desa hanya untuk satu berkas; desa setiap berkas dikenali dari berkasnya.",
                               returncode=2)
        as_json = options.get("json")
        try:
            periode = periode_get(options["periode"])
            jobs = impor_banyak_buat(berkas=[Berkas(nama=p.name, isi=p.read_bytes()) for p in paths],
                                     periode=periode, dry_run=options["dry_run"], format=options["format"],
                                     antrekan=False)
        except ApplicationError as exc:
            self._refuse(exc, as_json)
        show = None if as_json else self._batch_progress
        done = impor_banyak_proses(impor_ids=[j.pk for j in jobs], jobs=options["jobs"] or jobs_default(),
                                   progress=show)
        accepted = [i for i in done if i.hasil in (i.DITERIMA, i.UJI)]
        if as_json:
            self.stdout.write(to_json({"ok": len(accepted) == len(done), "jumlah_berkas": len(done),
                                       "diterima": len(accepted), "total": total_unit(done),
                                       "impor": [impor_dict(i, tampilan=tampilan_server(), temuan=False)
                                                 for i in done]}))
        else:
            self._render_batch(done, accepted)
        if len(accepted) != len(done):
            raise CommandError(f"{len(done) - len(accepted)} dari {len(done)} berkas ditolak; berkas lain "
                               "tetap tersimpan.", returncode=1)

    def _refuse(self, exc: ApplicationError, as_json: bool) -> None:
        if as_json:
            self.stdout.write(to_json({"ok": False, **exc.as_dict()}))
        else:
            self.stderr.write(self.style.ERROR(exc.message))
            for finding in exc.findings[:MAX_PRINTED]:
                self.stderr.write(f"  - {finding}")
        raise CommandError("Impor ditolak; tidak ada data yang diubah.", returncode=1) from exc

    def _batch_progress(self, n: int, total: int, impor) -> None:
        self.stderr.write(f"[{n}/{total}] {impor.nama_berkas} ({impor.desa.kode}): {impor.pesan_progres}")

    def _render_batch(self, done: list, accepted: list) -> None:
        style = self.style.SUCCESS if len(accepted) == len(done) else self.style.ERROR
        self.stdout.write(style(f"{len(accepted)} dari {len(done)} berkas diterima."))
        for unit, counts in total_unit(done).items():
            self.stdout.write(f"  {unit:<13} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
        for impor in done:
            if impor not in accepted:
                self.stdout.write(self.style.ERROR(f"  ditolak: #{impor.pk} {impor.nama_berkas}: "
                                                   f"{impor.pesan_progres} (/impor/{impor.pk}/)"))

    def _progress(self, pct: int, message: str) -> None:
        end = "\r" if sys.stderr.isatty() else "\n"
        self.stderr.write(f"[{pct:3d}%] {message}", ending=end)

    def _render(self, impor) -> None:
        summary = impor.ringkasan or {}
        style = self.style.SUCCESS if impor.hasil != impor.DITOLAK else self.style.ERROR
        self.stdout.write(style(f"Impor #{impor.pk} {impor.nama_berkas}: {summary.get('pesan', impor.pesan_progres)}"))
        names = nama_jumlah(impor)
        for unit, counts in (summary.get("unit") or {}).items():
            self.stdout.write(f"  {unit:<13} " + "  ".join(f"{names.get(k, k)} {v}" for k, v in counts.items()))
        missing = summary.get("jumlah_tidak_ada_di_berkas") or 0
        if missing:
            self.stdout.write(f"  {missing} penduduk terdaftar tidak ada di berkas (tidak dihapus; catat peristiwa "
                              "mati/pindah bila perlu)")
        cleared = summary.get("jumlah_dikosongkan") or 0
        if cleared:
            self.stdout.write(f"  {cleared} nilai tersimpan dikosongkan (tanda -):")
            for d in (summary.get("dikosongkan") or [])[:MAX_PRINTED]:
                self.stdout.write(f"    baris {d['baris']}, kolom '{d['kolom']}': {d['nilai_lama']}")
        for finding in temuan_tampil(impor, tampilan_server(), tujuan="CLI impor", batas=MAX_PRINTED):
            line = self._line(finding)
            self.stdout.write(self.style.ERROR(line) if finding["severity"] == "error" else line)
        if impor.jumlah_temuan > MAX_PRINTED:
            self.stdout.write(f"  … dan {impor.jumlah_temuan - MAX_PRINTED} temuan lain (unduh: /impor/{impor.pk}/"
                              "temuan.xlsx)")

    @staticmethod
    def _line(f: dict) -> str:
        where = ", ".join(x for x in (f"baris {f['row']}" if f.get("row") else "",
                                      f"kolom '{f['column']}'" if f.get("column") else "",
                                      f"nilai '{f['value']}'" if f.get("value") not in (None, "") else "") if x)
        return f"  [{f['severity']}] {where + ': ' if where else ''}{f['message']} [{f['rule']}]"
