"""``presisi spasial unggah FILE --kode K --jenis bahaya --bahaya tsunami [--dry-run] | daftar | paparan``."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.integration import selectors_spasial as sel
from presisi.integration.models import LapisanSpasial
from presisi.integration.services import spasial as svc
from presisi.integration.services.spasial_paparan import BAHAYA_JENIS
from presisi.periods.selectors import periode_get_atau_terkini


def _pengguna(username: str | None):
    """The named account, or the console (acting as admin) when no name is given."""
    if not username:
        return svc.KONSOL
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed("Pengguna tidak ditemukan.", [Finding(rule="pengguna_tidak_dikenal", column="pengguna",
                                                                     value=username, message="tidak ada/aktif")])
    return user


class Command(PresisiCommand):
    help = "Lapisan peta sektoral: unggah (GeoJSON/shapefile .zip), daftar, keterpaparan per desa."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        up = sub.add_parser("unggah", help="Unggah satu lapisan; kode yang sama = versi baru.")
        up.add_argument("berkas", help="GeoJSON FeatureCollection (WGS84) atau shapefile .zip")
        up.add_argument("--kode", required=True)
        up.add_argument("--jenis", required=True, choices=[c for c, _l in LapisanSpasial.JENIS_CHOICES])
        up.add_argument("--bahaya", default="", choices=["", *BAHAYA_JENIS])
        up.add_argument("--nama", default="")
        up.add_argument("--sektor", default=None, help="Kode sektor (bawaan: bpbd untuk bahaya, pupr untuk jaringan)")
        up.add_argument("--produsen", default="")
        up.add_argument("--sumber", default="")
        up.add_argument("--dry-run", action="store_true", help="Periksa saja, tidak menyimpan.")
        up.add_argument("--pengguna", help="Bertindak sebagai pengguna ini; tanpa ini: konsol (admin).")
        daftar = sub.add_parser("daftar", help="Daftar lapisan.")
        pap = sub.add_parser("paparan", help="Keterpaparan per desa × kelas untuk lapisan bahaya.")
        pap.add_argument("--kode", required=True, help="Kode lapisan bahaya")
        pap.add_argument("--periode", help="Kode periode (bawaan: terkini)")
        hit = sub.add_parser("hitung", help="Hitung ulang indikator keterpaparan satu periode.")
        hit.add_argument("--periode")
        hit.add_argument("--pengguna")
        demo = sub.add_parser("demo", help="Muat lapisan contoh sintetis di atas batas desa yang dimuat.")
        for p in (up, daftar, pap, hit, demo):
            p.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **o):
        aksi = o["aksi"]
        if aksi == "unggah":
            path = Path(o["berkas"])
            if not path.is_file():
                raise ValidationFailed("Berkas tidak ditemukan.", [Finding(rule="berkas", column="berkas",
                                                                           value=str(path), message="tidak ada")])
            hasil = svc.lapisan_unggah(pengguna=_pengguna(o.get("pengguna")), berkas=path.read_bytes(),
                                       nama_berkas=path.name, kode=o["kode"], jenis=o["jenis"], bahaya=o["bahaya"],
                                       nama=o["nama"], sektor=o["sektor"], produsen=o["produsen"],
                                       sumber=o["sumber"], dry_run=o["dry_run"])
            return hasil.as_dict()
        if aksi == "daftar":
            return {"lapisan": [sel.lapisan_dict(la) for la in sel.lapisan_list()]}
        if aksi == "paparan":
            layer = sel.lapisan_get(kode=o["kode"])
            periode = periode_get_atau_terkini(o.get("periode"))
            rows = sel.paparan_desa(periode=periode, bahaya=layer.bahaya) if layer.bahaya else []
            return {"lapisan": layer.kode, "bahaya": layer.bahaya, "periode": periode.kode if periode else None,
                    "paparan": rows}
        if aksi == "hitung":
            periode = periode_get_atau_terkini(o.get("periode"), wajib=True)
            return svc.paparan_hitung_ulang(pengguna=_pengguna(o.get("pengguna")), periode=periode)
        return {"lapisan": svc.muat_demo_lapisan()}

    def render(self, result):
        if "paparan" in result and isinstance(result["paparan"], list):
            self.stdout.write(f"Lapisan {result['lapisan']} ({result['bahaya']}), periode {result['periode']}:")
            for r in result["paparan"]:
                self.stdout.write(f"  {r['kode_desa']:<15} {r['nama_desa']:<24} {r['kelas']:<7} bangunan "
                                  f"{r['bangunan']:>6}  penduduk {r['penduduk']:>6}  balita {r['balita']:>5}  "
                                  f"lansia {r['lansia']:>5}  disabilitas {r['disabilitas']:>5}")
            return
        if "status" in result:
            self.stdout.write(self.style.SUCCESS(f"Lapisan {result['kode']}: {result['status']}, versi "
                                                 f"{result['versi']}, {result['fitur']} fitur."))
            for f in result.get("peringatan", []):
                self.stdout.write(f"  peringatan: fitur {f['row']}: {f['message']} [{f['rule']}]")
            return
        if isinstance(result.get("lapisan"), list):
            for la in result["lapisan"]:
                self.stdout.write(f"  {la['kode']:<24} {la['jenis']:<16} {la.get('bahaya') or '-':<11} "
                                  f"versi {la['versi']:>3}  {la.get('fitur')} fitur")
            return
        super().render(result)
