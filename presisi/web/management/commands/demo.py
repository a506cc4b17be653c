"""``presisi demo``: everything ``make demo`` needs before serving, idempotent.

It lives in the top layer (``web``) because it drives every app below: regions, dictionary,
synthetic registry, users, periods (``updates``) and indicators.

Loads the shipped region list, the standard dictionary and indicator set, generates the
synthetic regency when the registry is empty, creates one demo user per role, then lives through
four update periods (``DEMO_PERIODS``): each period after the first records its seeded changes
through the registry services (``presisi.synth.perubahan``: births, deaths, moves, marriages and
new KK, buildings, improvements in some desa and deteriorations in others); every period but the
last is published through the update workflow (approval freezes its snapshot, so its indicators
keep that period's registry state) and closed; the live last period's submissions are spread over
every state of the board. Finally every indicator is computed for every period.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from presisi.accounts.services import demo_users_create
from presisi.core.commands import PresisiCommand
from presisi.dictionary.services import kamus_load
from presisi.indicators.engine import hitung_indikator
from presisi.indicators.services import indikator_load
from presisi.integration.demo import demo_lapisan_muat, demo_sektor_muat
from presisi.periods.models import Periode
from presisi.regions.services import wilayah_load_boundaries, wilayah_load_csv
from presisi.registry.models import Individu
from presisi.synth.perubahan import periode_berikut
from presisi.updates.models import DIAJUKAN, DIKEMBALIKAN, DISETUJUI, DIVERIFIKASI, DRAF, Pengajuan
from presisi.updates.services import periode_buka, periode_sebar_status, periode_terbitkan_semua

DEMO_PERIODS = ("2025-S1", "2025-S2", "2026-S1", "2026-S2")
# The live period's board: desa by code order take these states in turn (every state shows).
SEBARAN_STATUS = (DISETUJUI, DIAJUKAN, DRAF, DIVERIFIKASI, DIKEMBALIKAN, DISETUJUI, DIAJUKAN, DRAF, DIVERIFIKASI,
                  DRAF)
ALASAN_PERINGATAN = "Data demo sintetis: peringatan diterima untuk demonstrasi."
ALASAN_KEMBALI = "Demo: mohon periksa kembali penduduk yang pindah masuk dan kelengkapan data rumah tangga."


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
        # hazard layers first: each period's computation then fills the exposure indicators
        out["lapisan"] = [lapisan.get("kode") for lapisan in demo_lapisan_muat(pengguna=admin)]
        for i, kode in enumerate(DEMO_PERIODS):
            perubahan = self._open_period(kode, admin=admin, seed=options["seed"] + i, changes=i > 0)
            if perubahan:
                out.setdefault("perubahan", []).append(perubahan)
            periode = Periode.objects.get(kode=kode)
            if kode != DEMO_PERIODS[-1]:
                hasil = self._publish(periode)
                if hasil:
                    out.setdefault("terbit", []).append(hasil)
            else:
                out["papan"] = self._spread_live(periode)
        for kode in DEMO_PERIODS:
            out.setdefault("hitung", []).append(hitung_indikator(periode=Periode.objects.get(kode=kode)).as_dict())
        self._load_dashboards()
        # an agency list delivered into the live period and linked: review queue, discrepancies, targeting
        out["sektor"] = demo_sektor_muat(periode_kode=DEMO_PERIODS[-1])
        return out

    @staticmethod
    def _open_period(kode: str, *, admin, seed: int, changes: bool) -> dict | None:
        """Open the period once; every period after the first records its seeded registry changes
        in the same transaction, so a rerun never repeats them."""
        if Periode.objects.filter(kode=kode).exists():
            return None
        with transaction.atomic():
            periode = periode_buka(kode=kode, pengguna=admin)
            return periode_berikut(periode=periode, seed=seed).as_dict() if changes else None

    @staticmethod
    def _publish(periode: Periode) -> dict | None:
        """The public dashboards show published data only (issue #10): take the period through the real
        update path (submit → verify → approve → publish), then close it so the next one is live."""
        if not periode.dibuka:
            return None
        return periode_terbitkan_semua(periode=periode, tutup=True, komentar="Demo: diterbitkan otomatis.",
                                       alasan_peringatan=ALASAN_PERINGATAN)

    @staticmethod
    def _spread_live(periode: Periode) -> dict | None:
        """The live period's board shows every state: some desa still drafting, some submitted, verified,
        approved, and some returned for correction with a reason."""
        kode = list(Pengajuan.objects.filter(periode=periode).order_by("desa__kode")
                    .values_list("desa__kode", flat=True))
        if Pengajuan.objects.filter(periode=periode).exclude(status=DRAF).exists():
            return None  # spread on an earlier run
        tujuan = {k: SEBARAN_STATUS[i % len(SEBARAN_STATUS)] for i, k in enumerate(kode)}
        return periode_sebar_status(periode=periode, tujuan=tujuan, alasan_peringatan=ALASAN_PERINGATAN,
                                    alasan_kembali=ALASAN_KEMBALI, komentar="Demo.")

    @staticmethod
    def _load_dashboards() -> None:
        call_command("dasbor", "load")

    def render(self, result):
        for p in result.get("perubahan", []):
            self.stdout.write(f"Perubahan {p['periode']}: {p['lahir']} lahir, {p['mati']} mati, "
                              f"{p['pindah_keluar']} pindah keluar, {p['pindah_masuk']} pindah masuk, "
                              f"{p['kk_baru']} KK baru, {p['rumah_tangga_diubah']} rumah tangga dan "
                              f"{p['individu_diubah']} penduduk diperbarui ({p['detik']} s)")
        for t in result.get("terbit", []) + ([result["papan"]] if result.get("papan") else []):
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
