# Periode moved from the updates app with its table (updates_periode) unchanged: state only.
# On a new database updates/0001 still creates the table; this migration only tells Django
# that the model now lives here. updates/0003 removes it from updates' state afterwards.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('updates', '0002_submissions_history_and_period_closing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Periode',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('dibuat', models.DateTimeField(auto_now_add=True)),
                        ('diubah', models.DateTimeField(auto_now=True)),
                        ('kode', models.CharField(max_length=20, unique=True)),
                        ('nama', models.CharField(blank=True, max_length=100)),
                        ('tanggal_mulai', models.DateField()),
                        ('tanggal_referensi', models.DateField(help_text='Tanggal acuan umur dan keadaan data periode ini.')),
                        ('tenggat', models.DateField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('dibuka', 'Dibuka'), ('ditutup', 'Ditutup')], default='dibuka', max_length=10)),
                        ('ditutup_pada', models.DateTimeField(blank=True, null=True)),
                        ('dibuka_oleh', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('ditutup_oleh', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'periode',
                        'verbose_name_plural': 'periode',
                        'ordering': ['tanggal_referensi', 'kode'],
                        'db_table': 'updates_periode',
                    },
                ),
            ],
        ),
    ]
