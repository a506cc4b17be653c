"""Reads for the dashboards: configuration, regions, and indicator facts with access applied.

Who sees what is decided here (never in views or templates):

* the public (not signed in) sees public indicators only, and any value whose numerator or
  denominator is below ``MIN_CELL`` is hidden — exactly as ``indicators.selectors`` decides;
* a signed-in user sees every active indicator; values of regions inside the user's scope are
  shown in full, values of regions outside it are shown as aggregates only, with the same
  small-cell suppression (an operator sees its own desa in full, other desa as aggregates).

Dashboards show aggregates only: no NIK-level data is ever read here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q

from presisi.accounts.access import user_profil, user_scope_code
from presisi.accounts.models import Profil
from presisi.core.i18n import tampilkan, teks
from presisi.dashboards.models import Dasbor, DasborIndikator
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.indicators.selectors import is_public
from presisi.indicators.selectors import suppress as indicators_suppress  # the one suppression rule
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_get, periode_tidak_dikenal
from presisi.periods.terbit import StatusData, status_data
from presisi.regions.models import Wilayah

REGION_FIELDS = ("id", "kode", "nama", "tingkat", "kedalaman", "induk_id", "lat", "lng")
# What pages need of an indicator: the long metadata texts and JSON stay in the database.
INDIKATOR_FIELDS = ("id", "kode", "nama", "tema", "jenis", "satuan", "desimal", "arah", "skala", "definisi",
                    "konstanta_pembilang", "konstanta_penyebut", "level_estimasi", "akses_publik", "aktif",
                    "variabel_pembangun", "terjemahan")
# Texts shown in the reader's language (presisi.core.i18n): the pages read these attributes directly.
INDIKATOR_TEKS = ("nama", "satuan", "definisi")


# --- who is reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pembaca:
    publik: bool
    cakupan: str | None  # region code seen in full ("" = everything, None = nothing)
    # Published/provisional rule (see ``StatusData``): None = not applied (callers outside the pages).
    status: StatusData | None = None
    sementara: bool = False  # signed-in staff asked for provisional figures (?sementara=1)

    def penuh(self, kode: str) -> bool:
        """Is region ``kode`` inside the reader's scope (values shown without suppression)?"""
        if self.publik or self.cakupan is None:
            return False
        return self.cakupan == "" or kode == self.cakupan or kode.startswith(self.cakupan + ".")


def pembaca(user) -> Pembaca:
    """The reader's access, worked out once per request (kept on the user object)."""
    cached = getattr(user, "_dasbor_pembaca", None)
    if cached is not None:
        return cached
    if is_public(user):
        reader = Pembaca(publik=True, cakupan=None)
    else:
        _profil_ringan(user)
        reader = Pembaca(publik=False, cakupan=user_scope_code(user))
    with contextlib.suppress(AttributeError):  # exotic user objects: no memo
        user._dasbor_pembaca = reader
    return reader


def _profil_ringan(user) -> None:
    """Give the profile its region without the geometry: the scope helpers only read the code, and a
    regency's boundary is hundreds of KB of JSON to parse on every request."""
    profil = user_profil(user)
    if profil is not None and not Profil.wilayah.is_cached(profil):
        profil.wilayah = Wilayah.objects.only(*REGION_FIELDS).get(pk=profil.wilayah_id)


# --- configuration ----------------------------------------------------------------------------------------


def _indikator_filter(reader: Pembaca) -> Q:
    q = Q(indikator__aktif=True)
    if reader.publik:
        q &= Q(indikator__akses_publik=True)
    return q


def dasbor_list(*, user) -> list[dict]:
    """Active dashboards with the number of indicators the reader may see (one query)."""
    reader = pembaca(user)
    cond = Q(butir__indikator__aktif=True)
    if reader.publik:
        cond &= Q(butir__indikator__akses_publik=True)
    qs = Dasbor.objects.filter(aktif=True).annotate(jumlah=Count("butir", filter=cond)).order_by("urutan", "kode")
    return [{"kode": d.kode, "nama": teks(d, "nama"), "deskripsi": teks(d, "deskripsi"), "jumlah": d.jumlah}
            for d in qs]


@dataclass
class DasborData:
    dasbor: Dasbor
    indikator: list[Indikator]
    utama: list[Indikator]

    def cari(self, kode: str | None) -> Indikator | None:
        return next((i for i in self.indikator if i.kode == kode), None)


def dasbor_get(*, kode: str, user) -> DasborData | None:
    """An active dashboard with the indicators the reader may see, in order (two queries)."""
    dasbor = Dasbor.objects.filter(kode=kode, aktif=True).first()
    if dasbor is None:
        return None
    butir = (DasborIndikator.objects.filter(_indikator_filter(pembaca(user)), dasbor=dasbor)
             .select_related("indikator").only("id", "utama", "urutan", "indikator_id", "dasbor_id",
                                               *[f"indikator__{f}" for f in INDIKATOR_FIELDS])
             .order_by("urutan", "id"))
    items = list(butir)
    tampilkan(dasbor, "nama", "deskripsi")
    indikator = [tampilkan(b.indikator, *INDIKATOR_TEKS) for b in items]
    utama = [b.indikator for b in items if b.utama] or indikator[:3]
    return DasborData(dasbor, indikator, utama)


def utama_semua(*, user) -> list[Indikator]:
    """Headline indicators of every active dashboard (for the village profile's banjar table)."""
    rows = (DasborIndikator.objects.filter(_indikator_filter(pembaca(user)), utama=True, dasbor__aktif=True)
            .select_related("indikator").only("id", "indikator_id", *[f"indikator__{f}" for f in INDIKATOR_FIELDS])
            .order_by("dasbor__urutan", "urutan"))
    seen: dict[int, Indikator] = {}
    for b in rows:
        seen.setdefault(b.indikator_id, tampilkan(b.indikator, *INDIKATOR_TEKS))
    return list(seen.values())


# --- periods and regions ----------------------------------------------------------------------------------


def periode_semua() -> list[Periode]:
    return list(Periode.objects.order_by("tanggal_referensi", "kode"))


def periode_pilih(periode: list[Periode], kode: str | None, banding: str | None) -> tuple[Periode | None,
                                                                                          Periode | None]:
    """The chosen period (default: latest) and comparison period (default: the one before it).

    A named period is looked up with ``periode_get``: an unknown code (or one not offered in
    ``periode``) is a ``NotFound`` listing the known codes, never a silent switch to the latest.
    """
    if not periode:
        if kode:
            raise periode_tidak_dikenal(kode)
        return None, None
    current = _pilih(periode, kode) if kode else periode[-1]
    if banding == "":
        return current, None
    if banding:
        return current, _pilih(periode, banding)
    earlier = [p for p in periode if p.tanggal_referensi < current.tanggal_referensi]
    return current, (earlier[-1] if earlier else None)


def _pilih(periode: list[Periode], kode: str) -> Periode:
    found = periode_get(kode)
    if found not in periode:
        raise periode_tidak_dikenal(kode)
    return found


@dataclass
class Konteks:
    """The region being looked at, with what a dashboard page needs around it."""

    wilayah: Wilayah
    jejak: list[Wilayah]  # breadcrumbs from the regency down to the region
    anak: list[Wilayah]  # child regions (ranking table, drill-down)
    unit_peta: list[Wilayah]  # regions drawn on the map (desa for regency and kecamatan)
    kabupaten: Wilayah | None
    semua: dict[int, Wilayah] = field(default_factory=dict)

    @property
    def latar(self) -> Wilayah | None:
        """The polygon behind the map units when they are banjar (the desa)."""
        if self.wilayah.kedalaman == 4:
            return self.wilayah
        if self.wilayah.kedalaman == 5:
            return self.jejak[-2] if len(self.jejak) > 1 else None
        return None


def wilayah_teratas() -> Wilayah | None:
    return Wilayah.objects.filter(kedalaman=2).only(*REGION_FIELDS).order_by("kode").first()


def wilayah_konteks(kode: str | None) -> Konteks | None:
    """The region, its ancestors, children and map units in one query (two without ``kode``)."""
    if not kode:
        top = wilayah_teratas()
        if top is None:
            return None
        kode = top.kode
    parts = kode.split(".")
    prefixes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    depth = len(parts)
    base = kode if depth < 5 else prefixes[-2]
    want_depths = {5} if depth >= 4 else {depth + 1, 4}
    rows = list(Wilayah.objects.filter(Q(kode__in=prefixes) | Q(kode__startswith=base + ".",
                                                                 kedalaman__in=want_depths))
                .only(*REGION_FIELDS).order_by("kode"))
    by_kode = {w.kode: w for w in rows}
    region = by_kode.get(kode)
    if region is None:
        return None
    jejak = [by_kode[p] for p in prefixes if p in by_kode and by_kode[p].kedalaman >= 2]
    below = [w for w in rows if w.kode.startswith(base + ".")]
    if depth >= 5:
        anak, unit = [], [w for w in below if w.kedalaman == 5]
    else:
        anak = [w for w in below if w.kedalaman == depth + 1]
        unit = anak if depth >= 3 else [w for w in below if w.kedalaman == 4]
    kab = next((w for w in jejak if w.kedalaman == 2), None)
    return Konteks(region, jejak, anak, unit, kab, {w.pk: w for w in rows})


# --- facts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sel:
    """One value cell: numerator, denominator, value (None when missing or hidden)."""

    pembilang: float | None
    penyebut: float | None
    nilai: float | None
    kelas: str = ""
    disembunyikan: bool = False
    sementara: bool = False  # includes data of a desa whose submission is not approved yet
    belum_terbit: bool = False  # withheld: includes data of a desa not published yet


def sel_dari(pembilang: float, penyebut: float, nilai: float | None, kelas: str, ind: Indikator, sembunyikan: bool
             ) -> Sel:
    row = indicators_suppress({"pembilang": pembilang, "penyebut": penyebut, "nilai": nilai, "kelas": kelas},
                              sembunyikan, ind)
    if row["disembunyikan"]:
        return Sel(None, None, None, "", True)
    value = None if nilai is None else round(nilai, ind.desimal)
    return Sel(pembilang, penyebut, value, kelas, False)


def fakta(*, indikator: Sequence[Indikator], periode_ids: Iterable[int], wilayah: dict[int, str],
          reader: Pembaca, disagregasi: str = "total") -> dict[tuple[int, int, int], Sel]:
    """(indicator id, period id, region id) → cell, for the given regions (id → code), one query."""
    by_id = {i.pk: i for i in indikator}
    if not by_id or not wilayah:
        return {}
    rows = NilaiIndikator.objects.filter(
        indikator_id__in=list(by_id), periode_id__in=list(periode_ids), wilayah_id__in=list(wilayah),
        disagregasi=disagregasi,
    ).values_list("indikator_id", "periode_id", "wilayah_id", "pembilang", "penyebut", "nilai", "kelas")
    out = {}
    for iid, pid, wid, num, den, value, kelas in rows:
        ind = by_id[iid]
        cell = sel_dari(num, den, value, kelas, ind, not reader.penuh(wilayah[wid]))
        out[(iid, pid, wid)] = tandai_sel(cell, reader, pid, wilayah[wid])
    return out


# --- published and provisional data -----------------------------------------------------------------------
# The rule (issue #10): a value of a desa (or of its banjar) in a period is
#   * "terbit" (published) when the desa's submission for that period is ``dipublikasikan``;
#   * "tetap" (final) when it is ``disetujui`` or ``dipublikasikan``; otherwise "sementara" (provisional);
# an aggregate (kecamatan, kabupaten, island group) is published/final only when EVERY desa under it is.
# The public sees published values only, and only the periods in which at least one desa is published;
# other values read "belum terbit". Signed-in staff see the same by default and may switch to
# provisional figures (?sementara=1): every value is shown, and values that include a desa not yet
# approved are marked "sementara" on the page and in downloads.

def pembaca_halaman(user, *, periode_ids: Iterable[int], sementara: bool = False) -> Pembaca:
    """The reader of a dashboard page, with the published/provisional rule applied; the public can never
    switch to provisional figures."""
    reader = pembaca(user)
    return replace(reader, status=status_data(periode_ids), sementara=bool(sementara and not reader.publik))


def tandai_sel(cell: Sel, reader: Pembaca, pid: int, kode: str) -> Sel:
    """Withhold an unpublished value, or mark a provisional one, following the reader's mode."""
    if reader.status is None:
        return cell
    if not reader.sementara:
        return cell if reader.status.terbit(pid, kode) else Sel(None, None, None, "", False, False, True)
    return cell if reader.status.tetap(pid, kode) else replace(cell, sementara=True)


def periode_terlihat(periode: list[Periode], reader: Pembaca) -> list[Periode]:
    """Periods the reader may choose: with published data, or every period in provisional mode."""
    if reader.status is None or reader.sementara:
        return periode
    terbit = reader.status.periode_terbit()
    return [p for p in periode if p.pk in terbit]
