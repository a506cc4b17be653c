"""Fixtures of tests/integration (each part of the app keeps its own in a helper module)."""

from tests.integration.bantu_sektor import (  # noqa: F401  (sector catalogue)
    akun,
    ds_pkh,
    ds_rekap,
    periode_kirim,
    titik_uji,
)
