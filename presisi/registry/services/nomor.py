"""Temporary numbers (codes.md §5) and their replacement by the real ones.

A newborn (or a newcomer) without a NIK yet, and a family whose KK is not issued yet, get
OpenSID's temporary number: ``0`` + the desa's 10-digit code + a 5-digit serial, the next free
one of that desa (NIK and No. KK have their own series). The record is flagged ``nik_sementara`` /
``no_kk_sementara`` and the validation rules keep asking for the real number.

When the real NIK arrives, ``nik_sementara_ganti`` sets it. If that NIK is already registered
(e.g. the child came in with a Dukcapil import meanwhile) the two records are one person: the
temporary record is merged into the registered one through the registry's one merge door
(``gabung.individu_gabung``), so both keep their history and the temporary one points at the kept
record. The replacement of a temporary No. KK is an ordinary correction (``keluarga_update`` keeps
the old number as ``no_kk_sebelumnya``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Max

from presisi.accounts.access import can_write_registry
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.core.pdp import mask_nik
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.regions.known import kode_wilayah
from presisi.regions.models import Wilayah
from presisi.registry.identifiers import errors_only, is_temporary, nik_findings, temporary_number
from presisi.registry.models import Individu, Keluarga
from presisi.registry.services.gabung import individu_gabung
from presisi.registry.services.versi import kunci_versi

AKSI_NIK_DIGANTI = "registry.individu.nik_sementara_diganti"
SERIAL_MAKS = 99999


def _berikut(model: type[models.Model], field: str, desa: Wilayah, what: str) -> str:
    """The desa's next temporary number in ``model.field``: numbers have one length, so the
    largest text is the largest serial (one indexed query, the same on SQLite and PostgreSQL)."""
    prefix = temporary_number(desa.kode, 0)[:11]
    top = model.objects.filter(**{f"{field}__startswith": prefix}).aggregate(m=Max(field))["m"]
    serial = int(top[11:]) + 1 if top and top[11:].isdigit() else 1
    if serial > SERIAL_MAKS:
        raise ValidationFailed(f"Nomor {what} sementara desa ini sudah habis.", [Finding(
            rule="nomor_sementara_habis", column=field, value=prefix,
            message=f"nomor urut {what} sementara desa ini sudah mencapai {SERIAL_MAKS}; ganti yang lama dengan "
                    "nomor asli")])
    return temporary_number(desa.kode, serial)


def kunci_desa_nomor(desa_id: int) -> None:
    """Serialise the handing out of temporary numbers of one desa (PostgreSQL row lock on the desa;
    SQLite writes one transaction at a time anyway). The unique index stays the last guard."""
    list(Wilayah.objects.select_for_update().filter(pk=desa_id).values_list("pk", flat=True))


def nik_sementara_berikut(desa: Wilayah) -> str:
    return _berikut(Individu, "nik", desa, "NIK")


def no_kk_sementara_berikut(desa: Wilayah) -> str:
    return _berikut(Keluarga, "no_kk", desa, "KK")


@dataclass(frozen=True)
class HasilGantiNik:
    individu: Individu  # the record that now carries the real NIK
    nik_lama: str
    digabung_dari: int | None  # the temporary record merged into ``individu``

    @property
    def pesan(self) -> str:
        if self.digabung_dari is not None:
            return (f"NIK sementara {mask_nik(self.nik_lama)} diganti: NIK asli sudah terdaftar, record sementara "
                    f"#{self.digabung_dari} digabung ke #{self.individu.pk}.")
        return f"NIK sementara {mask_nik(self.nik_lama)} diganti dengan NIK asli {mask_nik(self.individu.nik)}."

    def as_dict(self) -> dict[str, Any]:
        return {"individu": self.individu.pk, "nik": mask_nik(self.individu.nik), "nik_lama": mask_nik(self.nik_lama),
                "digabung_dari": self.digabung_dari, "pesan": self.pesan}


def _tolak(rule: str, value: Any, message: str) -> ValidationFailed:
    return ValidationFailed(f"NIK sementara tidak dapat diganti: {message}.", [Finding(
        rule=rule, column="nik", value=value, message=message)])


def _periksa_nik_baru(person: Individu, nik: str) -> None:
    if not person.nik_sementara and not is_temporary(person.nik):
        raise _tolak("bukan_nik_sementara", mask_nik(person.nik), "penduduk ini sudah ber-NIK asli; koreksi NIK "
                                                                 "dilakukan lewat koreksi data penduduk")
    if is_temporary(nik):
        raise _tolak("nik_baru_sementara", nik, "NIK pengganti harus NIK asli, bukan nomor sementara")
    kecamatan = {k.replace(".", "") for k in Wilayah.objects.kecamatan().values_list("kode", flat=True)}
    errors = errors_only(nik_findings(nik, jenis_kelamin=person.jenis_kelamin, tanggal_lahir=person.tanggal_lahir,
                                      kecamatan_dikenal=kecamatan, wilayah=kode_wilayah()))
    if errors:
        raise ValidationFailed("NIK pengganti tidak sah.", errors)


@transaction.atomic
def nik_sementara_ganti(*, individu: Individu, nik_baru: str, alasan: str = "", pengguna=None,
                        versi: int | None = None) -> HasilGantiNik:
    """Give a person registered with a temporary number their real NIK (module docstring)."""
    person = Individu.objects.select_related("desa", "keluarga").get(pk=individu.pk)
    if pengguna is not None and not can_write_registry(pengguna, person.desa.kode):
        raise PermissionDenied("Penggantian NIK hanya oleh operator desa ini atau admin kabupaten.")
    nik_baru = (nik_baru or "").strip()
    _periksa_nik_baru(person, nik_baru)
    holder = Individu.objects.select_related("desa", "keluarga").filter(nik=nik_baru).exclude(pk=person.pk).first()
    alasan = (alasan or "").strip()
    if holder is not None:
        return _gabung(person, holder, alasan, pengguna, versi)
    person = kunci_versi(Individu, person.pk, versi, related=("desa",))
    pastikan_dapat_diubah(desa=person.desa)
    lama = person.nik
    person.nik, person.nik_sementara = nik_baru, False
    person.save(update_fields=["nik", "nik_sementara", "diubah", "versi"])
    audit_log(aksi=AKSI_NIK_DIGANTI, objek=person, pengguna=pengguna, sebelum={"nik": lama, "nik_sementara": True},
              sesudah={"nik": nik_baru, "nik_sementara": False, "versi": person.versi,
                       **({"alasan": alasan} if alasan else {})})
    return HasilGantiNik(individu=person, nik_lama=lama, digabung_dari=None)


def _gabung(person: Individu, holder: Individu, alasan: str, pengguna, versi: int | None) -> HasilGantiNik:
    """The real NIK is registered already: the same person only if sex and birth date agree (a
    newborn's name is often given later), then the temporary record is merged into it."""
    beda = [label for field, label in (("jenis_kelamin", "jenis kelamin"), ("tanggal_lahir", "tanggal lahir"))
            if getattr(holder, field) != getattr(person, field)]
    if beda:
        raise _tolak("nik_orang_lain", mask_nik(holder.nik),
                     f"NIK ini terdaftar atas {holder.nama} ({holder.desa.nama}) dengan {' dan '.join(beda)} "
                     "berbeda; periksa kembali NIK-nya")
    catatan = f"NIK sementara {mask_nik(person.nik)} diganti NIK asli {mask_nik(holder.nik)} yang sudah terdaftar"
    individu_gabung(dipertahankan=holder, duplikat=person, pengguna=pengguna,
                    alasan=f"{catatan}; {alasan}" if alasan else catatan, versi_duplikat=versi)
    holder.refresh_from_db()
    return HasilGantiNik(individu=holder, nik_lama=person.nik, digabung_dari=person.pk)
