"""Store uploaded files (already zip-compressed XLSX) without PostgreSQL trying to compress them
again: a batch of a whole regency is ~55 MB of incompressible bytes."""

from django.db import migrations


def uncompressed(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE imports_impor ALTER COLUMN isi SET STORAGE EXTERNAL")


def default(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE imports_impor ALTER COLUMN isi SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_import_jobs")]

    operations = [migrations.RunPython(uncompressed, default)]
