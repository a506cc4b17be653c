"""Connectors: the ways data comes into a dataset, behind one interface.

``berkas`` (file upload) and ``dorong`` (push API) only record who may send; ``tarik`` is a
scheduled pull from a JSON/CSV REST endpoint, modelled on DHIS2's aggregate data exchange: the
exchange is defined as metadata (URL, format, interval), credentials are stored encrypted
(``kripto``: Fernet) and never shown back, and each run records its time and outcome. A pull
fetches over HTTP(S) with urllib (timeout, response size limit, TLS certificates verified) and
hands the bytes to ``pengiriman_terima(..., sumber=TARIK)``: the same parsing, findings,
idempotency and versioning as an upload.
"""

from __future__ import annotations

import base64
import datetime as dt
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from presisi.core.audit import audit_log
from presisi.core.exceptions import ApplicationError, Finding, PermissionDenied, ValidationFailed
from presisi.imports import limits
from presisi.integration import kripto
from presisi.integration import selectors as sel
from presisi.integration.models import DatasetSektor, Konektor, Pengiriman
from presisi.integration.services.pengiriman import HasilPengiriman, pengiriman_terima

AKSI_KONEKTOR_SIMPAN = "integration.konektor.disimpan"
AKSI_KONEKTOR_TARIK = "integration.konektor.ditarik"
JENIS_KREDENSIAL = ("", "bearer", "basic", "header")
WAKTU_TUNGGU_DETIK = 60


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _kredensial(jenis: str, nilai: str, nama_header: str) -> tuple[dict[str, str], list[Finding]]:
    """A credentials dict from the form fields: bearer token, user:password, or a custom header."""
    f = lambda msg: [Finding(rule="kredensial", column="kredensial", message=msg)]  # noqa: E731 — never the value
    if jenis not in JENIS_KREDENSIAL:
        return {}, f(f"jenis kredensial: {', '.join(j for j in JENIS_KREDENSIAL if j)}")
    if not jenis:
        return {}, []
    if not nilai:
        return {}, f("isi nilai kredensial")
    if jenis == "basic" and ":" not in nilai:
        return {}, f("kredensial basic ditulis pengguna:sandi")
    if jenis == "header":
        name = nama_header.strip()
        if not name or not all(c.isalnum() or c in "-_" for c in name):
            return {}, f("nama header kredensial: huruf, angka, - dan _ (mis. X-API-Key)")
        return {"jenis": "header", "header": name, "nilai": nilai}, []
    return {"jenis": jenis, "nilai": nilai}, []


def _url(url: str, jenis: str) -> list[Finding]:
    if jenis != Konektor.TARIK:
        return []
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Finding(rule="url", column="url", value=url, message="alamat tarik harus URL http(s)://…")]
    if parts.username or parts.password:
        return [Finding(rule="url", column="url", value=f"{parts.scheme}://…@{parts.hostname}",
                        message="jangan taruh kredensial di URL; isi kolom kredensial (disimpan terenkripsi)")]
    return []


@transaction.atomic
def konektor_simpan(*, oleh, dataset: DatasetSektor, konektor: Konektor | None = None, jenis: str = "",
                    nama: str = "", url: str = "", format: str = "json", interval_jam: int = 24, aktif: bool = True,
                    kredensial_jenis: str | None = None, kredensial_nilai: str = "",
                    kredensial_header: str = "") -> Konektor:
    """Create (``konektor`` None) or update a connector. ``kredensial_jenis`` None keeps the stored
    credentials; "" removes them; otherwise they are replaced (encrypted)."""
    if oleh is not None and not sel.boleh_kelola(oleh, dataset):
        raise PermissionDenied("Hanya walidata sektor dataset ini dan admin yang mengatur konektornya.")
    jenis = jenis or (konektor.jenis if konektor else "")
    findings: list[Finding] = []
    if jenis not in dict(Konektor.JENIS_CHOICES):
        findings.append(Finding(rule="jenis", column="jenis", value=jenis, message="jenis: berkas, tarik atau dorong"))
    if format not in ("json", "csv"):
        findings.append(Finding(rule="format", column="format", value=format, message="format: json atau csv"))
    try:
        interval = int(interval_jam)
    except (TypeError, ValueError):
        interval = 0
    if not 1 <= interval <= 24 * 366:
        findings.append(Finding(rule="interval", column="interval_jam", value=str(interval_jam)[:20],
                                message="interval 1–8784 jam"))
    findings += _url(url, jenis)
    token = None
    if kredensial_jenis is not None:
        creds, more = _kredensial(kredensial_jenis, kredensial_nilai or "", kredensial_header or "")
        findings += more
        token = kripto.enkripsi(creds)
    if findings:
        raise ValidationFailed("Konektor tidak dapat disimpan.", findings)
    baru = konektor is None
    k = konektor or Konektor(dataset=dataset)
    if not baru and k.dataset_id != dataset.pk:
        raise PermissionDenied("Konektor bukan milik dataset ini.")
    k.jenis, k.nama, k.url, k.format, k.interval_jam, k.aktif = jenis, (nama or "")[:200], url or "", format, \
        interval, bool(aktif)
    if token is not None:
        k.kredensial_terenkripsi = token
    k.save()
    # the audit row says whether credentials are stored, never their value
    audit_log(aksi=AKSI_KONEKTOR_SIMPAN, objek=k, pengguna=oleh, keterangan="baru" if baru else "diubah",
              sesudah={**sel.konektor_dict(k), "terakhir_jalan": None})
    return k


# ---------------------------------------------------------------------------------------------- pulling


class _TanpaAlih(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: credentials must not travel to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, PLR0913
        raise urllib.error.HTTPError(req.full_url, code, f"dialihkan ke {newurl[:100]}; tidak diikuti", headers, fp)


def _header(k: Konektor) -> dict[str, str]:
    creds = kripto.dekripsi(k.kredensial_terenkripsi)
    headers = {"Accept": "application/json" if k.format == "json" else "text/csv",
               "User-Agent": "Presisi/1 (konektor data sektoral)"}
    jenis = creds.get("jenis")
    if jenis == "bearer":
        headers["Authorization"] = f"Bearer {creds['nilai']}"
    elif jenis == "basic":
        headers["Authorization"] = "Basic " + base64.b64encode(creds["nilai"].encode()).decode()
    elif jenis == "header":
        headers[creds["header"]] = creds["nilai"]
    return headers


def ambil(k: Konektor, *, timeout: float = WAKTU_TUNGGU_DETIK) -> bytes:
    """The endpoint's body: certificates verified, at most the import size limit, no redirects."""
    batas = limits.maks_byte()
    request = urllib.request.Request(k.url, headers=_header(k), method="GET")
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ssl.create_default_context()),
                                         _TanpaAlih())
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(batas + 1)
    except urllib.error.HTTPError as exc:
        raise _gagal(f"server menjawab HTTP {exc.code} ({str(exc.reason)[:100]})", "http_status") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        host = urlsplit(k.url).hostname
        raise _gagal(f"tidak dapat menghubungi {host}: {str(reason)[:150]}", "http_koneksi") from exc
    if len(body) > batas:
        raise _gagal(f"jawaban lebih dari {batas / 1e6:.0f} MB; dihentikan", "http_terlalu_besar")
    return body


def _gagal(message: str, rule: str) -> ValidationFailed:
    return ValidationFailed(f"Penarikan gagal: {message}", [Finding(rule=rule, message=message)])


def konektor_tarik(konektor: Konektor, *, periode: Any, oleh=None, timeout: float = WAKTU_TUNGGU_DETIK
                   ) -> HasilPengiriman:
    """Pull once and deliver. The run's time and outcome are recorded on the connector whatever happens
    (the delivery itself is all-or-nothing); a failure is raised after being recorded."""
    if konektor.jenis != Konektor.TARIK:
        raise ValidationFailed("Konektor ini bukan konektor tarik.", [Finding(
            rule="jenis", value=konektor.jenis, message="hanya konektor jenis tarik yang dapat ditarik")])
    if oleh is not None and not sel.boleh_kelola(oleh, konektor.dataset):
        raise PermissionDenied("Hanya walidata sektor dataset ini dan admin yang menarik data.")
    try:
        body = ambil(konektor, timeout=timeout)
        nama = f"tarik-{konektor.pk}.{konektor.format}"
        hasil = pengiriman_terima(konektor.dataset, periode, body, nama, oleh=oleh, sumber=Pengiriman.TARIK,
                                  konektor=konektor)
    except ApplicationError as exc:
        _catat(konektor, f"gagal: {exc.message}"[:300], oleh)
        raise
    status = (f"berhasil: versi {hasil.versi}, {hasil.jumlah_baris} baris" if hasil.baru
              else f"tidak berubah: sama dengan versi {hasil.versi}")
    _catat(konektor, status, oleh)
    return hasil


def _catat(k: Konektor, status: str, oleh) -> None:
    with transaction.atomic():
        Konektor.objects.filter(pk=k.pk).update(terakhir_jalan=timezone.now(), terakhir_status=status)
        audit_log(aksi=AKSI_KONEKTOR_TARIK, objek=k, pengguna=oleh, keterangan=status)
    k.refresh_from_db(fields=["terakhir_jalan", "terakhir_status"])


def konektor_jatuh_tempo(*, sekarang: dt.datetime | None = None) -> list[Konektor]:
    """Active pull connectors whose interval has passed since their last run (or never ran)."""
    now = sekarang or timezone.now()
    out = []
    for k in Konektor.objects.filter(jenis=Konektor.TARIK, aktif=True, dataset__aktif=True).select_related("dataset"):
        if k.terakhir_jalan is None or k.terakhir_jalan + dt.timedelta(hours=k.interval_jam) <= now:
            out.append(k)
    return out


def tarik_jatuh_tempo(*, periode: Any) -> list[dict[str, Any]]:
    """Pull every due connector once; one connector's failure does not stop the others."""
    out = []
    for k in konektor_jatuh_tempo():
        try:
            hasil = konektor_tarik(k, periode=periode)
            out.append({"konektor": k.pk, "dataset": k.dataset.kode, "ok": True, "versi": hasil.versi,
                        "baru": hasil.baru, "jumlah_baris": hasil.jumlah_baris})
        except ApplicationError as exc:
            out.append({"konektor": k.pk, "dataset": k.dataset.kode, "ok": False, "pesan": exc.message})
    return out


def periode_bawaan() -> str:
    """The period a scheduled pull delivers for when none is configured (the current semester)."""
    today = timezone.localdate()
    return f"{today.year}-S{1 if today.month <= 6 else 2}"
