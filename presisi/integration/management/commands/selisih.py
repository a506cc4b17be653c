"""``presisi selisih --dataset KODE [--periode P] [--desa KODE] [--hitung-ulang] [--json]``.

Where a dataset's latest delivery disagrees with the registry: counts per category and who must act,
then the items with their row numbers (1-based data rows of the delivered file). Identifiers are masked
(server operators have no request to ask for full values; ``presisi.core.pdp.tampilan_server``).
"""

from __future__ import annotations

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import NotFound
from presisi.core.pdp import tampilan_server
from presisi.integration import selectors_selisih as sel
from presisi.integration.models import DatasetSektor, Pengiriman
from presisi.integration.services.selisih import selisih_hitung


class Command(PresisiCommand):
    help = "Selisih sumber: di mana data OPD berbeda dengan registri desa, dan siapa yang harus bertindak."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--dataset", required=True, help="Kode dataset sektoral.")
        parser.add_argument("--periode", help="Kode periode (bawaan: pengiriman terbaru tiap periode).")
        parser.add_argument("--desa", help="Kode desa atau kecamatan.")
        parser.add_argument("--kategori", choices=list(sel.KATEGORI_LABEL))
        parser.add_argument("--hitung-ulang", action="store_true",
                            help="Hitung ulang selisih pengiriman terbaru sebelum dilaporkan.")

    def run(self, **options):
        if not DatasetSektor.objects.filter(kode=options["dataset"]).exists():
            raise NotFound(f"Dataset '{options['dataset']}' tidak ditemukan.")
        f = sel.Filter(dataset=options["dataset"], periode=options.get("periode") or "",
                       wilayah=options.get("desa") or "", kategori=options.get("kategori") or "")
        if options.get("hitung_ulang"):
            for kirim in Pengiriman.objects.filter(pk__in=sel._pengiriman_ids(None, f)):
                selisih_hitung(kirim)
        r = sel.ringkasan(None, f)
        tampilan = tampilan_server()
        items = [sel.item_dict(s, tampilan) for s in sel.item_list(None, f)]
        return {"dataset": f.dataset, "periode": f.periode or None, "wilayah": f.wilayah or None,
                "ringkasan": {"total": r.total, "per_kategori": r.per_kategori, "per_pihak": r.per_pihak,
                              "per_dataset": r.per_dataset, "per_desa": r.per_desa,
                              "baris_ditinjau_tidak_dibandingkan": r.ditinjau},
                "item": items}

    def render(self, result) -> None:
        r = result["ringkasan"]
        self.stdout.write(f"Dataset {result['dataset']}: {r['total']} selisih")
        for kategori, n in r["per_kategori"].items():
            self.stdout.write(f"  {sel.KATEGORI_LABEL[kategori]:<35} {n:>7}")
        self.stdout.write(f"  harus ditindaklanjuti OPD: {r['per_pihak'].get('opd', 0)}, "
                          f"desa: {r['per_pihak'].get('desa', 0)}")
        if r["baris_ditinjau_tidak_dibandingkan"]:
            self.stdout.write(f"  {r['baris_ditinjau_tidak_dibandingkan']} baris masih ditinjau: belum dibandingkan")
        for i in result["item"][:500]:
            self.stdout.write(f"baris {i['baris'] or '-':>6}  {i['kode_desa']:<14} {i['kategori']:<15} "
                              f"{i['variabel']:<18} sumber={i['nilai_sumber']!s:<20} registri={i['nilai_registri']} "
                              f"→ {i['pihak']}")
        if len(result["item"]) > 500:
            self.stdout.write(f"… dan {len(result['item']) - 500} lainnya (pakai --json)")
