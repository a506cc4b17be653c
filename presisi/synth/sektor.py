"""Synthetic agency (OPD) person lists, made like real ones, with the truth of who is who.

``daftar_sektor`` samples recipients from a registry (the DB registry through ``registri_dari_db``,
or an in-memory population from ``penduduk_sintetis``) and writes them the way agency lists are
written: NIK missing in about 1 row in 8 and mistyped (1–2 digits) in some, birth-order names
abbreviated or dropped, the I/Ni prefix dropped, typos (1–2 character edits), upper case,
day and month swapped, year off by one, people who moved desa, the same person listed twice,
and people who are not residents at all (plausible Balinese names and birth dates, some sharing
a resident's name). Deterministic per seed.

``penduduk_sintetis`` draws a registry in memory with the same generator as ``presisi synth``
(families, realistic Balinese name frequencies, NIK and No. KK) without touching the database —
216,000 people in a few seconds, for tests and benchmarks of the linkage engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from presisi.synth.streams import stream

KOLOM_REGISTRI = ["id", "nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_ayah",
                  "nama_ibu"]
KOLOM_CSV = ["nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_desa", "alamat"]
WILAYAH_CSV = Path(__file__).resolve().parent.parent / "data" / "wilayah_klungkung.csv"

# Birth-order names as agencies abbreviate them.
SINGKATAN = {"WAYAN": ["WYN", "WY"], "PUTU": ["PT"], "GEDE": ["GD"], "MADE": ["MD"], "KADEK": ["KD"],
             "NENGAH": ["NGH"], "NYOMAN": ["NYM", "NYN"], "KOMANG": ["KMG"], "KETUT": ["KT", "KTT"],
             "LUH": ["LUH"]}
HURUF = "ABCDEFGHIJKLMNOPRSTUWY"


@dataclass
class Laju:
    """Rates of each kind of error in the list (shares of rows)."""

    bukan_penduduk: float = 0.08
    ganda: float = 0.02
    nik_kosong: float = 0.125
    nik_salah: float = 0.04
    urutan_singkat: float = 0.2
    urutan_hilang: float = 0.1
    awalan_hilang: float = 0.25
    salah_ketik: float = 0.08
    huruf_besar: float = 0.5
    tukar_tanggal: float = 0.03
    tahun_geser: float = 0.03
    pindah_desa: float = 0.05
    kk_kosong: float = 0.3
    nama_sama_penduduk: float = 0.4  # share of non-residents named like a resident


@dataclass
class DaftarSektor:
    baris: list[dict]  # KOLOM_CSV shape, jenis_kelamin as L/P, dates mixed YYYY-MM-DD / DD-MM-YYYY
    csv: bytes
    kebenaran: dict[int, int | None]  # 0-based row index → registry id (None: not a resident)
    jenis: dict[int, list[str]] = field(default_factory=dict)  # row index → perturbations applied


# ---------------------------------------------------------------------------------------------
# Registries
# ---------------------------------------------------------------------------------------------

def _frame():
    from presisi.regions.models import Wilayah
    from presisi.synth.regions import RegionFrame

    rows = list(csv.DictReader(WILAYAH_CSV.open(encoding="utf-8")))
    kab = next(Wilayah(kode=r["kode"], nama=r["nama"], tingkat=r["tingkat"]) for r in rows
               if r["tingkat"] in ("kabupaten", "kota"))
    kec = [Wilayah(kode=r["kode"], nama=r["nama"], tingkat=r["tingkat"]) for r in rows if r["tingkat"] == "kecamatan"]
    desa = [Wilayah(kode=r["kode"], nama=r["nama"], tingkat=r["tingkat"]) for r in rows
            if r["tingkat"] in ("desa", "kelurahan")]
    return RegionFrame(kabupaten=kab, kecamatan=sorted(kec, key=lambda w: w.kode),
                       desa=sorted(desa, key=lambda w: w.kode))


def nama_desa() -> dict[str, str]:
    """Desa code → name of the shipped regency (for the ``nama_desa`` column)."""
    return {r["kode"]: r["nama"] for r in csv.DictReader(WILAYAH_CSV.open(encoding="utf-8"))
            if r["tingkat"] in ("desa", "kelurahan")}


def penduduk_sintetis(n: int = 216_000, *, seed: int = 42) -> dict[str, list]:
    """An in-memory registry of about ``n`` people (columns of KOLOM_REGISTRI, ids 1..)."""
    from presisi.synth import identity
    from presisi.synth.allocation import allocate, banjar_counts
    from presisi.synth.banjar import plan_banjar
    from presisi.synth.calibration import load_kalibrasi
    from presisi.synth.population import build_population

    frame = _frame()
    kal = load_kalibrasi(frame.kabupaten.kode)
    alloc = allocate(frame, kal, scale=n / float(kal["penduduk_dasar"]), seed=seed)
    for b in plan_banjar(frame, banjar_counts(alloc, kal, seed), seed):
        frame.banjar.setdefault(b.kode.rsplit(".", 1)[0], []).append(b)
    pop = build_population(frame, kal, alloc, seed)
    agama = identity.household_religion(pop, frame.desa_codes, kal, seed)[pop.rt]
    names, ayah, ibu = identity.person_names(pop, agama, kal, seed)
    nik, _temporary, no_kk, _issued = identity.identity_numbers(pop, frame, kal, seed)
    codes = np.array(frame.desa_codes, dtype=object)
    kk = np.array(no_kk, dtype=object)
    return {
        "id": list(range(1, len(pop) + 1)), "nik": nik, "no_kk": kk[pop.fam].tolist(), "nama": names,
        "jenis_kelamin": pop.sex.astype(int).tolist(), "tanggal_lahir": pop.birth.astype(dt.date).tolist(),
        "kode_desa": codes[pop.desa].tolist(), "nama_ayah": ayah, "nama_ibu": ibu,
    }


def registri_dari_db(queryset=None) -> dict[str, list]:
    """The living registry (or ``queryset`` of Individu) as engine columns, read with values_list."""
    from presisi.registry.models import HIDUP, Individu

    qs = queryset if queryset is not None else Individu.objects.filter(status_dasar=HIDUP)
    fields = ["id", "nik", "keluarga__no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "desa__kode", "nama_ayah",
              "nama_ibu"]
    rows = list(qs.order_by("id").values_list(*fields))
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(fields)
    return {k: list(v) for k, v in zip(KOLOM_REGISTRI, cols, strict=True)}


# ---------------------------------------------------------------------------------------------
# Perturbations
# ---------------------------------------------------------------------------------------------

def _salah_ketik(rng: np.random.Generator, text: str) -> str:
    """1–2 character edits (substitute, delete, insert, swap) inside the words, never the first letter."""
    chars = list(text)
    for _ in range(int(rng.integers(1, 3))):
        spots = [i for i in range(1, len(chars)) if chars[i] != " " and chars[i - 1] != " "]
        if not spots:
            break
        i = spots[int(rng.integers(0, len(spots)))]
        kind = int(rng.integers(0, 4))
        letter = HURUF[int(rng.integers(0, len(HURUF)))]
        letter = letter if chars[i].isupper() else letter.lower()
        if kind == 0:
            chars[i] = letter
        elif kind == 1 and len(chars) > 4:
            del chars[i]
        elif kind == 2:
            chars.insert(i, letter)
        elif i + 1 < len(chars) and chars[i + 1] != " ":
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def _nama(rng: np.random.Generator, nama: str, laju: Laju, tags: list[str]) -> str:
    words = nama.split()
    if len(words) >= 3 and words[0] in ("I", "Ni") and rng.random() < laju.awalan_hilang:
        words = words[1:]
        tags.append("awalan_hilang")
    for i, w in enumerate(words[:-1]):
        key = w.upper()
        if key in SINGKATAN and i + 1 < len(words):
            u = rng.random()
            if u < laju.urutan_hilang:
                del words[i]
                tags.append("urutan_hilang")
            elif u < laju.urutan_hilang + laju.urutan_singkat:
                opts = SINGKATAN[key]
                words[i] = opts[int(rng.integers(0, len(opts)))].title() + ("." if rng.random() < 0.4 else "")
                tags.append("urutan_singkat")
            break
    out = " ".join(words)
    if rng.random() < laju.salah_ketik:
        out = _salah_ketik(rng, out)
        tags.append("salah_ketik")
    if rng.random() < laju.huruf_besar:
        out = out.upper()
    return out


def _nik_salah(rng: np.random.Generator, nik: str) -> str:
    digits = list(nik)
    for _ in range(int(rng.integers(1, 3))):
        i = int(rng.integers(6, 16))  # region digits are rarely wrong: people copy them from the card
        digits[i] = str((int(digits[i]) + int(rng.integers(1, 10))) % 10)
    return "".join(digits)


def _tanggal(rng: np.random.Generator, d: dt.date, laju: Laju, tags: list[str]) -> dt.date:
    u = rng.random()
    if u < laju.tukar_tanggal and d.day <= 12 and d.day != d.month:
        tags.append("tukar_tanggal")
        return d.replace(day=d.month, month=d.day)
    if u < laju.tukar_tanggal + laju.tahun_geser:
        tags.append("tahun_geser")
        year = d.year + (1 if rng.random() < 0.5 else -1)
        return d.replace(year=year, day=min(d.day, 28) if d.month == 2 else d.day)
    return d


def _tulis_tanggal(rng: np.random.Generator, d: dt.date) -> str:
    return d.isoformat() if rng.random() < 0.6 else d.strftime("%d-%m-%Y")


def _bukan_penduduk(rng: np.random.Generator, reg: dict[str, list], n: int, laju: Laju) -> list[dict]:
    """People not in the registry: new Balinese names, or a resident's name with another identity."""
    from presisi.synth.names import HINDU, draw_titles, make_names

    sex = rng.integers(1, 3, n)
    year = rng.integers(1945, 2024, n)
    names = make_names(rng, sex=sex, religion=np.full(n, HINDU), birth_order=rng.integers(1, 5, n),
                       birth_year=year, title=draw_titles(rng, n, 0.1))
    desa = sorted(set(reg["kode_desa"]))
    out = []
    for i in range(n):
        born = dt.date(int(year[i]), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
        nama, jk = names[i], int(sex[i])
        if rng.random() < laju.nama_sama_penduduk:
            j = int(rng.integers(0, len(reg["id"])))
            nama, jk = reg["nama"][j], int(reg["jenis_kelamin"][j])
        # Half carry a NIK from another regency (Denpasar, Gianyar …), the others none.
        nik = ""
        if rng.random() < 0.5:
            region = ["517101", "510401", "510301", "510601"][int(rng.integers(0, 4))]
            nik = f"{region}{born.day + (40 if jk == 2 else 0):02d}{born.month:02d}{born.year % 100:02d}" \
                  f"{int(rng.integers(1, 9999)):04d}"
        out.append({"id": None, "nik": nik, "no_kk": "", "nama": nama, "jenis_kelamin": jk, "tanggal_lahir": born,
                    "kode_desa": desa[int(rng.integers(0, len(desa)))]})
    return out


def daftar_sektor(registri: dict[str, list], n: int, *, seed: int = 7, laju: Laju | None = None,
                  desa_nama: dict[str, str] | None = None) -> DaftarSektor:
    """An agency list of ``n`` rows drawn from ``registri`` (columns of KOLOM_REGISTRI)."""
    laju = laju or Laju()
    rng = stream(seed, "daftar-sektor")
    desa_nama = desa_nama if desa_nama is not None else nama_desa()
    n_luar = int(round(n * laju.bukan_penduduk))
    n_ganda = int(round(n * laju.ganda))
    n_warga = n - n_luar - n_ganda
    # Only people with a real NIK are drawn (agency lists come from people with an ID card).
    eligible = np.array([i for i, nik in enumerate(registri["nik"]) if nik and not str(nik).startswith("0")])
    pick = rng.choice(eligible, size=n_warga, replace=False)
    people = [{k: registri[k][int(j)] for k in KOLOM_REGISTRI} for j in pick]
    people += [people[int(j)] for j in rng.integers(0, n_warga, n_ganda)]  # listed twice
    people += _bukan_penduduk(rng, registri, n_luar, laju)
    order = rng.permutation(len(people))
    desa_codes = sorted(desa_nama) or sorted(set(registri["kode_desa"]))
    rows, truth, kinds = [], {}, {}
    for idx, j in enumerate(order.tolist()):
        p = people[j]
        tags: list[str] = [] if p["id"] is not None else ["bukan_penduduk"]
        if j >= n_warga and p["id"] is not None:
            tags.append("ganda")
        nik = str(p["nik"] or "")
        u = rng.random()
        if u < laju.nik_kosong:
            nik = ""
            tags.append("nik_kosong")
        elif u < laju.nik_kosong + laju.nik_salah and nik:
            nik = _nik_salah(rng, nik)
            tags.append("nik_salah")
        kode = str(p["kode_desa"])
        if p["id"] is not None and rng.random() < laju.pindah_desa:
            kode = desa_codes[int(rng.integers(0, len(desa_codes)))]
            tags.append("pindah_desa")
        born = _tanggal(rng, p["tanggal_lahir"], laju, tags)
        rows.append({
            "nik": nik, "no_kk": "" if rng.random() < laju.kk_kosong else str(p["no_kk"] or ""),
            "nama": _nama(rng, str(p["nama"]), laju, tags), "jenis_kelamin": "L" if p["jenis_kelamin"] == 1 else "P",
            "tanggal_lahir": _tulis_tanggal(rng, born), "kode_desa": kode, "nama_desa": desa_nama.get(kode, ""),
            "alamat": f"Banjar {HURUF[int(rng.integers(0, len(HURUF)))]}",
        })
        truth[idx] = p["id"]
        kinds[idx] = tags
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=KOLOM_CSV, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return DaftarSektor(baris=rows, csv=buf.getvalue().encode("utf-8"), kebenaran=truth, jenis=kinds)


def baris_ke_kolom(baris: list[dict], *, id_awal: int = 1) -> dict[str, list]:
    """Agency rows (CSV shape) as engine columns: ids id_awal.., sex 1/2, dates parsed."""
    def tanggal(text: str) -> dt.date | None:
        for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text.strip(), fmt).date()
            except ValueError:
                continue
        return None

    sex = {"L": 1, "P": 2, "1": 1, "2": 2}
    return {
        "id": list(range(id_awal, id_awal + len(baris))), "nik": [r.get("nik", "") for r in baris],
        "no_kk": [r.get("no_kk", "") for r in baris], "nama": [r.get("nama", "") for r in baris],
        "jenis_kelamin": [sex.get(str(r.get("jenis_kelamin", "")).strip().upper()) for r in baris],
        "tanggal_lahir": [tanggal(str(r.get("tanggal_lahir", ""))) for r in baris],
        "kode_desa": [r.get("kode_desa", "") for r in baris], "nama_ayah": [""] * len(baris),
        "nama_ibu": [""] * len(baris),
    }
