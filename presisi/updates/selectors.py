"""Reads of the update cycle, always inside the user's region scope.

Dicts carry Python values (dates, datetimes); the API, CLI and templates format them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from presisi.accounts.access import filter_by_scope, in_scope
from presisi.core.exceptions import PermissionDenied
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_dict
from presisi.updates.models import STATUS_PENGAJUAN, Pengajuan, RiwayatPengajuan
from presisi.updates.workflow import HasilValidasi, aksi_tersedia, pengelola_periode
from presisi.validation.selectors import rekap_list

URUTAN_STATUS = [s for s, _ in STATUS_PENGAJUAN]
LABEL_STATUS = dict(STATUS_PENGAJUAN)


# --- periods -------------------------------------------------------------------------------------------


def periode_dapat_dikelola(*, user) -> bool:
    """May ``user`` open and close periods (for showing the forms; the services check again)."""
    return pengelola_periode(user)


# --- validation counts -----------------------------------------------------------------------------------


def validasi_rekap(*, periode: Periode, user, desa_kode: str | None = None) -> dict[str, HasilValidasi]:
    """Stored counts of the last validation run per desa code, in the user's scope (one query).

    Desa never validated are simply absent.
    """
    qs = rekap_list(user=user, periode_kode=periode.kode)
    if desa_kode:
        qs = qs.filter(desa__kode=desa_kode)
    return {r.desa.kode: HasilValidasi(r.jumlah_error, r.jumlah_warning, r.warning_belum_dijustifikasi)
            for r in qs}


# --- submissions ---------------------------------------------------------------------------------------


def pengajuan_list(*, periode: Periode, user, status: str | None = None,
                   kecamatan: str | None = None) -> QuerySet[Pengajuan]:
    """The period's submissions the user may see, in code order (regions and last actor joined)."""
    qs = Pengajuan.objects.filter(periode=periode).select_related("desa", "desa__induk", "status_diubah_oleh")
    if status:
        qs = qs.filter(status=status)
    if kecamatan:
        qs = qs.filter(desa__kode__startswith=kecamatan.rstrip(".") + ".")
    return filter_by_scope(qs, user, field="desa__kode").order_by("desa__kode")


def pengajuan_get(*, periode: Periode, desa_kode: str, user) -> Pengajuan | None:
    """One submission; PermissionDenied outside the user's scope, None if the desa has none."""
    if not in_scope(user, desa_kode):
        raise PermissionDenied("Desa ini berada di luar cakupan wilayah Anda.")
    return (Pengajuan.objects.select_related("periode", "desa", "desa__induk", "status_diubah_oleh")
            .filter(periode=periode, desa__kode=desa_kode).first())


_AMBIL = object()


def pengajuan_dict(pengajuan: Pengajuan, *, user, rekap: Any = _AMBIL) -> dict[str, Any]:
    """A submission as shown to ``user``, with the actions that user may take now.

    Error/warning counts come from the validation app's stored summary (``rekap``: desa code →
    counts, fetched when not given), else from the last run made by the workflow. Pass ``rekap``
    when serialising many submissions.
    """
    oleh = pengajuan.status_diubah_oleh
    if rekap is _AMBIL:
        rekap = validasi_rekap(periode=pengajuan.periode, user=user, desa_kode=pengajuan.desa.kode)
    # a desa the validation app has no summary for: the counts of the workflow's last run (None if never)
    hitungan = rekap.get(pengajuan.desa.kode) or HasilValidasi(pengajuan.galat, pengajuan.peringatan,
                                                               pengajuan.peringatan_tanpa_alasan)
    return {
        "periode": pengajuan.periode.kode,
        "desa": pengajuan.desa.kode,
        "nama": pengajuan.desa.nama,
        "tingkat": pengajuan.desa.tingkat,
        "kecamatan": pengajuan.desa.induk.kode if pengajuan.desa.induk_id else None,
        "status": pengajuan.status,
        "status_label": LABEL_STATUS[pengajuan.status],
        "terkunci": pengajuan.terkunci,
        "diubah": pengajuan.status_diubah,
        "diubah_oleh": oleh.get_username() if oleh else None,
        "catatan": pengajuan.catatan,
        "galat": hitungan.galat,
        "peringatan": hitungan.peringatan,
        "peringatan_tanpa_alasan": hitungan.peringatan_tanpa_alasan,
        "divalidasi_pada": pengajuan.divalidasi_pada,
        "dibekukan_pada": pengajuan.dibekukan_pada,
        "aksi": [t.as_dict() for t in aksi_tersedia(pengajuan=pengajuan, user=user)],
    }


def pengajuan_dicts(rows: list[Pengajuan], *, periode: Periode, user) -> list[dict[str, Any]]:
    """Many submissions of one period: the validation summary is read once."""
    rekap = validasi_rekap(periode=periode, user=user)
    out = []
    for p in rows:
        p.periode = periode  # no query per row for the period
        out.append(pengajuan_dict(p, user=user, rekap=rekap))
    return out


def pengajuan_riwayat(*, pengajuan: Pengajuan) -> list[dict[str, Any]]:
    rows = (RiwayatPengajuan.objects.filter(pengajuan=pengajuan).select_related("pengguna")
            .order_by("waktu", "id"))
    return [{
        "waktu": r.waktu,
        "pengguna": r.pengguna.get_username() if r.pengguna else None,
        "aksi": r.aksi,
        "dari": r.dari,
        "ke": r.ke,
        "ke_label": LABEL_STATUS.get(r.ke, r.ke),
        "komentar": r.komentar,
        "galat": r.galat,
        "peringatan": r.peringatan,
        "peringatan_tanpa_alasan": r.peringatan_tanpa_alasan,
    } for r in rows]


# --- progress ------------------------------------------------------------------------------------------


def _ringkas(statuses: list[str]) -> dict[str, Any]:
    """Count and percentage per state, in workflow order."""
    total = len(statuses)
    counts = Counter(statuses)
    return {
        "total": total,
        "status": [{"status": s, "label": LABEL_STATUS[s], "jumlah": counts[s],
                    "persen": round(100 * counts[s] / total, 1) if total else 0.0} for s in URUTAN_STATUS],
    }


def progres_periode(*, periode: Periode, user) -> dict[str, Any]:
    """Progress of a period in the user's scope: per kecamatan and per desa, with the user's actions.

    Error/warning counts: see ``pengajuan_dict`` (None if the desa has not been validated yet).
    A handful of queries, whatever the number of desa.
    """
    rows = list(pengajuan_list(periode=periode, user=user))
    kecamatan: dict[str, dict[str, Any]] = {}
    for p, data in zip(rows, pengajuan_dicts(rows, periode=periode, user=user), strict=True):
        kec = p.desa.induk
        entry = kecamatan.setdefault(kec.kode, {"kode": kec.kode, "nama": kec.nama, "desa": []})
        entry["desa"].append(data)
    for entry in kecamatan.values():
        entry.update(_ringkas([d["status"] for d in entry["desa"]]))
    return {
        "periode": periode_dict(periode),
        **_ringkas([p.status for p in rows]),
        "kecamatan": list(kecamatan.values()),
    }
