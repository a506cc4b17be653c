"""``presisi kamus load [DIR] | export --format xlsx|json [--output FILE] | list``."""

from __future__ import annotations

import sys
from pathlib import Path

from presisi.core.commands import PresisiCommand, to_json
from presisi.dictionary import selectors, services


class Command(PresisiCommand):
    help = "Kamus data (metadata Satu Data Indonesia): muat, ekspor, tampilkan."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        load = sub.add_parser("load", help="Muat kamus dari folder YAML (bawaan: kamus standar).")
        load.add_argument("directory", nargs="?")
        load.add_argument("--json", action="store_true")
        exp = sub.add_parser("export", help="Ekspor kamus untuk manusia (xlsx) atau mesin (json).")
        exp.add_argument("--format", choices=["xlsx", "json"], default="xlsx")
        exp.add_argument("--output", "-o", help="Berkas tujuan (bawaan: kamus-data.<format>; '-' = stdout).")
        lst = sub.add_parser("list", help="Daftar variabel.")
        lst.add_argument("--unit")
        lst.add_argument("--domain")
        lst.add_argument("--json", action="store_true")

    def run(self, **options):
        aksi = options["aksi"]
        if aksi == "load":
            directory = Path(options["directory"]) if options.get("directory") else services.STANDARD_DIR
            return services.kamus_load(directory=directory).as_dict()
        if aksi == "export":
            return self._export(options["format"], options.get("output"))
        rows = [selectors.variabel_dict(v) for v in selectors.variabel_list(unit=options.get("unit"),
                                                                              domain=options.get("domain"))]
        return {"jumlah": len(rows), "variabel": rows}

    def _export(self, fmt: str, output: str | None):
        payload = selectors.kamus_xlsx() if fmt == "xlsx" else to_json(selectors.kamus_document()).encode()
        if output == "-":
            sys.stdout.buffer.write(payload)
            return None
        path = Path(output or f"kamus-data.{fmt}")
        path.write_bytes(payload)
        return {"berkas": str(path), "format": fmt, "ukuran_byte": len(payload)}

    def render(self, result):
        if "variabel" in result and isinstance(result["variabel"], list):
            for v in result["variabel"]:
                self.stdout.write(f"{v['kode']:<32} {v['unit']:<13} {v['tipe']:<9} {v['nama']}")
            self.stdout.write(f"{result['jumlah']} variabel")
        elif "berkas" in result:
            self.stdout.write(self.style.SUCCESS(
                f"Kamus diekspor ke {result['berkas']} ({result['ukuran_byte']} byte)."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Kamus v{result['versi']} dimuat: {result['variabel']} variabel, {result['klasifikasi']} klasifikasi "
                f"({result['item']} item), {result['sektor']} sektor."))
