"""The village profile (profil desa): every indicator vs kecamatan and regency, banjar, pyramid, map, status.

Reads only aggregates. The pyramid is one grouped SQL query over the period's ``analitik_individu``
rows; banjar counts are one grouped query over the analytic tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from presisi.core.i18n import teks, teks_dari
from presisi.dashboards import selectors
from presisi.dashboards.analitik import baca
from presisi.dashboards.fmt import satuan_pendek
from presisi.dashboards.selectors import Konteks, Pembaca
from presisi.dashboards.svg_grafik import Kelompok
from presisi.dashboards.tabel import Tabel, kolom_status_data
from presisi.indicators.analytics.tables import TABLE
from presisi.indicators.models import Indikator, Snapshot
from presisi.indicators.selectors import MIN_CELL, indikator_list
from presisi.integration.selectors_spasial import zona_desa
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.updates.models import Pengajuan

UMUR_TERBUKA = 75  # last, open age group: 75+
LABEL_KELOMPOK = [f"{a}–{a + 4}" for a in range(0, UMUR_TERBUKA, 5)] + [f"{UMUR_TERBUKA}+"]


def piramida(*, periode: Periode, wilayah: Wilayah) -> dict[tuple[int, int], int]:
    """(age group index, sex) → people, for a desa or banjar in the period: ONE grouped query."""
    qn = connection.ops.quote_name
    col = "banjar_id" if wilayah.kedalaman == 5 else "desa_id"
    last = UMUR_TERBUKA // 5
    sql = (f"SELECT CASE WHEN umur >= {UMUR_TERBUKA} THEN {last} ELSE umur / 5 END AS kelompok, jenis_kelamin, "
           f"COUNT(*) FROM {qn(TABLE['individu'])} WHERE periode_id = %s AND {col} = %s AND umur IS NOT NULL "
           f"AND jenis_kelamin IN (1, 2) GROUP BY 1, 2")
    return {(int(g), int(sex)): int(n) for g, sex, n in baca(sql, [periode.pk, wilayah.pk], units=("individu",))}


def piramida_kelompok(counts: dict[tuple[int, int], int], sembunyikan: bool) -> list[Kelompok]:
    """Rows for the chart, youngest first; small cells hidden for readers outside the desa's scope."""
    def cell(n: int) -> int | None:
        return None if sembunyikan and 0 < n < MIN_CELL else n

    return [Kelompok(label, cell(counts.get((i, 1), 0)), cell(counts.get((i, 2), 0)))
            for i, label in enumerate(LABEL_KELOMPOK)]


def jumlah_banjar(*, periode: Periode, desa: Wilayah) -> dict[int, dict[str, int]]:
    """banjar id → people, families, households in the period's analytic rows (one query)."""
    qn = connection.ops.quote_name
    parts = [f"SELECT '{unit}', banjar_id, COUNT(*) FROM {qn(TABLE[unit])} WHERE periode_id = %s AND desa_id = %s "
             f"GROUP BY banjar_id" for unit in ("individu", "keluarga", "rumah_tangga")]
    out: dict[int, dict[str, int]] = {}
    units = ("individu", "keluarga", "rumah_tangga")
    for unit, banjar, n in baca(" UNION ALL ".join(parts), [periode.pk, desa.pk] * 3, units=units):
        if banjar is not None:
            out.setdefault(int(banjar), {})[unit] = int(n)
    return out


def status_data(*, periode: Periode, desa: Wilayah) -> dict[str, Any]:
    """The desa's snapshot for the period (built when, frozen or not) and its submission state, if any."""
    snap = Snapshot.objects.filter(periode=periode, desa=desa).order_by("-dibangun_pada").first()
    out: dict[str, Any] = {"snapshot": None, "pengajuan": None}
    if snap is not None:
        out["snapshot"] = {"dibangun_pada": snap.dibangun_pada, "beku": snap.beku,
                           "jumlah_individu": snap.jumlah_individu}
    p = Pengajuan.objects.filter(periode=periode, desa=desa).first()
    if p is not None:
        out["pengajuan"] = {"status": p.status, "label": p.get_status_display(), "diubah": p.status_diubah}
    return out


@dataclass
class Profil:
    konteks: Konteks
    periode: Periode
    periode_semua: list[Periode]
    reader: Pembaca
    indikator: list[dict] = field(default_factory=list)
    utama: list[dict] = field(default_factory=list)
    banjar: Tabel | None = None
    kelompok: list[Kelompok] = field(default_factory=list)
    jumlah_penduduk: int = 0
    status: dict = field(default_factory=dict)
    tabel: dict[str, Tabel] = field(default_factory=dict)
    belum_terbit: bool = False  # published-only reader and this desa's period is not published
    zona: list[dict] = field(default_factory=list)  # hazard zones touching the desa (agency layers)
    paparan: list[dict] = field(default_factory=list)  # the desa's exposure indicators (same rules as the others)

    @property
    def sementara(self) -> bool:
        """Provisional mode and the desa's data for the period is not approved yet."""
        status = self.reader.status
        return bool(self.reader.sementara and status and not status.tetap(self.periode.pk, self.desa.kode))

    @property
    def desa(self) -> Wilayah:
        return self.konteks.wilayah

    @property
    def kecamatan(self) -> Wilayah | None:
        return self.konteks.jejak[-2] if len(self.konteks.jejak) > 1 else None


def _indicator_rows(k: Konteks, periode: Periode, user, reader: Pembaca) -> list[dict]:
    """Every indicator the reader may see: the desa, its kecamatan and the regency, side by side.

    Same rows as ``indicators.selectors.profil_wilayah`` (one fact query for the region chain), with
    the dashboards' scope rule and without loading any region geometry.
    """
    indicators = list(indikator_list(user=user).select_related(None).only(*selectors.INDIKATOR_FIELDS))
    chain = {w.pk: w.kode for w in k.jejak}
    cells = selectors.fakta(indikator=indicators, periode_ids=[periode.pk], wilayah=chain, reader=reader)
    kec = k.jejak[-2] if len(k.jejak) > 2 else None
    rows = []
    for ind in indicators:
        own = cells.get((ind.pk, periode.pk, k.wilayah.pk))
        if own is None:
            continue
        kec_cell = cells.get((ind.pk, periode.pk, kec.pk)) if kec else None
        kab_cell = cells.get((ind.pk, periode.pk, k.kabupaten.pk)) if k.kabupaten else None
        # theme heading: the standard file's English theme name, else the code as words (as before)
        nama_tema = teks_dari(ind.terjemahan, "nama_tema", (ind.tema or "").replace("_", " ").capitalize())
        rows.append({"kode": ind.kode, "nama": teks(ind, "nama"), "tema": ind.tema, "nama_tema": nama_tema,
                     "satuan": satuan_pendek(teks(ind, "satuan")),
                     "arah": ind.arah, "desimal": ind.desimal, "desa": own.nilai, "jumlah": own.pembilang,
                     "sementara": any(c is not None and c.sementara for c in (own, kec_cell, kab_cell)),
                     "belum_terbit": own.belum_terbit,
                     "kecamatan": kec_cell.nilai if kec_cell else None,
                     "kabupaten": kab_cell.nilai if kab_cell else None, "disembunyikan": own.disembunyikan})
    rows.sort(key=lambda r: (r["tema"], r["kode"]))
    return rows


def _banjar_table(k: Konteks, periode: Periode, headline: list[Indikator], reader: Pembaca,
                  tahan: bool = False) -> tuple[Tabel, list[Indikator]]:
    main = _main_banjar_indicators(headline)
    counts = {} if tahan else jumlah_banjar(periode=periode, desa=k.wilayah)
    cells = selectors.fakta(indikator=main, periode_ids=[periode.pk], wilayah={b.pk: b.kode for b in k.anak},
                            reader=reader)
    rows = []
    for b in k.anak:
        c = counts.get(b.pk, {})
        row: dict[str, Any] = {"kode": b.kode, "nama": b.nama, "penduduk": c.get("individu", 0),
                               "keluarga": c.get("keluarga", 0), "rumah_tangga": c.get("rumah_tangga", 0)}
        hidden = []
        for ind in main:
            cell = cells.get((ind.pk, periode.pk, b.pk))
            row[ind.kode] = cell.nilai if cell else None
            if cell and cell.disembunyikan:
                hidden.append(ind.kode)
        row["sembunyi"] = hidden
        rows.append(row)
    cols = [("kode", _("Kode")), ("nama", _("Banjar")), ("penduduk", _("Penduduk")), ("keluarga", _("Keluarga")),
            ("rumah_tangga", _("Rumah tangga"))]
    cols += [(i.kode, f"{i.nama} ({satuan_pendek(i.satuan)})" if i.satuan else i.nama) for i in main]
    # the code stays in the downloads; on the page the banjar's name is enough and the table fits 1366 px
    return Tabel("banjar", _("Banjar"), cols, rows, sembunyi=("kode",)), main


def _main_banjar_indicators(headline: list[Indikator], limit: int = 6) -> list[Indikator]:
    """The first banjar-level headline indicators of the dashboards (a table that fits on a page)."""
    out: list[Indikator] = []
    for ind in headline:
        if ind.level_estimasi == "banjar" and ind not in out:
            out.append(ind)
    return out[:limit]


def profil_desa(*, kode: str, periode: str | None, user, sementara: bool = False) -> Profil | None:
    k = selectors.wilayah_konteks(kode)
    if k is None or k.wilayah.kedalaman != 4:
        return None
    semua = selectors.periode_semua()
    reader = selectors.pembaca_halaman(user, periode_ids=[p.pk for p in semua], sementara=sementara)
    periods = selectors.periode_terlihat(semua, reader)
    now, _before = selectors.periode_pilih(periods, periode, "")
    if now is None:
        return None
    p = Profil(k, now, periods, reader)
    # counts read from the analytic tables follow the same rule as the indicator values
    p.belum_terbit = bool(reader.status and not reader.sementara and not reader.status.terbit(now.pk, k.wilayah.kode))
    p.indikator = _indicator_rows(k, now, user, reader)
    p.zona = zona_desa(kode_desa=k.wilayah.kode, titik=(k.wilayah.lat, k.wilayah.lng))
    p.paparan = _paparan_rows(p.indikator)
    headline = selectors.utama_semua(user=user)
    p.banjar, _main = _banjar_table(k, now, headline, reader, tahan=p.belum_terbit)
    codes = {i.kode for i in headline}
    p.utama = [r for r in p.indikator if r["kode"] in codes]
    counts = {} if p.belum_terbit else piramida(periode=now, wilayah=k.wilayah)
    p.jumlah_penduduk = sum(counts.values())
    p.kelompok = piramida_kelompok(counts, not reader.penuh(k.wilayah.kode))
    p.status = status_data(periode=now, desa=k.wilayah)
    p.tabel = {"indikator": _indicator_table(p), "banjar": p.banjar, "piramida": _pyramid_table(p)}
    if reader.sementara:
        for row in [*p.banjar.baris, *p.tabel["piramida"].baris]:
            row["sementara"] = p.sementara
        for tabel in p.tabel.values():
            kolom_status_data(tabel)
    return p


def _paparan_rows(rows: list[dict]) -> list[dict]:
    """The exposure indicators among the desa's rows (count = numerator), ordered by hazard then group."""
    from presisi.integration.services.spasial_paparan import BAHAYA_JENIS, UKURAN, kode_indikator

    by_code = {r["kode"]: r for r in rows}
    out = []
    for bahaya, label in BAHAYA_JENIS.items():
        cells = {u: by_code.get(kode_indikator(u, bahaya)) for u in UKURAN}
        if any(c is not None for c in cells.values()):
            out.append({"bahaya": bahaya, "label": label, "sel": cells})
    return out


def _indicator_table(p: Profil) -> Tabel:
    cols = [("tema", _("Tema")), ("kode", _("Kode indikator")), ("nama", _("Indikator")), ("satuan", _("Satuan")),
            ("desa", p.desa.nama)]
    if p.kecamatan:
        cols.append(("kecamatan", _("Kec. %(nama)s") % {"nama": p.kecamatan.nama}))
    if p.konteks.kabupaten:
        cols.append(("kabupaten", p.konteks.kabupaten.nama))
    return Tabel("indikator", _("Indikator desa"), cols, p.indikator, sembunyi=("kode",))  # codes in files only


def _pyramid_table(p: Profil) -> Tabel:
    rows = [{"kelompok": k.label, "laki": k.laki, "perempuan": k.perempuan,
             "disembunyikan": k.laki is None or k.perempuan is None} for k in p.kelompok]
    cols = [("kelompok", _("Kelompok umur")), ("laki", _("Laki-laki")), ("perempuan", _("Perempuan"))]
    return Tabel("piramida", _("Piramida penduduk"), cols, rows)


def peta_profil_fitur(k: Konteks) -> tuple[list[Wilayah], list[str]]:
    """The desa and its neighbours (touching polygons; same-kecamatan desa when there is no geometry)."""
    from presisi.dashboards.geo import FiturInput, tetangga

    kab = k.kabupaten.kode if k.kabupaten else k.wilayah.kode.rsplit(".", 2)[0]
    desa = list(Wilayah.objects.filter(kedalaman=4, kode__startswith=kab + ".").only(*selectors.REGION_FIELDS)
                .order_by("kode"))
    near = tetangga(k.wilayah.kode, [FiturInput(d.kode, d.lat, d.lng) for d in desa])
    if not near:
        kec = k.wilayah.kode.rsplit(".", 1)[0]
        near = [d.kode for d in desa if d.kode.startswith(kec + ".") and d.kode != k.wilayah.kode]
    keep = {k.wilayah.kode, *near}
    return [d for d in desa if d.kode in keep], near


def profil_gambar(p: Profil, *, href_profil) -> dict[str, str]:
    """The profile's two pictures as SVG: the locator map and the population pyramid."""
    from presisi.dashboards.geo import FiturInput, tata_letak
    from presisi.dashboards.svg_grafik import piramida_svg
    from presisi.dashboards.svg_peta import Wilayah as TitikPeta
    from presisi.dashboards.svg_peta import peta_lokasi_svg

    desa, _near = peta_profil_fitur(p.konteks)
    letak = tata_letak([FiturInput(d.kode, d.lat, d.lng) for d in desa])
    titik = [TitikPeta(d.kode, d.nama, None, d.nama, href_profil(d.kode) if d.kode != p.desa.kode else None)
             for d in desa]
    peta = peta_lokasi_svg(letak, titik, fokus=p.desa.kode, id_="peta-lokasi",
                           judul=_("Peta %(desa)s dan desa tetangganya") % {"desa": p.desa.nama})
    pyramid = piramida_svg(p.kelompok, id_="piramida", jumlah=p.jumlah_penduduk,
                           judul=_("Piramida penduduk %(desa)s, %(periode)s") % {"desa": p.desa.nama,
                                                                                 "periode": p.periode.kode})
    return {"peta": peta, "piramida": pyramid}
