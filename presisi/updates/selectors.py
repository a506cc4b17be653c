"""Reads of the update cycle, always inside the user's region scope.

Dicts carry Python values (dates, datetimes); the API, CLI and templates format them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from presisi.accounts.access import can_see_personal_data, filter_by_scope, in_scope
from presisi.accounts.models import OPERATOR_DESA
from presisi.core.exceptions import PermissionDenied
from presisi.core.models import AuditLog
from presisi.core.pdp import LIHAT, catat_akses_data_pribadi, mask_nik
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_dict, periode_list
from presisi.regions.codes import BANJAR
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, Bangunan, Individu, Keluarga, Peristiwa, RumahTangga
from presisi.updates.models import (
    DIKEMBALIKAN,
    DISETUJUI,
    STATUS_PENGAJUAN,
    STATUS_TERKUNCI,
    Pengajuan,
    RiwayatPengajuan,
)
from presisi.updates.workflow import (
    AJUKAN,
    PUBLIKASIKAN,
    SETUJUI,
    TRANSISI,
    VERIFIKASI,
    HasilValidasi,
    aksi_tersedia,
    pengelola_periode,
    peran_pengguna,
)
from presisi.validation.models import ERROR, WARNING, Temuan
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
    """One submission; PermissionDenied outside the user's scope (the CLI says so; the web and API
    answer 404, like a desa without one, so a foreign desa is never confirmed), None if the desa has none."""
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


def progres_ringkas(*, periode: Periode, wilayah_kode: str | None = None) -> dict[str, Any]:
    """How far a period has come in a region, for everyone (home and region pages): desa counted per
    state, nothing about who did what. One grouped query."""
    qs = Pengajuan.objects.filter(periode=periode)
    if wilayah_kode:
        qs = qs.filter(Q(desa__kode=wilayah_kode) | Q(desa__kode__startswith=wilayah_kode + "."))
    counts = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"periode": periode_dict(periode), **_ringkas(list(Counter(counts).elements()))}


# --- review of one desa × period (tinjauan) -------------------------------------------------------------
# What a verifier/steward judges before deciding: what changed since the last approved period,
# the population per banjar then/now, the changed records (NIK masked) and the findings.

TINJAUAN_BATAS = 200  # changed records listed on the page (the counts cover everything)
NIK_16 = re.compile(r"(?<!\d)\d{16}(?!\d)")
AKSI_SUNTING = ("diubah", "pindah_kk", "rumah_tangga", "anggota_keluar", "anggota_masuk")


def tampil_nik(nik: str | None) -> str:
    """The ONE place the review shows a NIK/No. KK: always masked (the review never asks for full numbers;
    its names are logged by ``tinjauan_catat_akses``)."""
    return mask_nik(nik or "")


def _samarkan_teks(teks: str) -> str:
    """Free text (finding labels) with every 16-digit number masked."""
    return NIK_16.sub(lambda m: tampil_nik(m.group(0)), teks or "")


def pengajuan_acuan(pengajuan: Pengajuan) -> Pengajuan | None:
    """The desa's last approved/published submission of an earlier period (the review's baseline)."""
    return (Pengajuan.objects.select_related("periode")
            .filter(desa_id=pengajuan.desa_id, status__in=STATUS_TERKUNCI,
                    periode__tanggal_referensi__lt=pengajuan.periode.tanggal_referensi)
            .order_by("-periode__tanggal_referensi").first())


def _sejak(pengajuan: Pengajuan, acuan: Pengajuan | None) -> dt.datetime:
    """Changes are counted from the baseline's approval, or from the start of the period."""
    if acuan is not None:
        disetujui = (RiwayatPengajuan.objects.filter(pengajuan=acuan, ke=DISETUJUI)
                     .order_by("-waktu").values_list("waktu", flat=True).first())
        # approved data is locked until published, so the last status change is as good a baseline
        return disetujui or acuan.status_diubah
    return timezone.make_aware(dt.datetime.combine(pengajuan.periode.tanggal_mulai, dt.time.min))


def _audit_desa(desa: Wilayah, sejak: dt.datetime) -> QuerySet[AuditLog]:
    """Registry audit rows of the desa's records since ``sejak`` (one query; no processing-log rows)."""
    q = Q()
    for model in (Individu, Keluarga, RumahTangga, Bangunan):
        label = model._meta.label_lower
        ids = model.objects.filter(desa=desa).annotate(s=Cast("pk", CharField())).values("s")
        q |= Q(objek_tipe=label, objek_id__in=ids) | Q(objek_tipe=label, objek_id="", sesudah__desa=desa.kode)
    return AuditLog.objects.filter(q, waktu__gte=sejak, aksi__startswith="registry.")


def _hitung_perubahan(desa: Wilayah, sejak: dt.datetime) -> dict[str, int]:
    """Births, deaths, moves, new/dissolved KK and edits since ``sejak`` (three grouped queries)."""
    per_jenis = dict(Peristiwa.objects.filter(individu__desa_id=desa.pk, dicatat_pada__gte=sejak)
                     .values_list("jenis").annotate(n=Count("id")).order_by())
    kk = Keluarga.objects.filter(desa=desa).aggregate(
        baru=Count("id", filter=Q(dibuat__gte=sejak)),
        bubar=Count("id", filter=Q(aktif=False, diubah__gte=sejak)))
    sunting = _audit_desa(desa, sejak).filter(
        Q(*[Q(aksi__endswith="." + a) for a in AKSI_SUNTING], _connector=Q.OR)).count()
    return {
        "lahir": per_jenis.get(Peristiwa.LAHIR, 0),
        "mati": per_jenis.get(Peristiwa.MATI, 0),
        "pindah_masuk": per_jenis.get(Peristiwa.PINDAH_MASUK, 0),
        "pindah_keluar": per_jenis.get(Peristiwa.PINDAH_KELUAR, 0) + per_jenis.get(Peristiwa.PERGI, 0),
        "hilang": per_jenis.get(Peristiwa.HILANG, 0),
        "kk_baru": kk["baru"],
        "kk_bubar": kk["bubar"],
        "suntingan": sunting,
    }


def _penduduk_banjar(desa: Wilayah, sejak: dt.datetime) -> list[dict[str, Any]]:
    """Living people per banjar now, and then (at ``sejak``): now minus arrivals plus departures since.

    'Then' is rebuilt from the life events recorded since (two grouped queries), so it does not
    depend on an analytic snapshot having been computed for the baseline period.
    """
    sekarang = dict(Individu.objects.filter(desa=desa, status_dasar=HIDUP).values_list("banjar_id")
                    .annotate(n=Count("id")).order_by())
    masuk = Q(jenis__in=[Peristiwa.LAHIR, Peristiwa.PINDAH_MASUK])
    keluar = Q(jenis__in=[Peristiwa.MATI, Peristiwa.PINDAH_KELUAR, Peristiwa.HILANG, Peristiwa.PERGI])
    arus = {b: (m, k) for b, m, k in Peristiwa.objects.filter(individu__desa_id=desa.pk, dicatat_pada__gte=sejak)
            .values_list("individu__banjar_id").annotate(m=Count("id", filter=masuk), k=Count("id", filter=keluar))
            .order_by()}
    rows = []
    for b in Wilayah.objects.filter(induk=desa, tingkat=BANJAR).only("id", "kode", "nama").order_by("kode"):
        now = sekarang.get(b.pk, 0)
        m, k = arus.get(b.pk, (0, 0))
        rows.append({"kode": b.kode, "nama": b.nama, "dulu": now - m + k, "sekarang": now,
                     "selisih": m - k})
    return rows


def _nama_rekaman(rows: list[AuditLog]) -> dict[tuple[str, str], dict[str, str]]:
    """Subject of each audit row: a person's name and masked NIK, a family's masked No. KK (one query per unit)."""
    wanted: dict[str, set[int]] = {}
    for r in rows:
        if r.objek_id.isdigit():
            wanted.setdefault(r.objek_tipe, set()).add(int(r.objek_id))
    out: dict[tuple[str, str], dict[str, str]] = {}
    label = Individu._meta.label_lower
    for pk, nama, nik in Individu.objects.filter(pk__in=wanted.get(label, ())).values_list("pk", "nama", "nik"):
        out[(label, str(pk))] = {"nama": nama, "nomor": tampil_nik(nik)}
    label = Keluarga._meta.label_lower
    for pk, no_kk in Keluarga.objects.filter(pk__in=wanted.get(label, ())).values_list("pk", "no_kk"):
        out[(label, str(pk))] = {"nama": "KK", "nomor": tampil_nik(no_kk)}
    for model in (RumahTangga, Bangunan):
        label = model._meta.label_lower
        for pk, kode in model.objects.filter(pk__in=wanted.get(label, ())).values_list("pk", "kode"):
            out[(label, str(pk))] = {"nama": str(model._meta.verbose_name), "nomor": kode}
    return out


def _rekaman_berubah(desa: Wilayah, sejak: dt.datetime) -> list[dict[str, Any]]:
    rows = list(_audit_desa(desa, sejak).select_related("pengguna").order_by("-waktu", "-id")[:TINJAUAN_BATAS])
    names = _nama_rekaman(rows)
    out = []
    for r in rows:
        subjek = names.get((r.objek_tipe, r.objek_id))
        if subjek is None and r.objek_id == "" and isinstance(r.sesudah, dict):
            subjek = {"nama": _("%(n)s rekaman (impor)") % {"n": r.sesudah.get("jumlah", 0)}, "nomor": ""}
        out.append({"waktu": r.waktu, "aksi": r.aksi, "objek_tipe": r.objek_tipe,
                    "objek_id": r.objek_id or None, "nama": (subjek or {}).get("nama", ""),
                    "nomor": (subjek or {}).get("nomor", ""),
                    "pengguna": r.pengguna.get_username() if r.pengguna else None})
    return out


def _temuan_tinjauan(periode: Periode, desa: Wilayah) -> dict[str, Any]:
    """Open and justified findings of the desa × period (resolved ones are history), with counts."""
    qs = (Temuan.objects.filter(desa=desa, periode=periode).exclude(status=Temuan.SELESAI)
          .select_related("aturan", "dijustifikasi_oleh").order_by("-keparahan", "aturan__kode", "objek_id", "id"))
    items = [{"id": t.pk, "aturan": t.aturan.kode, "keparahan": t.keparahan, "status": t.status,
              "label": _samarkan_teks(t.label), "kolom": t.kolom, "nilai": _samarkan_teks(t.nilai),
              "pesan": _samarkan_teks(t.pesan), "justifikasi": t.justifikasi,
              "dijustifikasi_oleh": t.dijustifikasi_oleh.get_username() if t.dijustifikasi_oleh else None,
              "dijustifikasi_pada": t.dijustifikasi_pada} for t in qs[:TINJAUAN_BATAS]]
    counts = qs.aggregate(galat=Count("id", filter=Q(keparahan=ERROR)),
                          peringatan=Count("id", filter=Q(keparahan=WARNING)),
                          tanpa_alasan=Count("id", filter=Q(keparahan=WARNING, status=Temuan.TERBUKA)))
    return {**counts, "daftar": items}


def tinjauan_desa(*, pengajuan: Pengajuan, user) -> dict[str, Any]:
    """Everything to judge a desa's submission: changes since the baseline, banjar, records, findings.

    The caller fetched ``pengajuan`` through ``pengajuan_get`` (scope checked). Person-level parts
    (the changed records and the findings) are given only to roles that may see personal data.
    """
    desa, periode = pengajuan.desa, pengajuan.periode
    acuan = pengajuan_acuan(pengajuan)
    sejak = _sejak(pengajuan, acuan)
    pribadi = can_see_personal_data(user, desa.kode)
    return {
        "pengajuan": pengajuan_dict(pengajuan, user=user),
        "acuan": {"periode": acuan.periode.kode, "status": acuan.status} if acuan else None,
        "sejak": sejak,
        "perubahan": _hitung_perubahan(desa, sejak),
        "banjar": _penduduk_banjar(desa, sejak),
        "data_pribadi": pribadi,
        "rekaman": _rekaman_berubah(desa, sejak) if pribadi else [],
        "temuan": _temuan_tinjauan(periode, desa) if pribadi else None,
        "profil_url": reverse("dashboards:profil", args=[desa.kode]) + f"?periode={periode.kode}",
        "riwayat": pengajuan_riwayat(pengajuan=pengajuan),
    }


# --- the per-role task inbox ("Tugas saya") ------------------------------------------------------------------

# Transitions that move a submission forward: what waits for a role's decision. Returns and
# un-approvals are corrections taken from the review page, not inbox items.
AKSI_MAJU = (AJUKAN, VERIFIKASI, SETUJUI, PUBLIKASIKAN)


def periode_berjalan() -> Periode | None:
    """The period people work on: the newest open one, else the newest."""
    qs = periode_list()
    return qs.filter(status=Periode.DIBUKA).first() or qs.first()


def _url_validasi(periode: Periode, desa: str, keparahan: str) -> str:
    query = urlencode({"periode": periode.kode, "desa": desa, "keparahan": keparahan})
    return f"{reverse('validation:temuan')}?{query}"


def tugas_saya(*, user) -> dict[str, Any]:
    """The signed-in user's inbox: the current period and its deadline, then one item per thing to do,
    each with the URL where it is done (a handful of queries whatever the number of desa)."""
    periode = periode_berjalan()
    peran = peran_pengguna(user)
    out: dict[str, Any] = {"periode": periode_dict(periode) if periode else None, "peran": peran,
                           "sisa_hari": None, "tugas": []}
    if periode is None:
        return out
    if periode.tenggat:
        out["sisa_hari"] = (periode.tenggat - timezone.localdate()).days
    boleh = [TRANSISI[a] for a in AKSI_MAJU if peran in TRANSISI[a].peran]
    status_tunggu = {s: t for t in boleh for s in t.dari}
    rows = list(pengajuan_list(periode=periode, user=user).filter(status__in=list(status_tunggu)))
    if peran == OPERATOR_DESA:
        out["tugas"] += _tugas_operator(periode, rows, user)
    else:
        for t in boleh:
            menunggu = [p for p in rows if p.status in t.dari]
            if menunggu:
                out["tugas"].append({
                    "jenis": t.aksi, "jumlah": len(menunggu),
                    "judul": _("%(n)s pengajuan menunggu '%(aksi)s'") % {"n": len(menunggu), "aksi": _(t.label)},
                    "url": reverse("updates:progres", args=[periode.kode]),
                    "desa": [{"kode": p.desa.kode, "nama": p.desa.nama,
                              "url": reverse("updates:pengajuan", args=[periode.kode, p.desa.kode])}
                             for p in menunggu]})
    return out


def _tugas_operator(periode: Periode, rows: list[Pengajuan], user) -> list[dict[str, Any]]:
    """The desa operator: returned submission, findings to fix, warnings to justify, then submitting."""
    tugas: list[dict[str, Any]] = []
    kode_desa = [p.desa.kode for p in rows]
    hitung = {(d, k): n for d, k, n in filter_by_scope(
        Temuan.objects.filter(periode=periode, status=Temuan.TERBUKA, desa__kode__in=kode_desa), user)
        .values_list("desa__kode", "keparahan").annotate(n=Count("id")).order_by()}
    for p in rows:
        kode, tinjau = p.desa.kode, reverse("updates:pengajuan", args=[periode.kode, p.desa.kode])
        if p.status == DIKEMBALIKAN:
            tugas.append({"jenis": "dikembalikan", "jumlah": 1, "url": tinjau, "catatan": p.catatan,
                          "judul": _("Pengajuan %(desa)s dikembalikan untuk perbaikan") % {"desa": p.desa.nama}})
        galat, peringatan = hitung.get((kode, ERROR), 0), hitung.get((kode, WARNING), 0)
        if galat:
            tugas.append({"jenis": "galat", "jumlah": galat, "url": _url_validasi(periode, kode, ERROR),
                          "judul": _("%(n)s galat validasi perlu diperbaiki") % {"n": galat}})
        if peringatan:
            tugas.append({"jenis": "peringatan", "jumlah": peringatan, "url": _url_validasi(periode, kode, WARNING),
                          "judul": _("%(n)s peringatan perlu diberi alasan") % {"n": peringatan}})
        tugas.append({"jenis": AJUKAN, "jumlah": 1, "url": tinjau,
                      "judul": _("Ajukan data %(desa)s periode %(periode)s") % {"desa": p.desa.nama,
                                                                               "periode": periode.kode}})
    return tugas


def tinjauan_catat_akses(t: dict[str, Any], *, user, tujuan: str = "tinjauan pengajuan") -> None:
    """UU PDP processing log: the review showed these people's names (NIK masked); one row per view."""
    ids = [r["objek_id"] for r in t["rekaman"] if r["objek_tipe"] == Individu._meta.label_lower and r["objek_id"]]
    if ids:
        catat_akses_data_pribadi(pengguna=user, aksi=LIHAT, objek_tipe=Individu._meta.label_lower,
                                 objek_ids=list(dict.fromkeys(ids)), tujuan=tujuan)
