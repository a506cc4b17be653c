"""``presisi synth --scale 1.0 --seed 42 [--kabupaten 51.05] [--ganti] [--json] [--no-progress]``.

``presisi synth periode-berikut --periode 2026-S2 --seed 42 [--desa KODE ...] [--json]``: one update
period's seeded changes (births, deaths, moves, marriages and new KK, buildings, improvements and
deteriorations) recorded through the registry services in the open period.
"""

from __future__ import annotations

from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import ApplicationError
from presisi.synth.perubahan import periode_berikut
from presisi.synth.services import synth_generate

PERIODE_BERIKUT = "periode-berikut"


class Command(PresisiCommand):
    help = ("Bangkitkan data registri SINTETIS yang realistis (penduduk, keluarga, rumah tangga, bangunan, "
            "data desa) di atas wilayah yang sudah dimuat. Bukan data nyata.")

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("aksi", nargs="?", choices=[PERIODE_BERIKUT],
                            help="periode-berikut: catat perubahan satu periode pemutakhiran (sintetis, berbenih).")
        parser.add_argument("--periode", help="Kode periode yang dibuka, mis. 2026-S2 (untuk periode-berikut).")
        parser.add_argument("--desa", nargs="*", help="Hanya desa ini (kode), untuk periode-berikut.")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Skala penduduk: 1.0 = ±216.000 orang (bawaan 1.0).")
        parser.add_argument("--seed", type=int, default=42, help="Benih acak; benih sama = data sama (bawaan 42).")
        parser.add_argument("--kabupaten", help="Kode kabupaten/kota (wajib bila ada lebih dari satu), mis. 51.05.")
        parser.add_argument("--ganti", action="store_true",
                            help="Hapus data sintetis sebelumnya di kabupaten ini lalu buat ulang.")
        parser.add_argument("--no-progress", action="store_true", help="Tanpa bilah kemajuan.")

    def run(self, **options: Any) -> dict[str, Any]:
        if options.get("aksi") == PERIODE_BERIKUT:
            if not options.get("periode"):
                raise ApplicationError("--periode wajib untuk periode-berikut.")
            return periode_berikut(periode=options["periode"], seed=options["seed"],
                                   desa_kode=options.get("desa") or None).as_dict()
        # The bar goes to stderr, so it never mixes with --json output on stdout.
        progress = not options["no_progress"] and self.is_tty()
        summary = synth_generate(scale=options["scale"], seed=options["seed"], progress=progress,
                                 kabupaten=options.get("kabupaten"), ganti=options["ganti"])
        return summary.as_dict()

    def render(self, result: dict[str, Any]) -> None:
        if "lahir" in result:
            self._render_periode(result)
            return
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

    def _render_periode(self, r: dict[str, Any]) -> None:
        self.stdout.write(self.style.SUCCESS(
            f"Perubahan sintetis periode {r['periode']} (seed {r['seed']}) di {r['desa']} desa, "
            f"{r['detik']:.1f} detik:"))
        for key in ("lahir", "mati", "pindah_keluar", "pindah_masuk", "nikah", "kk_baru", "bangunan_baru",
                    "bangunan_diubah", "rumah_tangga_diubah", "individu_diubah"):
            self.stdout.write(f"  {key.replace('_', ' ')}: {r[key]:,}".replace(",", "."))
        self.stdout.write("  arah: " + ", ".join(f"{k} {v}" for k, v in sorted(r["arah"].items())))
        if r["dilewati"]:
            self.stdout.write(self.style.WARNING(
                f"  dilewati (data terkunci oleh pengajuan): {', '.join(r['dilewati'])}"))
