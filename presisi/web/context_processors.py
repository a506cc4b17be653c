"""The work menu of the page header: which of Tugas saya, Impor, Validasi, Pemutakhiran a role uses.

Navigation only: every page still checks access in its selectors and services.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presisi.accounts.access import user_profil
from presisi.accounts.models import ADMIN, OPERATOR_DESA, PERAN_DATA_PRIBADI, VERIFIKATOR_KECAMATAN, WALIDATA

SEMUA = None  # every signed-in role
MENU_KERJA = (
    ("web:tugas", _("Tugas saya"), SEMUA),
    ("imports:unggah", _("Impor"), frozenset({OPERATOR_DESA, ADMIN})),
    ("validation:temuan", _("Validasi"), frozenset({OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA, ADMIN})),
    ("updates:index", _("Pemutakhiran"), SEMUA),
    ("privasi:indeks", _("Privasi"), PERAN_DATA_PRIBADI),
    ("integration:sektor_list", _("Data sektoral"), SEMUA),  # sector catalogue: metadata for every role
    # sector integration (issue #12): where agency lists and the registry disagree; program targeting
    ("integration:selisih", _("Selisih sumber"), SEMUA),
    ("integration:sasaran", _("Sasaran program"), SEMUA),
)


def menu_kerja(user) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    profil = user_profil(user)
    peran = ADMIN if user.is_superuser else (profil.peran if profil else None)
    return [{"url": reverse(name), "label": str(label), "nama": name}
            for name, label, roles in MENU_KERJA if roles is SEMUA or peran in roles]


def menu(request) -> dict:
    return {"menu_kerja": menu_kerja(getattr(request, "user", None))}
