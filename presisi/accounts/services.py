"""Creating users with a role and a region scope (and demo users for ``make demo``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from presisi.accounts.models import (
    ADMIN,
    ANALIS,
    OPERATOR_DESA,
    PERAN_CHOICES,
    PERAN_WAJIB_2FA,
    VERIFIKATOR_KECAMATAN,
    WALIDATA,
    Profil,
)
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.dictionary.models import Sektor
from presisi.regions.codes import DESA, KABUPATEN, KECAMATAN, KELURAHAN, KOTA
from presisi.regions.models import Wilayah

# Which region level each role is scoped to.
SCOPE_LEVELS = {
    OPERATOR_DESA: {DESA, KELURAHAN},
    VERIFIKATOR_KECAMATAN: {KECAMATAN},
    WALIDATA: {KABUPATEN, KOTA},
    ANALIS: {KABUPATEN, KOTA},
    ADMIN: {KABUPATEN, KOTA},
}


AKSI_KUNCI_DIBUKA = "accounts.pengguna.kunci_dibuka"
AKSI_DARURAT_DIAKTIFKAN = "accounts.darurat.diaktifkan"
AKSI_DARURAT_DINONAKTIFKAN = "accounts.darurat.dinonaktifkan"
AKSI_DARURAT_MASUK = "accounts.darurat.masuk"
AKSI_DARURAT_PERMINTAAN = "accounts.darurat.permintaan"


def _password_check(password: str, user) -> None:
    """The configured password rules (length, common list, similarity, numeric), as findings."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed("Kata sandi tidak memenuhi aturan.", [
            Finding(rule="kata_sandi", column="password", message=str(m)) for m in exc.messages]) from exc


def buka_kunci(*, username: str | None = None, ip: str | None = None, by=None) -> dict:
    """Lift a django-axes sign-in lock on an account and/or an address; the unlock is audited."""
    from axes.utils import reset

    if not username and not ip:
        raise ValidationFailed("Sebutkan nama pengguna atau --ip yang akan dibuka kuncinya.", [
            Finding(rule="buka_kunci", column="username", message="nama pengguna atau alamat wajib")])
    removed = 0
    opened: list[str] = []
    if username:
        removed += reset(username=username)
        opened.append(username)
    if ip:
        removed += reset(ip=ip)
        opened.append(ip)
    audit_log(aksi=AKSI_KUNCI_DIBUKA, pengguna=by, sesudah={"username": username or "", "ip": ip or "",
                                                            "percobaan_dihapus": removed})
    return {"dibuka": opened, "percobaan_dihapus": removed}


@transaction.atomic
def pengguna_create(*, username: str, password: str, peran: str, wilayah_kode: str, sektor: list[str] | None = None,
                    nama: str = "", email: str = "", by=None):
    roles = dict(PERAN_CHOICES)
    if peran not in roles:
        raise ValidationFailed("Peran tidak dikenal.", [Finding(rule="peran", column="peran", value=peran,
                                                                message=f"pilihan: {', '.join(roles)}")])
    wilayah = Wilayah.objects.filter(kode=wilayah_kode).first()
    if wilayah is None or wilayah.tingkat not in SCOPE_LEVELS[peran]:
        raise ValidationFailed("Wilayah tidak sesuai peran.", [Finding(
            rule="cakupan_wilayah", column="wilayah", value=wilayah_kode,
            message=f"{roles[peran]} harus dicakupkan pada tingkat {', '.join(sorted(SCOPE_LEVELS[peran]))}")])
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationFailed("Nama pengguna sudah dipakai.", [Finding(rule="pengguna_ganda", column="username",
                                                                        value=username, message="sudah ada")])
    _password_check(password, user_model(username=username, email=email, first_name=nama))
    # no role is a Django superuser or staff: the admin role (Diskominfo) is scoped to its regency like
    # every other role; unrestricted access is only the audited break-glass account (pengguna_darurat)
    user = user_model.objects.create_user(username=username, password=password, email=email, first_name=nama)
    profil = Profil.objects.create(pengguna=user, peran=peran, wilayah=wilayah)
    if sektor:
        profil.sektor.set(Sektor.objects.filter(kode__in=sektor))
    audit_log(aksi="accounts.pengguna.dibuat", objek=user, pengguna=by,
              sesudah={"username": username, "peran": peran, "wilayah": wilayah_kode, "sektor": sektor or []})
    return user


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    peran: str
    wilayah: str
    totp: str = ""  # the authenticator secret (base32) of a role that requires two-factor sign-in


@transaction.atomic
def demo_users_create(*, password: str = "presisi-demo") -> list[DemoLogin]:
    """One demo user per role, scoped to the first kabupaten/kecamatan/desa loaded (idempotent).

    The roles that require two-factor sign-in get an authenticator with the published demo secret
    (``dua_faktor.DEMO_TOTP_BASE32``), so a tester adds it to an authenticator app once and signs in.
    """
    from presisi.accounts.dua_faktor import DEMO_TOTP_BASE32, DEMO_TOTP_KEY, demo_totp_pasang

    kab = Wilayah.objects.filter(tingkat__in=[KABUPATEN, KOTA]).order_by("kode").first()
    if kab is None:
        raise ValidationFailed("Muat daftar wilayah terlebih dahulu (presisi wilayah load).")
    kec = Wilayah.objects.filter(tingkat=KECAMATAN, induk=kab).order_by("kode").first()
    desa = Wilayah.objects.filter(tingkat__in=[DESA, KELURAHAN], induk=kec).order_by("kode").first()
    plan = [
        ("operator", OPERATOR_DESA, desa, []),
        ("verifikator", VERIFIKATOR_KECAMATAN, kec, []),
        ("walidata", WALIDATA, kab, ["dinkes", "dinsos"]),
        ("analis", ANALIS, kab, []),
        ("admin", ADMIN, kab, []),
    ]
    logins = []
    user_model = get_user_model()
    for username, peran, wilayah, sektor in plan:
        if not user_model.objects.filter(username=username).exists():
            pengguna_create(username=username, password=password, peran=peran, wilayah_kode=wilayah.kode,
                            sektor=sektor, nama=dict(PERAN_CHOICES)[peran])
        totp = ""
        if peran in PERAN_WAJIB_2FA:
            device = demo_totp_pasang(user_model.objects.get(username=username))
            totp = DEMO_TOTP_BASE32 if device.key == DEMO_TOTP_KEY else ""
        logins.append(DemoLogin(username, password, dict(PERAN_CHOICES)[peran], f"{wilayah.kode} {wilayah.nama}",
                                totp))
    return logins


@transaction.atomic
def pengguna_darurat(*, username: str = "darurat", password: str | None = None, nonaktif: bool = False,
                     by=None) -> dict:
    """The break-glass account: the only Django superuser, without a role or region, for when the
    scoped roles cannot repair something. Created or (re-)enabled with a new password, or disabled with
    ``nonaktif``. Every sign-in and every request it makes is written to the audit log
    (``presisi.accounts.middleware.DaruratAuditMiddleware``)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None and Profil.objects.filter(pengguna=user).exists():
        raise ValidationFailed("Akun ini berperan; akun darurat harus akun tersendiri.", [Finding(
            rule="darurat_berperan", column="username", value=username,
            message="pilih nama pengguna lain untuk akun darurat")])
    if nonaktif:
        if user is None:
            raise ValidationFailed("Akun darurat tidak ada.", [Finding(rule="tidak_ada", column="username",
                                                                       value=username, message="tidak ada")])
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        audit_log(aksi=AKSI_DARURAT_DINONAKTIFKAN, objek=user, pengguna=by, sesudah={"username": username})
        return {"username": username, "aktif": False, "dibuat": False}
    if not password:
        raise ValidationFailed("Kata sandi wajib.", [Finding(rule="wajib", column="password",
                                                             message="beri --password atau ketik saat ditanya")])
    dibuat = user is None
    candidate = user or user_model(username=username)
    _password_check(password, candidate)
    if dibuat:
        user = user_model.objects.create_user(username=username, password=password)
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    audit_log(aksi=AKSI_DARURAT_DIAKTIFKAN, objek=user, pengguna=by, sesudah={"username": username,
                                                                               "dibuat": dibuat})
    return {"username": username, "aktif": True, "dibuat": dibuat}
