"""Connector credentials encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is ``settings.PRESISI_KUNCI_KREDENSIAL`` (a urlsafe-base64 Fernet key) when set, so the
credentials key can be rotated apart from ``SECRET_KEY``; otherwise it is derived from
``SECRET_KEY`` with HKDF-SHA256 under a purpose label, so it is never the session-signing key
itself. Credentials are decrypted only where a pull needs them; pages, API answers and CLI output
never show them back (only "tersimpan").
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from presisi.core.exceptions import Finding, ValidationFailed

_INFO = b"presisi.integration.kredensial.v1"


def _kunci() -> bytes:
    explicit = getattr(settings, "PRESISI_KUNCI_KREDENSIAL", "") or ""
    if explicit:
        return explicit.encode() if isinstance(explicit, str) else explicit
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(settings.SECRET_KEY.encode())
    return base64.urlsafe_b64encode(derived)


def enkripsi(data: dict[str, Any]) -> str:
    """A credentials dict as a Fernet token (text); an empty dict is stored as ""."""
    if not data:
        return ""
    return Fernet(_kunci()).encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def dekripsi(token: str) -> dict[str, Any]:
    """The credentials dict of a stored token; a token from another key is a clear refusal."""
    if not token:
        return {}
    try:
        return json.loads(Fernet(_kunci()).decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise ValidationFailed("Kredensial konektor tidak dapat dibuka.", [Finding(
            rule="kredensial", message="kredensial tersimpan tidak dapat dibuka dengan kunci server ini "
                                       "(PRESISI_KUNCI_KREDENSIAL atau SECRET_KEY berubah?); simpan ulang kredensial")]
        ) from exc
