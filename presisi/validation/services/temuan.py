"""Justifying a warning (a written reason, by someone whose scope covers the desa)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from presisi.accounts.access import in_scope, user_profil
from presisi.accounts.models import ANALIS
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.validation.models import WARNING, RekapValidasi, Temuan

MIN_ALASAN = 10


@transaction.atomic
def temuan_justifikasi(*, temuan: Temuan, alasan: str, pengguna) -> Temuan:
    """Accept a warning with a written reason. Errors cannot be justified: they must be fixed."""
    temuan = Temuan.objects.select_for_update().select_related("desa", "aturan").get(pk=temuan.pk)
    profil = user_profil(pengguna)
    if not in_scope(pengguna, temuan.desa.kode) or (profil is not None and profil.peran == ANALIS):
        raise PermissionDenied("Temuan ini di luar cakupan Anda.")
    alasan = (alasan or "").strip()
    problems = []
    if temuan.keparahan != WARNING:
        problems.append(Finding(rule="justifikasi_error", column="keparahan", value=temuan.keparahan,
                                message="kesalahan (error) tidak dapat dijustifikasi; perbaiki datanya"))
    if temuan.status == Temuan.SELESAI:
        problems.append(Finding(rule="justifikasi_selesai", column="status", value=temuan.status,
                                message="temuan sudah selesai (tidak terjadi lagi)"))
    if len(alasan) < MIN_ALASAN:
        problems.append(Finding(rule="justifikasi_alasan", column="alasan", value=alasan,
                                message=f"tulis alasan minimal {MIN_ALASAN} karakter"))
    if problems:
        raise ValidationFailed("Justifikasi ditolak.", problems)
    if temuan.status == Temuan.DIJUSTIFIKASI and temuan.justifikasi == alasan:
        # the same reason again (a double click, two reviewers agreeing): already done, write nothing
        return temuan
    before = {"status": temuan.status, "justifikasi": temuan.justifikasi}
    was_open = temuan.status == Temuan.TERBUKA
    temuan.status = Temuan.DIJUSTIFIKASI
    temuan.justifikasi = alasan
    temuan.dijustifikasi_oleh = pengguna if getattr(pengguna, "pk", None) else None
    temuan.dijustifikasi_pada = timezone.now()
    temuan.save(update_fields=["status", "justifikasi", "dijustifikasi_oleh", "dijustifikasi_pada", "diubah"])
    if was_open:
        rekap = RekapValidasi.objects.filter(desa_id=temuan.desa_id, periode_id=temuan.periode_id,
                                             warning_belum_dijustifikasi__gt=0).first()
        if rekap is not None:
            rekap.warning_belum_dijustifikasi -= 1
            rekap.save(update_fields=["warning_belum_dijustifikasi"])
    audit_log(aksi="validation.temuan.dijustifikasi", objek=temuan, pengguna=pengguna, sebelum=before,
              sesudah={"status": temuan.status, "justifikasi": alasan})
    return temuan


def temuan_justifikasi_banyak(*, temuan_ids: list[int], alasan: str, pengguna) -> dict[str, list]:
    """Justify many warnings with one reason (the validation page's checkboxes), one audit row each.

    The reason is checked once up front; then each warning goes through ``temuan_justifikasi``
    in its own savepoint, so one refused finding (an error, out of scope, resolved) does not undo
    the others. Returns ``{"dijustifikasi": [ids], "ditolak": [{"id", "pesan"}]}``.
    """
    alasan = (alasan or "").strip()
    ids = sorted({int(i) for i in temuan_ids})
    if not ids:
        raise ValidationFailed("Pilih minimal satu peringatan untuk dijustifikasi.", [Finding(
            rule="justifikasi_kosong", column="temuan", message="tidak ada peringatan yang dipilih")])
    if len(alasan) < MIN_ALASAN:
        raise ValidationFailed("Justifikasi ditolak.", [Finding(
            rule="justifikasi_alasan", column="alasan", value=alasan,
            message=f"tulis alasan minimal {MIN_ALASAN} karakter")])
    found = {t.pk: t for t in Temuan.objects.filter(pk__in=ids)}
    out: dict[str, list] = {"dijustifikasi": [], "ditolak": []}
    with transaction.atomic():
        for pk in ids:
            temuan = found.get(pk)
            if temuan is None:
                out["ditolak"].append({"id": pk, "pesan": "temuan tidak ditemukan"})
                continue
            try:
                with transaction.atomic():
                    temuan_justifikasi(temuan=temuan, alasan=alasan, pengguna=pengguna)
            except (ValidationFailed, PermissionDenied) as exc:
                detail = "; ".join(f.message for f in exc.findings) or exc.message
                out["ditolak"].append({"id": pk, "pesan": detail})
            else:
                out["dijustifikasi"].append(pk)
    return out
