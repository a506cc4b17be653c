"""Region scope and permission checks. Selectors call these; templates never decide access."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from presisi.accounts.models import (
    ADMIN,
    OPERATOR_DESA,
    PERAN_DATA_PRIBADI,
    SEKTOR_DATA_PRIBADI,
    WALIDATA,
    Profil,
)
from presisi.core.exceptions import PermissionDenied
from presisi.regions.models import Wilayah


def user_profil(user) -> Profil | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profil
    except Profil.DoesNotExist:
        return None


def user_scope_code(user) -> str | None:
    """The region code a user may see in full. Only the break-glass superuser (``presisi pengguna
    darurat``, no role, every request audited) sees everything ("" = all); the admin role is scoped."""
    if getattr(user, "is_superuser", False):
        return ""
    profil = user_profil(user)
    if profil is None:
        return None
    if Profil.wilayah.is_cached(profil):
        return profil.wilayah.kode
    # only the code: loading the region would drag its boundary geometry along
    return Wilayah.objects.filter(pk=profil.wilayah_id).values_list("kode", flat=True).first()


def in_scope(user, kode: str) -> bool:
    scope = user_scope_code(user)
    return scope is not None and (scope == "" or kode == scope or kode.startswith(scope + "."))


def filter_by_scope(qs: QuerySet, user, field: str = "desa__kode") -> QuerySet:
    """Restrict a queryset of regional records (or regions) to the user's scope."""
    scope = user_scope_code(user)
    if scope is None:
        return qs.none()
    if scope == "":
        return qs
    return qs.filter(Q(**{field: scope}) | Q(**{f"{field}__startswith": scope + "."}))


def can_see_personal_data(user, kode: str) -> bool:
    """NIK-level data: only roles that need it, and only inside their region. A walidata needs it only
    for a sector that owns person-level registry data (``SEKTOR_DATA_PRIBADI``); otherwise aggregates."""
    if getattr(user, "is_superuser", False):
        return True
    profil = user_profil(user)
    if not (profil and profil.peran in PERAN_DATA_PRIBADI and in_scope(user, kode)):
        return False
    return profil.peran != WALIDATA or walidata_sektor_pribadi(profil)


def walidata_sektor_pribadi(profil: Profil) -> bool:
    """Does this walidata steward a sector whose data is the person-level registry (Dukcapil)?"""
    return profil.sektor.filter(kode__in=SEKTOR_DATA_PRIBADI).exists()


# Roles that produce registry data: the desa operator for its desa, the admin (Diskominfo) inside its
# regency. Imports that write and every registry write go through ``can_write_registry``.
PERAN_PENULIS = frozenset({OPERATOR_DESA, ADMIN})


def can_write_registry(user, kode: str) -> bool:
    """May the user write registry records (or import with dry_run=false) of region ``kode``?"""
    if getattr(user, "is_superuser", False):
        return True
    profil = user_profil(user)
    return bool(profil and profil.peran in PERAN_PENULIS and in_scope(user, kode))


def may_see_personal_data_somewhere(user) -> bool:
    """Is the user's role one that ever sees person-level data (checked before a body names the desa)?"""
    profil = user_profil(user)
    return bool(getattr(user, "is_superuser", False) or (profil and profil.peran in PERAN_DATA_PRIBADI))


def produces_data(user) -> bool:
    """Can the user's role write registry data anywhere (checked before any request body is read)?"""
    profil = user_profil(user)
    return bool(getattr(user, "is_superuser", False) or (profil and profil.peran in PERAN_PENULIS))


def access_wilayah(user, kode: str, *, personal: bool = False) -> Wilayah:
    """Fetch a region the user may act on, or raise PermissionDenied (person-level data outside the
    scope: ``OutOfScope``, a 404)."""
    if personal and not in_scope(user, kode):
        raise OutOfScope(kode)
    if personal and not can_see_personal_data(user, kode):
        raise PermissionDenied("Anda tidak berwenang melihat data perorangan wilayah ini.")
    if not personal and not in_scope(user, kode):
        raise PermissionDenied("Wilayah ini di luar cakupan Anda.")
    return Wilayah.objects.get(kode=kode)


class OutOfScope(Http404):
    """A record or region outside the user's scope answers like one that does not exist (404): saying
    "forbidden" would confirm that the id exists (IDOR)."""

    def __init__(self, kode: str = "") -> None:
        super().__init__(_("Data tidak ditemukan."))
        self.kode = kode


def check_person_access(user, kode: str, *, write: bool = False) -> None:
    """Person-level access to region ``kode``: outside scope → 404; inside, a role without the right → 403."""
    if not in_scope(user, kode):
        raise OutOfScope(kode)
    if not can_see_personal_data(user, kode):
        raise PermissionDenied(_("Anda tidak berwenang melihat data perorangan wilayah ini."))
    if write and not can_write_registry(user, kode):
        raise PermissionDenied(_("Peran Anda hanya dapat membaca data registri wilayah ini."))


def is_admin(user) -> bool:
    profil = user_profil(user)
    return bool(getattr(user, "is_superuser", False) or (profil and profil.peran == ADMIN))
