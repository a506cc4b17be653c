"""``presisi indikator load | hitung --periode P | list | nilai KODE --periode P --tingkat desa``."""

from __future__ import annotations

import sys

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.exports import DIALEK, desimal_kolom, dialek_dari, rows_to_csv
from presisi.indicators import selectors, services
from presisi.indicators.adat import KOLOM_ADAT, nilai_desa_adat
from presisi.indicators.engine import hitung_indikator
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_get, periode_get_atau_terkini
from presisi.regions.models import Wilayah

VALUE_COLUMNS = [("kode", "Kode wilayah"), ("nama", "Wilayah"), ("pembilang", "Pembilang"),
                 ("penyebut", "Penyebut"), ("nilai", "Nilai"), ("kelas", "Kelas"), ("disagregasi", "Disagregasi")]


class Command(PresisiCommand):
    help = "Indikator: muat set standar, hitung per periode, tampilkan katalog dan nilai."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        load = sub.add_parser("load", help="Muat parameter dan set indikator standar (YAML).")
        load.add_argument("--json", action="store_true")
        hitung = sub.add_parser("hitung", help="Hitung indikator semua tingkat untuk satu atau semua periode.")
        hitung.add_argument("--periode", help="Kode periode, mis. 2026-S2.")
        hitung.add_argument("--semua-periode", action="store_true")
        hitung.add_argument("--desa", nargs="*", help="Hanya desa ini (dan induknya).")
        hitung.add_argument("--indikator", nargs="*", help="Hanya indikator ini.")
        hitung.add_argument("--pakai-snapshot", action="store_true",
                            help="Pakai baris analitik periode yang sudah ada (tanpa membaca ulang registri).")
        hitung.add_argument("--json", action="store_true")
        lst = sub.add_parser("list", help="Katalog indikator.")
        lst.add_argument("--tema")
        lst.add_argument("--json", action="store_true")
        nilai = sub.add_parser("nilai", help="Nilai satu indikator per wilayah.")
        nilai.add_argument("kode")
        nilai.add_argument("--periode")
        nilai.add_argument("--tingkat", default="desa")
        nilai.add_argument("--induk")
        nilai.add_argument("--disagregasi", default="total")
        nilai.add_argument("--kelompok", choices=["adat"],
                           help="adat: per desa adat di dalam --induk (bawaan: kabupaten), dihitung dari keluarga.")
        nilai.add_argument("--csv", action="store_true", help="Keluaran CSV.")
        nilai.add_argument("--dialek", choices=list(DIALEK), default="standar",
                           help="Dialek CSV: standar (koma, titik desimal) atau excel-id (titik koma, koma desimal).")
        nilai.add_argument("--json", action="store_true")

    def run(self, **options):
        aksi = options["aksi"]
        if aksi == "load":
            return services.indikator_load().as_dict()
        if aksi == "hitung":
            return self._hitung(options)
        if aksi == "list":
            return {"indikator": [selectors.indikator_dict(i) for i in selectors.indikator_list(
                publik=False, tema=options.get("tema"))]}
        ind = selectors.indikator_get(kode=options["kode"], publik=False)
        if options.get("kelompok") == "adat":
            return self._nilai_adat(ind, options)
        rows = selectors.nilai_list(indikator=ind, periode=periode_get_atau_terkini(options.get("periode"), wajib=True),
                                    tingkat=options["tingkat"], induk=options.get("induk"),
                                    disagregasi=options["disagregasi"], publik=False)
        if options.get("csv"):
            sys.stdout.buffer.write(rows_to_csv(rows, VALUE_COLUMNS, dialek=dialek_dari(options.get("dialek")),
                                                desimal=desimal_kolom(kolom={"nilai": ind.desimal})))
            return None
        return {"indikator": ind.kode, "satuan": ind.satuan, "nilai": rows}

    def _nilai_adat(self, ind, options):
        rows = nilai_desa_adat(indikator=ind, periode=periode_get_atau_terkini(options.get("periode"), wajib=True),
                               induk=options.get("induk"), publik=False, sementara=True)
        if options.get("csv"):
            sys.stdout.buffer.write(rows_to_csv(rows, KOLOM_ADAT))
            return None
        return {"indikator": ind.kode, "satuan": ind.satuan, "kelompok": "adat", "nilai": rows}

    def _hitung(self, options):
        if options.get("semua_periode"):
            periods = list(Periode.objects.order_by("tanggal_referensi"))
        elif options.get("periode"):
            periods = [periode_get(options["periode"])]
        else:
            raise ValidationFailed("Sebutkan --periode atau --semua-periode.",
                                   [Finding(rule="periode", column="periode", message="periode wajib")])
        desa = None
        if options.get("desa"):
            desa = list(Wilayah.objects.filter(kode__in=options["desa"]).values_list("id", flat=True))
        results = [hitung_indikator(periode=p, desa=desa, kode=options.get("indikator"),
                                    bangun_snapshot=not options.get("pakai_snapshot")).as_dict() for p in periods]
        return {"hasil": results}

    def render(self, result):
        if "hasil" in result:
            for r in result["hasil"]:
                self.stdout.write(self.style.SUCCESS(
                    f"Periode {r['periode']}: {r['indikator']} indikator, {r['desa']} desa, {r['fakta']} nilai "
                    f"dalam {r['detik']['total']} detik (snapshot {r['detik']['snapshot']} s, pindai "
                    f"{r['detik']['scan']} s, fakta {r['detik']['fakta']} s)."))
                for kode, err in r["galat"].items():
                    self.stderr.write(self.style.WARNING(f"  {kode}: {err}"))
        elif "nilai" in result:
            for row in result["nilai"]:
                value = "—" if row["nilai"] is None else row["nilai"]
                self.stdout.write(f"{row['kode']:<20} {row['nama'][:30]:<30} {value!s:>10} {row['kelas']}")
        elif "indikator" in result and isinstance(result["indikator"], list):
            for i in result["indikator"]:
                self.stdout.write(f"{i['kode']:<40} {i['tema']:<20} {i['nama']}")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Indikator v{result['versi']} dimuat: {result['indikator']} indikator, "
                f"{result['parameter']} parameter."))

