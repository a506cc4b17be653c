"""Who may read the UU PDP processing log (the log itself is ``presisi.core.pdp``, below accounts)."""

from __future__ import annotations

from typing import Any

from presisi.accounts.access import is_admin
from presisi.core.exceptions import PermissionDenied
from presisi.core.pdp import AksesPdp, pdp_log_list


def pdp_log_for_user(user, **filters: Any) -> list[AksesPdp]:
    """The processing log for the admin page and API: admins (Diskominfo) only."""
    if not is_admin(user):
        raise PermissionDenied("Log pemrosesan data pribadi hanya untuk admin.")
    return pdp_log_list(**filters)
