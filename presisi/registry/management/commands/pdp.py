"""``presisi pdp log [--pengguna U] [--sejak TTTT-BB-HH] [--sampai TTTT-BB-HH] [--objek ID] [--json]``.

The UU PDP processing log: who saw, exported or changed whose personal data, and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.pdp import pdp_log_list


def _tanggal(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed("Tanggal tidak sah.", [Finding(rule="tanggal", column=option, value=value,
                                                              message="gunakan format TTTT-BB-HH")]) from exc


class Command(PresisiCommand):
    help = "Log pemrosesan data pribadi (UU PDP): siapa melihat/mengekspor/mengubah data siapa, kapan."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        log = sub.add_parser("log", help="Tampilkan log pemrosesan data pribadi, terbaru dahulu.")
        log.add_argument("--pengguna", help="Nama pengguna.")
        log.add_argument("--sejak", help="Tanggal awal TTTT-BB-HH.")
        log.add_argument("--sampai", help="Tanggal akhir TTTT-BB-HH (termasuk).")
        log.add_argument("--objek", help="ID penduduk: hanya akses ke data orang ini (Ps. 32 UU PDP).")
        log.add_argument("--batas", type=int, default=1000, help="Jumlah baris paling banyak (bawaan 1000).")
        log.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **options: Any) -> dict[str, Any]:
        rows = pdp_log_list(
            pengguna=options.get("pengguna"), sejak=_tanggal(options.get("sejak"), "--sejak"),
            sampai=_tanggal(options.get("sampai"), "--sampai"), objek_id=options.get("objek"),
            objek_tipe="registry.individu" if options.get("objek") else None, batas=options["batas"],
        )
        return {"jumlah": len(rows), "log": [r.as_dict() for r in rows]}

    def render(self, result: dict[str, Any]) -> None:
        for r in result["log"]:
            full = " NIK-lengkap" if r["nik_penuh"] else ""
            self.stdout.write(f"{r['waktu'][:19]}  {r['pengguna'] or '-':<14} {r['aksi']:<7} {r['objek_tipe']} "
                              f"[{r['ids']}] ({r['jumlah']}){full}  {r['tujuan']}")
        self.stdout.write(f"{result['jumlah']} catatan.")
