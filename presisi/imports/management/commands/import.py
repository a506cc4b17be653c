"""``presisi import FILE --desa KODE --periode P [--dry-run] [--json] [--format template|opensid]``.

Django loads command modules with importlib by name, so a module called ``import`` works
even though ``import`` is a Python keyword.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError

from presisi.core.commands import PresisiCommand, to_json
from presisi.core.exceptions import ApplicationError
from presisi.imports.selectors import impor_dict
from presisi.imports.services import impor_buat, impor_proses
from presisi.validation.lookups import desa_by_kode, periode_by_kode

MAX_PRINTED = 200


class Command(PresisiCommand):
    help = "Impor berkas templat Presisi (XLSX/CSV) atau ekspor penduduk OpenSID untuk satu desa."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("berkas", help="Berkas .xlsx atau .csv")
        parser.add_argument("--desa", required=True, help="Kode desa/kelurahan, mis. 51.05.01.2001")
        parser.add_argument("--periode", required=True, help="Kode periode yang dibuka, mis. 2026-S2")
        parser.add_argument("--dry-run", action="store_true", help="Uji coba: periksa saja, tidak menyimpan.")
        parser.add_argument("--format", choices=["template", "opensid"], default=None)

    def handle(self, *args, **options):
        as_json = options.get("json")
        try:
            impor = self._run(options)
        except ApplicationError as exc:
            if as_json:
                self.stdout.write(to_json({"ok": False, **exc.as_dict()}))
            else:
                self.stderr.write(self.style.ERROR(exc.message))
                for finding in exc.findings[:MAX_PRINTED]:
                    self.stderr.write(f"  - {finding}")
            raise CommandError("Impor ditolak; tidak ada data yang diubah.", returncode=1) from exc
        accepted = impor.hasil in (impor.DITERIMA, impor.UJI)
        if as_json:
            self.stdout.write(to_json({"ok": accepted, "impor": impor_dict(impor)}))
        else:
            self._render(impor)
        if not accepted:
            raise CommandError("Impor ditolak; tidak ada data yang disimpan.", returncode=1)

    def _run(self, options):
        path = Path(options["berkas"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}", returncode=2)
        desa = desa_by_kode(options["desa"])
        periode = periode_by_kode(options["periode"])
        impor = impor_buat(berkas=path.read_bytes(), nama_berkas=path.name, desa=desa, periode=periode,
                           pengguna=None, dry_run=options["dry_run"], format=options["format"], antrekan=False)
        show = None if options.get("json") else self._progress
        return impor_proses(impor_id=impor.pk, progress=show)

    def _progress(self, pct: int, message: str) -> None:
        end = "\r" if sys.stderr.isatty() else "\n"
        self.stderr.write(f"[{pct:3d}%] {message}", ending=end)

    def _render(self, impor) -> None:
        summary = impor.ringkasan or {}
        style = self.style.SUCCESS if impor.hasil != impor.DITOLAK else self.style.ERROR
        self.stdout.write(style(f"Impor #{impor.pk} {impor.nama_berkas}: {summary.get('pesan', impor.pesan_progres)}"))
        for unit, counts in (summary.get("unit") or {}).items():
            self.stdout.write(f"  {unit:<13} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
        missing = summary.get("jumlah_tidak_ada_di_berkas") or 0
        if missing:
            self.stdout.write(f"  {missing} penduduk terdaftar tidak ada di berkas (tidak dihapus; catat peristiwa "
                              "mati/pindah bila perlu)")
        for finding in impor.temuan[:MAX_PRINTED]:
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
