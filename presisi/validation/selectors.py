"""Reads of rules and findings, with the user's region scope applied."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from presisi.accounts.access import filter_by_scope, user_profil, user_scope_code
from presisi.accounts.models import ANALIS
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import PermissionDenied
from presisi.core.pdp import LIHAT, TampilanPribadi, mask_teks
from presisi.periods.selectors import periode_get
from presisi.validation.models import AturanValidasi, RekapValidasi, Temuan


def aturan_list(*, unit: str | None = None, aktif: bool | None = None, jenis: str | None = None
                ) -> QuerySet[AturanValidasi]:
    qs = AturanValidasi.objects.all()
    if unit:
        qs = qs.filter(unit=unit)
    if aktif is not None:
        qs = qs.filter(aktif=aktif)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.order_by("unit", "kode")


def aturan_dict(a: AturanValidasi) -> dict[str, Any]:
    return {"kode": a.kode, "nama": a.nama, "unit": a.unit, "keparahan": a.keparahan, "jenis": a.jenis,
            "kondisi": a.kondisi, "kolom": a.kolom, "pesan": a.pesan, "aktif": a.aktif, "terkunci": a.terkunci}


def temuan_list(*, user, desa_kode: str | None = None, periode_kode: str | None = None,
                status: str | None = None, keparahan: str | None = None, aturan: str | None = None
                ) -> QuerySet[Temuan]:
    """Findings the user may see: NIK-level labels, so only roles that may see personal data."""
    profil = user_profil(user)
    qs = Temuan.objects.select_related("aturan", "desa", "periode")
    if profil is not None and profil.peran == ANALIS:
        return qs.none()
    qs = filter_by_scope(qs, user)
    if desa_kode:
        qs = qs.filter(desa__kode=desa_kode)
    if periode_kode:
        qs = qs.filter(periode=periode_get(periode_kode))  # unknown code: NotFound, never an empty list
    if status:
        qs = qs.filter(status=status)
    if keparahan:
        qs = qs.filter(keparahan=keparahan)
    if aturan:
        qs = qs.filter(aturan__kode=aturan)
    return qs.order_by("desa__kode", "-keparahan", "aturan__kode", "objek_id", "id")


def temuan_get(*, user, temuan_id: int) -> Temuan:
    """One finding inside the user's scope; missing, too large an id or foreign → 404 alike (no id is
    confirmed outside the scope)."""
    try:
        temuan = filter_by_scope(Temuan.objects.select_related("desa"), user).filter(pk=temuan_id).first()
    except OverflowError:
        temuan = None
    if temuan is None:
        raise Http404(_("Temuan tidak ditemukan."))
    return temuan


def boleh_justifikasi(user) -> bool:
    """Warnings are justified by the roles that handle a desa's data, never by the analis."""
    profil = user_profil(user)
    return bool(getattr(user, "is_superuser", False) or (profil and profil.peran != ANALIS))


def pastikan_boleh_justifikasi(user) -> None:
    if not boleh_justifikasi(user):
        raise PermissionDenied(_("Peran Anda tidak dapat menjustifikasi temuan."))


def tampilan_temuan(user, *, desa_kode: str | None = None, request=None, kanal: str = "web") -> TampilanPribadi:
    """The PDP door for findings: labels, values and messages carry NIK/KK numbers (masked unless the
    role may see person-level data in the desa, or the whole scope, and asked)."""
    return tampilan_pribadi(user, desa_kode or user_scope_code(user) or "", request=request, kanal=kanal)


def catat_temuan_penuh(tampilan: TampilanPribadi, temuan: list[Temuan], tujuan: str) -> None:
    """Full identifiers shown on a list of findings: one processing-log row for the response."""
    if tampilan.penuh and temuan:
        tampilan.catat(aksi=LIHAT, objek_tipe=Temuan._meta.label_lower, objek_ids=[t.pk for t in temuan],
                       tujuan=tujuan)


def temuan_dict(t: Temuan, tampilan: TampilanPribadi | None = None) -> dict[str, Any]:
    teks = tampilan.teks if tampilan is not None else mask_teks
    return {
        "id": t.pk, "desa": t.desa.kode, "periode": t.periode.kode, "aturan": t.aturan.kode, "unit": t.unit,
        "objek_id": t.objek_id, "baris": t.baris, "label": teks(t.label), "kolom": t.kolom, "nilai": teks(t.nilai),
        "pesan": teks(t.pesan), "keparahan": t.keparahan, "status": t.status, "justifikasi": t.justifikasi,
        "dijustifikasi_pada": t.dijustifikasi_pada.isoformat() if t.dijustifikasi_pada else None,
    }


def rekap_list(*, user, periode_kode: str | None = None) -> QuerySet[RekapValidasi]:
    qs = filter_by_scope(RekapValidasi.objects.select_related("desa", "periode"), user)
    if periode_kode:
        qs = qs.filter(periode=periode_get(periode_kode))
    return qs.order_by("desa__kode")
