"""Region scope and permission checks. Selectors call these; templates never decide access."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from presisi.accounts.models import ADMIN, PERAN_DATA_PRIBADI, Profil
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
    """The region code a user may see in full; superusers see everything ("" = all)."""
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
    """NIK-level data: only roles that need it, and only inside their region."""
    if getattr(user, "is_superuser", False):
        return True
    profil = user_profil(user)
    return bool(profil and profil.peran in PERAN_DATA_PRIBADI and in_scope(user, kode))


def access_wilayah(user, kode: str, *, personal: bool = False) -> Wilayah:
    """Fetch a region the user may act on, or raise PermissionDenied."""
    if personal and not can_see_personal_data(user, kode):
        raise PermissionDenied("Anda tidak berwenang melihat data perorangan wilayah ini.")
    if not personal and not in_scope(user, kode):
        raise PermissionDenied("Wilayah ini di luar cakupan Anda.")
    return Wilayah.objects.get(kode=kode)


def is_admin(user) -> bool:
    profil = user_profil(user)
    return bool(getattr(user, "is_superuser", False) or (profil and profil.peran == ADMIN))
