"""Life events (lahir, mati, pindah keluar, datang…). Events never delete: they change status and are kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.registry.models import HIDUP, HILANG, MATI, PERGI, PINDAH, Individu, Keluarga, Peristiwa
from presisi.registry.services.nomor import kunci_desa_nomor, nik_sementara_berikut
from presisi.registry.services.records import individu_create
from presisi.registry.services.versi import kunci_versi

# Which status an event leaves the person in.
STATUS_AFTER = {
    Peristiwa.MATI: MATI,
    Peristiwa.PINDAH_KELUAR: PINDAH,
    Peristiwa.HILANG: HILANG,
    Peristiwa.PERGI: PERGI,
    Peristiwa.PINDAH_MASUK: HIDUP,
    Peristiwa.LAHIR: HIDUP,
}


def _check_date(tanggal: dt.date, individu: Individu | None = None) -> None:
    if tanggal > dt.date.today():
        raise ValidationFailed("Tanggal peristiwa di masa depan.", [
            Finding(rule="tanggal_depan", column="tanggal", value=tanggal.isoformat(),
                    message="tanggal peristiwa tidak boleh setelah hari ini")])
    if individu is not None and tanggal < individu.tanggal_lahir:
        raise ValidationFailed("Tanggal peristiwa sebelum tanggal lahir.", [
            Finding(rule="tanggal_sebelum_lahir", column="tanggal", value=tanggal.isoformat(),
                    message="tanggal peristiwa sebelum tanggal lahir")])


@transaction.atomic
def peristiwa_catat(*, individu: Individu, jenis: int, tanggal: dt.date, keterangan: str = "",
                    data: dict[str, Any] | None = None, pengguna=None) -> Peristiwa:
    """Record death, move out, disappearance or departure of a living person (or a return)."""
    individu = kunci_versi(Individu, individu.pk)
    pastikan_dapat_diubah(desa=individu.desa)
    if jenis not in STATUS_AFTER or jenis == Peristiwa.LAHIR:
        raise ValidationFailed("Jenis peristiwa tidak sah untuk penduduk yang sudah terdaftar.", [
            Finding(rule="jenis_peristiwa", column="jenis", value=jenis,
                    message="gunakan kelahiran_catat untuk lahir")])
    if jenis == Peristiwa.PINDAH_MASUK and individu.status_dasar == HIDUP:
        raise ValidationFailed("Penduduk ini masih tercatat tinggal di sini.", [
            Finding(rule="status_dasar", column="jenis", value=jenis,
                    message="kedatangan hanya untuk penduduk yang pindah, pergi atau hilang")])
    if jenis != Peristiwa.PINDAH_MASUK and individu.status_dasar != HIDUP:
        raise ValidationFailed("Penduduk ini sudah tidak berstatus hidup.", [
            Finding(rule="status_dasar", column="status_dasar", value=individu.status_dasar,
                    message="peristiwa hanya dapat dicatat untuk penduduk hidup")])
    _check_date(tanggal, individu)
    before = individu.status_dasar
    event = Peristiwa.objects.create(individu=individu, jenis=jenis, tanggal=tanggal, keterangan=keterangan,
                                     data=data or {}, dicatat_oleh=pengguna if getattr(pengguna, "pk", None) else None)
    individu.status_dasar = STATUS_AFTER[jenis]
    individu.save(update_fields=["status_dasar", "diubah", "versi"])
    audit_log(aksi="registry.peristiwa.dicatat", objek=individu, pengguna=pengguna,
              sebelum={"status_dasar": before},
              sesudah={"status_dasar": individu.status_dasar, "peristiwa": event.get_jenis_display(),
                       "tanggal": tanggal.isoformat(), "versi": individu.versi})
    return event


@transaction.atomic
def kelahiran_catat(*, keluarga: Keluarga, data: dict[str, Any], pengguna=None, keterangan: str = "") -> Individu:
    """A birth: a new person in the family plus a 'Lahir' event on the birth date. Without a NIK
    the baby gets the desa's next temporary number (flagged ``nik_sementara``)."""
    tanggal = data.get("tanggal_lahir")
    tanggal = dt.date.fromisoformat(tanggal) if isinstance(tanggal, str) else tanggal
    if tanggal is not None:
        _check_date(tanggal)
    if not str(data.get("nik") or "").strip():
        # no NIK yet (codes.md §5): the desa's next temporary number, replaced later (services.nomor)
        kunci_desa_nomor(keluarga.desa_id)
        data = {**data, "nik": nik_sementara_berikut(keluarga.desa)}
    person = individu_create(keluarga=keluarga, data=data, pengguna=pengguna, aksi="registry.individu.lahir")
    Peristiwa.objects.create(individu=person, jenis=Peristiwa.LAHIR, tanggal=person.tanggal_lahir,
                             keterangan=keterangan, dicatat_oleh=pengguna if getattr(pengguna, "pk", None) else None)
    return person


@transaction.atomic
def kedatangan_catat(*, keluarga: Keluarga, data: dict[str, Any], tanggal: dt.date, asal: str = "",
                     pengguna=None) -> Individu:
    """A newcomer (pindah masuk): a new person in the family plus a 'Pindah Masuk' event."""
    _check_date(tanggal)
    person = individu_create(keluarga=keluarga, data=data, pengguna=pengguna, aksi="registry.individu.datang")
    Peristiwa.objects.create(individu=person, jenis=Peristiwa.PINDAH_MASUK, tanggal=tanggal,
                             keterangan=asal, data={"asal": asal},
                             dicatat_oleh=pengguna if getattr(pengguna, "pk", None) else None)
    return person
