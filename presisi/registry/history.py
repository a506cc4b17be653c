"""Reads behind the registry pages and API: scoped record access, desa lists, details and history.

Access is decided here (never in templates): NIK-level records need
``can_see_personal_data`` in the record's desa; writes additionally need a writing role
(operator desa in their desa, admin regency-wide). History pages are built from
``AuditLog`` (before → after per field, labelled from the dictionary) plus ``Peristiwa``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Exists, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from presisi.accounts.access import can_see_personal_data, can_write_registry, check_person_access
from presisi.core.i18n import teks
from presisi.core.models import AuditLog
from presisi.core.pdp import PREFIX as PDP_PREFIX
from presisi.core.pdp import TampilanPribadi, mask_nik
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, KODE, RUMAH_TANGGA, Variabel
from presisi.dictionary.validation import label_for, label_tampil, unit_spec
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.regions.codes import BANJAR, DESA, KELURAHAN
from presisi.regions.models import Wilayah, WilayahAdat
from presisi.registry.models import (
    HIDUP,
    KEPALA_KELUARGA,
    Bangunan,
    Individu,
    Keluarga,
    Peristiwa,
    RumahTangga,
)

UNIT_OF: dict[type[Model], str] = {Individu: INDIVIDU, Keluarga: KELUARGA, RumahTangga: RUMAH_TANGGA,
                                   Bangunan: BANGUNAN}
MODEL_OF_LABEL = {m._meta.label_lower: m for m in UNIT_OF}
RIWAYAT_BATAS = 200
BUAT_MASSAL = ""  # objek_id of an import's shared creation row (presisi.registry.services.bulk)

DOMAIN_LABELS = {
    "kependudukan": gettext_lazy("Kependudukan"), "kesehatan": gettext_lazy("Kesehatan"),
    "pendidikan": gettext_lazy("Pendidikan"), "ketenagakerjaan": gettext_lazy("Ketenagakerjaan"),
    "perumahan": gettext_lazy("Perumahan"), "air_sanitasi": gettext_lazy("Air minum dan sanitasi"),
    "energi": gettext_lazy("Energi"), "kemiskinan": gettext_lazy("Kemiskinan dan perlindungan sosial"),
    "sosial_ekonomi": gettext_lazy("Sosial ekonomi"), "lingkungan": gettext_lazy("Lingkungan hidup"),
    "kebencanaan": gettext_lazy("Kebencanaan"), "bangunan": gettext_lazy("Bangunan"),
    "pariwisata": gettext_lazy("Pariwisata"), "infrastruktur": gettext_lazy("Infrastruktur desa"),
    "layanan_publik": gettext_lazy("Layanan publik"),
}
# Labels of audited columns that are not dictionary variables.
FIELD_LABELS = {
    "keluarga_id": gettext_lazy("Keluarga (No. KK)"), "rumah_tangga_id": pgettext_lazy("unit", "Rumah tangga"),
    "bangunan_id": gettext_lazy("Bangunan"), "banjar_id": gettext_lazy("Banjar"),
    "desa_id": gettext_lazy("Desa"), "banjar_adat_id": gettext_lazy("Banjar adat"),
    "nik_sementara": gettext_lazy("NIK sementara"), "no_kk_sementara": gettext_lazy("No. KK sementara"),
    "no_kk_sebelumnya": gettext_lazy("No. KK sebelumnya"), "aktif": gettext_lazy("Aktif"),
    "kode": gettext_lazy("Kode"), "lat": gettext_lazy("Lintang"), "lng": gettext_lazy("Bujur"),
    "peristiwa": gettext_lazy("Peristiwa"), "tanggal": gettext_lazy("Tanggal peristiwa"),
    "anggota": gettext_lazy("Anggota"), "ke_no_kk": gettext_lazy("Ke No. KK"),
    "dari_no_kk": gettext_lazy("Dari No. KK"), "alasan": gettext_lazy("Alasan"),
}
AKSI_LABELS = {
    "registry.individu.dibuat": gettext_lazy("Didaftarkan"),
    "registry.individu.lahir": gettext_lazy("Kelahiran dicatat"),
    "registry.individu.datang": gettext_lazy("Kedatangan dicatat"),
    "registry.individu.diubah": gettext_lazy("Data dikoreksi"),
    "registry.individu.pindah_kk": gettext_lazy("Pindah Kartu Keluarga"),
    "registry.individu.koreksi_identitas": gettext_lazy("Koreksi identitas"),
    "registry.individu.rumah_tangga": gettext_lazy("Rumah tangga diubah"),
    "registry.individu.nik_sementara_diganti": gettext_lazy("NIK sementara diganti NIK asli"),
    "registry.individu.digabung": gettext_lazy("Digabung ke record lain"),
    "registry.individu.menerima_gabungan": gettext_lazy("Menerima gabungan record"),
    "registry.peristiwa.dicatat": gettext_lazy("Peristiwa dicatat"),
    "registry.keluarga.dibuat": gettext_lazy("Keluarga didaftarkan"),
    "registry.keluarga.diubah": gettext_lazy("Data keluarga dikoreksi"),
    "registry.keluarga.anggota_keluar": gettext_lazy("Anggota keluar dari KK"),
    "registry.keluarga.anggota_masuk": gettext_lazy("Anggota masuk ke KK"),
    "registry.rumah_tangga.dibuat": gettext_lazy("Rumah tangga didaftarkan"),
    "registry.rumah_tangga.diubah": gettext_lazy("Data rumah tangga dikoreksi"),
    "registry.rumah_tangga.anggota_keluar": gettext_lazy("Anggota keluar dari rumah tangga"),
    "registry.rumah_tangga.anggota_masuk": gettext_lazy("Anggota masuk ke rumah tangga"),
    "registry.bangunan.dibuat": gettext_lazy("Bangunan didaftarkan"),
    "registry.bangunan.diubah": gettext_lazy("Data bangunan dikoreksi"),
}
_IGNORED = {"id", "dibuat", "diubah", "sintetis", "atribut", "versi"}
# How many of a record's latest audit rows a refused (stale) form looks through for the other change.
KONFLIK_BATAS = 20


# ---------------------------------------------------------------- access


def boleh_ubah(user, kode: str) -> bool:
    """May the user write registry records of region ``kode``?"""
    return can_write_registry(user, kode)


def _check(user, kode: str, *, ubah: bool) -> None:
    # outside the scope → 404 (an id must not be confirmed); inside without the right → 403
    check_person_access(user, kode, write=ubah)
    if ubah:
        # submitted/approved: DataTerkunci says why and how to ask for a return (before any form is filled)
        pastikan_dapat_diubah(desa=kode)


def desa_get(*, user, kode: str, ubah: bool = False) -> Wilayah:
    """A desa/kelurahan whose NIK-level registry the user may read (or write with ``ubah``)."""
    desa = Wilayah.objects.filter(kode=kode, tingkat__in=[DESA, KELURAHAN]).select_related("induk").first()
    if desa is None:
        raise Http404(_("Desa tidak ditemukan."))
    _check(user, desa.kode, ubah=ubah)
    return desa


def rekaman_get(*, user, model: type[Model], pk: int, ubah: bool = False) -> Any:
    """One registry record (with its banjar and desa) the user may read, or write with ``ubah``."""
    obj = model.objects.select_related("banjar", "desa").filter(pk=pk).first()
    if obj is None:
        raise Http404(_("Data tidak ditemukan."))
    _check(user, obj.desa.kode, ubah=ubah)
    return obj


def desa_dalam_cakupan(*, user) -> QuerySet[Wilayah]:
    """The desa/kelurahan whose registry the user may open (for the /registri/ start page)."""
    qs = Wilayah.objects.desa_kelurahan().select_related("induk").order_by("kode")
    return qs.filter(pk__in=[w.pk for w in qs if can_see_personal_data(user, w.kode)])


def banjar_list(desa: Wilayah) -> list[Wilayah]:
    return list(Wilayah.objects.filter(induk=desa, tingkat=BANJAR).order_by("kode"))


# ---------------------------------------------------------------- desa registry home


def desa_ringkasan(desa: Wilayah) -> list[dict[str, Any]]:
    """Each banjar of the desa with its families and living people (two GROUP BY queries)."""
    kk = dict(Keluarga.objects.filter(desa=desa, aktif=True).values_list("banjar_id")
              .annotate(n=Count("id")).order_by())
    orang = dict(Individu.objects.filter(desa=desa, status_dasar=HIDUP).values_list("banjar_id")
                 .annotate(n=Count("id")).order_by())
    return [{"banjar": b, "keluarga": kk.get(b.pk, 0), "penduduk": orang.get(b.pk, 0)}
            for b in banjar_list(desa)]


def desa_ringkasan_adat(desa: Wilayah) -> list[dict[str, Any]]:
    """The desa's families by banjar adat (desa adat mapped to it, and families not yet assigned)."""
    kk = dict(Keluarga.objects.filter(desa=desa, aktif=True).values_list("banjar_adat_id")
              .annotate(n=Count("id")).order_by())
    banjar = (WilayahAdat.objects.filter(tingkat="banjar_adat", induk__pemetaan__desa=desa).select_related("induk")
              .order_by("kode").distinct())
    rows = [{"banjar_adat": b, "keluarga": kk.get(b.pk, 0)} for b in banjar]
    seen = {b.pk for b in banjar}
    # families in a banjar adat whose desa adat is not (or no longer) mapped to this desa
    rows += [{"banjar_adat": b, "keluarga": kk[b.pk]} for b in WilayahAdat.objects.filter(
        pk__in=[k for k in kk if k is not None and k not in seen]).select_related("induk").order_by("kode")]
    if not rows:
        return []
    return rows + ([{"banjar_adat": None, "keluarga": kk[None]}] if kk.get(None) else [])


def _kepala(outer: str = "pk") -> QuerySet[Individu]:
    return Individu.objects.filter(keluarga=OuterRef(outer), hubungan_keluarga=KEPALA_KELUARGA).order_by(
        "status_dasar", "-id")


def _jumlah_hidup(field_name: str) -> Coalesce:
    counted = (Individu.objects.filter(**{field_name: OuterRef("pk")}, status_dasar=HIDUP).order_by()
               .values(field_name).annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def keluarga_cari(*, desa: Wilayah, q: str = "", banjar: str = "") -> QuerySet[Keluarga]:
    """Families of a desa by No. KK (part of it) or the head's name, with head name and size."""
    qs = Keluarga.objects.filter(desa=desa).select_related("banjar", "banjar_adat").annotate(
        kepala_nama=Subquery(_kepala().values("nama")[:1]),
        kepala_id=Subquery(_kepala().values("id")[:1]),
        jumlah_anggota=_jumlah_hidup("keluarga"),
    )
    if banjar:
        qs = qs.filter(banjar__kode=banjar)
    q = (q or "").strip()
    if q:
        heads = Individu.objects.filter(keluarga=OuterRef("pk"), hubungan_keluarga=KEPALA_KELUARGA,
                                        nama__icontains=q)
        qs = qs.filter(Q(no_kk__contains=q) | Exists(heads))
    return qs.order_by("banjar__kode", "kepala_nama", "no_kk")


def rumah_tangga_cari(*, desa: Wilayah, q: str = "", banjar: str = "") -> QuerySet[RumahTangga]:
    qs = RumahTangga.objects.filter(desa=desa).select_related("banjar", "bangunan").annotate(
        jumlah_anggota=_jumlah_hidup("rumah_tangga"))
    if banjar:
        qs = qs.filter(banjar__kode=banjar)
    if q:
        qs = qs.filter(kode__icontains=q.strip())
    return qs.order_by("banjar__kode", "kode")


def bangunan_cari(*, desa: Wilayah, q: str = "", banjar: str = "") -> QuerySet[Bangunan]:
    qs = Bangunan.objects.filter(desa=desa).select_related("banjar")
    if banjar:
        qs = qs.filter(banjar__kode=banjar)
    if q:
        qs = qs.filter(kode__icontains=q.strip())
    return qs.order_by("banjar__kode", "kode")


def individu_cari_nik(*, desa: Wilayah, nik: str) -> Individu | None:
    return Individu.objects.filter(desa=desa, nik=nik.strip()).select_related("keluarga").first()


def individu_list(*, desa: Wilayah, q: str = "", status: int | None = None) -> QuerySet[Individu]:
    """People of a desa (API list, CSV); callers log the read in the UU PDP processing log."""
    qs = Individu.objects.filter(desa=desa).select_related("keluarga", "banjar", "rumah_tangga")
    if status is not None:
        qs = qs.filter(status_dasar=status)
    q = (q or "").strip()
    if q.isdigit() and len(q) == 16:
        qs = qs.filter(nik=q)
    elif q:
        qs = qs.filter(nama__icontains=q)
    return qs.order_by("keluarga__no_kk", "hubungan_keluarga", "tanggal_lahir", "id")


def keluarga_di_desa(*, desa: Wilayah, no_kk: str) -> Keluarga | None:
    return Keluarga.objects.filter(desa=desa, no_kk=(no_kk or "").strip()).first()


def bangunan_di_desa(*, desa: Wilayah, kode: str) -> Bangunan | None:
    return Bangunan.objects.filter(desa=desa, kode=(kode or "").strip()).first()


def anggota_baris(people: list[Individu], *, nik_penuh: bool = False,
                  tampilan: TampilanPribadi | None = None) -> list[dict[str, Any]]:
    """Rows for a members table, codes shown as labels; NIK through the PDP door (``tampilan``), masked
    without one."""
    show = tampilan.nik if tampilan is not None else (lambda v: v if nik_penuh else mask_nik(v))
    return [{
        "id": p.pk, "nama": p.nama, "nik": show(p.nik), "nik_sementara": p.nik_sementara,
        "jenis_kelamin": label_tampil(INDIVIDU, "jenis_kelamin", p.jenis_kelamin),
        "tanggal_lahir": p.tanggal_lahir,
        "hubungan_keluarga": label_tampil(INDIVIDU, "hubungan_keluarga", p.hubungan_keluarga),
        "hubungan_rumah_tangga": label_tampil(INDIVIDU, "hubungan_rumah_tangga", p.hubungan_rumah_tangga)
        if p.hubungan_rumah_tangga else "",
        "status_dasar": label_tampil(INDIVIDU, "status_dasar", p.status_dasar), "hidup": p.status_dasar == HIDUP,
        "rumah_tangga": p.rumah_tangga, "keluarga": p.keluarga,
    } for p in people]


def anggota_keluarga(keluarga: Keluarga) -> list[Individu]:
    return list(keluarga.anggota.select_related("rumah_tangga", "keluarga")
                .order_by("status_dasar", "hubungan_keluarga", "tanggal_lahir", "id"))


def anggota_rumah_tangga(rumah_tangga: RumahTangga) -> list[Individu]:
    return list(rumah_tangga.anggota.select_related("keluarga", "rumah_tangga")
                .order_by("status_dasar", "hubungan_rumah_tangga", "tanggal_lahir", "id"))


@dataclass
class Perubahan:
    """One changed field: label, value before and after (labels, not raw codes)."""

    kode: str
    label: str
    sebelum: str
    sesudah: str


@dataclass
class EntriRiwayat:
    waktu: dt.datetime
    pengguna: str
    aksi: str
    judul: str
    objek_tipe: str
    objek_id: str
    subjek: str = ""
    keterangan: str = ""
    perubahan: list[Perubahan] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"waktu": self.waktu.isoformat(), "pengguna": self.pengguna, "aksi": self.aksi,
                "judul": str(self.judul), "objek_tipe": self.objek_tipe, "objek_id": self.objek_id,
                "subjek": self.subjek, "keterangan": self.keterangan,
                "perubahan": [{"kode": p.kode, "label": str(p.label), "sebelum": p.sebelum,
                               "sesudah": p.sesudah} for p in self.perubahan]}


def perubahan_terbaru(*, desa: Wilayah, batas: int = 15) -> list[EntriRiwayat]:
    """The latest registry changes in a desa (not the processing log), newest first."""
    q = Q()
    for model in UNIT_OF:
        ids = model.objects.filter(desa=desa).annotate(s=Cast("pk", CharField())).values("s")
        q |= Q(objek_tipe=model._meta.label_lower, objek_id__in=ids)
        q |= Q(objek_tipe=model._meta.label_lower, objek_id=BUAT_MASSAL, sesudah__desa=desa.kode)
    rows = list(AuditLog.objects.filter(q).exclude(aksi__startswith=PDP_PREFIX).select_related("pengguna")
                .order_by("-waktu", "-id")[:batas])
    names = _object_names(rows)
    return [_entry(row, _Labels(), names.get((row.objek_tipe, row.objek_id)) or _bulk_subject(row), diff=False)
            for row in rows]


def _bulk_subject(row: AuditLog) -> str:
    if row.objek_id != BUAT_MASSAL or not isinstance(row.sesudah, dict):
        return ""
    model = MODEL_OF_LABEL.get(row.objek_tipe)
    name = model._meta.verbose_name if model is not None else row.objek_tipe
    return _("%(jumlah)s %(unit)s") % {"jumlah": f"{row.sesudah.get('jumlah', 0):,}".replace(",", "."), "unit": name}


def _object_names(rows: list[AuditLog]) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row.objek_tipe, set()).add(row.objek_id)
    out: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        model = MODEL_OF_LABEL.get(label)
        if model is None:
            continue
        for obj in model.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]):
            out[(label, str(obj.pk))] = _name(obj)
    return out


def _name(obj: Model) -> str:
    if isinstance(obj, Individu):
        return obj.nama
    if isinstance(obj, Keluarga):
        return f"KK {obj.no_kk}"
    return str(obj)


# ---------------------------------------------------------------- dictionary-driven details


def variabel_untuk_formulir(unit: str) -> list[Variabel]:
    """Active variables of a unit with their code lists, in the steward's order (forms and details)."""
    return list(Variabel.objects.filter(aktif=True, unit=unit).select_related("klasifikasi")
                .prefetch_related("klasifikasi__item").order_by("urutan", "kode"))


def domain_label(domain: str) -> str:
    return str(DOMAIN_LABELS.get(domain, domain.replace("_", " ").capitalize()))


def nilai_rekaman(obj: Model, kode: str) -> Any:
    """A dictionary variable's value on a record: its column, or its ``atribut`` entry."""
    names = {f.name for f in obj._meta.concrete_fields}
    return getattr(obj, kode) if kode in names else (obj.atribut or {}).get(kode)


def _display(var_tipe: str, unit: str, kode: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if var_tipe == KODE:
        return label_tampil(unit, kode, value)  # pages: the reader's language
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass
class Bagian:
    """One domain section of a record's details: ``baris`` is a list of (label, value)."""

    kode: str
    label: str
    baris: list[tuple[str, str]]


def rincian(obj: Model, *, kecuali: set[str] | frozenset[str] = frozenset()) -> list[Bagian]:
    """A record's recorded dictionary values grouped by domain, with code labels instead of codes."""
    unit = UNIT_OF[type(obj)]
    sections: dict[str, Bagian] = {}
    for var in variabel_untuk_formulir(unit):
        if var.kode in kecuali:
            continue
        value = nilai_rekaman(obj, var.kode)
        if value is None or value == "":
            continue
        text = _display(var.tipe, unit, var.kode, value)
        if var.satuan and text != "—":
            text = f"{text} {teks(var, 'satuan')}"
        section = sections.setdefault(var.domain, Bagian(var.domain, domain_label(var.domain), []))
        section.baris.append((teks(var, "nama"), text))
    return list(sections.values())


# ---------------------------------------------------------------- history


class _Labels:
    """Field and value labels for audit rows, with the few lookups (banjar, KK…) memoised."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, Any], str] = {}

    @staticmethod
    def _var(unit: str, key: str):
        # membership rows of a household carry the person's household role: look in individu too
        return unit_spec(unit).get(key) or unit_spec(INDIVIDU).get(key)

    def field(self, unit: str, key: str) -> str:
        var = self._var(unit, key)
        return var.nama if var else str(FIELD_LABELS.get(key, key))

    def value(self, unit: str, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return str(_("Ya") if value else _("Tidak"))
        if key == "nik":
            return mask_nik(str(value))
        if key == "peristiwa":  # the event's Indonesian label (Peristiwa.JENIS_CHOICES), translated in views.UI_LABELS
            return _(str(value))
        if key.endswith("_id") or key == "anggota":
            return self._lookup(key, value)
        var = self._var(unit, key)
        if var is not None and var.tipe == KODE:
            return label_for(var.unit, key, value)
        return str(value)

    def _lookup(self, key: str, value: Any) -> str:
        if (key, value) not in self._cache:
            self._cache[(key, value)] = self._fetch(key, value)
        return self._cache[(key, value)]

    @staticmethod
    def _fetch(key: str, value: Any) -> str:
        finders = {
            "banjar_id": (Wilayah, "nama"), "desa_id": (Wilayah, "nama"), "keluarga_id": (Keluarga, "no_kk"),
            "rumah_tangga_id": (RumahTangga, "kode"), "bangunan_id": (Bangunan, "kode"),
            "anggota": (Individu, "nama"), "banjar_adat_id": (WilayahAdat, "nama"),
        }
        model, attr = finders.get(key, (None, ""))
        found = model.objects.filter(pk=value).values_list(attr, flat=True).first() if model else None
        return f"{found}" if found is not None else f"#{value}"


def _flatten(image: dict | None) -> dict[str, Any]:
    image = image or {}
    flat = {k: v for k, v in image.items() if k not in _IGNORED}
    flat.update(image.get("atribut") or {})
    return flat


def _diff(unit: str, before: dict | None, after: dict | None, labels: _Labels) -> list[Perubahan]:
    old, new = _flatten(before), _flatten(after)
    keys = list(dict.fromkeys([*new, *old]))
    out = []
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a == b or (before is None and b in (None, "", False)):
            continue
        out.append(Perubahan(key, labels.field(unit, key), labels.value(unit, key, a),
                             labels.value(unit, key, b)))
    return out


def _entry(row: AuditLog, labels: _Labels, subjek: str = "", *, diff: bool = True) -> EntriRiwayat:
    model = MODEL_OF_LABEL.get(row.objek_tipe)
    unit = UNIT_OF.get(model, "")
    return EntriRiwayat(
        waktu=row.waktu, pengguna=row.pengguna.get_username() if row.pengguna else _("sistem"),
        aksi=row.aksi, judul=str(AKSI_LABELS.get(row.aksi, row.aksi)), objek_tipe=row.objek_tipe,
        objek_id=row.objek_id, subjek=subjek, keterangan=row.keterangan,
        perubahan=_diff(unit, row.sebelum, row.sesudah, labels) if diff else [],
    )


def _audit_rows(pairs: list[tuple[type[Model], list[int]]]) -> list[AuditLog]:
    q = Q()
    created: list[AuditLog] = []
    for model, ids in pairs:
        if ids:
            q |= Q(objek_tipe=model._meta.label_lower, objek_id__in=[str(i) for i in ids])
            created += _created_by_import(model, ids)
    if not q:
        return []
    rows = list(AuditLog.objects.filter(q).exclude(aksi__startswith=PDP_PREFIX).select_related("pengguna")
                .order_by("-waktu", "-id")[:RIWAYAT_BATAS])
    return sorted(rows + created, key=lambda r: (r.waktu, r.pk), reverse=True)[:RIWAYAT_BATAS]


def _created_by_import(model: type[Model], ids: list[int]) -> list[AuditLog]:
    """Creation entries of records an import made: one shared audit row lists their ids and has
    the records' ``dibuat`` as its time (see ``presisi.registry.services.bulk``)."""
    label, wanted = model._meta.label_lower, set(ids)
    stamps = set(model.objects.filter(pk__in=ids).values_list("dibuat", flat=True))
    shared = AuditLog.objects.filter(objek_tipe=label, objek_id=BUAT_MASSAL, aksi=f"registry.{UNIT_OF[model]}.dibuat",
                                     waktu__in=stamps).select_related("pengguna")
    return [AuditLog(pk=row.pk, waktu=row.waktu, pengguna=row.pengguna, aksi=row.aksi, objek_tipe=label,
                     objek_id=str(i), keterangan=row.keterangan)
            for row in shared for i in sorted(wanted.intersection((row.sesudah or {}).get("ids") or []))]


@dataclass
class Riwayat:
    """A record's history: audit entries (newest first) and life events (by date)."""

    entri: list[EntriRiwayat]
    peristiwa: list[Peristiwa]

    def as_dict(self) -> dict[str, Any]:
        return {"entri": [e.as_dict() for e in self.entri],
                "peristiwa": [peristiwa_dict(p) for p in self.peristiwa]}


def peristiwa_dict(p: Peristiwa) -> dict[str, Any]:
    return {"id": p.pk, "individu": p.individu_id, "jenis": p.jenis, "jenis_label": p.get_jenis_display(),
            "tanggal": p.tanggal.isoformat(), "keterangan": p.keterangan, "data": p.data,
            "dicatat_oleh": p.dicatat_oleh.get_username() if p.dicatat_oleh else "",
            "dicatat_pada": p.dicatat_pada.isoformat()}


def _events(individu_ids: list[int]) -> list[Peristiwa]:
    return list(Peristiwa.objects.filter(individu_id__in=individu_ids)
                .select_related("individu", "dicatat_oleh").order_by("tanggal", "id"))


def _history(rows: list[AuditLog], names: dict[str, str], events: list[Peristiwa]) -> Riwayat:
    labels = _Labels()
    person = Individu._meta.label_lower
    entries = [_entry(r, labels, names.get(r.objek_id, "") if r.objek_tipe == person else "") for r in rows]
    return Riwayat(entri=entries, peristiwa=events)


def perubahan_sejak(obj: Model, versi: int) -> list[EntriRiwayat]:
    """The changes to ``obj`` made after the caller read it at ``versi`` (newest first): shown beside a
    refused stale form. Audit images of single writes carry the version they wrote; an import's
    batched row does not, so when none is found the latest change stands in (who and when)."""
    rows = list(AuditLog.objects.filter(objek_tipe=obj._meta.label_lower, objek_id=str(obj.pk))
                .exclude(aksi__startswith=PDP_PREFIX).select_related("pengguna")
                .order_by("-waktu", "-id")[:KONFLIK_BATAS])
    newer = [r for r in rows if isinstance(r.sesudah, dict) and isinstance(r.sesudah.get("versi"), int)
             and r.sesudah["versi"] > versi]
    labels = _Labels()
    return [_entry(r, labels) for r in newer or rows[:1]]


def riwayat_individu(individu: Individu) -> Riwayat:
    """A person's history. The caller has fetched ``individu`` through ``rekaman_get``."""
    return _history(_audit_rows([(Individu, [individu.pk])]), {}, _events([individu.pk]))


def riwayat_keluarga(keluarga: Keluarga) -> Riwayat:
    """A family's own changes, plus its current members' changes and events."""
    members = dict(keluarga.anggota.values_list("id", "nama"))
    rows = _audit_rows([(Keluarga, [keluarga.pk]), (Individu, list(members))])
    return _history(rows, {str(k): v for k, v in members.items()}, _events(list(members)))


def riwayat_rumah_tangga(rumah_tangga: RumahTangga) -> Riwayat:
    """A household's own changes (joins and leaves included) plus its current members' events."""
    members = list(rumah_tangga.anggota.values_list("id", flat=True))
    return _history(_audit_rows([(RumahTangga, [rumah_tangga.pk])]), {}, _events(members))


def riwayat_bangunan(bangunan: Bangunan) -> Riwayat:
    return _history(_audit_rows([(Bangunan, [bangunan.pk])]), {}, [])
