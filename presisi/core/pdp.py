"""UU PDP (UU 27/2022) processing log: who saw, exported or changed whose personal data, and when.

Every view or export of NIK-level data writes one ``AuditLog`` row with ``aksi`` ``pdp.<aksi>``
(Ps. 31: record all processing). One row per event, not per record: the ids of the records
are listed compactly in ``sesudah`` (``"3-7,12"``), so a page of 25 people is one row.
The log is read back per user and date (admins) or per data subject (Ps. 32: a person may ask
for the trail of their data).

NIK is shown masked by default (first 6 and last 4 digits); the full number is shown only on
an explicit request, which is logged with ``nik_penuh: true``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.models import AuditLog

LIHAT, EKSPOR, UBAH = "lihat", "ekspor", "ubah"
AKSI_PDP = (LIHAT, EKSPOR, UBAH)
PREFIX = "pdp."


def mask_nik(nik: str | None) -> str:
    """``5105011203800001`` → ``510501******0001``: kecamatan and serial stay, the birth date goes."""
    if not nik:
        return ""
    if len(nik) <= 10:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 10) + nik[-4:]


def ringkas_ids(ids: Iterable[Any]) -> str:
    """Integer ids as sorted ranges (``1-3,7``); other ids comma-joined in their order."""
    values = [str(i) for i in ids]
    if not all(v.isdigit() for v in values):
        return ",".join(dict.fromkeys(values))
    numbers = sorted({int(v) for v in values})
    parts: list[str] = []
    start = prev = None
    for n in numbers:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ",".join(parts)


def urai_ids(ringkas: str) -> list[str]:
    """The inverse of ``ringkas_ids``."""
    out: list[str] = []
    for part in filter(None, (ringkas or "").split(",")):
        low, sep, high = part.partition("-")
        if sep and low.isdigit() and high.isdigit():
            out.extend(str(n) for n in range(int(low), int(high) + 1))
        else:
            out.append(part)
    return out


def catat_akses_data_pribadi(*, pengguna, aksi: str, objek_tipe: str, objek_ids: Iterable[Any],
                             tujuan: str = "", jumlah: int = 1,
                             rincian: dict[str, Any] | None = None) -> AuditLog:
    """Write one processing-log row for one view/export/change of personal data.

    ``objek_tipe`` is a model label (``registry.individu``); ``jumlah`` is the number of records
    processed (at least the number of ids; a search that found nobody is still one processing).
    ``rincian`` adds facts such as ``{"nik_penuh": True}``.
    """
    if aksi not in AKSI_PDP:
        raise ValidationFailed("Jenis pemrosesan data pribadi tidak dikenal.", [Finding(
            rule="aksi_pdp", column="aksi", value=aksi, message=f"pilihan: {', '.join(AKSI_PDP)}")])
    ids = [str(i) for i in objek_ids]
    user = pengguna if getattr(pengguna, "is_authenticated", False) else None
    return AuditLog.objects.create(
        aksi=PREFIX + aksi,
        pengguna=user,
        objek_tipe=objek_tipe,
        # a single record keeps its id in the indexed column; lists keep theirs in ``sesudah``
        objek_id=ids[0] if len(ids) == 1 else "",
        sesudah={"ids": ringkas_ids(ids), "jumlah": max(jumlah, len(ids)), "tujuan": tujuan,
                 **(rincian or {})},
        keterangan=tujuan,
    )


@dataclass(frozen=True)
class AksesPdp:
    """One row of the processing log, ready for a page, the API or ``--json``."""

    id: int
    waktu: dt.datetime
    pengguna: str
    aksi: str
    objek_tipe: str
    ids: str
    jumlah: int
    tujuan: str
    nik_penuh: bool

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "waktu": timezone.localtime(self.waktu).isoformat()}


def parse_tanggal(value: str | None) -> dt.date | None:
    """A ``TTTT-BB-HH`` filter value, or None when empty or not a date (filters are forgiving)."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _rows(*, pengguna: str | None = None, sejak: dt.date | None = None, sampai: dt.date | None = None,
          objek_tipe: str | None = None) -> QuerySet[AuditLog]:
    qs = AuditLog.objects.filter(aksi__startswith=PREFIX).select_related("pengguna")
    if pengguna:
        qs = qs.filter(pengguna__username=pengguna)
    if sejak:
        qs = qs.filter(waktu__gte=_start_of_day(sejak))
    if sampai:
        qs = qs.filter(waktu__lt=_start_of_day(sampai + dt.timedelta(days=1)))
    if objek_tipe:
        qs = qs.filter(objek_tipe=objek_tipe)
    return qs.order_by("-waktu", "-id")


def _as_row(log: AuditLog) -> AksesPdp:
    after = log.sesudah or {}
    return AksesPdp(
        id=log.pk, waktu=log.waktu, pengguna=log.pengguna.get_username() if log.pengguna else "",
        aksi=log.aksi.removeprefix(PREFIX), objek_tipe=log.objek_tipe, ids=after.get("ids", log.objek_id),
        jumlah=int(after.get("jumlah", 1)), tujuan=after.get("tujuan", log.keterangan),
        nik_penuh=bool(after.get("nik_penuh", False)),
    )


def pdp_log_list(*, pengguna: str | None = None, sejak: dt.date | None = None,
                 sampai: dt.date | None = None, objek_tipe: str | None = None, objek_id: str | None = None,
                 batas: int = 500) -> list[AksesPdp]:
    """The processing log, newest first. With ``objek_id``: only rows that touched that record.

    No scope check: the CLI (server operators) and ``presisi.accounts.pdp.pdp_log_for_user`` call this.
    """
    qs = _rows(pengguna=pengguna, sejak=sejak, sampai=sampai, objek_tipe=objek_tipe)
    if not objek_id:
        return [_as_row(log) for log in qs[:batas]]
    wanted = str(objek_id)
    out: list[AksesPdp] = []
    # single-record rows are found by the index; list rows need their id ranges expanded
    for log in qs.filter(objek_id__in=[wanted, ""]).iterator(chunk_size=2000):
        if log.objek_id == wanted or wanted in urai_ids((log.sesudah or {}).get("ids", "")):
            out.append(_as_row(log))
            if len(out) >= batas:
                break
    return out


def pdp_users() -> list[str]:
    """Usernames that appear in the log (for the filter list of the admin page)."""
    ids = AuditLog.objects.filter(aksi__startswith=PREFIX).values("pengguna").distinct()
    users = get_user_model().objects.filter(pk__in=ids).order_by("username")
    return list(users.values_list("username", flat=True))
