"""Reads of record linkage with the user's scope: the review queue, one row's explanation, registry duplicates.

Who sees a source row in the review queue:

- walidata: the rows of the datasets of his sectors (``Profil.sektor``), inside his region;
- desa operator / kecamatan verifikator: rows whose delivered desa or best candidate's desa is in his region;
- admin: every row of his regency; the break-glass superuser: everything;
- analis: nobody's rows (aggregates only): 403.

A row outside the scope answers 404 like one that does not exist (no IDOR confirmation). NIK/KK only
ever leave through ``presisi.accounts.pdp`` (``TampilanPribadi``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presisi.accounts.access import OutOfScope, can_write_registry, in_scope, user_profil, user_scope_code
from presisi.accounts.models import ADMIN, OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA
from presisi.core.exceptions import PermissionDenied
from presisi.core.pdp import TampilanPribadi
from presisi.integration.models import (
    TERTAUT,
    TINJAU,
    BarisSumber,
    DatasetSektor,
    KandidatTautan,
    KeputusanTautan,
    PasanganGanda,
)
from presisi.registry.models import TIDAK_VALID, Individu

PERAN_TINJAU = frozenset({OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA, ADMIN})
PERAN_GANDA = frozenset({OPERATOR_DESA, VERIFIKATOR_KECAMATAN, ADMIN})
INDIVIDU_LABEL = "registry.individu"
BATAS_DAFTAR = 200
ID_MAKS = 2**63 - 1  # an id beyond the database's integers names nothing: 404, not an overflow


def _id_sah(value: int) -> None:
    if not 0 < value <= ID_MAKS:
        raise OutOfScope()

# the fields compared side by side on the review screen (label, source attribute, registry attribute)
BIDANG = [
    ("nik", gettext_lazy("NIK"), "nik", "nik"),
    ("no_kk", gettext_lazy("No. KK"), "no_kk", "no_kk"),
    ("nama", gettext_lazy("Nama"), "nama", "nama"),
    ("jenis_kelamin", gettext_lazy("Jenis kelamin"), "jenis_kelamin", "jenis_kelamin"),
    ("tanggal_lahir", gettext_lazy("Tanggal lahir"), "tanggal_lahir", "tanggal_lahir"),
    ("kode_desa", gettext_lazy("Desa"), "kode_desa", "kode_desa"),
    ("nama_ayah", gettext_lazy("Nama ayah"), "nama_ayah", "nama_ayah"),
    ("nama_ibu", gettext_lazy("Nama ibu"), "nama_ibu", "nama_ibu"),
]
JENIS_KELAMIN = {1: "L", 2: "P"}


def _scope_q(scope: str, *fields: str) -> Q:
    q = Q()
    for f in fields:
        q |= Q(**{f: scope}) | Q(**{f"{f}__startswith": scope + "."})
    return q


def peran(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return ADMIN
    profil = user_profil(user)
    return profil.peran if profil else None


def boleh_tinjau(user) -> bool:
    return peran(user) in PERAN_TINJAU


def boleh_ganda(user) -> bool:
    return peran(user) in PERAN_GANDA


def pastikan_boleh_tinjau(user) -> None:
    if not boleh_tinjau(user):
        raise PermissionDenied(_("Peran Anda tidak meninjau tautan data sektoral."))


def pastikan_boleh_ganda(user) -> None:
    if not boleh_ganda(user):
        raise PermissionDenied(_("Peran Anda tidak meninjau data ganda registri."))


def dataset_dalam_cakupan(user) -> QuerySet[DatasetSektor]:
    """The datasets whose rows the user may review (walidata: his sectors; others: all, rows filtered by region)."""
    qs = DatasetSektor.objects.all()
    if getattr(user, "is_superuser", False):
        return qs
    profil = user_profil(user)
    if profil is None or profil.peran not in PERAN_TINJAU:
        return qs.none()
    if profil.peran == WALIDATA:
        return qs.filter(sektor__in=profil.sektor.all())
    return qs


def boleh_dataset(user, dataset: DatasetSektor) -> bool:
    return dataset_dalam_cakupan(user).filter(pk=dataset.pk).exists()


def baris_dalam_cakupan(user) -> QuerySet[BarisSumber]:
    """Every source row the user may see (any outcome), by role, sector and region."""
    qs = BarisSumber.objects.all()
    if getattr(user, "is_superuser", False):
        return qs
    scope = user_scope_code(user)
    profil = user_profil(user)
    if scope is None or profil is None or profil.peran not in PERAN_TINJAU:
        return qs.none()
    if profil.peran == WALIDATA:
        qs = qs.filter(pengiriman__dataset__sektor__in=profil.sektor.all())
        # a row without a known desa belongs to the agency's own list (regency-wide)
        return qs.filter(_scope_q(scope, "desa__kode", "individu__desa__kode") | Q(desa__isnull=True,
                                                                                  individu__isnull=True))
    return qs.filter(_scope_q(scope, "desa__kode", "individu__desa__kode"))


def tinjau_list(user, *, dataset: str = "", desa: str = "") -> dict[str, Any]:
    """The review queue: rows to review in scope, newest delivery first (at most ``BATAS_DAFTAR``)."""
    pastikan_boleh_tinjau(user)
    qs = baris_dalam_cakupan(user).filter(status_tautan=TINJAU)
    if dataset:
        qs = qs.filter(pengiriman__dataset__kode=dataset)
    if desa:
        qs = qs.filter(_scope_q(desa, "desa__kode", "individu__desa__kode"))
    total = qs.count()
    rows = list(qs.select_related("pengiriman__dataset", "pengiriman__periode", "desa", "individu__desa")
                .order_by("-pengiriman_id", "baris")[:BATAS_DAFTAR])
    return {"baris": rows, "jumlah": total, "dataset": list(dataset_dalam_cakupan(user).values_list("kode", "nama")),
            "terpotong": total > len(rows)}


def baris_get(user, baris_id: int) -> BarisSumber:
    """One source row in scope (404 otherwise, like a missing one)."""
    pastikan_boleh_tinjau(user)
    _id_sah(baris_id)
    row = (baris_dalam_cakupan(user).select_related("pengiriman__dataset__sektor", "pengiriman__periode", "desa",
                                                       "individu__desa", "individu__keluarga")
           .filter(pk=baris_id).first())
    if row is None:
        raise OutOfScope()
    return row


def kode_wilayah_baris(row: BarisSumber) -> str:
    """The region whose display rule applies to a row: its delivered desa, else its candidate's."""
    if row.desa_id:
        return row.desa.kode
    return row.individu.desa.kode if row.individu_id else ""


# ---------------------------------------------------------------- the explanation


@dataclass
class Batang:
    """One bar of a waterfall: x/width in SVG units (presentation attributes, allowed by the CSP)."""

    kolom: str
    tingkat: str
    bobot: float
    x: float
    lebar: float
    y: int
    positif: bool


def air_terjun(bobot: list[dict], *, lebar_svg: int = 480, tinggi_batang: int = 18) -> dict[str, Any]:
    """Geometry of the waterfall: each field's weight starts where the running sum ended."""
    cum, points = 0.0, []
    for b in bobot:
        w = float(b.get("bobot") or 0.0)
        points.append((cum, cum + w, b, w))
        cum += w
    ends = [0.0] + [p for a, z, _, _ in points for p in (a, z)]
    lo, hi = min(ends), max(ends)
    span = hi - lo if hi - lo > 1e-6 else 1.0  # all weights ≈ 0 (or a subnormal span): no division blow-up
    scale = (lebar_svg - 20) / span

    def xpos(v: float) -> float:
        return round(10 + (v - lo) * scale, 1)

    bars = [Batang(kolom=str(b.get("kolom", "")), tingkat=str(b.get("tingkat", "")), bobot=round(w, 2),
                   x=xpos(min(a, z)), lebar=max(round(abs(z - a) * scale, 1), 1.0), y=i * (tinggi_batang + 4),
                   positif=w >= 0)
            for i, (a, z, b, w) in enumerate(points)]
    return {"batang": bars, "total": round(cum, 2), "nol": xpos(0.0), "lebar": lebar_svg,
            "tinggi": len(bars) * (tinggi_batang + 4) + 4, "tinggi_batang": tinggi_batang}


def _nilai(obj: Any, attr: str, tampilan: TampilanPribadi) -> str:
    if isinstance(obj, BarisSumber):
        value = getattr(obj, attr, "")
    else:  # a registry person
        value = {"no_kk": obj.keluarga.no_kk, "kode_desa": obj.desa.kode}.get(attr, getattr(obj, attr, ""))
    if attr in ("nik", "no_kk"):
        return tampilan.nik(value or "")
    if attr == "jenis_kelamin":
        return JENIS_KELAMIN.get(value, "") if value is not None else ""
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _banding(row: BarisSumber, person: Individu, tampilan: TampilanPribadi) -> list[dict[str, Any]]:
    out = []
    for key, label, src_attr, reg_attr in BIDANG:
        a, b = _nilai(row, src_attr, tampilan), _nilai(person, reg_attr, tampilan)
        raw_a = getattr(row, src_attr, None)
        raw_b = {"no_kk": person.keluarga.no_kk, "kode_desa": person.desa.kode}.get(reg_attr,
                                                                                   getattr(person, reg_attr, None))
        sama = bool(raw_a) and str(raw_a).strip().upper() == str(raw_b or "").strip().upper()
        out.append({"kunci": key, "label": label, "sumber": a, "registri": b, "sama": sama,
                    "kosong": raw_a in (None, "")})
    return out


def baris_rincian(user, row: BarisSumber, tampilan: TampilanPribadi) -> dict[str, Any]:
    """A source row with its candidates side by side, each with its waterfall, and the decisions so far."""
    kandidat = list(KandidatTautan.objects.filter(baris=row).select_related("individu__desa", "individu__keluarga")
                    .order_by("peringkat"))
    keputusan = {k.individu_id: k for k in KeputusanTautan.objects.filter(dataset=row.pengiriman.dataset,
                                                                          kunci=row.kunci)}
    items = [{"kandidat": k, "individu": k.individu, "probabilitas": k.probabilitas, "persen": round(
        k.probabilitas * 100, 1), "bobot_total": round(k.bobot_total, 2), "banding": _banding(row, k.individu,
                                                                                                tampilan),
        "air_terjun": air_terjun(k.bobot), "keputusan": keputusan.get(k.individu_id),
        "nik": tampilan.nik(k.individu.nik),
        # the row's person is its best candidate while in review: "tertaut" only once linked
        "tertaut": row.individu_id == k.individu_id and row.status_tautan == TERTAUT}
        for k in kandidat]
    ids = {k.individu_id for k in kandidat}
    tertaut_lain = None
    if row.individu_id and row.individu_id not in ids:
        tertaut_lain = {"individu": row.individu, "nik": tampilan.nik(row.individu.nik),
                        "banding": _banding(row, row.individu, tampilan),
                        "keputusan": keputusan.get(row.individu_id)}
    return {"baris": row, "nik": tampilan.nik(row.nik), "no_kk": tampilan.nik(row.no_kk), "kandidat": items,
            "tertaut_lain": tertaut_lain, "keputusan": list(keputusan.values()),
            "individu_ids": sorted(ids | ({row.individu_id} if row.individu_id else set()))}


def individu_cari(user, nik: str) -> Individu:
    """"Pick another": a registry person by NIK, inside the user's region (404 otherwise)."""
    nik = (nik or "").strip()
    scope = user_scope_code(user)
    person = (Individu.objects.select_related("desa", "keluarga").exclude(status_dasar=TIDAK_VALID)
              .filter(nik=nik).first() if nik and scope is not None else None)
    if person is None or not in_scope(user, person.desa.kode):
        raise OutOfScope()
    return person


# ---------------------------------------------------------------- registry duplicates


def ganda_dalam_cakupan(user) -> QuerySet[PasanganGanda]:
    qs = PasanganGanda.objects.all()
    if getattr(user, "is_superuser", False):
        return qs
    scope = user_scope_code(user)
    profil = user_profil(user)
    if scope is None or profil is None or profil.peran not in PERAN_GANDA:
        return qs.none()
    return qs.filter(_scope_q(scope, "desa__kode", "individu_b__desa__kode"))


def ganda_list(user, *, desa: str = "", status: str = PasanganGanda.TERBUKA) -> dict[str, Any]:
    pastikan_boleh_ganda(user)
    qs = ganda_dalam_cakupan(user).exclude(individu_a__status_dasar=TIDAK_VALID).exclude(
        individu_b__status_dasar=TIDAK_VALID) if status == PasanganGanda.TERBUKA else ganda_dalam_cakupan(user)
    if status:
        qs = qs.filter(status=status)
    if desa:
        qs = qs.filter(_scope_q(desa, "desa__kode", "individu_b__desa__kode"))
    total = qs.count()
    rows = list(qs.select_related("individu_a__desa", "individu_b__desa", "desa")
                .order_by("-probabilitas", "id")[:BATAS_DAFTAR])
    return {"pasangan": rows, "jumlah": total, "terpotong": total > len(rows)}


def ganda_get(user, pk: int) -> PasanganGanda:
    pastikan_boleh_ganda(user)
    _id_sah(pk)
    pair = (ganda_dalam_cakupan(user).select_related("individu_a__desa", "individu_a__keluarga", "individu_b__desa",
                                                     "individu_b__keluarga", "dipertahankan").filter(pk=pk).first())
    if pair is None:
        raise OutOfScope()
    return pair


def ganda_rincian(user, pair: PasanganGanda, tampilan: TampilanPribadi) -> dict[str, Any]:
    a, b = pair.individu_a, pair.individu_b
    rows = []
    for key, label, _src, attr in BIDANG:
        va, vb = _nilai(a, attr, tampilan), _nilai(b, attr, tampilan)
        rows.append({"kunci": key, "label": label, "a": va, "b": vb, "sama": va == vb})
    return {"pasangan": pair, "banding": rows, "air_terjun": air_terjun(pair.bobot),
            "persen": round(pair.probabilitas * 100, 1),
            "boleh_gabung": can_write_registry(user, a.desa.kode) and can_write_registry(user, b.desa.kode)}
