"""Fixtures of tests/integration (each part of the app keeps its own in a helper module)."""

from tests.integration.bantu_sektor import akun, ds_pkh, ds_rekap, periode_kirim  # noqa: F401  (sector catalogue)
