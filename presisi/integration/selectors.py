"""Reading the sector catalogue and its deliveries, with each user's rights.

Who sees what:

- the catalogue (dataset metadata, its deliveries' version/who/when/hash/row count/status) is
  regency metadata: every signed-in role reads it;
- a dataset is managed (edited, delivered to, connectors) by the walidata of its sector
  (``Profil.sektor``) and by the admin; a role that never manages datasets is refused (403) whatever
  the dataset, a walidata of another sector gets 404 (a foreign dataset, like a missing one);
- a delivery's rows are person-level data: shown only to roles with person-level access, inside
  their region scope (operator: own desa, verifikator: own kecamatan), and to the walidata of the
  dataset's own sector (the agency's own list); NIK/KK always through ``accounts.pdp``. Others
  (analis, walidata of other sectors) see the counts only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from presisi.accounts.access import (
    OutOfScope,
    filter_by_scope,
    may_see_personal_data_somewhere,
    user_profil,
    walidata_sektor_pribadi,
)
from presisi.accounts.models import ADMIN, WALIDATA
from presisi.core.exceptions import PermissionDenied
from presisi.core.i18n import teks
from presisi.dictionary.models import Sektor
from presisi.integration.models import STATUS_TAUTAN_CHOICES, BarisSumber, DatasetSektor, Konektor, Pengiriman

# ---------------------------------------------------------------------------------------------- rights


def _peran(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return ADMIN
    profil = user_profil(user)
    return profil.peran if profil else None


def boleh_kelola_peran(user) -> bool:
    """Is the user's role one that manages datasets at all (walidata, admin)?"""
    return _peran(user) in (WALIDATA, ADMIN)


def sektor_kelola(user) -> QuerySet[Sektor]:
    """The sectors whose datasets the user manages (admin: all)."""
    peran = _peran(user)
    if peran == ADMIN:
        return Sektor.objects.all()
    if peran == WALIDATA:
        return user_profil(user).sektor.all()
    return Sektor.objects.none()


def boleh_kelola(user, dataset: DatasetSektor) -> bool:
    peran = _peran(user)
    if peran == ADMIN:
        return True
    return peran == WALIDATA and user_profil(user).sektor.filter(pk=dataset.sektor_id).exists()


def boleh_baca_katalog(user) -> bool:
    return _peran(user) is not None


def _pastikan_katalog(user) -> None:
    if not boleh_baca_katalog(user):
        raise PermissionDenied(_("Katalog data sektoral hanya untuk pengguna dengan peran."))


# ---------------------------------------------------------------------------------------------- datasets


def dataset_list(*, user, sektor: str = "", aktif: bool | None = None) -> QuerySet[DatasetSektor]:
    _pastikan_katalog(user)
    qs = DatasetSektor.objects.select_related("sektor", "walidata")
    if sektor:
        qs = qs.filter(sektor__kode=sektor)
    if aktif is not None:
        qs = qs.filter(aktif=aktif)
    return qs.annotate(jumlah_pengiriman=Count("pengiriman"))


def dataset_get(*, user, kode: str) -> DatasetSektor:
    """A dataset for reading: unknown → 404."""
    _pastikan_katalog(user)
    dataset = DatasetSektor.objects.select_related("sektor", "walidata").filter(kode=kode).first()
    if dataset is None:
        raise OutOfScope()
    return dataset


def dataset_kelola(*, user, kode: str) -> DatasetSektor:
    """A dataset the user manages: a role that never manages → 403; unknown or another sector's → 404."""
    if not boleh_kelola_peran(user):
        raise PermissionDenied(_("Hanya walidata sektor dan admin yang mengelola dataset sektoral."))
    dataset = DatasetSektor.objects.select_related("sektor").filter(kode=kode).first()
    if dataset is None or not boleh_kelola(user, dataset):
        raise OutOfScope()
    return dataset


def dataset_dict(dataset: DatasetSektor) -> dict[str, Any]:
    return {
        "kode": dataset.kode, "nama": dataset.nama, "sektor": dataset.sektor.kode,
        "sektor_nama": teks(dataset.sektor, "nama"),  # the reader's language
        "produsen": dataset.produsen, "walidata": dataset.walidata.username if dataset.walidata_id else None,
        "unit": dataset.unit, "jenis": dataset.jenis, "jadwal": dataset.jadwal, "deskripsi": dataset.deskripsi,
        "metadata": dataset.metadata, "pemetaan_kolom": dataset.pemetaan_kolom, "program": dataset.program,
        "aktif": dataset.aktif, "dibuat": dataset.dibuat, "diubah": dataset.diubah,
    }


# ---------------------------------------------------------------------------------------------- deliveries


def pengiriman_list(*, dataset: DatasetSektor) -> QuerySet[Pengiriman]:
    """Deliveries of a dataset (catalogue metadata), newest period and version first."""
    return (Pengiriman.objects.filter(dataset=dataset).select_related("periode", "dikirim_oleh")
            .order_by("-periode__tanggal_referensi", "-versi"))


def pengiriman_get(*, user, pk: int) -> Pengiriman:
    _pastikan_katalog(user)
    p = (Pengiriman.objects.select_related("dataset__sektor", "periode", "dikirim_oleh", "konektor")
         .filter(pk=pk).first())
    if p is None:
        raise OutOfScope()
    return p


def pengiriman_dict(p: Pengiriman) -> dict[str, Any]:
    return {
        "id": p.pk, "dataset": p.dataset.kode, "periode": p.periode.kode, "versi": p.versi, "sumber": p.sumber,
        "nama_berkas": p.nama_berkas, "sha256": p.sha256, "jumlah_baris": p.jumlah_baris, "status": p.status,
        "dikirim_oleh": p.dikirim_oleh.username if p.dikirim_oleh_id else None, "dikirim_pada": p.dikirim_pada,
        "ditautkan_pada": p.ditautkan_pada, "ringkasan": p.ringkasan,
    }


def jumlah_status_tautan(p: Pengiriman) -> list[dict[str, Any]]:
    """Rows per link outcome (every outcome listed, zero included)."""
    counts = dict(BarisSumber.objects.filter(pengiriman=p).values_list("status_tautan").annotate(n=Count("id"))
                  .values_list("status_tautan", "n"))
    return [{"status": k, "label": label, "jumlah": counts.get(k, 0)} for k, label in STATUS_TAUTAN_CHOICES]


def _peran_pribadi(user) -> bool:
    """A role with person-level access somewhere (a walidata only with the population sector)."""
    if not may_see_personal_data_somewhere(user):
        return False
    profil = user_profil(user)
    return profil is None or profil.peran != WALIDATA or walidata_sektor_pribadi(profil)


def boleh_lihat_baris(user, p: Pengiriman) -> bool:
    """May the user see the delivery's rows at all (some of them, inside the scope)?"""
    return boleh_kelola(user, p.dataset) or _peran_pribadi(user)


def baris_list(*, user, p: Pengiriman) -> QuerySet[BarisSumber]:
    """The rows the user may see: the dataset's own managers all; person-level roles those of their scope."""
    qs = BarisSumber.objects.filter(pengiriman=p).select_related("desa").order_by("baris")
    if boleh_kelola(user, p.dataset):
        return qs
    if not _peran_pribadi(user):
        return qs.none()
    return filter_by_scope(qs, user)


def konektor_list(*, dataset: DatasetSektor) -> QuerySet[Konektor]:
    return Konektor.objects.filter(dataset=dataset).order_by("id")


def konektor_dict(k: Konektor) -> dict[str, Any]:
    """A connector as shown anywhere: the credentials only as "tersimpan" (never their value)."""
    return {"id": k.pk, "dataset": k.dataset.kode, "nama": k.nama, "jenis": k.jenis, "url": k.url,
            "format": k.format, "kredensial": "tersimpan" if k.kredensial_terenkripsi else "", "interval_jam":
            k.interval_jam, "aktif": k.aktif, "terakhir_jalan": k.terakhir_jalan, "terakhir_status": k.terakhir_status}


BARIS_LABEL = "integration.barissumber"


def baris_tampil(*, user, rows: list[BarisSumber], request=None, kanal: str = "web",
                 tujuan: str = "lihat baris pengiriman data sektoral") -> list[dict[str, Any]]:
    """Rows for a page/API answer through the PDP door: NIK/KK masked unless the role may see them in
    the row's desa and asked (``?nik=penuh``); one processing-log row for the response."""
    from presisi.accounts.pdp import tampilan_pribadi
    from presisi.core.pdp import LIHAT, catat_akses_data_pribadi

    per_desa: dict[str, Any] = {}
    out, penuh = [], False
    for b in rows:
        kode = b.desa.kode if b.desa_id else ""
        t = per_desa.get(kode)
        if t is None:
            t = per_desa[kode] = tampilan_pribadi(user, kode, request=request, kanal=kanal)
        penuh = penuh or (t.penuh and bool(b.nik or b.no_kk))
        out.append({"id": b.pk, "baris": b.baris, "nik": t.nik(b.nik) if b.nik else "",
                    "no_kk": t.nik(b.no_kk) if b.no_kk else "", "nama": b.nama, "jenis_kelamin": b.jenis_kelamin,
                    "tanggal_lahir": b.tanggal_lahir, "kode_desa": b.kode_desa,
                    "desa": b.desa.nama if b.desa_id else "", "alamat": b.alamat, "nama_ayah": b.nama_ayah,
                    "nama_ibu": b.nama_ibu, "data": {k: t.teks(v) for k, v in (b.data or {}).items()},
                    "status_tautan": b.status_tautan, "metode": b.metode, "skor": b.skor})
    if out:
        catat_akses_data_pribadi(pengguna=user, aksi=LIHAT, objek_tipe=BARIS_LABEL, objek_ids=[r["id"] for r in out],
                                 tujuan=tujuan, rincian={"nik_penuh": penuh, "kanal": kanal})
    return out


def konektor_kelola(*, user, pk: int) -> Konektor:
    """A connector of a dataset the user manages: a role that never manages → 403; else unknown/foreign → 404."""
    if not boleh_kelola_peran(user):
        raise PermissionDenied(_("Hanya walidata sektor dan admin yang mengatur konektor."))
    k = Konektor.objects.select_related("dataset__sektor").filter(pk=pk).first()
    if k is None or not boleh_kelola(user, k.dataset):
        raise OutOfScope()
    return k
