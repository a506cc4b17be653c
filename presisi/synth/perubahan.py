"""``periode_berikut``: one update period of a living synthetic regency, seeded, through the real write path.

Each desa gets what a desa operator records in half a year: births, deaths, people moving out and
in, a marriage that founds a new family card (KK) in a new house, building repairs or damage, and
attribute changes that move the poverty and basic-service indicators. Every desa draws a
direction for the period (improving, worsening or steady): improving desa gain safe water,
sanitation, JKN membership, school participation and household spending; worsening desa lose
some. Life events and new records go through the registry services one by one (validation,
locking, audit rows, ``Peristiwa`` with dates inside the period); the many attribute edits go
through the registry's bulk writer (``registry.services.bulk``), which writes the same
before/after audit rows, so the update review shows every change.

The synthetic data is only ever changed here through the same doors as real data: a desa whose
submission is locked (submitted or approved) in an open period is skipped, never forced.
Seeded: the same registry, period and seed give the same changes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from presisi.core.exceptions import ApplicationError, ValidationFailed
from presisi.dictionary.models import INDIVIDU, RUMAH_TANGGA
from presisi.periods.codes import normalize_periode
from presisi.periods.locking import pengajuan_terkunci
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import (
    HIDUP,
    KEPALA_KELUARGA,
    LAKI_LAKI,
    PEREMPUAN,
    PINDAH,
    Bangunan,
    Individu,
    Keluarga,
    Peristiwa,
    RumahTangga,
)
from presisi.registry.services import (
    anggota_pindah_keluarga,
    anggota_rumah_tangga_set,
    bangunan_create,
    bangunan_update,
    individu_update,
    kedatangan_catat,
    kelahiran_catat,
    keluarga_create,
    kepulangan_catat,
    peristiwa_catat,
    rumah_tangga_create,
)
from presisi.registry.services.bulk import DIUBAH, INDIVIDU_FIELDS, tulis_massal
from presisi.synth.names import make_names

MEMBAIK, MEMBURUK, TETAP = "membaik", "memburuk", "tetap"
ARAH_PELUANG = ((MEMBAIK, 0.5), (MEMBURUK, 0.3), (TETAP, 0.2))
KETERANGAN = "Pemutakhiran sintetis (presisi synth periode-berikut)"

ANAK, ISTRI, FAMILI_LAIN, CUCU = 4, 3, 9, 6
KEPALA_RT, ANGGOTA_RT = 1, 2
BELUM_KAWIN, KAWIN = 1, 2
AIR_LAYAK, AIR_TIDAK_LAYAK = (3, 4, 5, 7, 10), (6, 8, 9)
JKN = (2, 3, 4, 5, 6)
TIDAK_PUNYA_JAMINAN, JKN_PBI_APBD, JKN_MANDIRI = 1, 3, 4
MASIH_SEKOLAH, TIDAK_SEKOLAH_LAGI = 2, 3
KONDISI_BAIK, KONDISI_RUSAK_SEDANG = 1, 3
# At most this many attribute edits per desa and period (a semester's visits, and a bounded demo run).
BATAS_RUMAH_TANGGA, BATAS_INDIVIDU = 40, 25
# Measurements belong to the measured child: a newborn copies none of them from its template.
UKURAN = {"berat_badan", "panjang_tinggi_badan", "tanggal_ukur", "cara_ukur", "edema"}


@dataclass
class RingkasanPeriode:
    """What one call changed (counts; desa skipped because their data is locked)."""

    periode: str
    seed: int
    desa: int = 0
    arah: dict[str, int] = field(default_factory=dict)
    lahir: int = 0
    mati: int = 0
    pindah_keluar: int = 0
    pindah_masuk: int = 0
    nikah: int = 0
    kk_baru: int = 0
    bangunan_baru: int = 0
    bangunan_diubah: int = 0
    rumah_tangga_diubah: int = 0
    individu_diubah: int = 0
    dilewati: list[str] = field(default_factory=list)
    detik: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Calon(NamedTuple):
    """What choosing a person for an event needs (a light row, not a model instance)."""

    pk: int
    jenis_kelamin: int
    status_kawin: int | None
    tanggal_lahir: dt.date
    hubungan_keluarga: int | None
    hubungan_rumah_tangga: int | None
    keluarga_id: int


def _umur(lahir: dt.date, pada: dt.date) -> int:
    return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))


class _Rencana:
    """A bulk-writer plan (``bulk.RencanaTulis``) of attribute edits to existing records."""

    def __init__(self) -> None:
        self.target: list[dict[str, Any]] = []
        self.aksi: list[str] = []
        self.berubah: list[list[str]] = []
        self.existing: dict[str, dict[str, Any]] = {}
        self.koreksi: dict = {}
        self.pindah_kk: dict = {}

    def ubah(self, key: str, target: dict[str, Any], sebelum: dict[str, Any], nilai: dict[str, Any]) -> None:
        self.target.append({**target, **nilai})
        self.aksi.append(DIUBAH)
        self.berubah.append(list(nilai))
        self.existing[key] = sebelum

    def __len__(self) -> int:
        return len(self.target)


class _Desa:
    """The changes of one desa in one period."""

    def __init__(self, desa: Wilayah, periode: Periode, seed: int, akhir: dt.date, pengguna, r: RingkasanPeriode):
        self.desa, self.periode, self.pengguna, self.r = desa, periode, pengguna, r
        self.rng = random.Random(f"{seed}|{periode.kode}|{desa.kode}")
        self.np_rng = np.random.default_rng(self.rng.getrandbits(64))
        self.mulai, self.akhir = periode.tanggal_mulai, akhir
        self.kec6 = "".join(desa.kode.split(".")[:3])
        # candidates are chosen from light rows; the few chosen are then read in full
        self.hidup = [_Calon(*row) for row in Individu.objects.filter(desa=desa, status_dasar=HIDUP)
                      .order_by("pk").values_list(*_Calon._fields)]
        self.dipakai: set[int] = set()  # a person takes part in one event per period

    # --- helpers -------------------------------------------------------------------------------------------

    def tanggal(self) -> dt.date:
        return self.mulai + dt.timedelta(days=self.rng.randint(0, (self.akhir - self.mulai).days))

    def jumlah(self, rate: float, batas: int) -> int:
        """Events of a kind: the rate times the living population, at least one, at most ``batas``."""
        return max(1, min(batas, round(len(self.hidup) * rate)))

    def pilih(self, syarat, n: int) -> list[Individu]:
        calon = [p for p in self.hidup if p.pk not in self.dipakai and syarat(p)]
        out = [p.pk for p in self.rng.sample(calon, min(n, len(calon)))]
        self.dipakai.update(out)
        full = Individu.objects.select_related("keluarga", "banjar", "rumah_tangga").in_bulk(out)
        return [full[pk] for pk in out]

    def nik(self, lahir: dt.date, jenis_kelamin: int) -> str:
        dd = lahir.day + (40 if jenis_kelamin == PEREMPUAN else 0)
        awal = f"{self.kec6}{dd:02d}{lahir.month:02d}{lahir.year % 100:02d}"
        for _ in range(50):
            nik = f"{awal}{self.rng.randint(7000, 9999):04d}"
            if not Individu.objects.filter(nik=nik).exists():
                return nik
        raise ApplicationError(f"Tidak ada nomor urut NIK bebas untuk {awal}.")

    def no_kk(self, terbit: dt.date) -> str:
        awal = f"{self.kec6}{terbit.day:02d}{terbit.month:02d}{terbit.year % 100:02d}"
        for _ in range(50):
            kk = f"{awal}{self.rng.randint(7000, 9999):04d}"
            if not Keluarga.objects.filter(no_kk=kk).exists():
                return kk
        raise ApplicationError(f"Tidak ada nomor urut KK bebas untuk {awal}.")

    def nama(self, jenis_kelamin: int, agama: int | None, lahir: dt.date, urutan: int = 1) -> str:
        return make_names(self.np_rng, sex=np.array([jenis_kelamin]), religion=np.array([agama or 4]),
                          birth_order=np.array([urutan]), birth_year=np.array([lahir.year]),
                          title=np.array([-1]))[0]

    @staticmethod
    def data_orang(p: Individu) -> dict[str, Any]:
        """A person's core fields and attributes as a service takes them (to copy into a similar person)."""
        core = {f: getattr(p, f) for f in INDIVIDU_FIELDS if getattr(p, f, None) not in (None, "")}
        core["tanggal_lahir"] = p.tanggal_lahir.isoformat()
        return {**p.atribut, **core}

    def catat(self, fn, **kwargs):
        """One service call; a refusal (a rule this synthetic case happens to break) skips that event only."""
        try:
            with transaction.atomic():
                return fn(**kwargs, pengguna=self.pengguna)
        except ValidationFailed:
            return None

    # --- life events ---------------------------------------------------------------------------------------

    def kelahiran(self) -> None:
        ibu_list = self.pilih(lambda p: p.jenis_kelamin == PEREMPUAN and p.status_kawin == KAWIN
                              and 18 <= _umur(p.tanggal_lahir, self.akhir) <= 42, self.jumlah(0.008, 3))
        contoh = (Individu.objects.filter(desa=self.desa, status_dasar=HIDUP,
                                          tanggal_lahir__gte=self.akhir - dt.timedelta(days=700))
                  .order_by("pk").first())
        for ibu in ibu_list:
            lahir = self.tanggal()
            jk = self.rng.choice((LAKI_LAKI, PEREMPUAN))
            anak_ke = ibu.keluarga.anggota.filter(hubungan_keluarga=ANAK).count() + 1
            data = {k: v for k, v in (contoh.atribut if contoh else {}).items() if k not in UKURAN}
            data.update(nik=self.nik(lahir, jk), nama=self.nama(jk, ibu.agama, lahir, anak_ke), jenis_kelamin=jk,
                        tanggal_lahir=lahir.isoformat(), tempat_lahir=ibu.tempat_lahir or "", agama=ibu.agama,
                        status_kawin=BELUM_KAWIN, kewarganegaraan=ibu.kewarganegaraan, nama_ibu=ibu.nama,
                        hubungan_keluarga=ANAK if ibu.hubungan_keluarga in (KEPALA_KELUARGA, ISTRI) else CUCU)
            data = {k: v for k, v in data.items() if v not in (None, "")}
            anak = self.catat(kelahiran_catat, keluarga=ibu.keluarga, data=data, keterangan=KETERANGAN)
            if anak is None:
                continue
            self.r.lahir += 1
            if ibu.rumah_tangga_id:
                self.catat(anggota_rumah_tangga_set, individu=anak, rumah_tangga=ibu.rumah_tangga,
                           hubungan_rumah_tangga=ANGGOTA_RT)

    def bukan_kepala(self, p: Individu) -> bool:
        return p.hubungan_keluarga != KEPALA_KELUARGA and p.hubungan_rumah_tangga != KEPALA_RT

    def kematian(self) -> None:
        for p in self.pilih(lambda p: self.bukan_kepala(p) and _umur(p.tanggal_lahir, self.akhir) >= 65,
                            self.jumlah(0.0035, 2)):
            tanggal = self.tanggal()
            if self.catat(peristiwa_catat, individu=p, jenis=Peristiwa.MATI, tanggal=tanggal,
                          keterangan=KETERANGAN) is not None:
                self.r.mati += 1

    def pindah_keluar(self) -> None:
        for p in self.pilih(lambda p: self.bukan_kepala(p) and 18 <= _umur(p.tanggal_lahir, self.akhir) <= 35,
                            self.jumlah(0.003, 2)):
            if self.catat(peristiwa_catat, individu=p, jenis=Peristiwa.PINDAH_KELUAR, tanggal=self.tanggal(),
                          keterangan=KETERANGAN, data={"tujuan": "luar kabupaten"}) is not None:
                self.r.pindah_keluar += 1

    def pindah_masuk(self) -> None:
        n = self.jumlah(0.003, 2)
        # someone who moved away in an earlier period comes back first
        pulang = list(Individu.objects.filter(desa=self.desa, status_dasar=PINDAH).exclude(pk__in=self.dipakai)
                      .order_by("pk")[:n])
        self.dipakai.update(p.pk for p in pulang)
        for p in pulang:
            if self.catat(kepulangan_catat, individu=p, tanggal=self.tanggal(), asal="luar kabupaten") is not None:
                self.r.pindah_masuk += 1
        for contoh in self.pilih(lambda p: self.bukan_kepala(p) and 20 <= _umur(p.tanggal_lahir, self.akhir) <= 40,
                                 n - len(pulang)):
            kk = contoh.keluarga
            lahir = contoh.tanggal_lahir + dt.timedelta(days=self.rng.randint(-300, 300))
            data = self.data_orang(contoh)
            data.update(nik=self.nik(lahir, contoh.jenis_kelamin),
                        nama=self.nama(contoh.jenis_kelamin, contoh.agama, lahir, self.rng.randint(1, 4)),
                        tanggal_lahir=lahir.isoformat(), hubungan_keluarga=FAMILI_LAIN, status_kawin=BELUM_KAWIN)
            data.pop("hubungan_rumah_tangga", None)
            data.pop("nama_ibu", None)
            data.pop("nama_ayah", None)
            baru = self.catat(kedatangan_catat, keluarga=kk, data=data, tanggal=self.tanggal(),
                              asal="luar kabupaten")
            if baru is None:
                continue
            self.r.pindah_masuk += 1
            if contoh.rumah_tangga_id:
                self.catat(anggota_rumah_tangga_set, individu=baru, rumah_tangga=contoh.rumah_tangga,
                           hubungan_rumah_tangga=ANGGOTA_RT)

    def pernikahan(self) -> None:
        """A young couple from two families: a new KK with the groom as head, in a new house."""
        def lajang(jk: int, lo: int, hi: int):
            return lambda p: (p.jenis_kelamin == jk and p.status_kawin == BELUM_KAWIN
                              and p.hubungan_keluarga == ANAK and p.hubungan_rumah_tangga != KEPALA_RT
                              and lo <= _umur(p.tanggal_lahir, self.akhir) <= hi)

        grooms = self.pilih(lajang(LAKI_LAKI, 22, 40), 1)
        if not grooms:
            return
        suami = grooms[0]
        brides = self.pilih(lambda p: lajang(PEREMPUAN, 20, 38)(p) and p.keluarga_id != suami.keluarga_id, 1)
        if not brides:
            return
        istri, tanggal = brides[0], self.tanggal()
        with transaction.atomic():
            try:
                self._keluarga_baru(suami, istri, tanggal)
            except ValidationFailed:
                transaction.set_rollback(True)
                return
        self.r.nikah += 1
        self.r.kk_baru += 1
        self.r.bangunan_baru += 1

    def _keluarga_baru(self, suami: Individu, istri: Individu, tanggal: dt.date) -> None:
        asal = suami.keluarga
        kk = keluarga_create(no_kk=self.no_kk(tanggal), banjar_kode=suami.banjar.kode, alamat=asal.alamat,
                             atribut=dict(asal.atribut), pengguna=self.pengguna)
        for orang, peran in ((suami, KEPALA_KELUARGA), (istri, ISTRI)):
            anggota_pindah_keluarga(individu=orang, keluarga=kk, hubungan_keluarga=peran, tanggal=tanggal,
                                    pengguna=self.pengguna)
            individu_update(individu=orang, data={"status_kawin": KAWIN}, pengguna=self.pengguna)
        rt_asal = suami.rumah_tangga
        bangunan_asal = rt_asal.bangunan if rt_asal else None
        sufiks = f"{self.periode.kode.replace('-', '')}{self.rng.randint(100, 999)}"
        b = bangunan_create(kode=f"{self.desa.kode.replace('.', '')}-B{sufiks}", banjar_kode=suami.banjar.kode,
                            lat=bangunan_asal.lat + self.rng.uniform(-0.0008, 0.0008)
                            if bangunan_asal and bangunan_asal.lat is not None else None,
                            lng=bangunan_asal.lng + self.rng.uniform(-0.0008, 0.0008)
                            if bangunan_asal and bangunan_asal.lng is not None else None,
                            atribut={**(bangunan_asal.atribut if bangunan_asal else {}),
                                     "kondisi_bangunan": KONDISI_BAIK}, pengguna=self.pengguna)
        rt = rumah_tangga_create(kode=f"{self.desa.kode.replace('.', '')}-R{sufiks}", banjar_kode=suami.banjar.kode,
                                 atribut=dict(rt_asal.atribut) if rt_asal else {}, bangunan=b, pengguna=self.pengguna)
        anggota_rumah_tangga_set(individu=suami, rumah_tangga=rt, hubungan_rumah_tangga=KEPALA_RT,
                                 pengguna=self.pengguna)
        anggota_rumah_tangga_set(individu=istri, rumah_tangga=rt, hubungan_rumah_tangga=ANGGOTA_RT,
                                 pengguna=self.pengguna)

    def bangunan(self, arah: str) -> None:
        """Repairs in an improving desa, damage in a worsening one (the building's condition)."""
        if arah == MEMBAIK:
            dari, baru = (3, 4), KONDISI_BAIK
        elif arah == MEMBURUK:
            dari, baru = (1, 2), KONDISI_RUSAK_SEDANG
        else:
            return
        calon = list(Bangunan.objects.filter(desa=self.desa, aktif=True, atribut__kondisi_bangunan__in=dari)
                     .order_by("pk").values_list("pk", flat=True))
        for pk in self.rng.sample(calon, min(2, len(calon))):
            b = Bangunan.objects.get(pk=pk)
            if self.catat(bangunan_update, bangunan=b, data={"kondisi_bangunan": baru}) is not None:
                self.r.bangunan_diubah += 1

    # --- attribute changes (bulk) --------------------------------------------------------------------------

    def atribut_rumah_tangga(self, arah: str) -> _Rencana:
        plan = _Rencana()
        if arah == TETAP:
            return plan
        baik = arah == MEMBAIK
        rows = list(RumahTangga.objects.filter(desa=self.desa, aktif=True).order_by("pk").values_list(
            "pk", "kode", "banjar_id", "bangunan__kode", "atribut"))
        self.rng.shuffle(rows)  # the cap must not favour the first banjar
        for pk, kode, banjar_id, b_kode, atribut in rows:
            if len(plan) >= BATAS_RUMAH_TANGGA:
                break
            nilai: dict[str, Any] = {}
            air = atribut.get("sumber_air_minum")
            if baik and air in AIR_TIDAK_LAYAK and self.rng.random() < 0.06:
                nilai["sumber_air_minum"] = self.rng.choice((3, 4))
            elif not baik and air in AIR_LAYAK and self.rng.random() < 0.02:
                nilai["sumber_air_minum"] = 6
            layak = (atribut.get("jenis_kloset") == 1 and atribut.get("fasilitas_bab") in (1, 2, 3)
                     and atribut.get("pembuangan_tinja") in (1, 2))
            if baik and not layak and atribut.get("fasilitas_bab") is not None and self.rng.random() < 0.06:
                nilai.update(jenis_kloset=1, fasilitas_bab=1, pembuangan_tinja=1)
            elif not baik and layak and self.rng.random() < 0.02:
                nilai.update(fasilitas_bab=4, pembuangan_tinja=3)
            belanja = atribut.get("pengeluaran_per_kapita")
            if isinstance(belanja, int | float) and self.rng.random() < (0.05 if baik else 0.04):
                faktor = self.rng.uniform(1.08, 1.3) if baik else self.rng.uniform(0.75, 0.93)
                nilai["pengeluaran_per_kapita"] = int(round(belanja * faktor, -3))
            nilai = {k: v for k, v in nilai.items() if atribut.get(k) != v}
            if nilai:
                plan.ubah(kode, {"kode_rumah_tangga": kode, "banjar_id": banjar_id, "kode_bangunan": b_kode,
                                 "atribut": {**atribut, **nilai}},
                          {"id": pk, **{k: atribut.get(k) for k in nilai}}, nilai)
        return plan

    def atribut_individu(self, arah: str) -> _Rencana:
        plan = _Rencana()
        if arah == TETAP:
            return plan
        baik = arah == MEMBAIK
        sekolah_dari = (TIDAK_SEKOLAH_LAGI,) if baik else (MASIH_SEKOLAH,)
        muda = Q(tanggal_lahir__gt=self.akhir - dt.timedelta(days=18 * 366))  # the age is checked below
        kandidat = (Q(atribut__jaminan_kesehatan=TIDAK_PUNYA_JAMINAN if baik else JKN_MANDIRI)
                    | (muda & Q(atribut__partisipasi_sekolah__in=sekolah_dari)))
        rows = list(Individu.objects.filter(kandidat, desa=self.desa, status_dasar=HIDUP).exclude(pk__in=self.dipakai)
                    .order_by("pk").values("pk", "keluarga__no_kk", "rumah_tangga__kode", "atribut", *INDIVIDU_FIELDS))
        self.rng.shuffle(rows)
        for row in rows:
            if len(plan) >= BATAS_INDIVIDU:
                break
            atribut, umur = row["atribut"], _umur(row["tanggal_lahir"], self.akhir)
            nilai: dict[str, Any] = {}
            jaminan, sekolah = atribut.get("jaminan_kesehatan"), atribut.get("partisipasi_sekolah")
            if baik and jaminan == TIDAK_PUNYA_JAMINAN and self.rng.random() < 0.12:
                nilai["jaminan_kesehatan"] = JKN_PBI_APBD
            elif not baik and jaminan == JKN_MANDIRI and self.rng.random() < 0.03:
                nilai["jaminan_kesehatan"] = TIDAK_PUNYA_JAMINAN  # dues unpaid: membership inactive
            if baik and 7 <= umur <= 17 and sekolah == TIDAK_SEKOLAH_LAGI and self.rng.random() < 0.3:
                nilai["partisipasi_sekolah"] = MASIH_SEKOLAH
            elif not baik and 13 <= umur <= 17 and sekolah == MASIH_SEKOLAH and self.rng.random() < 0.05:
                nilai["partisipasi_sekolah"] = TIDAK_SEKOLAH_LAGI
            if nilai:
                inti = {f: row[f] for f in INDIVIDU_FIELDS}
                plan.ubah(row["nik"], {**inti, "no_kk": row["keluarga__no_kk"],
                                       "kode_rumah_tangga": row["rumah_tangga__kode"], "atribut": {**atribut, **nilai}},
                          {"id": row["pk"], **{k: atribut.get(k) for k in nilai}}, nilai)
        return plan

    def jalankan(self) -> str:
        arah = self.rng.choices([a for a, _ in ARAH_PELUANG], weights=[w for _, w in ARAH_PELUANG])[0]
        self.kelahiran()
        self.kematian()
        self.pindah_keluar()
        self.pindah_masuk()
        self.pernikahan()
        self.bangunan(arah)
        plans = {RUMAH_TANGGA: self.atribut_rumah_tangga(arah), INDIVIDU: self.atribut_individu(arah)}
        plans = {unit: plan for unit, plan in plans.items() if len(plan)}
        if plans:
            with transaction.atomic():
                hasil = tulis_massal(plans=plans, desa=self.desa, pengguna=self.pengguna, keterangan=KETERANGAN)
            self.r.rumah_tangga_diubah += hasil.get(RUMAH_TANGGA, {}).get("diubah", 0)
            self.r.individu_diubah += hasil.get(INDIVIDU, {}).get("diubah", 0)
        return arah


def _periode(periode: Periode | str) -> Periode:
    if isinstance(periode, Periode):
        return periode
    kode = normalize_periode(periode)
    try:
        return Periode.objects.get(kode=kode)
    except Periode.DoesNotExist:
        raise ApplicationError(f"Periode {kode} belum dibuka. Buka dulu dengan 'presisi periode buka'.") from None


def periode_berikut(*, periode: Periode | str, seed: int, pengguna=None,
                    desa_kode: list[str] | None = None) -> RingkasanPeriode:
    """Record one period's seeded changes in every desa with registry data (or only ``desa_kode``).

    The period must be open; event dates fall between its start and its reference date (never
    after today). Desa whose data is locked by a submission are listed in ``dilewati``.
    """
    started = time.perf_counter()
    periode = _periode(periode)
    if not periode.dibuka:
        raise ApplicationError(f"Periode {periode.kode} sudah ditutup; perubahan dicatat dalam periode yang dibuka.")
    akhir = min(periode.tanggal_referensi, timezone.localdate())
    if akhir < periode.tanggal_mulai:
        raise ApplicationError(f"Periode {periode.kode} belum dimulai (mulai {periode.tanggal_mulai.isoformat()}).")
    if not 0 <= seed < 2**32:
        raise ApplicationError("--seed harus bilangan bulat 0 sampai 4294967295.")
    ringkasan = RingkasanPeriode(periode=periode.kode, seed=seed)
    desa_ids = Individu.objects.values("desa_id").distinct()
    desa_qs = Wilayah.objects.desa_kelurahan().filter(pk__in=desa_ids).order_by("kode")
    if desa_kode:
        desa_qs = desa_qs.filter(kode__in=desa_kode)
    for desa in desa_qs:
        if pengajuan_terkunci(desa, None):
            ringkasan.dilewati.append(desa.kode)
            continue
        arah = _Desa(desa, periode, seed, akhir, pengguna, ringkasan).jalankan()
        ringkasan.desa += 1
        ringkasan.arah[arah] = ringkasan.arah.get(arah, 0) + 1
    ringkasan.detik = round(time.perf_counter() - started, 2)
    return ringkasan
