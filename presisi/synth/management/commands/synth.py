"""``presisi synth --scale 1.0 --seed 42 [--kabupaten 51.05] [--ganti] [--json] [--no-progress]``."""

from __future__ import annotations

from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.synth.services import synth_generate


class Command(PresisiCommand):
    help = ("Bangkitkan data registri SINTETIS yang realistis (penduduk, keluarga, rumah tangga, bangunan, "
            "data desa) di atas wilayah yang sudah dimuat. Bukan data nyata.")

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Skala penduduk: 1.0 = ±216.000 orang (bawaan 1.0).")
        parser.add_argument("--seed", type=int, default=42, help="Benih acak; benih sama = data sama (bawaan 42).")
        parser.add_argument("--kabupaten", help="Kode kabupaten/kota (wajib bila ada lebih dari satu), mis. 51.05.")
        parser.add_argument("--ganti", action="store_true",
                            help="Hapus data sintetis sebelumnya di kabupaten ini lalu buat ulang.")
        parser.add_argument("--no-progress", action="store_true", help="Tanpa bilah kemajuan.")

    def run(self, **options: Any) -> dict[str, Any]:
        # The bar goes to stderr, so it never mixes with --json output on stdout.
        progress = not options["no_progress"] and self.is_tty()
        summary = synth_generate(scale=options["scale"], seed=options["seed"], progress=progress,
                                 kabupaten=options.get("kabupaten"), ganti=options["ganti"])
        return summary.as_dict()

    def render(self, result: dict[str, Any]) -> None:
        self.stdout.write(self.style.SUCCESS(
            f"Data sintetis kabupaten {result['kabupaten']} (seed {result['seed']}, skala {result['scale']:g}) "
            f"dibuat dalam {result['detik']:.1f} detik:"))
        for key in ("banjar", "keluarga", "rumah_tangga", "individu", "bangunan", "data_desa", "aset_desa"):
            self.stdout.write(f"  {key.replace('_', ' ')}: {result[key]:,}".replace(",", "."))
        self.stdout.write(f"  desa adat contoh dibuat: {result['desa_adat_dibuat']}; keluarga dengan banjar adat: "
                          f"{result['keluarga_banjar_adat']:,}".replace(",", "."))
        for kode, n in result["individu_per_kecamatan"].items():
            self.stdout.write(f"    kecamatan {kode}: {n:,} orang".replace(",", "."))
        for label in ("variabel_tidak_diisi", "variabel_tanpa_kamus"):
            for unit, names in result[label].items():
                self.stdout.write(self.style.WARNING(f"  {label.replace('_', ' ')} ({unit}): {', '.join(names)}"))
