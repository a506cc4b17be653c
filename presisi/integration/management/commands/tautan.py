"""``presisi tautan``: record linkage of agency datasets at the command line.

- ``presisi tautan jalankan --dataset KODE [--periode P] [--json]``: link the latest delivery (of the
  period) to the registry; prints the counts tertaut / tinjau / tanpa_pasangan and the time;
- ``presisi tautan hasil --dataset KODE [--periode P] --format csv|json``: one line per source row:
  ``baris`` (1-based position among the data rows of the delivered file), ``status``, ``nik_registri``
  (the linked or best candidate person) and ``skor``. An export of person-level data: one UU PDP
  processing-log row (``pdp.ekspor``, channel ``cli``); ``--nik-samar`` masks the NIKs;
- ``presisi tautan ganda [--wilayah KODE] [--json]``: look for probable duplicates in the registry.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, NotFound, ValidationFailed
from presisi.core.exports import csv_value
from presisi.core.pdp import EKSPOR, TampilanPribadi
from presisi.integration.models import BELUM, BarisSumber, Pengiriman
from presisi.integration.services.ganda import ganda_cari
from presisi.integration.services.tautan import tautan_jalankan
from presisi.periods.selectors import periode_get

KOLOM_HASIL = ("baris", "status", "nik_registri", "skor")


def pengiriman_terakhir(dataset: str, periode: str | None = None) -> Pengiriman:
    """The latest accepted delivery of a dataset (of one period when given)."""
    qs = Pengiriman.objects.filter(dataset__kode=dataset, status=Pengiriman.DITERIMA).select_related("dataset")
    if periode:
        qs = qs.filter(periode=periode_get(periode))
    p = qs.order_by("-dikirim_pada", "-id").first()
    if p is None:
        raise NotFound("Pengiriman tidak ditemukan.", [Finding(
            rule="pengiriman_tidak_ada", column="--dataset", value=dataset,
            message="belum ada pengiriman diterima untuk dataset" + (f" periode {periode}" if periode else ""))])
    return p


def skor_teks(skor: float | None) -> str:
    return "" if skor is None else f"{skor:.4f}"


class Command(PresisiCommand):
    help = "Penautan data sektoral ke registri: jalankan, hasil per baris, data ganda registri."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        jalan = sub.add_parser("jalankan", help="Tautkan pengiriman terakhir dataset ke registri.")
        jalan.add_argument("--dataset", required=True, help="Kode dataset.")
        jalan.add_argument("--periode", help="Kode periode (bawaan: pengiriman terakhir).")
        jalan.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")
        hasil = sub.add_parser("hasil", help="Hasil penautan per baris sumber (CSV atau JSON).")
        hasil.add_argument("--dataset", required=True, help="Kode dataset.")
        hasil.add_argument("--periode", help="Kode periode (bawaan: pengiriman terakhir).")
        hasil.add_argument("--format", choices=["csv", "json"], default="csv", help="Format keluaran.")
        hasil.add_argument("--nik-samar", action="store_true", help="Samarkan NIK registri.")
        hasil.add_argument("--json", action="store_true", help="Sama dengan --format json.")
        ganda = sub.add_parser("ganda", help="Cari data ganda di registri.")
        ganda.add_argument("--wilayah", help="Kode wilayah (bawaan: seluruh registri).")
        ganda.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def handle(self, *args, **options):
        if options.get("aksi") == "hasil" and options.get("json"):
            options["format"] = "json"
            options["json"] = False  # the rows are the output, not wrapped in {"ok": …}
        return super().handle(*args, **options)

    def run(self, **options: Any) -> dict[str, Any] | None:
        aksi = options["aksi"]
        if aksi == "ganda":
            return {"aksi": aksi, **ganda_cari(kode_wilayah=options.get("wilayah") or None)}
        p = pengiriman_terakhir(options["dataset"], options.get("periode"))
        if aksi == "jalankan":
            r = tautan_jalankan(p)
            return {"aksi": aksi, "dataset": p.dataset.kode, "periode": p.periode.kode, "versi": p.versi,
                    "pengiriman": p.pk, "jumlah_baris": r.tertaut + r.tinjau + r.tanpa_pasangan, **r.as_dict()}
        self._hasil(p, options)
        return None

    def _hasil(self, p: Pengiriman, options: dict[str, Any]) -> None:
        if p.ditautkan_pada is None or BarisSumber.objects.filter(pengiriman=p, status_tautan=BELUM).exists():
            raise ValidationFailed("Pengiriman ini belum ditautkan.", [Finding(
                rule="belum_ditautkan", column="--dataset", value=p.dataset.kode,
                message="jalankan dulu: presisi tautan jalankan --dataset " + p.dataset.kode)])
        rows = list(BarisSumber.objects.filter(pengiriman=p).order_by("baris")
                    .values_list("baris", "status_tautan", "individu__nik", "skor", "individu_id"))
        # server operators at the command line: person-level data, logged as an export (UU PDP Ps. 31)
        tampilan = TampilanPribadi(pengguna=None, kode_wilayah="", boleh=True, penuh=not options.get("nik_samar"),
                                   kanal="cli")
        tampilan.catat(aksi=EKSPOR, objek_tipe="registry.individu", objek_ids=[r[4] for r in rows if r[4]],
                       tujuan=f"hasil penautan {p.dataset.kode} {p.periode.kode} v{p.versi}", jumlah=len(rows))
        out = [{"baris": b, "status": s, "nik_registri": tampilan.nik(nik) if nik else "", "skor": skor_teks(skor)}
               for b, s, nik, skor, _ in rows]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, "dataset": p.dataset.kode, "periode": p.periode.kode,
                                          "versi": p.versi, "baris": out}, ensure_ascii=False, indent=2))
            return
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(KOLOM_HASIL)
        for row in out:
            writer.writerow([csv_value(row[k]) for k in KOLOM_HASIL])
        self.stdout.write(buf.getvalue(), ending="")

    def render(self, result: dict[str, Any]) -> None:
        if result["aksi"] == "jalankan":
            self.stdout.write(
                f"{result['dataset']} {result['periode']} v{result['versi']}: {result['jumlah_baris']} baris — "
                f"tertaut {result['tertaut']}, tinjau {result['tinjau']}, tanpa pasangan {result['tanpa_pasangan']} "
                f"({result['dari_keputusan']} dari keputusan, {result['dipakai_ulang']} dipakai ulang, "
                f"{result['ke_mesin']} lewat mesin) dalam {result['detik']:.1f} detik")
        else:
            self.stdout.write(f"data ganda registri{' ' + result['wilayah'] if result['wilayah'] else ''}: "
                              f"{result['ditemukan']} pasangan ({result['baru']} baru, {result['diperbarui']} "
                              f"diperbarui, {result['sudah_diputuskan']} sudah diputuskan), {result['terbuka']} "
                              f"terbuka; {result['detik']:.1f} detik")
