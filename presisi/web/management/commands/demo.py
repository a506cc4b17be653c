"""``presisi demo``: everything ``make demo`` needs before serving, idempotent.

It lives in the top layer (``web``) because it drives every app below: regions, dictionary,
synthetic registry, users, periods (``updates``) and indicators.

Loads the shipped region list, the standard dictionary and indicator set, generates the
synthetic regency when the registry is empty, creates one demo user per role, opens two
update periods, publishes the first one through the update workflow (the public sees published
data only) and computes every indicator for both.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from presisi.accounts.services import demo_users_create
from presisi.core.commands import PresisiCommand
from presisi.dictionary.services import kamus_load
from presisi.indicators.engine import hitung_indikator
from presisi.indicators.services import indikator_load
from presisi.integration.demo import demo_lapisan_muat, demo_sektor_muat
from presisi.periods.models import Periode
from presisi.regions.services import wilayah_load_boundaries, wilayah_load_csv
from presisi.registry.models import Individu
from presisi.updates.services import periode_buka, periode_terbitkan_semua

DEMO_PERIODS = ("2026-S1", "2026-S2")


class Command(PresisiCommand):
    help = "Siapkan data demo: wilayah, kamus data, indikator, kabupaten sintetis, pengguna, periode."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--scale", type=float, default=float(os.environ.get("DEMO_SCALE", "1.0")))
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--batas", default=settings.PRESISI_BOUNDARY_FILE or "",
                            help="Berkas GeoJSON batas desa (opsional).")

    def run(self, **options):
        out: dict = {"wilayah": wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE)).as_dict()}
        boundary = options.get("batas")
        if boundary and Path(boundary).exists():
            out["batas"] = wilayah_load_boundaries(data=Path(boundary)).as_dict()
        out["kamus"] = kamus_load().as_dict()
        out["indikator"] = indikator_load().as_dict()
        if not Individu.objects.exists():
            call_command("synth", scale=options["scale"], seed=options["seed"], no_progress=not self.is_tty())
        out["pengguna"] = [login.__dict__ for login in demo_users_create()]
        admin = get_user_model().objects.get(username="admin")
        for kode in DEMO_PERIODS:
            if not Periode.objects.filter(kode=kode).exists():
                periode_buka(kode=kode, pengguna=admin)
        # hazard layers first: each period's computation then fills the exposure indicators
        out["lapisan"] = [lapisan.get("kode") for lapisan in demo_lapisan_muat(pengguna=admin)]
        out["terbit"] = self._publish_first_period()
        for kode in DEMO_PERIODS:
            out.setdefault("hitung", []).append(hitung_indikator(periode=Periode.objects.get(kode=kode)).as_dict())
        self._load_dashboards()
        # an agency list delivered into the live period and linked: review queue, discrepancies, targeting
        out["sektor"] = demo_sektor_muat(periode_kode=DEMO_PERIODS[-1])
        return out

    @staticmethod
    def _publish_first_period() -> dict | None:
        """The public dashboards show published data only (issue #10): take the first demo period through
        the real update path (submit → verify → approve → publish), then close it so the second is live."""
        periode = Periode.objects.get(kode=DEMO_PERIODS[0])
        if not periode.dibuka:
            return None
        return periode_terbitkan_semua(periode=periode, tutup=True, komentar="Demo: diterbitkan otomatis.",
                                       alasan_peringatan="Data demo sintetis: peringatan diterima untuk demonstrasi.")

    @staticmethod
    def _load_dashboards() -> None:
        call_command("dasbor", "load")

    def render(self, result):
        if result.get("terbit"):
            t = result["terbit"]
            self.stdout.write(f"Periode {t['periode']}: {t['status']} (peringatan dijustifikasi: "
                              f"{t['peringatan_dijustifikasi']}; gagal: {len(t['gagal'])})")
        for h in result.get("hitung", []):
            self.stdout.write(
                f"Indikator periode {h['periode']}: {h['indikator']} indikator dalam {h['detik']['total']} s")
        sektor = result.get("sektor", {})
        if sektor.get("tautan"):
            t = sektor["tautan"]
            self.stdout.write(f"Data sektoral (dinsos-pkh): {t['tertaut']} tertaut, {t['tinjau']} perlu ditinjau, "
                              f"{t['tanpa_pasangan']} tanpa pasangan")
        self.stdout.write(self.style.SUCCESS("Data demo siap. Masuk dengan salah satu akun berikut:"))
        for p in result["pengguna"]:
            self.stdout.write(f"  {p['username']:<12} / {p['password']:<14} {p['peran']} — {p['wilayah']}")
        rahasia = next((p["totp"] for p in result["pengguna"] if p.get("totp")), "")
        if rahasia:
            self.stdout.write(
                f"Walidata, analis dan admin memakai verifikasi dua langkah. Tambahkan kunci demo {rahasia} "
                "ke aplikasi autentikator (TOTP, 6 angka, 30 detik), atau buat kodenya dengan "
                f"`oathtool --totp -b {rahasia}`.")
