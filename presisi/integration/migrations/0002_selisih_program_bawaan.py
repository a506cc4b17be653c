"""Seed the standard programs (PKH, BPNT, PBI-JK, BLT-DD, RTLH) and their default dated eligibility rules."""

from django.db import migrations


def muat(apps, schema_editor):
    from presisi.integration.program_bawaan import BERLAKU_BAWAAN, PROGRAM_BAWAAN

    Program = apps.get_model("integration", "Program")
    Aturan = apps.get_model("integration", "AturanKelayakan")
    for p in PROGRAM_BAWAAN:
        program, _ = Program.objects.get_or_create(
            kode=p["kode"], defaults={"nama": p["nama"], "unit": p["unit"], "keterangan": p["keterangan"]})
        if not Aturan.objects.filter(program=program).exists():
            Aturan.objects.create(program=program, ekspresi=p["ekspresi"], berlaku_mulai=BERLAKU_BAWAAN,
                                  catatan=p["catatan"])


class Migration(migrations.Migration):
    dependencies = [("integration", "0001_sektor_dataset_pengiriman_tautan")]

    operations = [migrations.RunPython(muat, migrations.RunPython.noop)]
