"""``presisi validasi jalankan --periode P [--desa KODE | --wilayah KODE] [--json]``."""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.periods.selectors import periode_get
from presisi.regions.models import Wilayah
from presisi.validation.lookups import desa_by_kode
from presisi.validation.services import validasi_jalankan, validasi_jalankan_wilayah


class Command(PresisiCommand):
    help = "Jalankan semua aturan validasi aktif atas registri satu desa atau seluruh wilayah."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="aksi", required=True)
        run = sub.add_parser("jalankan")
        run.add_argument("--periode", required=True)
        run.add_argument("--desa")
        run.add_argument("--wilayah", help="Kode kecamatan/kabupaten (semua desa di bawahnya)")
        run.add_argument("--json", action="store_true")

    def run(self, **options):
        periode = periode_get(options["periode"])
        if options.get("desa"):
            hasil = [validasi_jalankan(desa=desa_by_kode(options["desa"]), periode=periode)]
        else:
            kode = options.get("wilayah") or Wilayah.objects.filter(kedalaman=2).order_by("kode").first().kode
            hasil = validasi_jalankan_wilayah(wilayah=Wilayah.objects.get(kode=kode), periode=periode)
        return {"periode": periode.kode, "desa": [h.as_dict() for h in hasil],
                "detik": hasil[0].detik if hasil else 0}

    def render(self, result):
        for h in result["desa"]:
            mark = self.style.SUCCESS("lolos") if h["lolos"] else self.style.WARNING("belum lolos")
            self.stdout.write(f"{h['desa']}  individu {h['jumlah_individu']:>6}  error {h['error']:>5}  "
                              f"warning {h['warning']:>5} (belum dijustifikasi {h['warning_belum_dijustifikasi']})"
                              f"  {mark}")
        self.stdout.write(f"Selesai dalam {result['detik']} detik.")
