"""The role side of UU PDP: who sees full identifiers (``tampilan_pribadi``, the one door every page,
file and API response goes through) and who may read the processing log. The log and masking
themselves are ``presisi.core.pdp``, below accounts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from presisi.accounts.access import can_see_personal_data, is_admin
from presisi.core.exceptions import PermissionDenied
from presisi.core.pdp import AksesPdp, TampilanPribadi, minta_penuh, pdp_log_list


def pdp_log_for_user(user, **filters: Any) -> list[AksesPdp]:
    """The processing log for the admin page and API: admins (Diskominfo) only."""
    if not is_admin(user):
        raise PermissionDenied("Log pemrosesan data pribadi hanya untuk admin.")
    return pdp_log_list(**filters)


def tampilan_pribadi(user, kode_wilayah: str, *, minta: bool = False, request=None,
                     kanal: str = "web") -> TampilanPribadi:
    """The display rule for ``user`` in ``kode_wilayah``: full values only if the role may see
    person-level data there and the request asked (``minta`` or ``minta_penuh(request)``)."""
    boleh = bool(kode_wilayah) and can_see_personal_data(user, kode_wilayah)
    asked = minta or minta_penuh(request)
    return TampilanPribadi(pengguna=user, kode_wilayah=kode_wilayah or "", boleh=boleh, penuh=boleh and asked,
                           kanal=kanal)


def tampilkan_nik(user, value: str | None, kode_wilayah: str, *, minta: bool = False, request=None,
                  objek_tipe: str = "", objek_ids: Iterable[Any] = (), tujuan: str = "",
                  kanal: str = "web") -> str:
    """One NIK/KK for ``user``: masked unless allowed and asked; a full value is logged at once."""
    tampilan = tampilan_pribadi(user, kode_wilayah, minta=minta, request=request, kanal=kanal)
    if tampilan.penuh and value:
        tampilan.catat(objek_tipe=objek_tipe or "registry.individu", objek_ids=list(objek_ids),
                       tujuan=tujuan or "tampilkan NIK")
    return tampilan.nik(value)
