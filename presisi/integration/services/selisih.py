"""Where the sources disagree: the ``Selisih`` items of one delivery, each saying who must act.

``selisih_hitung(pengiriman)`` recomputes a delivery's items from scratch (delete + bulk insert in one
transaction), so linkage calls it after every run or review decision and the report never keeps an
item that a decision has resolved. Categories (``Selisih.KATEGORI_CHOICES``):

* ``tanpa_registri`` — a source row with no registry person (link outcome ``tanpa_pasangan``): OPD;
* ``meninggal`` / ``pindah`` — a linked person who is dead, moved out or gone in the registry, with
  the registry event's date: OPD (the agency still lists them);
* ``atribut`` — a linked row whose sex, birth date, KK number, desa or a dictionary variable in
  ``BarisSumber.data`` (education, disability, JKN status, …) differs from the registry, both
  values kept with their code-list labels; who acts follows the field's system of record;
* ``ganda_sumber`` — two or more rows of the delivery linked to one person: OPD, one item per row;
* ``agregat`` — an aggregate dataset's value for a desa that differs from the registry's own count
  beyond the dataset's tolerance (``metadata.toleransi``, default 5 %).

Rows still in review (``tinjau``) or not linked yet (``belum``) are not compared: their person is not
known. System of record: identity fields are the registry's (``SISTEM_RUJUKAN_IDENTITAS``); a
dictionary variable declares it in ``Variabel.sistem_rujukan``. Registry authoritative → the OPD
fixes its list; an agency authoritative → the desa updates the registry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from presisi.dictionary.models import KODE, SISTEM_RUJUKAN_REGISTRI, Variabel
from presisi.dictionary.validation import unit_spec
from presisi.integration.models import AGREGAT, TANPA_PASANGAN, TERTAUT, BarisSumber, Pengiriman, Selisih
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, MATI, PERGI, PINDAH, Individu, Peristiwa

# Identity fields: the civil registry (Dukcapil, kept by the desa registry) is the system of record.
SISTEM_RUJUKAN_IDENTITAS = {"jenis_kelamin": SISTEM_RUJUKAN_REGISTRI, "tanggal_lahir": SISTEM_RUJUKAN_REGISTRI,
                            "no_kk": SISTEM_RUJUKAN_REGISTRI, "desa": SISTEM_RUJUKAN_REGISTRI}
TOLERANSI_BAKU = 0.05
# Registry status → (category, the events that set it).
STATUS_KELUAR = {MATI: (Selisih.MENINGGAL, (Peristiwa.MATI,)),
                 PINDAH: (Selisih.PINDAH, (Peristiwa.PINDAH_KELUAR,)),
                 PERGI: (Selisih.PINDAH, (Peristiwa.PERGI,))}
LABEL_STATUS = {MATI: "meninggal", PINDAH: "pindah keluar", PERGI: "pergi"}
LABEL_JK = {1: "Laki-laki", 2: "Perempuan"}
WG = ("wg_melihat", "wg_mendengar", "wg_berjalan", "wg_mengingat", "wg_mengurus_diri", "wg_berkomunikasi")
YA, TIDAK = 1, 2


def selisih_hitung(pengiriman: Pengiriman) -> int:
    """Recompute the discrepancy items of one delivery; returns how many there are."""
    with transaction.atomic():
        Selisih.objects.filter(pengiriman=pengiriman).delete()
        if pengiriman.status == Pengiriman.DITOLAK:
            return 0
        items = _agregat(pengiriman) if pengiriman.dataset.jenis == AGREGAT else _mikro(pengiriman)
        Selisih.objects.bulk_create(items, batch_size=2000)
    return len(items)


def pihak_untuk(rujukan: str) -> str:
    """Who acts when the field's system of record is ``rujukan``."""
    return Selisih.OPD if rujukan == SISTEM_RUJUKAN_REGISTRI else Selisih.DESA


# ---------------------------------------------------------------- microdata


@dataclass(frozen=True)
class _Orang:
    id: int
    desa_id: int
    jenis_kelamin: int
    tanggal_lahir: dt.date | None
    status_dasar: int
    no_kk: str
    pendidikan: int | None
    pekerjaan: int | None
    atribut: dict
    atribut_rt: dict
    atribut_kk: dict


def _orang(ids: Iterable[int], units: set[str]) -> dict[int, _Orang]:
    """The linked people; the JSON attributes of a unit only when a delivered variable needs them
    (decoding three JSON blobs per person is most of the cost on a large delivery)."""
    json_fields = {"individu": "atribut", "rumah_tangga": "rumah_tangga__atribut", "keluarga": "keluarga__atribut"}
    fields = ["id", "desa_id", "jenis_kelamin", "tanggal_lahir", "status_dasar", "keluarga__no_kk", "pendidikan",
              "pekerjaan"] + [json_fields[u] for u in ("individu", "rumah_tangga", "keluarga") if u in units]
    out = {}
    ids = list(ids)
    for start in range(0, len(ids), 5000):
        for r in Individu.objects.filter(id__in=ids[start:start + 5000]).values(*fields):
            out[r["id"]] = _Orang(r["id"], r["desa_id"], r["jenis_kelamin"], r["tanggal_lahir"], r["status_dasar"],
                                  r["keluarga__no_kk"] or "", r["pendidikan"], r["pekerjaan"],
                                  r.get("atribut") or {}, r.get("rumah_tangga__atribut") or {},
                                  r.get("keluarga__atribut") or {})
    return out


def _tanggal_keluar(ids: list[int]) -> dict[tuple[int, int], dt.date]:
    """(person, event kind) → the latest date of that leaving event."""
    jenis = [j for _, kinds in STATUS_KELUAR.values() for j in kinds]
    rows = (Peristiwa.objects.filter(individu_id__in=ids, jenis__in=jenis).values("individu_id", "jenis")
            .annotate(t=Max("tanggal")))
    return {(r["individu_id"], r["jenis"]): r["t"] for r in rows}


class _Kamus:
    """Dictionary look-ups the comparison needs: variable unit, code labels, system of record."""

    def __init__(self) -> None:
        self.rujukan = dict(Variabel.objects.filter(aktif=True).values_list("kode", "sistem_rujukan"))
        self.spec = {u: unit_spec(u) for u in ("individu", "keluarga", "rumah_tangga")}

    def variabel(self, kode: str):
        for unit, spec in self.spec.items():
            if kode in spec:
                return unit, spec[kode]
        return None

    def label(self, spec, value: Any) -> str:
        if value is None or value == "":
            return ""
        if spec is not None and spec.tipe == KODE:
            text = dict(spec.labels).get(value)
            return f"{value} – {text}" if text else str(value)
        return str(value)


def _kode_dari(spec, raw: Any) -> Any:
    """A source value as the registry would store it: codes by number or by label (case ignored)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec is None or spec.tipe != KODE:
        try:
            return float(raw) if spec is not None and spec.tipe in ("bilangan", "desimal") else str(raw).strip()
        except (TypeError, ValueError):
            return str(raw).strip()
    try:
        return int(float(str(raw).strip()))
    except ValueError:
        text = str(raw).strip().casefold()
        for code, label in spec.labels:
            if label.casefold() == text:
                return code
        return str(raw).strip()


def _disabilitas_registri(atribut: dict) -> int | None:
    """Washington Group short set: disabled when any domain is 'a lot of difficulty' or 'cannot do'."""
    values = [atribut.get(w) for w in WG]
    if any(v in (3, 4) for v in values):
        return YA
    return TIDAK if any(v is not None for v in values) else None


def _ya_tidak(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    text = str(raw).strip().casefold()
    if text in ("1", "ya", "y", "true", "benar"):
        return YA
    if text in ("2", "0", "tidak", "t", "n", "false", "bukan"):
        return TIDAK
    return None


class _Pembanding:
    def __init__(self, pengiriman: Pengiriman) -> None:
        self.pengiriman = pengiriman
        self.kamus = _Kamus()
        self.desa_kode = dict(Wilayah.objects.filter(kedalaman=4).values_list("id", "kode"))
        self.items: list[Selisih] = []

    def tambah(self, baris: dict | None, kategori: str, pihak: str, *, desa_id: int | None = None,
               individu_id: int | None = None, variabel: str = "", sumber: Any = "", registri: Any = "",
               keterangan: str = "") -> None:
        self.items.append(Selisih(
            pengiriman=self.pengiriman, baris_id=baris["id"] if baris else None,
            desa_id=desa_id if desa_id is not None else (baris or {}).get("desa_id"),
            individu_id=individu_id, kategori=kategori, variabel=variabel, nilai_sumber=str(sumber)[:300],
            nilai_registri=str(registri)[:300], pihak=pihak, keterangan=keterangan[:500]))

    def atribut(self, b: dict, o: _Orang) -> None:
        desa = b["desa_id"] or o.desa_id
        common = {"desa_id": desa, "individu_id": o.id}
        pihak_id = pihak_untuk(SISTEM_RUJUKAN_REGISTRI)
        if b["jenis_kelamin"] is not None and b["jenis_kelamin"] != o.jenis_kelamin:
            self.tambah(b, Selisih.ATRIBUT, pihak_id, variabel="jenis_kelamin",
                        sumber=LABEL_JK.get(b["jenis_kelamin"], b["jenis_kelamin"]),
                        registri=LABEL_JK.get(o.jenis_kelamin, o.jenis_kelamin), **common)
        if b["tanggal_lahir"] and o.tanggal_lahir and b["tanggal_lahir"] != o.tanggal_lahir:
            self.tambah(b, Selisih.ATRIBUT, pihak_id, variabel="tanggal_lahir", sumber=b["tanggal_lahir"].isoformat(),
                        registri=o.tanggal_lahir.isoformat(), **common)
        if b["no_kk"] and b["no_kk"] != o.no_kk:
            self.tambah(b, Selisih.ATRIBUT, pihak_id, variabel="no_kk", sumber=b["no_kk"], registri=o.no_kk, **common)
        if b["desa_id"] and b["desa_id"] != o.desa_id:
            self.tambah(b, Selisih.ATRIBUT, pihak_id, variabel="desa", sumber=self.desa_kode.get(b["desa_id"], ""),
                        registri=self.desa_kode.get(o.desa_id, ""),
                        keterangan="Orang ini tercatat di desa lain dalam registri.", **common)
        for kode, raw in (b["data"] or {}).items():
            self.variabel_data(b, o, kode, raw, common)

    def variabel_data(self, b: dict, o: _Orang, kode: str, raw: Any, common: dict) -> None:
        if kode == "disabilitas":
            sumber, registri = _ya_tidak(raw), _disabilitas_registri(o.atribut)
            if sumber is not None and registri is not None and sumber != registri:
                label = {YA: "1 – Ya", TIDAK: "2 – Tidak"}
                self.tambah(b, Selisih.ATRIBUT, pihak_untuk(self.kamus.rujukan.get(kode, SISTEM_RUJUKAN_REGISTRI)),
                            variabel=kode, sumber=label[sumber], registri=label[registri],
                            keterangan="Registri: Washington Group (kesulitan berat/tidak bisa di satu ranah).",
                            **common)
            return
        found = self.kamus.variabel(kode)
        if found is None:
            return  # not a dictionary variable: nothing in the registry to compare with
        unit, spec = found
        if unit == "individu":
            registri = getattr(o, kode) if kode in ("pendidikan", "pekerjaan") else o.atribut.get(kode)
        else:
            registri = (o.atribut_rt if unit == "rumah_tangga" else o.atribut_kk).get(kode)
        sumber = _kode_dari(spec, raw)
        if sumber is None or registri is None:
            return  # a missing value on either side is a gap, not a disagreement
        if isinstance(sumber, float) and isinstance(registri, int | float):
            beda = abs(sumber - float(registri)) > 1e-9
        else:
            beda = sumber != registri
        if beda:
            self.tambah(b, Selisih.ATRIBUT, pihak_untuk(self.kamus.rujukan.get(kode, SISTEM_RUJUKAN_REGISTRI)),
                        variabel=kode, sumber=self.kamus.label(spec, sumber), registri=self.kamus.label(spec, registri),
                        **common)


def _mikro(pengiriman: Pengiriman) -> list[Selisih]:
    rows = list(BarisSumber.objects.filter(pengiriman=pengiriman, status_tautan__in=(TERTAUT, TANPA_PASANGAN))
                .values("id", "baris", "desa_id", "kode_desa", "no_kk", "jenis_kelamin", "tanggal_lahir", "data",
                        "status_tautan", "individu_id").order_by("baris"))
    p = _Pembanding(pengiriman)
    linked = [r for r in rows if r["status_tautan"] == TERTAUT and r["individu_id"]]
    for r in rows:
        if r["status_tautan"] == TANPA_PASANGAN:
            p.tambah(r, Selisih.TANPA_REGISTRI, Selisih.OPD, sumber=r["kode_desa"],
                     keterangan="Tidak ditemukan orang yang cocok di registri desa.")
    units = set()
    for key in {k for r in linked for k in (r["data"] or {})}:
        found = p.kamus.variabel(key)
        units.add("individu" if key == "disabilitas" else (found[0] if found else ""))
    orang = _orang({r["individu_id"] for r in linked}, units)
    keluar = _tanggal_keluar([i for i, o in orang.items() if o.status_dasar != HIDUP])
    per_orang: dict[int, list[dict]] = defaultdict(list)
    for r in linked:
        per_orang[r["individu_id"]].append(r)
    for r in linked:
        o = orang.get(r["individu_id"])
        if o is None:
            continue
        if o.status_dasar in STATUS_KELUAR:
            kategori, kinds = STATUS_KELUAR[o.status_dasar]
            tanggal = max((keluar[(o.id, k)] for k in kinds if (o.id, k) in keluar), default=None)
            p.tambah(r, kategori, Selisih.OPD, desa_id=r["desa_id"] or o.desa_id, individu_id=o.id,
                     variabel="status_dasar", sumber="tercatat sebagai penerima/anggota",
                     registri=f"{LABEL_STATUS[o.status_dasar]}" + (f" {tanggal.isoformat()}" if tanggal else ""),
                     keterangan=f"Registri mencatat {LABEL_STATUS[o.status_dasar]}"
                     + (f" pada {tanggal:%d-%m-%Y}." if tanggal else "."))
        elif o.status_dasar == HIDUP:
            p.atribut(r, o)
        group = per_orang[o.id]
        if len(group) > 1:
            lain = ", ".join(str(g["baris"]) for g in group if g["id"] != r["id"])
            p.tambah(r, Selisih.GANDA_SUMBER, Selisih.OPD, desa_id=r["desa_id"] or o.desa_id, individu_id=o.id,
                     keterangan=f"Orang yang sama juga di baris {lain}.")
    return p.items


# ---------------------------------------------------------------- aggregate datasets


def pembanding_agregat(dataset) -> dict[str, dict]:
    """Column → how the registry counts it: ``{"indikator": KODE, "ambil": "nilai"|"pembilang"|"penyebut"}``
    or ``{"ekspresi": "count(...)", "unit": "individu"}``, with optional ``toleransi`` and ``sistem_rujukan``.
    From ``metadata["pembanding"]``; a column named like a desa-level count of the analytics store
    (``jumlah_penduduk``, ``jumlah_keluarga``, ``jumlah_rumah_tangga``) maps to it without saying so."""
    mapping = dict((dataset.metadata or {}).get("pembanding") or {})
    for kolom in ("jumlah_penduduk", "jumlah_keluarga", "jumlah_rumah_tangga"):
        mapping.setdefault(kolom, {"ekspresi": f"sum(desa: {kolom})", "unit": "desa"})
    return mapping


def _toleransi(dataset, entry: dict) -> float:
    raw = entry.get("toleransi", (dataset.metadata or {}).get("toleransi", TOLERANSI_BAKU))
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return TOLERANSI_BAKU
    return value / 100 if value > 1 else value  # "5" means 5 %


def hitung_registri(entry: dict, periode, desa_ids: list[int]) -> dict[int, float]:
    """The registry's own value per desa for one mapped column (empty when it cannot be computed)."""
    if entry.get("indikator"):
        from presisi.indicators.models import NilaiIndikator

        field = entry.get("ambil", "nilai")
        if field not in ("nilai", "pembilang", "penyebut"):
            field = "nilai"
        rows = NilaiIndikator.objects.filter(periode=periode, indikator__kode=entry["indikator"],
                                             wilayah_id__in=desa_ids, disagregasi="total")
        return {w: v for w, v in rows.values_list("wilayah_id", field) if v is not None}
    if entry.get("ekspresi"):
        return _ekspresi_per_desa(entry["ekspresi"], entry.get("unit", "individu"), periode, desa_ids)
    return {}


def _ekspresi_per_desa(text: str, unit: str, periode, desa_ids: list[int]) -> dict[int, float]:
    from presisi.indicators.analytics.sql import id_list, qn
    from presisi.indicators.analytics.tables import TABLE, ensure_table
    from presisi.indicators.catalog import build_catalog
    from presisi.indicators.expressions import ExpressionError, compile_expression

    try:
        compiled = compile_expression(text, default_unit=unit, catalog=build_catalog(periode.tanggal_referensi),
                                      dialect=connection.vendor if connection.vendor in ("sqlite", "postgresql")
                                      else "sqlite")
    except ExpressionError:
        return {}
    results: dict[int, dict] = defaultdict(dict)
    for agg in compiled.aggregates:
        ensure_table(agg.unit)
        sql = (f"SELECT desa_id, {agg.sql} FROM {qn(TABLE[agg.unit])} t WHERE periode_id = %s "
               f"AND desa_id IN {id_list(desa_ids)} GROUP BY desa_id")
        with connection.cursor() as cursor:
            cursor.execute(sql, [periode.pk])
            for desa_id, value in cursor.fetchall():
                results[desa_id][agg] = value
    return {d: compiled.evaluate({a: vals.get(a) for a in compiled.aggregates}) for d, vals in results.items()}


def _angka(raw: Any) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        return float(str(raw).replace(",", "."))
    except ValueError:
        return None


def _agregat(pengiriman: Pengiriman) -> list[Selisih]:
    dataset = pengiriman.dataset
    rows = list(BarisSumber.objects.filter(pengiriman=pengiriman, desa__isnull=False)
                .values("id", "baris", "desa_id", "data").order_by("baris"))
    desa_ids = sorted({r["desa_id"] for r in rows})
    p = _Pembanding(pengiriman)
    for kolom, entry in pembanding_agregat(dataset).items():
        if not any(kolom in (r["data"] or {}) for r in rows):
            continue
        registri = hitung_registri(entry, pengiriman.periode, desa_ids)
        tol = _toleransi(dataset, entry)
        pihak = pihak_untuk(entry.get("sistem_rujukan", SISTEM_RUJUKAN_REGISTRI))
        for r in rows:
            sumber = _angka((r["data"] or {}).get(kolom))
            acuan = registri.get(r["desa_id"])
            if sumber is None or acuan is None:
                continue
            beda = abs(sumber - acuan)
            if beda > tol * max(abs(acuan), 1.0):
                persen = f"{100 * beda / abs(acuan):.1f}%" if acuan else "—"
                p.tambah(r, Selisih.AGREGAT, pihak, variabel=kolom, sumber=_bulat(sumber), registri=_bulat(acuan),
                         keterangan=f"Selisih {_bulat(beda)} ({persen}); toleransi {100 * tol:g}%.")
    return p.items


def _bulat(x: float) -> str:
    return str(int(round(x))) if abs(x - round(x)) < 1e-9 else f"{x:.2f}"
