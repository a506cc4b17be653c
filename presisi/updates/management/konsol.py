"""Who a ``presisi periode``/``pengajuan`` command acts as."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_get


class PenggunaKonsol:
    """The server console: whoever runs ``presisi`` on the server already holds the database.

    It acts regency-wide as an admin but is not an account, so history and audit rows store
    no user (``is_authenticated`` is False); the audit row says "konsol server" instead.
    Only commands construct it; it never reaches a web request.
    """

    is_superuser = True
    is_authenticated = False
    is_active = True
    username = "konsol"

    def get_username(self) -> str:
        return self.username


KONSOL = PenggunaKonsol()


def pengguna_cari(username: str | None, *, wajib: bool = False):
    """The named account, or the console when no name is given and none is required."""
    if not username:
        if wajib:
            raise ValidationFailed("Sebutkan pengguna yang bertindak (--pengguna USERNAME).")
        return KONSOL
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed("Pengguna tidak ditemukan.", [Finding(
            rule="pengguna_tidak_dikenal", column="pengguna", value=username,
            message="tidak ada atau tidak aktif")])
    return user


def periode_cari(kode: str) -> Periode:
    """The period named on the command line; an unknown code is an error listing the known ones."""
    return periode_get(kode)


def jsonable(data):
    """Dates and datetimes as ISO 8601 text, recursively (for ``--json`` output)."""
    if isinstance(data, dict):
        return {k: jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [jsonable(v) for v in data]
    if isinstance(data, dt.date):  # datetime is a date too
        return data.isoformat()
    return data
