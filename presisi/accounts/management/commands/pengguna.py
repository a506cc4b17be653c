"""``presisi pengguna buat … | demo | list | buka-kunci USERNAME | reset-2fa USERNAME |
darurat [USERNAME] [--nonaktif]``."""

from __future__ import annotations

import getpass

from presisi.accounts.dua_faktor import reset_2fa
from presisi.accounts.models import PERAN_CHOICES, Profil
from presisi.accounts.services import buka_kunci, demo_users_create, pengguna_create, pengguna_darurat
from presisi.core.commands import PresisiCommand


class Command(PresisiCommand):
    help = "Kelola pengguna: buat pengguna berperan, buat pengguna demo, tampilkan."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        buat = sub.add_parser("buat", help="Buat pengguna dengan peran dan cakupan wilayah.")
        buat.add_argument("username")
        buat.add_argument("--peran", required=True, choices=[p for p, _ in PERAN_CHOICES])
        buat.add_argument("--wilayah", required=True, help="Kode wilayah cakupan.")
        buat.add_argument("--sektor", nargs="*", default=[])
        buat.add_argument("--password", help="Tanpa ini: ditanyakan.")
        buat.add_argument("--json", action="store_true")
        demo = sub.add_parser("demo", help="Buat satu pengguna demo per peran.")
        demo.add_argument("--password", default="presisi-demo")
        demo.add_argument("--json", action="store_true")
        lst = sub.add_parser("list")
        lst.add_argument("--json", action="store_true")
        buka = sub.add_parser("buka-kunci", help="Buka kunci masuk (django-axes) sebuah akun dan/atau alamat.")
        buka.add_argument("username", nargs="?", help="Akun yang dibuka; kosong bila hanya --ip.")
        buka.add_argument("--ip", help="Buka juga kunci alamat jaringan ini.")
        buka.add_argument("--json", action="store_true")
        reset = sub.add_parser("reset-2fa", help="Hapus autentikator dan kode cadangan pengguna (ponsel hilang) dan "
                                                 "akhiri semua sesinya; ia mendaftar ulang saat masuk berikutnya.")
        reset.add_argument("username")
        reset.add_argument("--json", action="store_true")
        darurat = sub.add_parser("darurat", help="Buat/aktifkan (atau --nonaktif) akun darurat: satu-satunya "
                                                 "superuser, tanpa peran; setiap masuk dan permintaannya dicatat "
                                                 "di log audit.")
        darurat.add_argument("username", nargs="?", default="darurat")
        darurat.add_argument("--password", help="Tanpa ini: ditanyakan.")
        darurat.add_argument("--nonaktif", action="store_true", help="Nonaktifkan akun darurat.")
        darurat.add_argument("--json", action="store_true")

    def run(self, **options):
        if options["aksi"] == "buat":
            password = options.get("password") or getpass.getpass("Kata sandi: ")
            user = pengguna_create(username=options["username"], password=password, peran=options["peran"],
                                   wilayah_kode=options["wilayah"], sektor=options["sektor"])
            return {"username": user.username, "peran": options["peran"], "wilayah": options["wilayah"]}
        if options["aksi"] == "demo":
            return {"pengguna": [login.__dict__ for login in demo_users_create(password=options["password"])]}
        if options["aksi"] == "reset-2fa":
            return reset_2fa(username=options["username"]).__dict__
        if options["aksi"] == "darurat":
            password = None if options["nonaktif"] else (options.get("password") or getpass.getpass("Kata sandi: "))
            return {"darurat": pengguna_darurat(username=options["username"], password=password,
                                                nonaktif=options["nonaktif"])}
        if options["aksi"] == "buka-kunci":
            return buka_kunci(username=options.get("username"), ip=options.get("ip"))
        rows = [{"username": p.pengguna.username, "peran": p.peran, "wilayah": p.wilayah.kode}
                for p in Profil.objects.select_related("pengguna", "wilayah").order_by("pengguna__username")]
        return {"pengguna": rows}

    def render(self, result):
        if "perangkat_dihapus" in result:
            self.stdout.write(self.style.SUCCESS(
                f"Verifikasi dua langkah {result['username']} diatur ulang: {result['perangkat_dihapus']} perangkat "
                f"dihapus, {result['sesi_diakhiri']} sesi diakhiri. Ia mendaftarkan autentikator lagi saat masuk."))
        elif "darurat" in result:
            d = result["darurat"]
            state = "aktif (setiap permintaan dicatat di log audit)" if d["aktif"] else "nonaktif"
            self.stdout.write(self.style.WARNING(f"Akun darurat {d['username']}: {state}."))
        elif "dibuka" in result:
            self.stdout.write(self.style.SUCCESS(
                f"Kunci dibuka: {', '.join(result['dibuka'])} ({result['percobaan_dihapus']} catatan gagal dihapus)."))
        elif "pengguna" in result:
            for p in result["pengguna"]:
                extra = f"  sandi: {p['password']}" if "password" in p else ""
                extra += f"  kunci TOTP: {p['totp']}" if p.get("totp") else ""
                self.stdout.write(f"  {p['username']:<12} {p['peran']:<32} {p['wilayah']}{extra}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Pengguna {result['username']} dibuat."))
