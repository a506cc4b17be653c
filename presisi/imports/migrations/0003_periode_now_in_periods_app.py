# Periode moved to the periods app with its table unchanged: re-point the foreign key in
# Django's state only (the database constraint already references updates_periode).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0002_impor_isi_stored_uncompressed'),
        ('periods', '0001_periode_moved_from_updates'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='impor',
                    name='periode',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='periods.periode'),
                ),
            ],
        ),
    ]
