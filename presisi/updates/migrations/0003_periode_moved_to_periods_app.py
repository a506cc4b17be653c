# Periode now lives in the periods app (same table, updates_periode): re-point the
# submission's foreign key and drop the model from this app's state. Nothing changes in the
# database. Runs after every other app has re-pointed its own foreign keys.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('updates', '0002_submissions_history_and_period_closing'),
        ('periods', '0001_periode_moved_from_updates'),
        ('indicators', '0003_periode_now_in_periods_app'),
        ('validation', '0004_periode_now_in_periods_app'),
        ('imports', '0003_periode_now_in_periods_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='pengajuan',
                    name='periode',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pengajuan', to='periods.periode'),
                ),
                migrations.DeleteModel(name='Periode'),
            ],
        ),
    ]
