"""``presisi cadangan buat [--keluar DIR] | pulihkan FILE [--timpa] | periksa FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from presisi.core.backup import BackupError, archive_verify, backup_create, backup_restore, database_check
from presisi.core.commands import PresisiCommand


class Command(PresisiCommand):
    help = "Cadangkan, pulihkan, dan periksa seluruh basis data (SQLite atau PostgreSQL) dengan manifest checksum."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        buat = sub.add_parser("buat", help="Tulis arsip cadangan baru (.zip) beserta manifest.")
        buat.add_argument("--keluar", help="Folder tujuan (bawaan: var/cadangan).")
        buat.add_argument("--json", action="store_true")
        pulihkan = sub.add_parser("pulihkan",
                                  help="Periksa arsip lalu pulihkan ke basis data baru yang sudah dimigrasi.")
        pulihkan.add_argument("berkas")
        pulihkan.add_argument("--timpa", action="store_true",
                              help="Ganti seluruh isi basis data yang sudah berisi pengguna (hati-hati).")
        pulihkan.add_argument("--json", action="store_true")
        periksa = sub.add_parser("periksa", help="Bandingkan basis data (dan arsipnya) dengan manifest cadangan.")
        periksa.add_argument("berkas", help="Arsip .zip atau manifest.json.")
        periksa.add_argument("--json", action="store_true")

    def run(self, **options: Any) -> dict[str, Any]:
        aksi = options["aksi"]
        if aksi == "buat":
            folder = Path(options.get("keluar") or Path(settings.VAR_DIR) / "cadangan")
            result = backup_create(directory=folder)
            result.pop("manifest")
            return result
        path = Path(options["berkas"])
        if aksi == "pulihkan":
            return backup_restore(path, replace=options["timpa"])
        if path.suffix != ".json":
            archive_verify(path)
        result = database_check(path)
        findings = result.pop("findings")
        if findings:
            raise BackupError("Basis data tidak sama dengan manifest cadangan.", findings)
        return result

    def render(self, result: dict[str, Any]) -> None:
        if "cocok" in result:
            self.stdout.write(self.style.SUCCESS(f"Cocok: {result['tabel']} tabel sama dengan manifest."))
        elif "mesin_asal" in result:
            self.stdout.write(self.style.SUCCESS(
                f"Dipulihkan: {result['tabel']} tabel, {result['baris']} baris dari cadangan {result['dibuat']}; "
                "jumlah baris dan checksum setiap tabel sama dengan manifest."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Cadangan ditulis: {result['berkas']} ({result['tabel']} tabel, {result['baris']} baris)."))
