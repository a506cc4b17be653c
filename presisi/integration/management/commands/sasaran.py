"""``presisi sasaran [--program KODE] [--periode P] [--wilayah KODE] [--muat-bawaan] [--json]``.

Targeting accuracy: eligible, recipients, eligible reached, inclusion and exclusion error per desa,
kecamatan and kabupaten (aggregates only). ``--muat-bawaan`` seeds the standard programs and their
default rules first (idempotent; ``presisi demo`` calls the same service).
"""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.integration import selectors_sasaran
from presisi.integration.services import sasaran as svc


def _persen(x) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


class Command(PresisiCommand):
    help = "Ketepatan sasaran program: galat inklusi dan eksklusi per wilayah."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--program", help="pkh, bpnt, pbi_jk, blt_dd, rtlh (bawaan: semua).")
        parser.add_argument("--periode", help="Kode periode (bawaan: terbaru yang punya daftar penerima).")
        parser.add_argument("--wilayah", help="Kode kecamatan atau desa.")
        parser.add_argument("--muat-bawaan", action="store_true", help="Muat program dan aturan bawaan dulu.")

    def run(self, **options):
        out = {}
        if options.get("muat_bawaan"):
            out["dimuat"] = svc.program_bawaan_muat()
        programs = ([svc.cari_program(options["program"])] if options.get("program")
                    else selectors_sasaran.program_list())
        out["program"] = [selectors_sasaran.sasaran_dict(None, p, options.get("periode"), options.get("wilayah") or "")
                          for p in programs]
        return out

    def render(self, result) -> None:
        for p in result["program"]:
            aturan = p["aturan"]["ekspresi"] if p["aturan"] else "—"
            self.stdout.write(f"{p['nama']} ({p['periode'] or 'tanpa periode'}); aturan: {aturan}")
            for r in p["wilayah"]:
                self.stdout.write(f"  {r['kode']:<16} {r['nama'][:24]:<24} layak={r['layak']:>6} "
                                  f"penerima={r['penerima']:>6} inklusi={_persen(r['inklusi']):>7} "
                                  f"eksklusi={_persen(r['eksklusi']):>7}")
