"""``presisi stats [--wilayah KODE] [--json]``: people, families, households, buildings per region."""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.registry.selectors import statistik_kabupaten, wilayah_statistik


class Command(PresisiCommand):
    help = "Jumlah penduduk, keluarga, rumah tangga dan bangunan per kecamatan dan desa."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--wilayah", help="Kode wilayah; tanpa ini: kabupaten per kecamatan dan desa.")

    def run(self, **options):
        if options.get("wilayah"):
            return wilayah_statistik(kode=options["wilayah"])
        return statistik_kabupaten()

    def render(self, result):
        head = f"{'kode':<18} {'nama':<28} {'penduduk':>9} {'keluarga':>9} {'ruta':>8} {'bangunan':>9}"
        self.stdout.write(head)

        def line(row, indent=""):
            self.stdout.write(f"{indent + row['kode']:<18} {row['nama'][:28]:<28} {row['penduduk']:>9,} "
                              f"{row['keluarga']:>9,} {row['rumah_tangga']:>8,} {row['bangunan']:>9,}")

        if result.get("wilayah"):
            line({**result["wilayah"], **result["total"]})
        for kec in result.get("kecamatan", result.get("anak", [])):
            line(kec, "  ")
            for desa in kec.get("desa", []):
                line(desa, "    ")
