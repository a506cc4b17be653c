# Periode moved to the periods app with its table unchanged: re-point the foreign keys in
# Django's state only (the database constraints already reference updates_periode).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_snapshot_registry_fingerprint'),
        ('periods', '0001_periode_moved_from_updates'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='nilaiindikator',
                    name='periode',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='periods.periode'),
                ),
                migrations.AlterField(
                    model_name='snapshot',
                    name='periode',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='periods.periode'),
                ),
            ],
        ),
    ]
