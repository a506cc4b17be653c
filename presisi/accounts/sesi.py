"""'Sesi saya': the signed-in sessions of a user (where, since when, last seen), and ending them.

A ``SesiPengguna`` row shadows each of Django's session rows that belongs to a signed-in user. It is
written at sign-in (signal) and refreshed by the middleware at most once per
``PRESISI_SESI_CATAT_DETIK``; it disappears with its session row (logout, expiry cleanup, ending).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from presisi.accounts.models import SesiPengguna
from presisi.core.audit import audit_log
from presisi.core.exceptions import NotFound

AKSI_SESI_DIAKHIRI = "accounts.sesi.diakhiri"
# the session remembers when its row was last written (and for which key: a sign-in or password change
# gives the session a new key, whose row must be written at once)
_DILIHAT = "_presisi_sesi_dilihat"


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def sesi_catat(request, *, paksa: bool = False) -> None:
    """Create or refresh the row of the request's session; cheap when nothing is due."""
    from presisi.accounts.backends import client_ip

    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or not getattr(user, "is_authenticated", False) or not session.session_key:
        return
    now = timezone.now()
    key = session.session_key
    seen = session.get(_DILIHAT)
    if not paksa and isinstance(seen, list) and len(seen) == 2 and seen[0] == key and \
            now.timestamp() - float(seen[1]) < settings.PRESISI_SESI_CATAT_DETIK:
        return
    if not Session.objects.filter(session_key=key).exists():
        return  # a session store without rows (or one being deleted): nothing to shadow
    updated = SesiPengguna.objects.filter(sesi_id=key).update(terakhir_dilihat=now, ip=client_ip(request)[:45])
    if not updated:
        SesiPengguna.objects.create(sesi_id=key, pengguna_id=user.pk, dibuat=now, terakhir_dilihat=now,
                                    ip=client_ip(request)[:45],
                                    user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
    session[_DILIHAT] = [key, now.timestamp()]


@dataclass(frozen=True)
class SesiTampil:
    id: str  # an opaque handle for the page: never the session key itself
    dibuat: datetime
    terakhir_dilihat: datetime
    ip: str
    perangkat: str
    sekarang: bool


def _handle(key: str) -> str:
    """A stable id for a session that does not reveal its key (the key would let anyone take it over)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("presisi.sesi", key).hexdigest()[:20]


def _masih_sah(row: SesiPengguna, user) -> bool:
    """Still a live sign-in of this user: not expired, and not from before a password change."""
    if row.sesi.expire_date <= timezone.now():
        return False
    data = _store(row.sesi_id).decode(row.sesi.session_data)
    return constant_time_compare(str(data.get(HASH_SESSION_KEY, "")), user.get_session_auth_hash())


def sesi_aktif(user, *, sekarang: str | None = None) -> list[SesiTampil]:
    """The user's live sessions, newest activity first; stale rows found on the way are removed."""
    out, mati = [], []
    for row in SesiPengguna.objects.filter(pengguna=user).select_related("sesi").order_by("-terakhir_dilihat"):
        if not _masih_sah(row, user):
            mati.append(row.sesi_id)
            continue
        out.append(SesiTampil(_handle(row.sesi_id), row.dibuat, row.terakhir_dilihat, row.ip,
                              ringkas_user_agent(row.user_agent), row.sesi_id == sekarang))
    if mati:
        Session.objects.filter(session_key__in=mati).delete()
    return out


def _akhiri(keys: list[str]) -> int:
    store = _store()
    for key in keys:
        store.delete(key)  # through the session engine, so a cached engine forgets it too
    return len(keys)


def sesi_akhiri(user, *, id: str, sekarang: str | None = None) -> int:
    """End one of the user's own sessions (by its page handle)."""
    keys = [k for k in SesiPengguna.objects.filter(pengguna=user).values_list("sesi_id", flat=True)
            if constant_time_compare(_handle(k), str(id))]
    if not keys:
        raise NotFound("Sesi tidak ditemukan (mungkin sudah berakhir).")
    n = _akhiri(keys)
    audit_log(aksi=AKSI_SESI_DIAKHIRI, objek=user, pengguna=user,
              sesudah={"jumlah": n, "sesi_ini": keys[0] == sekarang})
    return n


def sesi_akhiri_lainnya(user, *, sekarang: str | None) -> int:
    """End every session of the user except the current one."""
    keys = list(SesiPengguna.objects.filter(pengguna=user).exclude(sesi_id=sekarang or "")
                .values_list("sesi_id", flat=True))
    n = _akhiri(keys)
    audit_log(aksi=AKSI_SESI_DIAKHIRI, objek=user, pengguna=user, sesudah={"jumlah": n, "semua_lainnya": True})
    return n


def sesi_akhiri_semua(user) -> int:
    """Every session of the user (admin's 2FA reset); audited by the caller."""
    return _akhiri(list(SesiPengguna.objects.filter(pengguna=user).values_list("sesi_id", flat=True)))


_BROWSERS = (("Edge", r"Edg(?:e|A|iOS)?/(\d+)"), ("Opera", r"OPR/(\d+)"), ("Firefox", r"Firefox/(\d+)"),
             ("Chromium", r"Chromium/(\d+)"), ("Chrome", r"Chrome/(\d+)"), ("Safari", r"Version/(\d+).*Safari"))
_SYSTEMS = (("Android", "Android"), ("iOS", "iPhone"), ("iPadOS", "iPad"), ("Windows", "Windows"),
            ("macOS", "Mac OS X"), ("Linux", "Linux"))


def ringkas_user_agent(ua: str) -> str:
    """'Chrome 131 · Linux' from a long User-Agent header; the raw text (cut) when not recognised."""
    ua = ua or ""
    browser = next((f"{name} {m.group(1)}" for name, rx in _BROWSERS if (m := re.search(rx, ua))), "")
    system = next((name for name, marker in _SYSTEMS if marker in ua), "")
    short = " · ".join(p for p in (browser, system) if p)
    return short or (ua[:40] + ("…" if len(ua) > 40 else ""))
