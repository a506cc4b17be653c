"""The stable identity of a source record across deliveries.

Reviewers' decisions (``KeputusanTautan``) are stored under this key, not under a delivery
row, so the next delivery of the same record finds them again. The key hashes the record's
normalised identifying fields only: re-sending the same list, in another order or with other
non-identifying columns changed, gives the same keys; a corrected name or NIK gives a new key
(the corrected record is linked afresh).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

_SPACES = re.compile(r"\s+")


def _teks(value: object) -> str:
    return _SPACES.sub(" ", str(value or "")).strip().upper()


def kunci_baris(*, nik: str = "", no_kk: str = "", nama: str = "", jenis_kelamin: int | None = None,
                tanggal_lahir: dt.date | None = None, kode_desa: str = "") -> str:
    """Hex SHA-256 of the record's normalised identity (64 characters)."""
    parts = [
        _teks(nik),
        _teks(no_kk),
        _teks(nama),
        "" if jenis_kelamin is None else str(int(jenis_kelamin)),
        tanggal_lahir.isoformat() if tanggal_lahir else "",
        _teks(kode_desa),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
