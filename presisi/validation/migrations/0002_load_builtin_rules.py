"""Load the built-in rules from aturan_bawaan.yaml (idempotent; creates missing rows only)."""

from pathlib import Path

import yaml
from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "aturan_bawaan.yaml"


def load(apps, schema_editor):
    aturan = apps.get_model("validation", "AturanValidasi")
    with CATALOGUE.open(encoding="utf-8") as fh:
        items = yaml.safe_load(fh)["aturan"]
    existing = set(aturan.objects.values_list("kode", flat=True))
    aturan.objects.bulk_create([
        aturan(kode=i["kode"], nama=i["nama"], unit=i["unit"], keparahan=i["keparahan"], pesan=i["pesan"],
               jenis="bawaan", kolom=i.get("kolom", ""), terkunci=bool(i.get("terkunci")), aktif=True)
        for i in items if i["kode"] not in existing
    ])


class Migration(migrations.Migration):
    dependencies = [("validation", "0001_rules_findings_and_run_summaries")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
