# Periode moved to the periods app with its table unchanged: re-point the foreign keys in
# Django's state only (the database constraints already reference updates_periode).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('validation', '0003_dictionary_fingerprint_of_last_check'),
        ('periods', '0001_periode_moved_from_updates'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='rekapvalidasi',
                    name='periode',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='periods.periode'),
                ),
                migrations.AlterField(
                    model_name='temuan',
                    name='periode',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='temuan', to='periods.periode'),
                ),
            ],
        ),
    ]
