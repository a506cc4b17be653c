"""Variabel.sistem_rujukan: which source is authoritative when an agency list and the registry disagree."""

from django.db import migrations, models

# Variables whose system of record is an agency, not the village registry (as in the standard YAML).
RUJUKAN_OPD = {"jaminan_kesehatan": "dinkes", "desil_dtsen": "dinsos", "penerima_pkh": "dinsos",
               "penerima_bpnt": "dinsos", "penerima_blt_dana_desa": "dpmd", "penerima_bantuan_rtlh": "pupr"}


def isi(apps, schema_editor):
    Variabel = apps.get_model("dictionary", "Variabel")
    for kode, rujukan in RUJUKAN_OPD.items():
        Variabel.objects.filter(kode=kode).update(sistem_rujukan=rujukan)


class Migration(migrations.Migration):
    dependencies = [("dictionary", "0001_data_dictionary_ms_var")]

    operations = [
        migrations.AddField(
            model_name="variabel",
            name="sistem_rujukan",
            field=models.CharField(default="registri", help_text="registri, atau kode sektor/dataset yang menjadi rujukan.",
                                   max_length=60, verbose_name="sistem rujukan"),
        ),
        migrations.RunPython(isi, migrations.RunPython.noop),
    ]
