"""``presisi demo``: everything ``make demo`` needs before serving, idempotent.

Loads the shipped region list and the standard dictionary, generates the synthetic
regency when the registry is empty, and creates one demo user per role.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from presisi.accounts.services import demo_users_create
from presisi.core.commands import PresisiCommand
from presisi.dictionary.services import kamus_load
from presisi.regions.services import wilayah_load_boundaries, wilayah_load_csv
from presisi.registry.models import Individu


class Command(PresisiCommand):
    help = "Siapkan data demo: wilayah, kamus data, kabupaten sintetis, pengguna demo."

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
        if not Individu.objects.exists():
            call_command("synth", scale=options["scale"], seed=options["seed"], progress=True)
        out["pengguna"] = [login.__dict__ for login in demo_users_create()]
        return out

    def render(self, result):
        self.stdout.write(self.style.SUCCESS("Data demo siap. Masuk dengan salah satu akun berikut:"))
        for p in result["pengguna"]:
            self.stdout.write(f"  {p['username']:<12} / {p['password']:<14} {p['peran']} — {p['wilayah']}")
