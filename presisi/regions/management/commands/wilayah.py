"""``presisi wilayah load FILE.csv | boundaries FILE.geojson | list | adat load FILE.csv | adat list``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from presisi.core.commands import PresisiCommand
from presisi.regions import selectors, selectors_adat, services, services_adat


class Command(PresisiCommand):
    help = "Kelola hierarki wilayah Kemendagri: muat daftar kode, muat batas wilayah, tampilkan daftar."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        load = sub.add_parser("load", help="Muat daftar wilayah CSV (kode,nama,tingkat,kode_induk).")
        load.add_argument("file", nargs="?", help="Berkas CSV; tanpa argumen: daftar resmi bawaan.")
        load.add_argument("--sintetis", action="store_true", help="Tandai wilayah sebagai sintetis.")
        load.add_argument("--json", action="store_true")
        bnd = sub.add_parser("boundaries", help="Muat batas wilayah GeoJSON (dicocokkan dengan kode, lalu nama).")
        bnd.add_argument("file")
        bnd.add_argument("--tanpa-induk", action="store_true", help="Jangan turunkan batas kecamatan/kabupaten.")
        bnd.add_argument("--json", action="store_true")
        lst = sub.add_parser("list", help="Tampilkan wilayah.")
        lst.add_argument("--tingkat")
        lst.add_argument("--induk")
        lst.add_argument("--json", action="store_true")
        adat = sub.add_parser("adat", help="Desa adat dan banjar adat (hierarki adat Bali, terpisah dari wilayah "
                                           "dinas).")
        adat_sub = adat.add_subparsers(dest="aksi_adat", required=True)
        adat_load = adat_sub.add_parser("load", help="Muat daftar desa/banjar adat CSV "
                                                     "(kode,nama,tingkat,induk,desa_dinas).")
        adat_load.add_argument("file")
        adat_load.add_argument("--sintetis", action="store_true", help="Tandai sebagai sintetis.")
        adat_load.add_argument("--json", action="store_true")
        adat_list = adat_sub.add_parser("list", help="Tampilkan desa adat dengan banjar adat dan desa dinasnya.")
        adat_list.add_argument("--dalam", help="Hanya desa adat yang terpetakan ke wilayah ini (kode).")
        adat_list.add_argument("--json", action="store_true")

    def run(self, **options):
        aksi = options["aksi"]
        if aksi == "load":
            path = Path(options["file"]) if options.get("file") else Path(settings.PRESISI_REGION_FILE)
            return {"berkas": str(path), **services.wilayah_load_csv(data=path, sintetis=options["sintetis"]).as_dict()}
        if aksi == "boundaries":
            report = services.wilayah_load_boundaries(data=Path(options["file"]),
                                                      turunkan_induk=not options["tanpa_induk"])
            return report.as_dict()
        if aksi == "adat":
            if options["aksi_adat"] == "load":
                hasil = services_adat.wilayah_adat_load_csv(data=Path(options["file"]), sintetis=options["sintetis"])
                return {"berkas": options["file"], "adat": True, **hasil.as_dict()}
            rows = selectors_adat.desa_adat_list(dalam=options.get("dalam"))
            return {"jumlah": len(rows), "desa_adat": rows}
        rows = selectors.wilayah_list(tingkat=options.get("tingkat"), induk=options.get("induk"))
        return {"jumlah": len(rows), "wilayah": rows}

    def render(self, result):
        if "desa_adat" in result:
            for d in result["desa_adat"]:
                dinas = ", ".join(f"{w['kode']} {w['nama']}" for w in d["desa_dinas"])
                self.stdout.write(f"{d['kode']:<14} {d['nama']} ({len(d['banjar_adat'])} banjar adat) → {dinas}")
            self.stdout.write(f"{result['jumlah']} desa adat")
        elif "wilayah" in result:
            for w in result["wilayah"]:
                self.stdout.write(f"{w['kode']:<20} {w['tingkat']:<10} {w['nama']}")
            self.stdout.write(f"{result['jumlah']} wilayah")
        elif "cocok" in result:
            self.stdout.write(self.style.SUCCESS(
                f"{result['cocok']} wilayah diberi batas ({result['cocok_kode']} lewat kode, "
                f"{result['cocok_nama']} lewat nama); {result['induk_diturunkan']} induk diturunkan."))
            for f in result["fitur_tidak_cocok"]:
                self.stdout.write(self.style.WARNING(f"  fitur {f['fitur']} tidak cocok: {f['kode']} {f['nama']}"))
            if result["wilayah_tanpa_batas"]:
                self.stdout.write(self.style.WARNING(
                    f"  {len(result['wilayah_tanpa_batas'])} wilayah tanpa batas: "
                    + ", ".join(result["wilayah_tanpa_batas"][:20])))
        else:
            jenis = "Wilayah adat" if result.get("adat") else "Wilayah"
            self.stdout.write(self.style.SUCCESS(
                f"{jenis} dimuat dari {result['berkas']}: {result['dibuat']} baru, {result['diubah']} diubah, "
                f"{result['tetap']} tetap."))
            for t, n in result["per_tingkat"].items():
                self.stdout.write(f"  {t}: {n}")
