"""``presisi aturan list|tambah|aktif|nonaktif|sinkron``: the validation rule catalogue."""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.validation.models import AturanValidasi
from presisi.validation.selectors import aturan_dict, aturan_list
from presisi.validation.services import aturan_bawaan_sinkron, aturan_tambah, aturan_ubah


class Command(PresisiCommand):
    help = "Kelola aturan validasi: daftar, tambah aturan kondisi, aktif/nonaktifkan, sinkron aturan bawaan."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="aksi", required=True)
        ls = sub.add_parser("list", help="Daftar aturan")
        ls.add_argument("--unit")
        ls.add_argument("--json", action="store_true")
        add = sub.add_parser("tambah", help="Tambah aturan kondisi (tanpa kode program)")
        add.add_argument("--kode", required=True)
        add.add_argument("--unit", required=True, choices=["individu", "keluarga", "rumah_tangga", "bangunan"])
        add.add_argument("--keparahan", required=True, choices=["error", "warning"])
        add.add_argument("--kondisi", required=True, help='Kondisi PELANGGARAN, mis. "umur < 15 and status_kawin == 2"')
        add.add_argument("--pesan", required=True)
        add.add_argument("--nama", default="")
        add.add_argument("--kolom", default="")
        add.add_argument("--json", action="store_true")
        for name in ("aktif", "nonaktif"):
            p = sub.add_parser(name, help=f"Jadikan aturan {name}")
            p.add_argument("kode")
            p.add_argument("--json", action="store_true")
        sync = sub.add_parser("sinkron", help="Buat baris aturan bawaan yang belum ada")
        sync.add_argument("--json", action="store_true")

    def run(self, **options):
        aksi = options["aksi"]
        if aksi == "list":
            return {"aturan": [aturan_dict(a) for a in aturan_list(unit=options.get("unit"))]}
        if aksi == "tambah":
            a = aturan_tambah(kode=options["kode"], unit=options["unit"], keparahan=options["keparahan"],
                              kondisi=options["kondisi"], pesan=options["pesan"], nama=options["nama"],
                              kolom=options["kolom"])
            return {"aturan": aturan_dict(a)}
        if aksi in ("aktif", "nonaktif"):
            a = AturanValidasi.objects.filter(kode=options["kode"]).first()
            if a is None:
                raise ValidationFailed("Aturan tidak ditemukan.", [Finding(rule="aturan_tidak_ada", column="kode",
                                                                          value=options["kode"], message="tidak ada")])
            return {"aturan": aturan_dict(aturan_ubah(aturan=a, aktif=aksi == "aktif"))}
        return {"dibuat": aturan_bawaan_sinkron()}

    def render(self, result):
        if "aturan" in result and isinstance(result["aturan"], list):
            for a in result["aturan"]:
                flag = "" if a["aktif"] else " (nonaktif)"
                self.stdout.write(f"{a['kode']:<28} {a['unit']:<12} {a['keparahan']:<8} {a['jenis']:<8}"
                                  f"{flag} {a['kondisi'] or a['nama']}")
        elif "aturan" in result:
            self.stdout.write(self.style.SUCCESS(f"Aturan {result['aturan']['kode']} tersimpan."))
        else:
            self.stdout.write(f"{result['dibuat']} aturan bawaan dibuat.")
