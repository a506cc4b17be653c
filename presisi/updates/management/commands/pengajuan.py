"""``presisi pengajuan status --periode P [--desa KODE]`` and the transitions
``ajukan|verifikasi|setujui|publikasikan|kembalikan|batal --periode P --desa KODE --pengguna U [--alasan …]``.
"""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.updates.management.konsol import jsonable, pengguna_cari, periode_cari
from presisi.updates.selectors import (
    pengajuan_dict,
    pengajuan_get,
    pengajuan_riwayat,
    progres_periode,
    tinjauan_desa,
)
from presisi.updates.services import pengajuan_transisi
from presisi.updates.workflow import TRANSISI


def _pengajuan(periode, desa: str, user):
    pengajuan = pengajuan_get(periode=periode, desa_kode=desa, user=user)
    if pengajuan is None:
        raise ValidationFailed(f"Tidak ada pengajuan desa {desa} pada periode {periode.kode}.", [Finding(
            rule="desa_tidak_dikenal", column="desa", value=desa,
            message="kode desa/kelurahan tidak dikenal")])
    return pengajuan


class Command(PresisiCommand):
    help = "Status dan alur persetujuan pengajuan desa (desa → kecamatan → kabupaten)."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        status = sub.add_parser("status", help="Kemajuan periode, atau satu desa beserta riwayatnya.")
        status.add_argument("--periode", required=True)
        status.add_argument("--desa", help="Kode desa/kelurahan.")
        status.add_argument("--pengguna", help="Lihat sebagai pengguna ini (cakupannya); tanpa ini: konsol.")
        status.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")
        tinjau = sub.add_parser("tinjau", help="Tinjauan satu desa: perubahan, banjar, rekaman berubah, temuan.")
        tinjau.add_argument("--periode", required=True)
        tinjau.add_argument("--desa", required=True, help="Kode desa/kelurahan.")
        tinjau.add_argument("--pengguna", help="Lihat sebagai pengguna ini (cakupannya); tanpa ini: konsol.")
        tinjau.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")
        for transisi in TRANSISI.values():
            p = sub.add_parser(transisi.aksi, help=transisi.label)
            p.add_argument("--periode", required=True)
            p.add_argument("--desa", required=True, help="Kode desa/kelurahan.")
            p.add_argument("--pengguna", required=True,
                           help="Pengguna yang bertindak (peran dan cakupannya).")
            p.add_argument("--alasan", default="", required=transisi.alasan_wajib,
                           help="Alasan (wajib)." if transisi.alasan_wajib else "Komentar.")
            p.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **options):
        periode = periode_cari(options["periode"])
        if options["aksi"] == "status":
            user = pengguna_cari(options.get("pengguna"))
            if not options.get("desa"):
                return jsonable({"progres": progres_periode(periode=periode, user=user)})
            pengajuan = _pengajuan(periode, options["desa"], user)
            return jsonable({"pengajuan": pengajuan_dict(pengajuan, user=user),
                             "riwayat": pengajuan_riwayat(pengajuan=pengajuan)})
        if options["aksi"] == "tinjau":
            user = pengguna_cari(options.get("pengguna"))
            pengajuan = _pengajuan(periode, options["desa"], user)
            return jsonable({"tinjauan": True, **tinjauan_desa(pengajuan=pengajuan, user=user)})
        user = pengguna_cari(options["pengguna"], wajib=True)
        pengajuan = _pengajuan(periode, options["desa"], user)
        pengajuan = pengajuan_transisi(aksi=options["aksi"], pengajuan=pengajuan, pengguna=user,
                                       alasan=options["alasan"])
        return jsonable({"pengajuan": pengajuan_dict(pengajuan, user=user), "transisi": options["aksi"]})

    def render(self, result):
        if result.get("tinjauan"):
            self._render_tinjauan(result)
            return
        if "progres" in result:
            self._render_progres(result["progres"])
            return
        p = result["pengajuan"]
        if "transisi" in result:
            self.stdout.write(self.style.SUCCESS(
                f"{p['nama']} ({p['desa']}) periode {p['periode']}: {p['status_label']}."))
            return
        self.stdout.write(f"{p['nama']} ({p['desa']}) periode {p['periode']}: {p['status_label']}"
                          f"{' — terkunci' if p['terkunci'] else ''}")
        for r in result["riwayat"]:
            oleh = r["pengguna"] or "konsol"
            komentar = f" — {r['komentar']}" if r["komentar"] else ""
            waktu = r["waktu"][:16].replace("T", " ")
            self.stdout.write(f"  {waktu} {oleh:<12} {r['dari'] or '-'} → {r['ke']}{komentar}")

    def _render_progres(self, progres):
        self.stdout.write(f"Periode {progres['periode']['kode']} ({progres['periode']['status']}): "
                          f"{progres['total']} desa/kelurahan")
        for s in progres["status"]:
            self.stdout.write(f"  {s['label']:<30} {s['jumlah']:>3}  {s['persen']:>5.1f}%")
        for kec in progres["kecamatan"]:
            self.stdout.write(f"\nKecamatan {kec['nama']} ({kec['kode']})")
            for d in kec["desa"]:
                galat = "-" if d["galat"] is None else d["galat"]
                self.stdout.write(f"  {d['desa']:<14} {d['nama']:<22} {d['status']:<15} galat {galat}")

    def _render_tinjauan(self, t):
        p = t["pengajuan"]
        sejak = f"persetujuan periode {t['acuan']['periode']}" if t["acuan"] else "awal periode"
        self.stdout.write(f"{p['nama']} ({p['desa']}) periode {p['periode']}: {p['status_label']}")
        self.stdout.write(f"Perubahan sejak {sejak} ({t['sejak'][:16].replace('T', ' ')}):")
        for key, value in t["perubahan"].items():
            self.stdout.write(f"  {key:<14} {value:>5}")
        self.stdout.write("Penduduk per banjar (dulu → sekarang):")
        for b in t["banjar"]:
            self.stdout.write(f"  {b['nama']:<30} {b['dulu']:>5} → {b['sekarang']:>5}")
        if t["temuan"] is not None:
            f = t["temuan"]
            self.stdout.write(f"Temuan: {f['galat']} galat, {f['peringatan']} peringatan "
                              f"({f['tanpa_alasan']} tanpa alasan)")
            for item in f["daftar"]:
                alasan = f" — {item['justifikasi']}" if item["justifikasi"] else ""
                self.stdout.write(f"  [{item['keparahan']}] {item['aturan']}: {item['label']} {item['pesan']}{alasan}")
        self.stdout.write(f"Rekaman berubah: {len(t['rekaman'])}; profil desa: {t['profil_url']}")
