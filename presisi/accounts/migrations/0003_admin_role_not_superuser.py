"""The admin role is scoped to its regency like every other role: no role keeps Django superuser/staff
rights (the audited break-glass account, ``presisi pengguna darurat``, is the only superuser)."""

from django.db import migrations


def demote(apps, schema_editor):
    Profil = apps.get_model("accounts", "Profil")
    User = apps.get_model("auth", "User")
    User.objects.filter(pk__in=Profil.objects.values("pengguna_id")).update(is_superuser=False, is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_sesi_pengguna_untuk_sesi_saya"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(demote, migrations.RunPython.noop)]
