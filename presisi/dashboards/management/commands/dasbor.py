"""``presisi dasbor load [--reset] | list``: the standard dashboards from YAML, and what is configured."""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.dashboards import services
from presisi.dashboards.models import Dasbor


class Command(PresisiCommand):
    help = "Dasbor tematik: muat set standar (YAML) atau tampilkan konfigurasi."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        load = sub.add_parser("load", help="Muat tujuh dasbor standar dari dasbor.yaml.")
        load.add_argument("--reset", action="store_true", help="Timpa juga dasbor yang sudah diubah analis.")
        load.add_argument("--berkas", help="Berkas YAML lain (bawaan: set standar).")
        load.add_argument("--json", action="store_true")
        lst = sub.add_parser("list", help="Daftar dasbor dan indikatornya.")
        lst.add_argument("--json", action="store_true")

    def run(self, **options):
        if options["aksi"] == "load":
            kwargs = {"reset": options.get("reset", False)}
            if options.get("berkas"):
                kwargs["path"] = options["berkas"]
            return services.dasbor_load(**kwargs).as_dict()
        return {"dasbor": [
            {"kode": d.kode, "nama": d.nama, "aktif": d.aktif, "disesuaikan": d.disesuaikan,
             "indikator": [{"kode": b.indikator.kode, "utama": b.utama} for b in d.butir.all()]}
            for d in Dasbor.objects.prefetch_related("butir__indikator")
        ]}

    def render(self, result):
        if "dasbor" in result and isinstance(result["dasbor"], list):
            for d in result["dasbor"]:
                self.stdout.write(f"{d['kode']:<16} {len(d['indikator']):>3} indikator  {d['nama']}")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{result['dasbor']} dasbor dimuat dengan {result['indikator']} indikator (versi {result['versi']})."))
        if result["dilewati"]:
            self.stdout.write(f"Dilewati (indikator belum ada): {', '.join(result['dilewati'])}")
        if result["dipertahankan"]:
            self.stdout.write(f"Tidak ditimpa (diubah analis): {', '.join(result['dipertahankan'])}")
