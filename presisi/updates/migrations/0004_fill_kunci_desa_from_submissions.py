# Fill the periods app's lock records (KunciDesa) from the existing submissions, so databases
# made before the lock moved keep their locks (and submitted desa become read-only).

from django.db import migrations
from django.utils import timezone

TINGKAT = {
    'draf': 'terbuka', 'dikembalikan': 'terbuka',
    'diajukan': 'diperiksa', 'diverifikasi': 'diperiksa',
    'disetujui': 'final', 'dipublikasikan': 'final',
}
LABEL = {
    'draf': 'Draf', 'dikembalikan': 'Dikembalikan untuk perbaikan', 'diajukan': 'Diajukan desa',
    'diverifikasi': 'Diverifikasi kecamatan', 'disetujui': 'Disetujui kabupaten', 'dipublikasikan': 'Dipublikasikan',
}


def isi(apps, schema_editor):
    Pengajuan = apps.get_model('updates', 'Pengajuan')
    KunciDesa = apps.get_model('periods', 'KunciDesa')
    sudah = set(KunciDesa.objects.values_list('periode_id', 'desa_id'))
    rows = [
        KunciDesa(periode_id=p.periode_id, desa_id=p.desa_id, tingkat=TINGKAT.get(p.status, 'terbuka'),
                  status=p.status, keterangan=LABEL.get(p.status, p.status),
                  sejak=p.status_diubah or timezone.now(), oleh_id=p.status_diubah_oleh_id)
        for p in Pengajuan.objects.all().iterator(chunk_size=2000)
        if (p.periode_id, p.desa_id) not in sudah
    ]
    KunciDesa.objects.bulk_create(rows, batch_size=1000)


def kosongkan(apps, schema_editor):
    apps.get_model('periods', 'KunciDesa').objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('updates', '0003_periode_moved_to_periods_app'),
        ('periods', '0002_kunci_desa_lock_per_period_and_desa'),
    ]

    operations = [
        migrations.RunPython(isi, kosongkan),
    ]
