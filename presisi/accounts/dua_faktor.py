"""Two-factor sign-in (TOTP with django-otp) and its recovery codes: who needs it, enrol, verify, reset.

Writes here are services (audited, Indonesian errors as ``ValidationFailed``); the middleware and views
only ask ``perlu_verifikasi`` and call these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from presisi.accounts.access import user_profil
from presisi.accounts.models import PERAN_WAJIB_2FA
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, ValidationFailed

AKSI_2FA_DIDAFTARKAN = "accounts.2fa.didaftarkan"
AKSI_2FA_BERHASIL = "accounts.2fa.verifikasi_berhasil"
AKSI_2FA_GAGAL = "accounts.2fa.verifikasi_gagal"
AKSI_2FA_KODE_CADANGAN_DIPAKAI = "accounts.2fa.kode_cadangan_dipakai"
AKSI_2FA_KODE_CADANGAN_DIBUAT = "accounts.2fa.kode_cadangan_dibuat"
AKSI_2FA_DINONAKTIFKAN = "accounts.2fa.dinonaktifkan"
AKSI_2FA_DIRESET = "accounts.2fa.direset"

JUMLAH_KODE_CADANGAN = 10
NAMA_PERANGKAT = "Aplikasi autentikator"
NAMA_KODE_CADANGAN = "Kode cadangan"
# The demo accounts' authenticator secret, for ``make demo`` only (README, "Akun demo"); the base32 form
# is what an authenticator app takes. Real accounts always get a fresh random secret at enrolment.
DEMO_TOTP_KEY = "50524553495349444d4f32464144454d4f4b4559"
DEMO_TOTP_BASE32 = "KBJEKU2JKNEUITKPGJDECRCFJVHUWRKZ"

_TOTP_TOKEN = re.compile(r"^[0-9]{6}$")
_BUKAN_KODE = re.compile(r"[\s-]+")


def wajib_2fa(user) -> bool:
    """Regency-wide roles (and superusers, who can do anything) must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    profil = user_profil(user)
    return bool(profil and profil.peran in PERAN_WAJIB_2FA)


def perangkat_totp(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def punya_2fa(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def terverifikasi(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def perlu_verifikasi(user) -> bool:
    """Signed in with the password but still owing the second factor (required, or turned on)."""
    if not getattr(user, "is_authenticated", False) or terverifikasi(user):
        return False
    return wajib_2fa(user) or punya_2fa(user)


def sisa_kode_cadangan(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _boleh_mendaftar(user) -> None:
    """Someone holding only the password of an enrolled account must not add their own authenticator."""
    if punya_2fa(user) and not terverifikasi(user):
        raise _kode_salah(_("Akun ini sudah memakai autentikator: verifikasi dulu dengan kodenya."), "perangkat")


@transaction.atomic
def totp_mulai(user) -> TOTPDevice:
    """An unconfirmed authenticator with a fresh secret (the same one while the page is reloaded)."""
    _boleh_mendaftar(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=NAMA_PERANGKAT, confirmed=False)


def _kode_salah(pesan: str, kolom: str = "kode") -> ValidationFailed:
    return ValidationFailed(pesan, [Finding(rule="kode_2fa", column=kolom, message=pesan)])


def _tertahan(device) -> ValidationFailed | None:
    """The device's own throttle (django-otp): after wrong codes it refuses for 1, 2, 4 … seconds."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return _kode_salah(_("Terlalu banyak kode salah. Tunggu sebentar, lalu coba lagi dengan kode yang baru."))
    return _kode_salah(_("Verifikasi sementara tidak diizinkan. Coba lagi nanti."))


def _gagal(user, request, *, jenis: str, alasan: str) -> None:
    from presisi.accounts.backends import client_ip

    audit_log(aksi=AKSI_2FA_GAGAL, objek=user, pengguna=user,
              sesudah={"jenis": jenis, "alasan": alasan, "ip": client_ip(request) if request else ""})


def totp_konfirmasi(request, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes (shown once)."""
    user = request.user
    _boleh_mendaftar(user)
    token = _BUKAN_KODE.sub("", str(token or ""))
    # the throttle count and the audit row of a wrong code must survive, so failures leave the block first
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise _kode_salah(_("Tidak ada pendaftaran autentikator yang menunggu. Muat ulang halaman."))
        masalah = _tertahan(device)
        alasan = "tertahan" if masalah is not None else "kode_salah"
        if masalah is None and not (_TOTP_TOKEN.match(token) and device.verify_token(token)):
            if _TOTP_TOKEN.match(token) is None:
                device.throttle_increment()
            masalah = _kode_salah(_("Kode tidak cocok. Periksa jam ponsel, lalu masukkan kode 6 angka yang sedang "
                                    "tampil."))
        if masalah is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # one authenticator per account: an older one (re-enrolment) is replaced
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _kode_cadangan_baru(user)
            audit_log(aksi=AKSI_2FA_DIDAFTARKAN, objek=user, pengguna=user, sesudah={"kode_cadangan": len(codes)})
    if masalah is not None:
        _gagal(user, request, jenis="pendaftaran", alasan=alasan)
        raise masalah
    otp_login(request, device)
    return codes


def _kode_cadangan_baru(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=NAMA_KODE_CADANGAN, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(JUMLAH_KODE_CADANGAN)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def kode_cadangan_buat_ulang(user) -> list[str]:
    """New recovery codes; the old ones stop working. Only for an enrolled, verified user."""
    if not punya_2fa(user):
        raise _kode_salah(_("Aktifkan verifikasi dua langkah terlebih dahulu."), "perangkat")
    codes = _kode_cadangan_baru(user)
    audit_log(aksi=AKSI_2FA_KODE_CADANGAN_DIBUAT, objek=user, pengguna=user, sesudah={"jumlah": len(codes)})
    return codes


def verifikasi(request, token: str):
    """Check a code from the authenticator (6 digits) or a recovery code; on success mark the session.

    Each device's throttle counts the wrong codes; every failure is audited with the address.
    """
    user = request.user
    bersih = _BUKAN_KODE.sub("", str(token or "")).lower()[:64]
    cadangan = _TOTP_TOKEN.match(bersih) is None
    with transaction.atomic():
        if cadangan:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            tertahan = _kode_salah(_("Kode tidak cocok.") if cadangan else _("Belum ada autentikator terdaftar."))
        else:
            tertahan = _tertahan(device)
        ok = tertahan is None and device.verify_token(bersih)
    if not ok:
        _gagal(user, request, jenis="kode_cadangan" if cadangan else "totp",
               alasan="tertahan" if tertahan is not None and device is not None else "kode_salah")
        raise tertahan or _kode_salah(_("Kode tidak cocok. Masukkan kode 6 angka yang sedang tampil di aplikasi "
                                        "autentikator, atau salah satu kode cadangan."))
    otp_login(request, device)
    aksi = AKSI_2FA_KODE_CADANGAN_DIPAKAI if cadangan else AKSI_2FA_BERHASIL
    audit_log(aksi=aksi, objek=user, pengguna=user,
              sesudah={"sisa_kode_cadangan": sisa_kode_cadangan(user)} if cadangan else None)
    return device


@transaction.atomic
def nonaktifkan(user) -> None:
    """Turn the second factor off; only for roles that do not require it."""
    if wajib_2fa(user):
        raise _kode_salah(_("Peran Anda wajib memakai verifikasi dua langkah."), "peran")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(aksi=AKSI_2FA_DINONAKTIFKAN, objek=user, pengguna=user)


@dataclass(frozen=True)
class HasilReset:
    username: str
    perangkat_dihapus: int
    sesi_diakhiri: int


@transaction.atomic
def reset_2fa(*, username: str, by=None) -> HasilReset:
    """An admin's reset (lost phone): remove the authenticator and recovery codes, end every session.

    At the next sign-in the user enrols again; roles that require 2FA cannot skip it.
    """
    from presisi.accounts.sesi import sesi_akhiri_semua

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationFailed(_("Pengguna tidak ditemukan."), [
            Finding(rule="pengguna", column="username", value=username, message=_("tidak ada"))])
    dihapus = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
    dihapus += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
    sesi = sesi_akhiri_semua(user)
    audit_log(aksi=AKSI_2FA_DIRESET, objek=user, pengguna=by,
              sesudah={"username": username, "perangkat_dihapus": dihapus, "sesi_diakhiri": sesi})
    return HasilReset(username, dihapus, sesi)


def demo_totp_pasang(user) -> TOTPDevice:
    """Demo accounts: a confirmed authenticator with the documented demo secret, unless the account
    already enrolled one (a tester's own authenticator is never overwritten)."""
    device = perangkat_totp(user)
    return device or TOTPDevice.objects.create(user=user, name=NAMA_PERANGKAT, key=DEMO_TOTP_KEY, confirmed=True)
