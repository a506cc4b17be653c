"""Reading "where the sources disagree" with the user's scope.

Scope: the desa operator sees its desa, the verifikator its kecamatan, a walidata the datasets of its
own sectors, the analis and the admin everything in their regency. Items carry person-level data
(row numbers, names, NIK/KK in values): only roles allowed person-level data in that region get the
item list (``boleh_pribadi``), through the PDP door; everyone else gets the counts only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from presisi.accounts.access import (
    can_see_personal_data,
    filter_by_scope,
    in_scope,
    user_profil,
    user_scope_code,
)
from presisi.accounts.models import WALIDATA
from presisi.core.exceptions import NotFound
from presisi.core.pesan import Pola, daftar_pola, terjemahkan
from presisi.dictionary.models import INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.dictionary.validation import label_tampil, unit_spec
from presisi.integration.models import TINJAU, BarisSumber, DatasetSektor, Pengiriman, Selisih
from presisi.regions.models import Wilayah

KATEGORI_LABEL = dict(Selisih.KATEGORI_CHOICES)
PIHAK_LABEL = dict(Selisih.PIHAK_CHOICES)


def dataset_terlihat(user) -> QuerySet[DatasetSektor]:
    """Datasets whose discrepancies the user may read: a walidata only its own sectors'. ``user=None`` is
    the server operator at the command line (everything; identifiers masked by ``tampilan_server``)."""
    if user is None:
        return DatasetSektor.objects.select_related("sektor")
    if user_scope_code(user) is None:
        return DatasetSektor.objects.none()
    qs = DatasetSektor.objects.select_related("sektor")
    profil = user_profil(user)
    if profil is not None and profil.peran == WALIDATA and not getattr(user, "is_superuser", False):
        qs = qs.filter(sektor__in=profil.sektor.all())
    return qs


def _kabupaten_luas(user) -> bool:
    scope = user_scope_code(user)
    return scope is not None and scope.count(".") <= 1  # "" (break-glass) or a regency code


def pengiriman_terbaru(datasets: QuerySet[DatasetSektor], periode_kode: str | None = None) -> list[int]:
    """Ids of the latest accepted delivery per dataset × period (older versions are history)."""
    qs = Pengiriman.objects.filter(dataset__in=datasets, status=Pengiriman.DITERIMA)
    if periode_kode:
        qs = qs.filter(periode__kode=periode_kode)
    latest = qs.values("dataset_id", "periode_id").annotate(v=Max("versi"))
    ids = []
    for row in latest:
        ids += list(Pengiriman.objects.filter(dataset_id=row["dataset_id"], periode_id=row["periode_id"],
                                              versi=row["v"]).values_list("id", flat=True))
    return ids


@dataclass
class Filter:
    dataset: str = ""
    periode: str = ""
    pengiriman: int | None = None
    wilayah: str = ""
    kategori: str = ""
    pihak: str = ""

    @classmethod
    def dari(cls, params) -> Filter:
        kirim = params.get("pengiriman") or ""
        return cls(dataset=(params.get("dataset") or "").strip(), periode=(params.get("periode") or "").strip(),
                   pengiriman=int(kirim) if str(kirim).isdigit() and len(str(kirim)) <= 12 else None,
                   wilayah=(params.get("wilayah") or "").strip(),
                   kategori=params.get("kategori") or "" if params.get("kategori") in KATEGORI_LABEL else "",
                   pihak=params.get("pihak") or "" if params.get("pihak") in PIHAK_LABEL else "")

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "periode": self.periode, "pengiriman": self.pengiriman,
                "wilayah": self.wilayah, "kategori": self.kategori, "pihak": self.pihak}


def _pengiriman_ids(user, f: Filter) -> list[int]:
    datasets = dataset_terlihat(user)
    if f.dataset:
        datasets = datasets.filter(kode=f.dataset)
        if not datasets.exists():
            raise NotFound(_("Dataset tidak ditemukan."))
    if f.pengiriman is not None:
        ids = list(Pengiriman.objects.filter(pk=f.pengiriman, dataset__in=datasets).values_list("id", flat=True))
        if not ids:
            raise NotFound(_("Pengiriman tidak ditemukan."))
        return ids
    return pengiriman_terbaru(datasets, f.periode or None)


def _scope_q(user, prefix: str = "") -> Q | None:
    """Region filter on ``desa``; items without a desa only for regency-wide roles."""
    scope = "" if user is None else user_scope_code(user)
    if scope is None:
        return None
    if scope == "":
        return Q()
    q = Q(**{f"{prefix}desa__kode": scope}) | Q(**{f"{prefix}desa__kode__startswith": scope + "."})
    return q | Q(**{f"{prefix}desa__isnull": True}) if _kabupaten_luas(user) else q


def selisih_qs(user, f: Filter) -> QuerySet[Selisih]:
    """The items the user may count, filtered."""
    q = _scope_q(user)
    if q is None:
        return Selisih.objects.none()
    qs = Selisih.objects.filter(q, pengiriman_id__in=_pengiriman_ids(user, f))
    if f.wilayah:
        if user is not None and not in_scope(user, f.wilayah):
            raise NotFound(_("Wilayah tidak ditemukan."))
        qs = qs.filter(Q(desa__kode=f.wilayah) | Q(desa__kode__startswith=f.wilayah + "."))
    if f.kategori:
        qs = qs.filter(kategori=f.kategori)
    if f.pihak:
        qs = qs.filter(pihak=f.pihak)
    return qs


def boleh_pribadi(user, f: Filter) -> bool:
    """May this user see the item list (person-level) for the filtered region?"""
    if user is None:
        return True
    kode = f.wilayah or user_scope_code(user) or ""
    if kode == "" and getattr(user, "is_superuser", False):
        return True
    return bool(kode) and can_see_personal_data(user, kode)


@dataclass
class Ringkasan:
    total: int = 0
    per_kategori: dict[str, int] = field(default_factory=dict)
    per_pihak: dict[str, int] = field(default_factory=dict)
    per_dataset: list[dict[str, Any]] = field(default_factory=list)
    per_produsen: list[dict[str, Any]] = field(default_factory=list)
    per_desa: list[dict[str, Any]] = field(default_factory=list)
    ditinjau: int = 0  # rows still in review: not compared

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "per_kategori": self.per_kategori, "per_pihak": self.per_pihak,
                "per_dataset": self.per_dataset, "per_produsen": self.per_produsen, "per_desa": self.per_desa,
                "baris_ditinjau_tidak_dibandingkan": self.ditinjau}


def ringkasan(user, f: Filter) -> Ringkasan:
    qs = selisih_qs(user, f)
    r = Ringkasan()
    r.per_kategori = {k: 0 for k in KATEGORI_LABEL}
    for row in qs.values("kategori").annotate(n=Count("id")):
        r.per_kategori[row["kategori"]] = row["n"]
    r.total = sum(r.per_kategori.values())
    r.per_pihak = {k: 0 for k in PIHAK_LABEL}
    for row in qs.values("pihak").annotate(n=Count("id")):
        r.per_pihak[row["pihak"]] = row["n"]
    r.per_dataset = [{"dataset": row["pengiriman__dataset__kode"], "nama": row["pengiriman__dataset__nama"],
                      "periode": row["pengiriman__periode__kode"], "versi": row["pengiriman__versi"],
                      "jumlah": row["n"]}
                     for row in qs.values("pengiriman__dataset__kode", "pengiriman__dataset__nama",
                                          "pengiriman__periode__kode", "pengiriman__versi")
                     .annotate(n=Count("id")).order_by("pengiriman__dataset__kode", "pengiriman__periode__kode")]
    produsen: Counter[str] = Counter()
    for row in qs.values("pengiriman__dataset__produsen").annotate(n=Count("id")):
        produsen[row["pengiriman__dataset__produsen"] or "—"] += row["n"]
    r.per_produsen = [{"produsen": k, "jumlah": v} for k, v in sorted(produsen.items())]
    desa: dict[Any, dict[str, Any]] = defaultdict(lambda: {k: 0 for k in KATEGORI_LABEL})
    for row in qs.values("desa__kode", "kategori").annotate(n=Count("id")):
        desa[row["desa__kode"]][row["kategori"]] = row["n"]
    names = dict(Wilayah.objects.filter(kode__in=[k for k in desa if k]).values_list("kode", "nama"))
    r.per_desa = [{"kode": k or "", "nama": names.get(k, _("(desa tidak dikenal)")), **v,
                   "jumlah": sum(v.values())} for k, v in sorted(desa.items(), key=lambda kv: kv[0] or "~")]
    rows = BarisSumber.objects.filter(pengiriman_id__in=_pengiriman_ids(user, f), status_tautan=TINJAU)
    rows = filter_by_scope(rows, user) if user is not None and user_scope_code(user) else rows
    if f.wilayah:
        rows = rows.filter(Q(desa__kode=f.wilayah) | Q(desa__kode__startswith=f.wilayah + "."))
    r.ditinjau = rows.count()
    return r


def item_list(user, f: Filter) -> QuerySet[Selisih]:
    """Items with their row, ordered by dataset, desa, row number. Callers check ``boleh_pribadi`` first."""
    return (selisih_qs(user, f).select_related("pengiriman__dataset", "pengiriman__periode", "baris", "desa")
            .order_by("pengiriman__dataset__kode", "desa__kode", "baris__baris", "kategori", "id"))


def item_dict(s: Selisih, tampilan) -> dict[str, Any]:
    """One item for a page, file or API answer; identifiers through the PDP door (``tampilan``)."""
    b = s.baris
    return {"id": s.id, "dataset": s.pengiriman.dataset.kode, "periode": s.pengiriman.periode.kode,
            "versi": s.pengiriman.versi, "baris": b.baris if b else None,
            "kode_desa": s.desa.kode if s.desa else (b.kode_desa if b else ""),
            "desa": s.desa.nama if s.desa else "", "kategori": s.kategori,
            "kategori_label": KATEGORI_LABEL.get(s.kategori, s.kategori), "variabel": s.variabel,
            "nik": tampilan.nik(b.nik) if b and b.nik else "", "nama": b.nama if b else "",
            "nilai_sumber": tampilan.teks(s.nilai_sumber), "nilai_registri": tampilan.teks(s.nilai_registri),
            "pihak": s.pihak, "pihak_label": PIHAK_LABEL.get(s.pihak, s.pihak), "keterangan": s.keterangan,
            # what a page shows: the stored Indonesian texts in the reader's language
            "variabel_label": variabel_tampil(s.variabel),
            "nilai_sumber_tampil": tampilan.teks(nilai_tampil(s.variabel, s.nilai_sumber)),
            "nilai_registri_tampil": tampilan.teks(nilai_tampil(s.variabel, s.nilai_registri)),
            "keterangan_tampil": terjemahkan(s.keterangan, _pola_keterangan()),
            "kategori_tampil": _(KATEGORI_LABEL[s.kategori]) if s.kategori in KATEGORI_LABEL else s.kategori,
            "pihak_tampil": _(PIHAK_LABEL[s.pihak]) if s.pihak in PIHAK_LABEL else s.pihak}


# Identity fields compared besides the dictionary variables (presisi/integration/services/selisih.py).
LABEL_IDENTITAS = {"jenis_kelamin": gettext_lazy("Jenis kelamin"), "tanggal_lahir": gettext_lazy("Tanggal lahir"),
                   "no_kk": gettext_lazy("No. KK"), "desa": gettext_lazy("Desa"),
                   "disabilitas": gettext_lazy("Disabilitas")}
# Shapes of the stored explanations (services/selisih.py), English in this app's catalogue.
KETERANGAN = (
    gettext_noop("Orang ini tercatat di desa lain dalam registri."),
    gettext_noop("Registri: Washington Group (kesulitan berat/tidak bisa di satu ranah)."),
    gettext_noop("Tidak ditemukan orang yang cocok di registri desa."),
    gettext_noop("Registri mencatat {status} pada {tanggal}."),
    gettext_noop("Registri mencatat {status}."),
    gettext_noop("Orang yang sama juga di baris {baris}."),
    gettext_noop("Selisih {beda} ({persen}); toleransi {toleransi}."),
    gettext_noop("meninggal"), gettext_noop("pindah keluar"), gettext_noop("pergi"),
    gettext_noop("tercatat sebagai penerima/anggota"),
)
_KODE_LABEL = re.compile(r"^(-?\d+) – (.*)$", re.DOTALL)
_STATUS_TANGGAL = re.compile(r"^(meninggal|pindah keluar|pergi)( \d{4}-\d{2}-\d{2})?$")


@lru_cache(maxsize=1)
def _pola_keterangan() -> tuple[Pola, ...]:
    return daftar_pola(KETERANGAN)


def _spec(kode: str):
    for unit in (INDIVIDU, KELUARGA, RUMAH_TANGGA):
        var = unit_spec(unit).get(kode)
        if var is not None:
            return unit, var
    return None


def variabel_tampil(kode: str) -> str:
    """The compared field by its name in the reader's language (never its code)."""
    if not kode:
        return ""
    if kode in LABEL_IDENTITAS:
        return str(LABEL_IDENTITAS[kode])
    found = _spec(kode)
    return found[1].nama_tampil() if found else kode


def nilai_tampil(kode: str, nilai: str) -> str:
    """A stored value ("3 – Tamat SD", "Laki-laki", "1 – Ya", "pergi 2026-01-05") in the reader's language."""
    if not nilai:
        return nilai
    if kode == "disabilitas":
        m = _KODE_LABEL.match(nilai)
        return f"{m.group(1)} – {_(m.group(2))}" if m else nilai
    status = _STATUS_TANGGAL.match(nilai)
    if status:
        return _(status.group(1)) + (status.group(2) or "")
    if nilai == "tercatat sebagai penerima/anggota":
        return _(nilai)
    found = _spec(kode)
    if found is None:
        return nilai
    unit, var = found
    m = _KODE_LABEL.match(nilai)
    if m:
        return f"{m.group(1)} – {label_tampil(unit, kode, int(m.group(1)))}"
    by_label = {label: code for code, label in var.labels}  # identity fields store the bare label
    return label_tampil(unit, kode, by_label[nilai]) if nilai in by_label else nilai


def pilihan(user) -> dict[str, Any]:
    """What the filter form offers: visible datasets, their periods and deliveries, regions in scope."""
    datasets = list(dataset_terlihat(user).order_by("kode").values("kode", "nama"))
    kirim = (Pengiriman.objects.filter(dataset__in=dataset_terlihat(user)).select_related("dataset", "periode")
             .order_by("dataset__kode", "-periode__tanggal_referensi", "-versi"))
    wilayah = filter_by_scope(Wilayah.objects.filter(kedalaman__in=(3, 4)), user, field="kode").order_by("kode")
    return {"dataset": datasets, "pengiriman": list(kirim[:200]),
            "periode": sorted({k.periode.kode for k in kirim}, reverse=True),
            "wilayah": list(wilayah.values("kode", "nama", "kedalaman")),
            "kategori": Selisih.KATEGORI_CHOICES, "pihak": Selisih.PIHAK_CHOICES}
