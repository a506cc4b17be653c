"""``presisi periode buka KODE [--tenggat TTTT-BB-HH] | tutup KODE | list`` (all with ``--json``)."""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.periods.selectors import periode_dict, periode_list
from presisi.updates.management.konsol import jsonable, pengguna_cari, periode_cari
from presisi.updates.services import periode_buka, periode_tutup


class Command(PresisiCommand):
    help = "Kelola periode pemutakhiran: buka (membuat pengajuan tiap desa), tutup, tampilkan."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        buka = sub.add_parser("buka", help="Buka periode baru, mis. 2026-S2.")
        buka.add_argument("kode", help="TTTT, TTTT-S1/S2, TTTT-Q1..Q4 atau TTTT-BB")
        buka.add_argument("--tenggat", help="Batas pengajuan desa, TTTT-BB-HH.")
        buka.add_argument("--nama", default="")
        tutup = sub.add_parser("tutup", help="Tutup periode.")
        tutup.add_argument("kode")
        for p in (buka, tutup):
            p.add_argument("--pengguna",
                           help="Bertindak sebagai pengguna ini (walidata/admin); tanpa ini: konsol.")
        lst = sub.add_parser("list", help="Daftar periode.")
        for p in (buka, tutup, lst):
            p.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **options):
        if options["aksi"] == "buka":
            periode = periode_buka(kode=options["kode"], tenggat=options.get("tenggat"), nama=options["nama"],
                                   pengguna=pengguna_cari(options.get("pengguna")))
            return jsonable({"periode": periode_dict(periode), "pengajuan": periode.pengajuan.count()})
        if options["aksi"] == "tutup":
            periode = periode_tutup(periode=periode_cari(options["kode"]),
                                    pengguna=pengguna_cari(options.get("pengguna")))
            return jsonable({"periode": periode_dict(periode)})
        return jsonable({"periode": [periode_dict(p) for p in periode_list()]})

    def render(self, result):
        data = result["periode"]
        if isinstance(data, list):
            if not data:
                self.stdout.write("Belum ada periode. Buka dengan: presisi periode buka 2026-S2")
            for p in data:
                tenggat = f"tenggat {p['tenggat']}" if p["tenggat"] else "tanpa tenggat"
                self.stdout.write(f"  {p['kode']:<9} {p['nama']:<20} {p['status']:<8} {tenggat}")
        elif "pengajuan" in result:
            self.stdout.write(self.style.SUCCESS(f"Periode {data['kode']} dibuka: {result['pengajuan']} "
                                                 "pengajuan desa/kelurahan berstatus draf."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Periode {data['kode']} ditutup."))
