"""Paging of API lists: ``limit`` and ``offset`` are checked, a bad value is a 400 that says which one."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

from presisi.core.exceptions import Finding, ValidationFailed

BATAS_MAKS = 1000


def bilangan_parameter(query, name: str, default: int | None, *, minimum: int = 0,
                       maksimum: int | None = None) -> int | None:
    """A whole number ≥ ``minimum`` from the query string (``default`` when absent), or ValidationFailed."""
    raw = query.get(name)
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 9 or int(text) < minimum:
        raise ValidationFailed("Parameter tidak valid.", [Finding(
            rule="bilangan_bulat", column=name, value=str(raw)[:40],
            message=f"{name} harus bilangan bulat ≥ {minimum}")])
    value = int(text)
    return min(value, maksimum) if maksimum is not None else value


class Paginasi(LimitOffsetPagination):
    """DRF's limit/offset paging, except that ``?limit=abc`` or ``?offset=-5`` is refused (400) instead
    of silently replaced by the default."""

    max_limit = BATAS_MAKS

    def get_limit(self, request):
        return bilangan_parameter(request.query_params, self.limit_query_param, self.default_limit, minimum=1,
                                  maksimum=self.max_limit)

    def get_offset(self, request):
        return bilangan_parameter(request.query_params, self.offset_query_param, 0)
