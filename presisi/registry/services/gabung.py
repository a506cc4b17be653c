"""Merging two registry records of one person (a reviewed duplicate), the registry's one door for it.

Modelled on DHIS2's tracked-entity merge: a merge is its own permission (only the roles that write
registry data, for *both* records' desa: the desa operator when both are his, else the admin), it is
audited on both records, nothing is deleted, and it is refused where merging would lose or contradict
data: the same record twice, a record already merged, different sex, a different life status (record
the death or move on the kept record first), or a duplicate that is the living head of a family with
other living members (name another head first). The duplicate becomes ``status_dasar = TIDAK_VALID``
with ``atribut["digabung_ke"]`` pointing at the kept record; both keep their audit rows and events.
Both records are locked and their versions moved on (optimistic locking), and a desa whose period data
is submitted or approved cannot be changed (``periods.locking``).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.utils.translation import gettext as _

from presisi.accounts.access import can_write_registry
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.registry.models import HIDUP, KEPALA_KELUARGA, TIDAK_VALID, Individu
from presisi.registry.services.versi import kunci_versi

AKSI_GABUNG = "registry.individu.digabung"  # on the duplicate
AKSI_GABUNG_TERIMA = "registry.individu.menerima_gabungan"  # on the kept record
KUNCI_GABUNG = "digabung_ke"


def _tolak(rule: str, column: str, value, message: str) -> ValidationFailed:
    return ValidationFailed(f"Penggabungan ditolak: {message}.", [Finding(rule=rule, column=column, value=value,
                                                                          message=message)])


def _periksa(kept: Individu, dup: Individu, alasan: str) -> None:
    if kept.pk == dup.pk:
        raise _tolak("gabung_sama", "individu", dup.pk, "record yang sama tidak dapat digabung dengan dirinya")
    if not alasan:
        raise _tolak("alasan_wajib", "alasan", None, "penggabungan wajib disertai alasan")
    for person in (kept, dup):
        if person.status_dasar == TIDAK_VALID:
            raise _tolak("sudah_digabung", "status_dasar", person.pk,
                         f"record #{person.pk} sudah tidak valid (sudah digabung)")
    if kept.jenis_kelamin != dup.jenis_kelamin:
        raise _tolak("jenis_kelamin_beda", "jenis_kelamin", dup.jenis_kelamin,
                     "jenis kelamin kedua record berbeda; perbaiki dulu record yang salah")
    if kept.status_dasar != dup.status_dasar:
        raise _tolak("status_beda", "status_dasar", dup.status_dasar,
                     "status dasar kedua record berbeda; catat peristiwanya dulu pada record yang dipertahankan")
    if (dup.hubungan_keluarga == KEPALA_KELUARGA and dup.status_dasar == HIDUP
            and dup.keluarga.anggota.filter(status_dasar=HIDUP).exclude(pk__in=[dup.pk, kept.pk]).exists()):
        raise _tolak("kepala_keluarga", "hubungan_keluarga", dup.hubungan_keluarga,
                     "record yang akan dinonaktifkan adalah kepala keluarga dengan anggota hidup; tetapkan kepala "
                     "keluarga lain dulu atau pertahankan record ini")


@transaction.atomic
def individu_gabung(*, dipertahankan: Individu, duplikat: Individu, pengguna=None, alasan: str = "",
                    versi_dipertahankan: int | Collection[int] | None = None,
                    versi_duplikat: int | Collection[int] | None = None) -> Individu:
    """Merge ``duplikat`` into ``dipertahankan`` (see the module docstring); returns the duplicate."""
    if pengguna is not None and not (can_write_registry(pengguna, dipertahankan.desa.kode)
                                     and can_write_registry(pengguna, duplikat.desa.kode)):
        raise PermissionDenied(_("Penggabungan record hanya oleh operator desa kedua record atau admin kabupaten."))
    alasan = (alasan or "").strip()
    # lock in id order, so two merges of the same pair cannot deadlock
    first, second = sorted([(dipertahankan.pk, versi_dipertahankan), (duplikat.pk, versi_duplikat)])
    locked = {pk: kunci_versi(Individu, pk, versi, related=("keluarga", "desa")) for pk, versi in (first, second)}
    kept, dup = locked[dipertahankan.pk], locked[duplikat.pk]
    _periksa(kept, dup, alasan)
    pastikan_dapat_diubah(desa=dup.desa)
    pastikan_dapat_diubah(desa=kept.desa)
    before = {"status_dasar": dup.status_dasar, KUNCI_GABUNG: dup.atribut.get(KUNCI_GABUNG)}
    dup.status_dasar = TIDAK_VALID
    dup.atribut = {**dup.atribut, KUNCI_GABUNG: kept.pk}
    dup.save(update_fields=["status_dasar", "atribut", "diubah", "versi"])
    kept.save(update_fields=["diubah", "versi"])
    audit_log(aksi=AKSI_GABUNG, objek=dup, pengguna=pengguna, sebelum=before,
              sesudah={"status_dasar": TIDAK_VALID, KUNCI_GABUNG: kept.pk, "alasan": alasan, "versi": dup.versi})
    audit_log(aksi=AKSI_GABUNG_TERIMA, objek=kept, pengguna=pengguna,
              sesudah={"digabung_dari": dup.pk, "alasan": alasan, "versi": kept.versi})
    return dup
