"""UU PDP (UU 27/2022) processing log: who saw, exported or changed whose personal data, and when.

Every view or export of NIK-level data writes one ``AuditLog`` row with ``aksi`` ``pdp.<aksi>``
(Ps. 31: record all processing). One row per event, not per record: the ids of the records
are listed compactly in ``sesudah`` (``"3-7,12"``), so a page of 25 people is one row.
The log is read back per user and date (admins) or per data subject (Ps. 32: a person may ask
for the trail of their data).

NIK is shown masked by default (first 6 and last 4 digits); the full number is shown only on
an explicit request, which is logged with ``nik_penuh: true``.

One door: every page, file and API response that can carry a NIK or KK number goes through
``TampilanPribadi`` (``presisi.accounts.pdp.tampilan_pribadi`` builds it for a user, a region and the request's wish):
it masks unless the role needs person-level data in that region *and* asked for the full value
(``?nik=penuh``, or the POSTed "Tampilkan NIK" button), and ``catat`` writes the processing-log
row whenever person-level data is shown or exported. ``tampilkan_nik`` is the one-value form;
the ``pdp`` template library (``{{ value|pribadi:tampilan }}``) uses the same object.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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


# a NIK or KK number inside free text (a finding's label, value or message): 16 digits on their own
NOMOR_16 = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
MINTA_PENUH_PARAM, MINTA_PENUH_NILAI = "nik", "penuh"


def mask_teks(text: Any) -> Any:
    """Every 16-digit number in a text masked like a NIK; anything that is not a string unchanged."""
    if not isinstance(text, str):
        return text
    return NOMOR_16.sub(lambda m: mask_nik(m.group(0)), text)


def minta_penuh(request) -> bool:
    """Did the request ask for full identifiers: ``?nik=penuh`` or the POSTed "Tampilkan NIK" button."""
    if request is None:
        return False
    params = getattr(request, "query_params", None) or request.GET
    if params.get(MINTA_PENUH_PARAM) == MINTA_PENUH_NILAI:
        return True
    return request.method == "POST" and request.POST.get("tampilkan_nik") == "1"


@dataclass
class TampilanPribadi:
    """How personal identifiers appear to one user for one region in one response.

    ``boleh``: the role needs person-level data there (``can_see_personal_data``); ``penuh``: it
    may *and* asked, so full values are shown. Everything else is masked. ``catat`` writes the PDP
    processing-log row (once per response; call it whenever person-level data leaves the server).
    """

    pengguna: Any
    kode_wilayah: str
    boleh: bool
    penuh: bool
    kanal: str = "web"
    dicatat: list[AuditLog] = field(default_factory=list)

    def nik(self, value: Any) -> str:
        """A NIK or KK number: full only when ``penuh``."""
        if value is None:
            return ""
        return str(value) if self.penuh else mask_nik(str(value))

    kk = nik

    def teks(self, value: Any) -> Any:
        """Free text (labels, finding values and messages): every 16-digit number masked unless ``penuh``."""
        return value if self.penuh else mask_teks(value)

    def catat(self, *, aksi: str = "lihat", objek_tipe: str, objek_ids: Iterable[Any], tujuan: str,
              jumlah: int = 1) -> AuditLog:
        row = catat_akses_data_pribadi(pengguna=self.pengguna, aksi=aksi, objek_tipe=objek_tipe,
                                       objek_ids=objek_ids, tujuan=tujuan, jumlah=jumlah,
                                       rincian={"nik_penuh": self.penuh, "kanal": self.kanal,
                                                "wilayah": self.kode_wilayah})
        self.dicatat.append(row)
        return row


def tampilan_server(kanal: str = "cli", *, penuh: bool = False, kode_wilayah: str = "") -> TampilanPribadi:
    """Server operators at the command line: person-level rows, identifiers masked (no request to ask);
    ``penuh`` only where the output needs the numbers themselves (a registry export to import back)."""
    return TampilanPribadi(pengguna=None, kode_wilayah=kode_wilayah, boleh=True, penuh=penuh, kanal=kanal)


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
