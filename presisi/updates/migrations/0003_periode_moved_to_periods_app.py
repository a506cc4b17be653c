# Periode now lives in the periods app (same table, updates_periode): re-point the
# submission's foreign key and drop the model from this app's state. Nothing changes in the
# tables. Runs after every other app has re-pointed its own foreign keys. The content type
# moves with the model, so its permissions and generic references keep pointing at it (on a
# new database there is none yet: Django creates it after migrating).

import django.db.models.deletion
from django.db import migrations, models


def content_type_ke_periods(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='periods', model='periode').exists():
        ContentType.objects.filter(app_label='updates', model='periode').update(app_label='periods')


def content_type_ke_updates(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='updates', model='periode').exists():
        ContentType.objects.filter(app_label='periods', model='periode').update(app_label='updates')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
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
        migrations.RunPython(content_type_ke_periods, content_type_ke_updates),
    ]
