"""``presisi pdp``: the UU PDP duties at the command line.

- ``presisi pdp log [--pengguna U] [--sejak TTTT-BB-HH] [--sampai TTTT-BB-HH] [--objek ID] [--json]``:
  the processing log (who saw, exported or changed whose personal data, and when);
- ``presisi pdp laporan-subjek NIK [--json] [--keluaran FILE] [--nik-penuh]``: everything held about one
  person and every access to it (Ps. 32); ``FILE`` ending in .xlsx, .pdf or .json;
- ``presisi pdp bersihkan-log [--dry-run] [--json]``: delete log rows older than their retention
  (``PRESISI_RETENSI_LOG_PDP_HARI``, ``PRESISI_RETENSI_AUDIT_HARI``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from presisi.core.commands import PresisiCommand, to_json
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.pdp import EKSPOR, LIHAT, TampilanPribadi, pdp_log_list
from presisi.privasi import berkas, services
from presisi.privasi import selectors as sel

FORMAT_KELUARAN = (".xlsx", ".pdf", ".json")


def _tanggal(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed("Tanggal tidak sah.", [Finding(rule="tanggal", column=option, value=value,
                                                              message="gunakan format TTTT-BB-HH")]) from exc


class Command(PresisiCommand):
    help = "Kewajiban UU PDP: log pemrosesan data pribadi, laporan subjek data, pembersihan log lama."
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
        lap = sub.add_parser("laporan-subjek", help="Semua data tentang satu NIK dan setiap aksesnya (Ps. 32).")
        lap.add_argument("nik", help="NIK subjek data (16 angka).")
        lap.add_argument("--keluaran", help="Tulis laporan ke berkas .xlsx, .pdf atau .json.")
        lap.add_argument("--nik-penuh", action="store_true",
                         help="NIK/No. KK subjek lengkap (untuk diserahkan kepadanya; dicatat dalam log).")
        lap.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")
        bersih = sub.add_parser("bersihkan-log", help="Hapus baris log yang melewati masa simpan.")
        bersih.add_argument("--dry-run", action="store_true", help="Hanya hitung, tidak menghapus.")
        bersih.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **options: Any) -> dict[str, Any]:
        aksi = options["aksi"]
        if aksi == "laporan-subjek":
            return self._laporan(options)
        if aksi == "bersihkan-log":
            return {"aksi": aksi, **services.log_bersihkan(dry_run=options["dry_run"])}
        rows = pdp_log_list(
            pengguna=options.get("pengguna"), sejak=_tanggal(options.get("sejak"), "--sejak"),
            sampai=_tanggal(options.get("sampai"), "--sampai"), objek_id=options.get("objek"),
            objek_tipe="registry.individu" if options.get("objek") else None, batas=options["batas"],
        )
        return {"aksi": aksi, "jumlah": len(rows), "log": [r.as_dict() for r in rows]}

    def _laporan(self, options: dict[str, Any]) -> dict[str, Any]:
        keluaran = options.get("keluaran")
        if keluaran and Path(keluaran).suffix.lower() not in FORMAT_KELUARAN:
            raise ValidationFailed("Format berkas keluaran tidak dikenal.", [Finding(
                rule="format_keluaran", column="--keluaran", value=keluaran, message="gunakan .xlsx, .pdf atau .json")])
        person = sel.subjek_server(options["nik"])
        # server operators: person-level rows; the subject's own number in full only on request
        tampilan = TampilanPribadi(pengguna=None, kode_wilayah=person.desa.kode, boleh=True,
                                   penuh=bool(options.get("nik_penuh")), kanal="cli")
        laporan = sel.buka_laporan(person, tampilan, aksi=EKSPOR if keluaran else LIHAT)
        if keluaran:
            path = Path(keluaran)
            suffix = path.suffix.lower()
            body = (berkas.laporan_xlsx(laporan) if suffix == ".xlsx" else berkas.laporan_pdf(laporan)
                    if suffix == ".pdf" else to_json(laporan).encode("utf-8"))
            path.write_bytes(body)
            return {"aksi": "laporan-subjek", "keluaran": str(path), "ukuran": len(body), "laporan": laporan}
        return {"aksi": "laporan-subjek", "laporan": laporan}

    def render(self, result: dict[str, Any]) -> None:
        if result["aksi"] == "laporan-subjek":
            self._render_laporan(result)
        elif result["aksi"] == "bersihkan-log":
            verb = "akan dihapus" if result["dry_run"] else "dihapus"
            for key, label in (("log_pdp", "Log pemrosesan data pribadi"), ("audit", "Log audit")):
                r = result[key]
                if not r["hari"]:
                    self.stdout.write(f"{label}: disimpan tanpa batas (masa simpan 0).")
                else:
                    self.stdout.write(f"{label}: {r['jumlah']} baris sebelum {r['batas'][:19]} {verb} "
                                      f"(masa simpan {r['hari']} hari).")
        else:
            for r in result["log"]:
                full = " NIK-lengkap" if r["nik_penuh"] else ""
                self.stdout.write(f"{r['waktu'][:19]}  {r['pengguna'] or '-':<14} {r['aksi']:<7} {r['objek_tipe']} "
                                  f"[{r['ids']}] ({r['jumlah']}){full}  {r['tujuan']}")
            self.stdout.write(f"{result['jumlah']} catatan.")

    def _render_laporan(self, result: dict[str, Any]) -> None:
        r = result["laporan"]
        s = r["subjek"]
        self.stdout.write(f"Laporan subjek data: {s['nama']} (NIK {s['nik']}), {s['desa']['nama']}")
        self.stdout.write(f"  No. KK {r['keluarga']['no_kk']}, {len(r['keluarga']['anggota'])} anggota lain")
        for b in s["rincian"]:
            for row in b["baris"]:
                self.stdout.write(f"  {b['bagian']}: {row['label']} = {row['nilai']}")
        self.stdout.write(f"  {len(r['peristiwa'])} peristiwa, {len(r['riwayat'])} entri riwayat, "
                          f"{len(r['temuan'])} temuan validasi, {len(r['impor'])} impor, "
                          f"{len(r['permintaan_perbaikan'])} permintaan perbaikan")
        self.stdout.write(f"  {len(r['akses'])} akses tercatat:")
        for a in r["akses"][:50]:
            self.stdout.write(f"    {a['waktu'][:19]}  {a['pengguna'] or '-':<14} {a['aksi']:<7} {a['tujuan']}")
        if result.get("keluaran"):
            self.stdout.write(f"Ditulis ke {result['keluaran']} ({result['ukuran']} bita).")
