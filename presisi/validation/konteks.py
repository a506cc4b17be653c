"""What rules need beyond the frame: reference date, known codes, previous counts, candidates."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

import numpy as np
from django.utils import timezone

from presisi.core.models import AuditLog
from presisi.periods.models import Periode
from presisi.regions.known import kode_wilayah
from presisi.regions.models import Wilayah
from presisi.registry.identitas import KOREKSI_IDENTITAS
from presisi.registry.models import HIDUP, LAKI_LAKI, PEREMPUAN, Individu
from presisi.validation.models import RekapValidasi
from presisi.validation.rules import Kandidat, Konteks

_CHUNK = 900
_FIELDS = ("nik", "nama", "tanggal_lahir", "nama_ayah", "nama_ibu", "desa_id", "jenis_kelamin")


class _Kumpulan:
    """Every living person's candidate fields, read once (lazily) for a batch run."""

    def __init__(self) -> None:
        self.rows: list[tuple] | None = None

    def _load(self) -> None:
        self.rows = list(Individu.objects.filter(status_dasar=HIDUP).values_list(*_FIELDS))
        self.desa = np.array([r[5] for r in self.rows], dtype=np.int64)
        self.lahir = np.array([r[2] for r in self.rows], dtype="datetime64[D]")
        self.kelamin = np.array([-1 if r[6] is None else r[6] for r in self.rows], dtype=np.int64)

    def pilih(self, groups: dict[int | None, list[str]], kecuali_desa: list[int], semua: bool) -> list[tuple]:
        """The same rows the queries in ``kandidat_ganda`` would return, chosen with numpy masks."""
        if self.rows is None:
            self._load()
        keep = ~np.isin(self.desa, np.asarray(kecuali_desa, dtype=np.int64))
        if not semua:
            match = np.zeros(len(self.desa), dtype=bool)
            for sex, dates in groups.items():
                hit = np.isin(self.lahir, np.array(dates, dtype="datetime64[D]"))
                match |= hit if sex is None else hit & (self.kelamin == sex)
            keep &= match
        return [self.rows[i] for i in np.flatnonzero(keep)]


_KUMPULAN: contextvars.ContextVar[_Kumpulan | None] = contextvars.ContextVar("kandidat_kumpulan", default=None)


@contextlib.contextmanager
def kandidat_bersama() -> Iterator[None]:
    """Publishing a whole period from the console validates every desa at each transition against
    the same living population; without this each validation re-reads the regency (a few hundred
    thousand rows) — 59 desa × 3 transitions. Only for runs that write no person while open."""
    token = _KUMPULAN.set(_Kumpulan())
    try:
        yield
    finally:
        _KUMPULAN.reset(token)


def kecamatan_dikenal() -> set[str]:
    return {k.replace(".", "") for k in Wilayah.objects.kecamatan().values_list("kode", flat=True)}


def koreksi_periode(periode: Periode) -> dict[int, str]:
    """Person id → reason of the identity corrections recorded since the period began (few rows)."""
    start = timezone.make_aware(dt.datetime.combine(periode.tanggal_mulai, dt.time.min))
    rows = AuditLog.objects.filter(aksi=KOREKSI_IDENTITAS, waktu__gte=start).values_list("objek_id", "sesudah")
    return {int(i): str((after or {}).get("alasan", "")) for i, after in rows if str(i).isdigit()}


def periode_sebelumnya(periode: Periode) -> Periode | None:
    return (Periode.objects.filter(tanggal_referensi__lt=periode.tanggal_referensi)
            .order_by("-tanggal_referensi").first())


def jumlah_sebelumnya(desa_ids: list[int], periode: Periode) -> dict[int, tuple[int, str]]:
    before = periode_sebelumnya(periode)
    if before is None:
        return {}
    rows = RekapValidasi.objects.filter(periode=before, desa_id__in=desa_ids).values_list("desa_id",
                                                                                         "jumlah_individu")
    return {desa_id: (count, before.kode) for desa_id, count in rows}


def konteks_buat(*, desa_list: list[Wilayah], periode: Periode, mode: str = "registri",
                 hari_ini: dt.date | None = None) -> Konteks:
    ids = [d.pk for d in desa_list]
    return Konteks(
        tanggal_referensi=periode.tanggal_referensi,
        hari_ini=hari_ini or dt.date.today(),
        kecamatan_dikenal=kecamatan_dikenal(),
        kabupaten_desa={d.pk: d.kode[:5].replace(".", "") for d in desa_list},
        desa_nama={d.pk: f"{d.get_tingkat_display()} {d.nama} ({d.kode})" for d in desa_list},
        jumlah_sebelumnya=jumlah_sebelumnya(ids, periode),
        mode=mode,
        kode_wilayah=kode_wilayah(),
        koreksi_identitas=koreksi_periode(periode),
    )


def kandidat_ganda(*, tanggal_lahir: np.ndarray, kecuali_desa: list[int], jenis_kelamin: np.ndarray | None = None,
                   semua: bool = False) -> Kandidat:
    """Living people outside ``kecuali_desa`` born on one of the given dates with the same sex
    (the probable-duplicate rule pairs only those), or all living people, for big sets.

    Only (birth date, sex) pairs present in the frame are fetched, so a desa import reads a few
    thousand candidates instead of every person in the regency born on those dates.
    """
    born = ~np.isnat(tanggal_lahir)
    sexes = np.zeros(len(tanggal_lahir), np.int64) if jenis_kelamin is None else \
        np.nan_to_num(np.asarray(jenis_kelamin, dtype=float), nan=0).astype(np.int64)
    groups: dict[int | None, list[str]] = {}
    for sex in np.unique(sexes[born]):
        key = int(sex) if sex in (LAKI_LAKI, PEREMPUAN) else None  # unknown sex: any candidate
        groups.setdefault(key, []).extend(str(d) for d in np.unique(tanggal_lahir[born & (sexes == sex)]))
    if None in groups:
        groups = {None: sorted({d for dates in groups.values() for d in dates})}
    fields = _FIELDS
    living = Individu.objects.filter(status_dasar=HIDUP).exclude(desa_id__in=kecuali_desa)
    rows: list[tuple] = []
    everyone = semua or sum(len(d) for d in groups.values()) > 20 * _CHUNK
    pool = _KUMPULAN.get()
    if pool is not None:
        rows = pool.pilih(groups, kecuali_desa, everyone)
    elif everyone:
        rows = list(living.values_list(*fields))
    else:
        for sex, dates in groups.items():
            same = living if sex is None else living.filter(jenis_kelamin=sex)
            for i in range(0, len(dates), _CHUNK):
                rows += list(same.filter(tanggal_lahir__in=dates[i:i + _CHUNK]).values_list(*fields))
    names = {w.pk: f"{w.nama} ({w.kode})" for w in Wilayah.objects.filter(pk__in={r[5] for r in rows})
             .only("pk", "nama", "kode")}
    return Kandidat(
        nik=np.array([r[0] for r in rows], dtype=object),
        nama=np.array([r[1] for r in rows], dtype=object),
        tanggal_lahir=np.array([r[2] for r in rows], dtype="datetime64[D]"),
        nama_ayah=np.array([r[3] for r in rows], dtype=object),
        nama_ibu=np.array([r[4] for r in rows], dtype=object),
        keterangan=[f"NIK {r[0]} {r[1]} di {names.get(r[5], '')}" for r in rows],
        jenis_kelamin=np.array([r[6] for r in rows], dtype=np.int64),
    )
