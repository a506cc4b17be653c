"""The submission state machine as one table, and the checks every entry point shares.

Each row of ``TRANSISI`` says from which states an action may start, where it leads, which
roles may take it, and whether it re-runs validation, needs a reason or an open period. The
services, the web buttons, the API's ``aksi`` list and the CLI all read this one table, so a
button is shown exactly when the service would accept the action.

Tiers (DHIS2 data approval, one-step): the desa operator submits, the kecamatan verifier
verifies, the regency data steward (walidata/admin) approves and publishes. A lower tier may
take its step back (return for correction) until the tier above has approved; once approved
the data is locked until the steward un-approves with a stated reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from presisi.accounts.access import in_scope, user_profil
from presisi.accounts.models import ADMIN, OPERATOR_DESA, PERAN_CHOICES, VERIFIKATOR_KECAMATAN, WALIDATA
from presisi.core.exceptions import ApplicationError, Finding, PermissionDenied, ValidationFailed
from presisi.updates.models import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DIPUBLIKASIKAN,
    DISETUJUI,
    DIVERIFIKASI,
    DRAF,
    LABEL_STATUS,
    Pengajuan,
)


@dataclass(frozen=True)
class HasilValidasi:
    """Counts of one validation run of one desa for one period (None = never validated)."""

    galat: int | None
    peringatan: int | None
    peringatan_tanpa_alasan: int | None

    @classmethod
    def dari_ringkasan(cls, ringkasan: Any) -> HasilValidasi:
        """From the validation app's ``RingkasanValidasi`` (error, warning, warning_belum_dijustifikasi)."""
        return cls(int(ringkasan.error), int(ringkasan.warning), int(ringkasan.warning_belum_dijustifikasi))

    @property
    def tersedia(self) -> bool:
        return self.galat is not None

    @property
    def bersih(self) -> bool:
        """No open errors and every warning justified."""
        return not (self.galat or self.peringatan_tanpa_alasan)

    def as_dict(self) -> dict[str, int | None]:
        return {"galat": self.galat, "peringatan": self.peringatan,
                "peringatan_tanpa_alasan": self.peringatan_tanpa_alasan}


TIDAK_TERSEDIA = HasilValidasi(None, None, None)

AJUKAN, VERIFIKASI, SETUJUI, PUBLIKASIKAN, KEMBALIKAN, BATAL = (
    "ajukan", "verifikasi", "setujui", "publikasikan", "kembalikan", "batal",
)
# The regency data steward: may open/close periods, approve, publish and un-approve.
PERAN_KABUPATEN = frozenset({WALIDATA, ADMIN})
LABEL_PERAN = dict(PERAN_CHOICES)


@dataclass(frozen=True)
class Transisi:
    aksi: str
    label: str  # button text
    hasil: str  # past participle for messages: "Pengajuan … berhasil <hasil>."
    dari: frozenset[str]
    ke: str
    peran: frozenset[str]
    validasi: bool = False  # re-run validation and refuse on open errors / unjustified warnings
    alasan_wajib: bool = False
    periode_dibuka: bool = False  # only while the period is open (the desa must be able to act)

    def as_dict(self) -> dict:
        return {"aksi": self.aksi, "label": self.label, "alasan_wajib": self.alasan_wajib}


TRANSISI: dict[str, Transisi] = {t.aksi: t for t in (
    Transisi(AJUKAN, "Ajukan", "diajukan", frozenset({DRAF, DIKEMBALIKAN}), DIAJUKAN,
             frozenset({OPERATOR_DESA}), validasi=True, periode_dibuka=True),
    Transisi(VERIFIKASI, "Verifikasi", "diverifikasi", frozenset({DIAJUKAN}), DIVERIFIKASI,
             frozenset({VERIFIKATOR_KECAMATAN}), validasi=True),
    Transisi(SETUJUI, "Setujui", "disetujui", frozenset({DIVERIFIKASI}), DISETUJUI,
             PERAN_KABUPATEN, validasi=True),
    Transisi(PUBLIKASIKAN, "Publikasikan", "dipublikasikan", frozenset({DISETUJUI}), DIPUBLIKASIKAN,
             PERAN_KABUPATEN),
    Transisi(KEMBALIKAN, "Kembalikan untuk perbaikan", "dikembalikan", frozenset({DIAJUKAN, DIVERIFIKASI}),
             DIKEMBALIKAN, frozenset({VERIFIKATOR_KECAMATAN}) | PERAN_KABUPATEN, alasan_wajib=True,
             periode_dibuka=True),
    Transisi(BATAL, "Batalkan persetujuan", "dibatalkan persetujuannya",
             frozenset({DISETUJUI, DIPUBLIKASIKAN}), DIVERIFIKASI, PERAN_KABUPATEN, alasan_wajib=True),
)}


def peran_pengguna(user) -> str | None:
    """The role that decides what a user may do; superusers act as admin."""
    if getattr(user, "is_superuser", False):
        return ADMIN
    profil = user_profil(user)
    return profil.peran if profil else None


def boleh_memutuskan(user) -> bool:
    """Does the user's role take part in any submission decision (analis never does)?"""
    peran = peran_pengguna(user)
    return any(peran in t.peran for t in TRANSISI.values())


def pastikan_boleh_memutuskan(user) -> None:
    if not boleh_memutuskan(user):
        raise PermissionDenied(_("Peran Anda tidak mengambil keputusan atas pengajuan desa."))


def pengelola_periode(user) -> bool:
    return peran_pengguna(user) in PERAN_KABUPATEN


def pastikan_pengelola_periode(user, *, tindakan: str) -> None:
    if not pengelola_periode(user):
        raise PermissionDenied(_("Hanya walidata atau admin kabupaten yang dapat %(tindakan)s.")
                               % {"tindakan": _(tindakan)})


def transisi_get(aksi: str) -> Transisi:
    try:
        return TRANSISI[aksi]
    except KeyError:
        raise ValidationFailed(_("Aksi tidak dikenal."), [Finding(
            rule="aksi_tidak_dikenal", column="aksi", value=aksi,
            message=f"pilihan: {', '.join(TRANSISI)}")]) from None


def penolakan(transisi: Transisi, *, pengajuan: Pengajuan, user) -> ApplicationError | None:
    """Why ``user`` may not take ``transisi`` on ``pengajuan`` now, or None if allowed.

    Region scope is checked first so that nothing about a desa outside the user's scope
    (not even its state) is revealed; then the state, the role and the period. Validation
    is not part of this check: it runs in the service, right before the change.
    """
    desa = pengajuan.desa
    if not in_scope(user, desa.kode):
        return PermissionDenied(_("%(desa)s berada di luar cakupan wilayah Anda.") % {"desa": desa.nama_lengkap})
    if pengajuan.status not in transisi.dari:
        asal = ", ".join(_(LABEL_STATUS[s]) for s in sorted(transisi.dari))
        return ValidationFailed(
            _("Pengajuan %(desa)s berstatus '%(status)s'; aksi '%(aksi)s' hanya dapat dilakukan dari status: "
              "%(asal)s.") % {"desa": desa.nama_lengkap, "status": _(LABEL_STATUS[pengajuan.status]),
                             "aksi": _(transisi.label), "asal": asal},
            [Finding(rule="status_tidak_sesuai", column="status", value=pengajuan.status,
                     message=f"harus salah satu dari: {', '.join(sorted(transisi.dari))}")],
            extra={"status": pengajuan.status})
    peran = peran_pengguna(user)
    if peran not in transisi.peran and not bertindak_semua_tingkat(user):
        nama_peran = _(LABEL_PERAN[peran]) if peran in LABEL_PERAN else _("tanpa peran")
        boleh = ", ".join(_(LABEL_PERAN[p]) for p in sorted(transisi.peran))
        return PermissionDenied(_("Peran Anda (%(peran)s) tidak berwenang melakukan '%(aksi)s'. "
                                  "Yang berwenang: %(boleh)s.")
                                % {"peran": nama_peran, "aksi": _(transisi.label), "boleh": boleh})
    periode = pengajuan.periode
    if transisi.periode_dibuka and not periode.dibuka:
        return ValidationFailed(_("Periode %(periode)s sudah ditutup; aksi '%(aksi)s' tidak dapat dilakukan "
                                  "lagi.") % {"periode": periode.kode, "aksi": _(transisi.label)},
                                [Finding(rule="periode_ditutup", column="periode", value=periode.kode,
                                         message="periode sudah ditutup")])
    return None


def periksa_transisi(transisi: Transisi, *, pengajuan: Pengajuan, user) -> None:
    error = penolakan(transisi, pengajuan=pengajuan, user=user)
    if error is not None:
        raise error


def aksi_tersedia(*, pengajuan: Pengajuan, user) -> list[Transisi]:
    """The transitions ``user`` may take on ``pengajuan`` now (DHIS2's mayApprove/mayUnapprove…)."""
    return [t for t in TRANSISI.values() if penolakan(t, pengajuan=pengajuan, user=user) is None]


class SistemKonsol:
    """The server console acting for every tier at once (``presisi demo`` publishing its first period).

    Not an account (``is_authenticated`` is False, so history and audit rows store no user and say
    "konsol server"); only server-side code constructs it, it never reaches a web request. It
    passes the role check of every transition; state, period and validation still apply.
    """

    is_superuser = True
    is_authenticated = False
    is_active = True
    semua_tingkat = True
    username = "konsol"

    def get_username(self) -> str:
        return self.username


SISTEM = SistemKonsol()


def bertindak_semua_tingkat(user) -> bool:
    return isinstance(user, SistemKonsol)
