"""``presisi registri ekspor --desa KODE [-o BERKAS] [--json]``: a desa's registry as the filled import
template (to edit in Excel and import back with ``presisi import``); logged as a UU PDP export.

``presisi registri ganti-nik --individu ID --nik NIK [--alasan TEKS] [--json]``: replace a temporary
number (a newborn registered without NIK) by the real NIK; when that NIK is already registered
(e.g. imported from Dukcapil) the temporary record is merged into it.

The command lives in the imports app because the export is the import template; the registry
service it also calls sits below (layers: registry → imports).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.imports.export import registri_ekspor
from presisi.registry.models import Individu
from presisi.registry.services.nomor import nik_sementara_ganti
from presisi.validation.lookups import desa_by_kode


class Command(PresisiCommand):
    help = "Registri desa: ekspor sebagai templat impor terisi; ganti NIK sementara dengan NIK asli."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        export = sub.add_parser("ekspor", help="Registri satu desa sebagai templat impor XLSX terisi (NIK lengkap; "
                                               "dicatat di log PDP)")
        export.add_argument("--desa", required=True, help="Kode desa/kelurahan, mis. 51.05.01.2001")
        export.add_argument("-o", "--output", default=None, help="Berkas keluaran (bawaan: registri-KODE-TANGGAL.xlsx)")
        export.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")
        swap = sub.add_parser("ganti-nik", help="Ganti NIK sementara seorang penduduk dengan NIK asli")
        swap.add_argument("--individu", type=int, required=True, help="id penduduk ber-NIK sementara")
        swap.add_argument("--nik", required=True, help="NIK asli (16 digit)")
        swap.add_argument("--alasan", default="", help="Keterangan (mis. 'NIK terbit di KK baru')")
        swap.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **options) -> dict[str, Any]:
        if options["aksi"] == "ganti-nik":
            hasil = nik_sementara_ganti(individu=Individu.objects.get(pk=options["individu"]),
                                        nik_baru=options["nik"].strip(), alasan=options["alasan"], pengguna=None)
            return {"aksi": "ganti-nik", **hasil.as_dict()}
        desa = desa_by_kode(options["desa"])
        hasil = registri_ekspor(desa=desa, pengguna=None, kanal="cli")
        path = Path(options["output"] or hasil.nama_berkas)
        path.write_bytes(hasil.isi)
        return {"aksi": "ekspor", "berkas": str(path), **hasil.as_dict()}

    def render(self, result: dict[str, Any]) -> None:
        if result["aksi"] == "ganti-nik":
            self.stdout.write(self.style.SUCCESS(result["pesan"]))
            return
        jumlah = ", ".join(f"{unit} {n}" for unit, n in result["jumlah"].items())
        self.stdout.write(self.style.SUCCESS(
            f"Registri desa {result['desa']} ditulis ke {result['berkas']} ({jumlah}); berkas memuat NIK lengkap, "
            "ekspor dicatat di log PDP."))
