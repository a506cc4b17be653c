"""``presisi template --desa KODE [--output F]``: the desa's XLSX import template."""

from __future__ import annotations

from pathlib import Path

from presisi.core.commands import PresisiCommand
from presisi.imports.template import template_nama_berkas, template_xlsx
from presisi.validation.lookups import desa_by_kode


class Command(PresisiCommand):
    help = "Buat templat impor XLSX untuk satu desa dari kamus data."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--desa", required=True)
        parser.add_argument("--output", default=None, help="Nama berkas keluaran (bawaan: templat-impor-KODE.xlsx)")

    def run(self, **options):
        desa = desa_by_kode(options["desa"])
        path = Path(options["output"] or template_nama_berkas(desa))
        data = template_xlsx(desa=desa)
        path.write_bytes(data)
        return {"berkas": str(path), "desa": desa.kode, "ukuran": len(data)}

    def render(self, result):
        self.stdout.write(self.style.SUCCESS(f"Templat desa {result['desa']} ditulis ke {result['berkas']}"))
