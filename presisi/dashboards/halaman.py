"""A dashboard page for one region and period: map, headline figures, trend, ranking tables, downloads.

Everything the template shows is computed here from a handful of queries (configuration, periods,
regions, two fact reads); geometry comes from the per-process layout cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from presisi.dashboards import adat, kepulauan, selectors
from presisi.dashboards.fmt import dengan_satuan, satuan_pendek
from presisi.dashboards.geo import FiturInput, tata_letak
from presisi.dashboards.klasifikasi import KUANTIL, METODE, klasifikasi
from presisi.dashboards.selectors import Konteks, Pembaca, Sel
from presisi.dashboards.svg_grafik import BIRU, JINGGA, Seri, tren_svg
from presisi.dashboards.svg_peta import Wilayah as TitikPeta
from presisi.dashboards.svg_peta import peta_svg
from presisi.dashboards.tabel import Tabel, kolom_peringkat, kolom_status_data, peringkat
from presisi.indicators.models import Indikator
from presisi.integration.models import LapisanSpasial
from presisi.integration.selectors_spasial import tersimpan
from presisi.integration.svg_spasial import overlay_svg
from presisi.periods.terbit import TERBIT, TETAP
from presisi.regions.models import Wilayah

URUT = ("peringkat", "nama", "kode", "nilai", "-nilai")


@dataclass
class Permintaan:
    """The page's GET parameters: everything that makes a dashboard view shareable as a URL."""

    dasbor: str
    wilayah: str | None = None
    periode: str | None = None
    banding: str | None = None
    indikator: str | None = None
    kelas: str = KUANTIL
    urut: str = "peringkat"
    sementara: bool = False  # signed-in staff: provisional figures (?sementara=1)
    kelompok: str | None = None  # "adat": the table grouped by desa adat (?kelompok=adat)

    @classmethod
    def dari(cls, kode: str, get) -> Permintaan:
        kelas = get.get("kelas") if get.get("kelas") in METODE else KUANTIL
        urut = get.get("urut") if get.get("urut") in URUT else "peringkat"
        return cls(kode, get.get("wilayah") or None, get.get("periode") or None,
                   get.get("banding"), get.get("indikator") or None, kelas, urut, get.get("sementara") == "1",
                   adat.ADAT if get.get("kelompok") == adat.ADAT else None)

    def query(self, **ubah: Any) -> str:
        params = {"wilayah": self.wilayah, "periode": self.periode, "banding": self.banding,
                  "indikator": self.indikator, "kelas": None if self.kelas == KUANTIL else self.kelas,
                  "urut": None if self.urut == "peringkat" else self.urut,
                  "sementara": "1" if self.sementara else None, "kelompok": self.kelompok}
        params.update(ubah)
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return f"?{query}" if query else ""

    def url(self, **ubah: Any) -> str:
        if not hasattr(self, "_base"):
            self._base = reverse("dashboards:dasbor", args=[self.dasbor])
        return self._base + self.query(**ubah)

    @property
    def urut_url(self) -> dict[str, str]:
        return {k: self.url(urut=k) for k in URUT}

    def url_unduh(self, tabel: str, fmt: str) -> str:
        return reverse("dashboards:unduh", args=[self.dasbor, tabel, fmt]) + self.query()


@dataclass
class Halaman:
    data: selectors.DasborData
    indikator: Indikator
    konteks: Konteks
    periode: list
    sekarang: Any
    banding: Any
    req: Permintaan
    tabel: dict[str, Tabel] = field(default_factory=dict)
    utama: list[dict] = field(default_factory=list)
    peta: str = ""
    tren: str = ""
    kepulauan: dict | None = None
    reader: Pembaca | None = None
    lapisan: list[dict] = field(default_factory=list)  # agency layers drawn over the map
    adat_boleh: bool = True  # grouping by desa adat allowed (the whole region published, or provisional mode)
    daftar_peta: list[dict] = field(default_factory=list)  # the map's regions as a tappable list (phones)

    @property
    def zoom(self) -> dict[str, Any]:
        """Zoom links for the map (small desa are hard to tap on a phone): the regency's kecamatan,
        or back up to the regency from a kecamatan."""
        return zoom_wilayah(self.konteks, lambda kode: self.req.url(wilayah=kode))

    @property
    def sementara(self) -> bool:
        return bool(self.reader and self.reader.sementara)

    @property
    def boleh_sementara(self) -> bool:
        return bool(self.reader and not self.reader.publik)

    @property
    def status_data(self) -> dict[str, Any]:
        """How many desa of the period are published / approved (for the page's banner)."""
        status = self.reader.status if self.reader else None
        if status is None:
            return {}
        terbit, total = status.hitung(self.sekarang.pk, TERBIT)
        tetap, _total = status.hitung(self.sekarang.pk, TETAP)
        return {"terbit": terbit, "tetap": tetap, "total": total,
                "url_sementara": self.req.url(sementara="1"), "url_terbit": self.req.url(sementara=None)}

    @property
    def unduh(self) -> dict[str, dict[str, str]]:
        return {t: {f: self.req.url_unduh(t, f) for f in ("csv", "xlsx")} for t in self.tabel}

    @property
    def jejak(self) -> list[dict[str, str]]:
        return [{"kode": w.kode, "nama": w.nama, "href": self.req.url(wilayah=w.kode)} for w in self.konteks.jejak]

    @property
    def kelompok_url(self) -> dict[str, str]:
        """The grouping toggle: administrative regions or desa adat."""
        return {"wilayah": self.req.url(kelompok=None), "adat": self.req.url(kelompok=adat.ADAT)}

    @property
    def dasbor_lain(self) -> str:
        return self.req.query(indikator=None, urut=None)


def _cell_text(cell: Sel | None, ind: Indikator) -> str:
    if cell is None:
        return _("tidak ada data")
    if cell.belum_terbit:
        return _("belum terbit")
    if cell.disembunyikan:
        return _("disembunyikan (sel kecil)")
    return dengan_satuan(cell.nilai, ind.desimal, ind.satuan, kosong=_("tidak ada data"))


def perubahan(now: Sel | None, before: Sel | None, arah: str) -> dict[str, Any] | None:
    """Change since the comparison period, with its meaning given the indicator's direction."""
    if not now or not before or now.nilai is None or before.nilai is None:
        return None
    delta = round(now.nilai - before.nilai, 6)
    if delta == 0:
        return {"selisih": 0.0, "panah": "→", "makna": "tetap"}
    up = delta > 0
    makna = "netral" if arah not in ("naik", "turun") else ("membaik" if up == (arah == "naik") else "memburuk")
    return {"selisih": delta, "panah": "▲" if up else "▼", "makna": makna}


def _ranking_rows(regions: list[Wilayah], ind: Indikator, cells: dict, pid: int, bid: int | None,
                  req: Permintaan, drill: bool) -> list[dict[str, Any]]:
    rows = []
    for w in regions:
        now = cells.get((ind.pk, pid, w.pk))
        before = cells.get((ind.pk, bid, w.pk)) if bid else None
        change = perubahan(now, before, ind.arah)
        rows.append({
            "kode": w.kode, "nama": w.nama, "tingkat": w.tingkat,
            "pembilang": now.pembilang if now else None, "penyebut": now.penyebut if now else None,
            "nilai": now.nilai if now else None, "disembunyikan": bool(now and now.disembunyikan),
            "sementara": bool(now and now.sementara), "belum_terbit": bool(now and now.belum_terbit),
            "nilai_banding": before.nilai if before else None,
            "perubahan": change["selisih"] if change else None, "ubah": change,
            "href": req.url(wilayah=w.kode) if drill else None,
        })
    return peringkat(rows, ind.arah, req.urut)


def _trend(ind: Indikator, k: Konteks, periods: list, cells: dict, svg: bool = True) -> tuple[str, Tabel]:
    series = [(k.wilayah, BIRU, False)]
    if k.kabupaten and k.kabupaten.pk != k.wilayah.pk:
        series.append((k.kabupaten, JINGGA, True))
    rows, seri = [], []
    for w, colour, dashed in series:
        values = tuple((cells.get((ind.pk, p.pk, w.pk)) or Sel(None, None, None)).nilai for p in periods)
        seri.append(Seri(w.nama, values, colour, dashed))
    for i, p in enumerate(periods):
        marks = [cells.get((ind.pk, p.pk, w.pk)) for w, _c, _d in series]
        row = {"periode": p.kode, "sementara": any(c is not None and c.sementara for c in marks),
               "belum_terbit": any(c is not None and c.belum_terbit for c in marks)}
        for j in range(len(series)):
            row[f"w{j}"] = seri[j].nilai[i]
        rows.append(row)
    cols = [("periode", _("Periode"))] + [(f"w{j}", w.nama) for j, (w, _c, _d) in enumerate(series)]
    chart = tren_svg([p.kode for p in periods], seri, id_="grafik-tren", judul=_("Tren %(ind)s") % {"ind": ind.nama},
                     desimal=ind.desimal, satuan=ind.satuan) if svg else ""
    return chart, Tabel("tren", _("Tren per periode"), cols, rows, ind.desimal)


def zoom_wilayah(k: Konteks, href: Callable[[str], str]) -> dict[str, Any]:
    """Kecamatan to zoom the map into (at regency level) and the way back up (at kecamatan level)."""
    naik = None
    if k.wilayah.kedalaman == 3 and k.kabupaten is not None:
        naik = {"kode": k.kabupaten.kode, "nama": k.kabupaten.nama, "href": href(k.kabupaten.kode)}
    kecamatan = [{"kode": w.kode, "nama": w.nama, "href": href(w.kode)} for w in k.anak
                 if k.wilayah.kedalaman == 2 and w.kedalaman == 3]
    return {"kecamatan": kecamatan, "naik": naik}


def _map(h: Halaman, cells: dict, rows_by_kode: dict[str, dict]) -> str:
    k, ind = h.konteks, h.indikator
    fitur = [FiturInput(w.kode, w.lat, w.lng) for w in k.unit_peta]
    latar = k.latar
    letak = tata_letak(fitur, latar=FiturInput(latar.kode, latar.lat, latar.lng) if latar else None,
                       kelompok=3 if k.wilayah.kedalaman <= 2 else None)
    values = [(cells.get((ind.pk, h.sekarang.pk, w.pk)) or Sel(None, None, None)).nilai for w in k.unit_peta]
    kelas = klasifikasi(values, metode=h.req.kelas, arah=ind.arah, satuan=ind.satuan)
    titik = []
    for w in k.unit_peta:
        cell = cells.get((ind.pk, h.sekarang.pk, w.pk))
        short = "<5" if cell and cell.disembunyikan else dengan_satuan(cell.nilai if cell else None, ind.desimal,
                                                                       ind.satuan)
        titik.append(TitikPeta(w.kode, w.nama, cell.nilai if cell else None,
                               f"{w.nama}: {_cell_text(cell, ind)}", rows_by_kode.get(w.kode, {}).get("href")
                               or h.req.url(wilayah=w.kode), bool(cell and cell.disembunyikan), short))
    # the same regions, colours and values as a list under the map: big enough to tap on a phone
    h.daftar_peta = sorted(({"kode": t.kode, "nama": t.nama, "teks": t.singkat, "href": t.href,
                             "warna": kelas.warna_untuk(None if t.disembunyikan else t.nilai)} for t in titik),
                           key=lambda r: r["nama"])
    judul = _("Peta %(ind)s, %(wil)s, %(per)s") % {"ind": ind.nama, "wil": k.wilayah.nama, "per": h.sekarang.kode}
    fokus = k.wilayah.kode if k.wilayah.kedalaman == 5 else None
    overlay = _lapisan_sektor(h, letak)
    return peta_svg(letak, titik, kelas, id_="peta", judul=judul, desimal=ind.desimal,
                    satuan=satuan_pendek(ind.satuan), arah=ind.arah, fokus=fokus, lapisan=overlay)


def _lapisan_sektor(h: Halaman, letak) -> str:
    """Agency map layers drawn over the map (issue #12 item 6): the kinds named in the dashboard's
    ``opsi.lapisan`` (e.g. hazard zones on the kebencanaan dashboard)."""
    jenis = h.data.dasbor.opsi.get("lapisan") if isinstance(h.data.dasbor.opsi, dict) else None
    if not jenis or letak.bbox is None:
        return ""
    layers = list(LapisanSpasial.objects.filter(jenis__in=list(jenis)).order_by("kode")
                  .only("kode", "nama", "jenis", "versi", "sha256"))
    if not layers:
        return ""
    h.lapisan = [{"kode": la.kode, "nama": la.nama, "jenis": la.jenis} for la in layers]
    # drawn once per process for these layer versions and this map frame (the layout is cached the same way)
    tanda = tuple((la.kode, la.versi, la.sha256) for la in layers)
    return tersimpan(("overlay", tanda, letak.bbox, letak.lebar, letak.tinggi),
                     lambda: overlay_svg(bbox=letak.bbox, lebar=letak.lebar, tinggi=letak.tinggi, layers=layers))


def _headlines(h: Halaman, cells: dict, ids: dict[str, int | None]) -> tuple[list[dict], Tabel]:
    pid, bid = h.sekarang.pk, h.banding.pk if h.banding else None
    cards, rows = [], []
    utama = {i.pk for i in h.data.utama}
    for ind in h.data.indikator:
        now = cells.get((ind.pk, pid, ids["wilayah"]))
        before = cells.get((ind.pk, bid, ids["wilayah"])) if bid else None
        induk = cells.get((ind.pk, pid, ids["induk"])) if ids["induk"] else None
        kab = cells.get((ind.pk, pid, ids["kabupaten"])) if ids["kabupaten"] else None
        change = perubahan(now, before, ind.arah)
        row = {"kode": ind.kode, "nama": ind.nama, "satuan": ind.satuan, "arah": ind.arah, "desimal": ind.desimal,
               "nilai": now.nilai if now else None, "teks": _cell_text(now, ind),
               "disembunyikan": bool(now and now.disembunyikan),
               "sementara": bool(now and now.sementara), "belum_terbit": bool(now and now.belum_terbit),
               "nilai_banding": before.nilai if before else None, "perubahan": change["selisih"] if change else None,
               "ubah": change, "induk": induk.nilai if induk else None, "kabupaten": kab.nilai if kab else None,
               "teks_kabupaten": _cell_text(kab, ind), "href": h.req.url(indikator=ind.kode),
               "dipilih": ind.pk == h.indikator.pk}
        rows.append(row)
        if ind.pk in utama:
            cards.append(row)
    k = h.konteks
    cols = [("kode", _("Kode indikator")), ("nama", _("Indikator")), ("satuan", _("Satuan")),
            ("nilai", f"{k.wilayah.nama} ({h.sekarang.kode})")]
    if h.banding:
        cols += [("nilai_banding", f"{k.wilayah.nama} ({h.banding.kode})"), ("perubahan", _("Perubahan"))]
    if ids["induk"]:
        cols.append(("induk", k.jejak[-2].nama))
    if ids["kabupaten"]:
        cols.append(("kabupaten", k.kabupaten.nama))
    return cards, Tabel("indikator", _("Semua indikator dasbor"), cols, rows, sembunyi=("kode",))


def halaman_dasbor(*, user, req: Permintaan, svg: bool = True) -> Halaman | None:
    """The dashboard page data, or None when the dashboard, region or period does not exist."""
    data = selectors.dasbor_get(kode=req.dasbor, user=user)
    if data is None or not data.indikator:
        return None
    konteks = selectors.wilayah_konteks(req.wilayah)
    semua = selectors.periode_semua()
    reader: Pembaca = selectors.pembaca_halaman(user, periode_ids=[p.pk for p in semua], sementara=req.sementara)
    periods = selectors.periode_terlihat(semua, reader)
    now, before = selectors.periode_pilih(periods, req.periode, req.banding)
    if konteks is None or now is None:
        return None
    ind = data.cari(req.indikator) or data.utama[0]
    h = Halaman(data, ind, konteks, periods, now, before, req, reader=reader)
    k = konteks
    region_codes = {w.pk: w.kode for w in [*k.unit_peta, *k.anak, k.wilayah, *([k.kabupaten] if k.kabupaten else [])]}
    # 1) the selected indicator: every period, for the map units, the children, the region and the regency
    cells = selectors.fakta(indikator=[ind], periode_ids=[p.pk for p in periods], wilayah=region_codes,
                            reader=reader)
    # 2) every indicator of the dashboard for the region, its parent and the regency, now and before
    induk = k.jejak[-2] if len(k.jejak) > 1 else None
    ids = {"wilayah": k.wilayah.pk, "induk": induk.pk if induk and induk.kedalaman > 2 else None,
           "kabupaten": k.kabupaten.pk if k.kabupaten and k.kabupaten.pk != k.wilayah.pk else None}
    head_regions = {wid: k.semua[wid].kode for wid in ids.values() if wid}
    head = selectors.fakta(indikator=data.indikator, periode_ids=[p.pk for p in (now, before) if p],
                           wilayah=head_regions, reader=reader)
    h.utama, h.tabel["indikator"] = _headlines(h, head, ids)
    bid = before.pk if before else None
    units = _ranking_rows(k.unit_peta, ind, cells, now.pk, bid, req, True)
    label = _("Peringkat %(tingkat)s") % {"tingkat": _("banjar") if k.wilayah.kedalaman >= 4 else _("desa/kelurahan")}
    cols = kolom_peringkat(satuan_pendek(ind.satuan), now.kode, before.kode if before else None)
    sort = {"tautan_urut": req.urut_url, "urut_aktif": req.urut}
    h.tabel["peringkat"] = Tabel("peringkat", label, cols, units, ind.desimal, True, **sort)
    if k.anak and k.anak != k.unit_peta:
        h.tabel["kecamatan"] = Tabel("kecamatan", _("Peringkat kecamatan"), cols,
                                     _ranking_rows(k.anak, ind, cells, now.pk, bid, req, True), ind.desimal, True,
                                     **sort)
    if data.dasbor.opsi.get("kepulauan") and _kelompok_boleh(reader, now.pk, data.dasbor.opsi["kepulauan"]):
        h.kepulauan = kepulauan.perbandingan(data=data, periode=now, reader=reader,
                                             opsi=data.dasbor.opsi["kepulauan"])
        h.tabel["kepulauan"] = h.kepulauan["tabel"]
    if req.kelompok == adat.ADAT:
        h.adat_boleh = adat.boleh(reader, now.pk, k.wilayah.kode)
        if h.adat_boleh:
            h.tabel["desa_adat"] = adat.tabel_desa_adat(ind=ind, periode=now, konteks=k, reader=reader)
    h.tren, h.tabel["tren"] = _trend(ind, k, periods, cells, svg)
    if svg:
        h.peta = _map(h, cells, {r["kode"]: r for r in units})
    if reader.sementara:
        for tabel in h.tabel.values():
            kolom_status_data(tabel)
    return h


def _kelompok_boleh(reader: Pembaca, pid: int, opsi: dict[str, Any]) -> bool:
    """Island-group figures sum the whole regency: shown only when all of it is published (or provisional)."""
    kab = ".".join(str(opsi.get("kecamatan") or "").split(".")[:2])
    return reader.status is None or reader.sementara or reader.status.terbit(pid, kab)


def ada_data_terbit(*, user, sementara: bool = False) -> bool:
    """Is there any period the reader may see (a published desa, or provisional mode for staff)?"""
    semua = selectors.periode_semua()
    reader = selectors.pembaca_halaman(user, periode_ids=[p.pk for p in semua], sementara=sementara)
    return bool(selectors.periode_terlihat(semua, reader))



def peta_ringkas(*, user, wilayah: str | None = None, href: Callable[[str], str] | None = None,
                 dasbor: str | None = None) -> Halaman | None:
    """The headline map of the home and region pages, drawn by the dashboards' own renderer: the first
    headline indicator of the first dashboard (or ``dasbor``), the newest period the reader may see.

    ``href`` gives each region's link (default: the dashboard drilled down to it). Only the map, its
    list and the period are filled in; None when there is no dashboard, region or visible period."""
    kode = dasbor or next((d["kode"] for d in selectors.dasbor_list(user=user) if d["jumlah"]), None)
    data = selectors.dasbor_get(kode=kode, user=user) if kode else None
    konteks = selectors.wilayah_konteks(wilayah)
    if data is None or not data.indikator or konteks is None or not konteks.unit_peta:
        return None
    semua = selectors.periode_semua()
    reader = selectors.pembaca_halaman(user, periode_ids=[p.pk for p in semua])
    periods = selectors.periode_terlihat(semua, reader)
    if not periods:
        return None
    now = periods[-1]
    ind = data.utama[0]
    req = Permintaan(data.dasbor.kode, konteks.wilayah.kode)
    h = Halaman(data, ind, konteks, periods, now, None, req, reader=reader)
    cells = selectors.fakta(indikator=[ind], periode_ids=[now.pk], wilayah={w.pk: w.kode for w in konteks.unit_peta},
                            reader=reader)
    links = {w.kode: {"href": href(w.kode)} for w in konteks.unit_peta} if href else {}
    h.peta = _map(h, cells, links)
    return h
