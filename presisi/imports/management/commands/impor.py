"""``presisi impor bersihkan [--json]``: fail import jobs whose worker died and delete uploads kept
past the retention period (``PRESISI_RETENSI_BERKAS_HARI``); job summaries stay."""

from __future__ import annotations

from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.imports.retensi import impor_bersihkan


class Command(PresisiCommand):
    help = "Pemeliharaan impor: bersihkan = gagalkan impor macet dan hapus berkas unggahan lewat masa simpan."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        clean = sub.add_parser("bersihkan", help="Gagalkan impor 'berjalan' yang macet; hapus berkas lewat masa simpan")
        clean.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def run(self, **options) -> dict[str, Any]:
        return impor_bersihkan().as_dict()

    def render(self, result: dict[str, Any]) -> None:
        self.stdout.write(f"Impor macet (lebih dari {result['batas_menit']} menit) digagalkan: "
                          f"{result['jumlah_terhenti']} {result['terhenti'] or ''}".rstrip())
        self.stdout.write(f"Berkas unggahan lewat {result['retensi_hari']} hari dihapus: "
                          f"{result['jumlah_berkas_dihapus']} {result['berkas_dihapus'] or ''}".rstrip())
