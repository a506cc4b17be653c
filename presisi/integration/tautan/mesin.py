"""The record-linkage engine: an agency list against the registry, and duplicates inside the registry.

Pure Python + in-process DuckDB (no Django models); the Django side (services/tautan.py) builds the
inputs from querysets (``values_list`` → dict of column lists, or a pyarrow Table) and stores the
results. ``tautkan`` works in two passes:

1. **Exact NIK.** A source row whose valid NIK (16 digits, not a temporary '0…' number) belongs to
   exactly one registry person is linked outright (``metode="nik"``) when the name and birth date do
   not contradict it (core names Jaro-Winkler ≥ 0.85 and the birth date equal, day/month swapped,
   ±1 year, one digit off, or missing). A NIK that matches but contradicts identity is a mistyped
   NIK colliding with another real person: the row goes to the probabilistic pass, where the pair is
   labelled ``NIK_BERTENTANGAN`` when the names are clearly different and is never auto-linked.
2. **Probabilistic** (Splink 5 on DuckDB, Fellegi-Sunter) for the other rows: NIK (fixed m/u;
   equal, 1–2 digits off), core name (exact with term-frequency adjustment, Jaro-Winkler levels, a
   full-name level for typos in the prefix), birth order, title, birth date (exact, day/month swap,
   ±1 year, one digit), sex, desa (exact, same kecamatan), No. KK, parents' names. u comes from a
   seeded sample of registry pairs (one SQL pass, deterministic); m is fixed from the error rates of
   agency lists (EM is not used: most rows are settled by NIK, and the rest are too few and too
   skewed for stable EM). Blocking: NIK; birth date; (first core name, birth year, kecamatan);
   (first core name, day+month); NIK's first 12 and last 10 digits. Rows settled by NIK are kept out
   of every block but the NIK one, so the pair count stays well under a million at 60,000 × 216,000.

Every returned pair keeps its waterfall (``bobot``: the prior and one log2 Bayes factor per
comparison, labelled in Bahasa Indonesia; the steps add up to ``bobot_total`` exactly, and
``probabilitas`` = 2^w / (1 + 2^w)) so the review screen can explain the score.

Outcome of a source row (``status_semua``, in ``HasilTautan.info["status"]``; ``status_dari`` for one
row): **tertaut** when linked by NIK, or when the best candidate has p ≥ AMBANG_TERTAUT, is at least
MARGIN_BOBOT bits ahead of the second and carries no contradicting NIK — and is not already taken by
a better-scoring row that describes a different record (greedy one-to-one; the same person listed
twice in one list may link twice); **tinjau** when p ≥ AMBANG_TINJAU or an auto-link was withheld;
else **tanpa_pasangan** (also every row without candidates).

``cari_ganda`` runs the same model inside the registry (dedupe) with registry-specific evidence: a
shared KK or parents' names is family, not identity, and two different real NIKs count against.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import JaroWinkler

from presisi.integration.tautan.nama import urai_nama

KOLOM = ["id", "nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_ayah", "nama_ibu"]

# Outcome thresholds (match probability of the best candidate), tuned on the synthetic agency
# lists of presisi.synth.sektor (tests/integration/test_mesin_akurasi.py).
AMBANG_TERTAUT = 0.99
AMBANG_TINJAU = 0.30
# The best candidate must be this many bits (log2 Bayes factor) ahead of the second to auto-link.
MARGIN_BOBOT = 4.0
TERTAUT, TINJAU, TANPA_PASANGAN = "tertaut", "tinjau", "tanpa_pasangan"
NIK_BERTENTANGAN = "NIK sama, tetapi nama jelas berbeda"

# NIK-pass acceptance: core-name similarity needed on top of an equal NIK.
NIK_JW_NAMA = 0.85
BATAS_MEMORI = "1500MB"
U_SAMPEL = 1000  # registry people sampled (seeded) to estimate u: ~500,000 pairs
BENIH = 42  # u sampling seed: the same inputs always give the same scores

logging.getLogger("splink").setLevel(logging.ERROR)


@dataclass
class Pasangan:
    id_sumber: int
    id_registri: int
    probabilitas: float
    bobot_total: float
    bobot: list[dict] = field(default_factory=list)
    metode: str = "probabilistik"


@dataclass
class HasilTautan:
    pasangan: list[Pasangan]
    detik: float
    jumlah_sumber: int
    jumlah_registri: int
    info: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Input preparation
# ---------------------------------------------------------------------------------------------

_SKEMA = pa.schema([
    ("unique_id", pa.int64()), ("nik", pa.string()), ("nik_a", pa.string()), ("nik_b", pa.string()),
    ("no_kk", pa.string()), ("nama_inti", pa.string()), ("depan", pa.string()), ("urutan", pa.int8()),
    ("gelar", pa.string()), ("tgl", pa.date32()), ("thn", pa.int16()), ("tgl_s", pa.string()),
    ("jk", pa.int8()), ("kode_desa", pa.string()), ("kec", pa.string()), ("ayah", pa.string()),
    ("ibu", pa.string()), ("lengkap", pa.string()), ("akhir", pa.string()), ("bh", pa.string()),
    ("lolos", pa.bool_()),
])
_TEKS = ["nik", "no_kk", "nama", "kode_desa", "nama_ayah", "nama_ibu"]


def _kolom(data: pa.Table | Mapping[str, Iterable], nama: str, n: int) -> list:
    if isinstance(data, pa.Table):
        return data.column(nama).to_pylist() if nama in data.column_names else [None] * n
    values = data.get(nama)
    return [None] * n if values is None else list(values)


def _panjang(data: pa.Table | Mapping[str, Iterable]) -> int:
    return data.num_rows if isinstance(data, pa.Table) else len(list(data.get("id") or []))


def _tanggal(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


_JK = {1: 1, 2: 2, "1": 1, "2": 2, "L": 1, "P": 2, "l": 1, "p": 2}


def _jk(value: Any) -> int | None:
    return _JK.get(value) if isinstance(value, int | str) and not isinstance(value, bool) else None


def _larik(values: list, tipe: pa.DataType, bersihkan) -> pa.Array:
    """Arrow array of ``values``: directly when every cell already fits (the common case, fast),
    else cell by cell through ``bersihkan`` (any cell that does not fit becomes missing)."""
    # Small ints are range-checked cell by cell; Arrow would also read an int as a day count.
    fits = tipe != pa.int8() and (tipe != pa.date32() or all(v is None or isinstance(v, dt.date) for v in values))
    if fits:
        try:
            return pa.array(values, tipe)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            pass
    return pa.array([bersihkan(v) for v in values], tipe)


def _tabel_dasar(data: pa.Table | Mapping[str, Iterable]) -> pa.Table:
    """The KOLOM columns as one typed Arrow table; any cell that does not fit becomes missing."""
    n = _panjang(data)
    cols: dict[str, pa.Array] = {"id": _larik(_kolom(data, "id", n), pa.int64(), int)}
    for k in _TEKS:
        cols[k] = _larik(_kolom(data, k, n), pa.string(), lambda v: None if v is None else str(v))
    cols["jenis_kelamin"] = _larik(_kolom(data, "jenis_kelamin", n), pa.int8(), _jk)
    cols["tanggal_lahir"] = _larik(_kolom(data, "tanggal_lahir", n), pa.date32(), _tanggal)
    return pa.table(cols)


def _tabel_nama(base: pa.Table) -> pa.Table:
    """Every distinct name once, parsed (names repeat a lot: parsing per distinct value is cheap)."""
    distinct: set[str] = set()
    for k in ("nama", "nama_ayah", "nama_ibu"):
        distinct.update(pc.unique(base.column(k)).to_pylist())
    distinct.discard(None)
    distinct.discard("")
    names = sorted(distinct)
    parts = [urai_nama(v) for v in names]
    return pa.table({
        "asli": pa.array(names, pa.string()),
        "inti": pa.array([p.nama_inti or None for p in parts], pa.string()),
        "depan": pa.array([p.nama_inti_depan or None for p in parts], pa.string()),
        "urutan": pa.array([p.urutan_lahir for p in parts], pa.int8()),
        "gelar": pa.array([p.gelar for p in parts], pa.string()),
        "lengkap": pa.array([p.normal or None for p in parts], pa.string()),
        "akhir": pa.array([p.normal.rsplit(" ", 1)[-1] or None for p in parts], pa.string()),
    })


_SQL_SIAPKAN = r"""
WITH d AS (
  SELECT *, regexp_replace(coalesce(nik, ''), '\D', '', 'g') AS nik_d,
         regexp_replace(coalesce(no_kk, ''), '\D', '', 'g') AS kk_d,
         nullif(trim(coalesce(kode_desa, '')), '') AS desa
  FROM dasar
), v AS (
  SELECT d.*, CASE WHEN regexp_full_match(nik_d, '[1-9][0-9]{15}') THEN nik_d END AS nik_v
  FROM d
)
SELECT v.id AS unique_id, nik_v AS nik, left(nik_v, 12) AS nik_a, right(nik_v, 10) AS nik_b,
       CASE WHEN length(kk_d) = 16 AND kk_d <> '0000000000000000' THEN kk_d END AS no_kk,
       n.inti AS nama_inti, n.depan AS depan, n.urutan AS urutan, coalesce(n.gelar, '') AS gelar,
       tanggal_lahir AS tgl, TRY_CAST(year(tanggal_lahir) AS SMALLINT) AS thn,
       strftime(tanggal_lahir, '%Y%m%d') AS tgl_s,
       jenis_kelamin AS jk, desa AS kode_desa, left(desa, 8) AS kec, a.inti AS ayah, i.inti AS ibu,
       n.lengkap AS lengkap, n.akhir AS akhir, strftime(tanggal_lahir, '%m%d') AS bh, false AS lolos
FROM v
LEFT JOIN nama_urai n ON n.asli = v.nama
LEFT JOIN nama_urai a ON a.asli = v.nama_ayah
LEFT JOIN nama_urai i ON i.asli = v.nama_ibu
"""


def siapkan(data: pa.Table | Mapping[str, Iterable], con: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """The linkage columns of a registry or source table (parsed names, valid numbers, date parts).

    ``data`` is a pyarrow Table or a dict of column lists with the KOLOM names (as built from
    ``values_list``). A NIK is kept only when it is 16 digits not starting with 0 (temporary numbers
    identify nobody across sources); a No. KK only when it is 16 digits.
    """
    base = _tabel_dasar(data)
    own = con is None
    con = con or duckdb.connect(":memory:")
    try:
        con.register("dasar", base)
        con.register("nama_urai", _tabel_nama(base))
        out = con.sql(_SQL_SIAPKAN).to_arrow_table()
        con.unregister("dasar")
        con.unregister("nama_urai")
    finally:
        if own:
            con.close()
    return out.cast(_SKEMA)


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------

def _lv(sql: str, label: str, m: float, u: float | None = None, **extra: Any) -> dict:
    level = {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "fix_m_probability": True}
    if u is not None:
        level.update(u_probability=u, fix_u_probability=True)
    level.update(extra)
    return level


def _null(col: str, label: str = "tidak ada") -> dict:
    return {"sql_condition": f'"{col}_l" IS NULL OR "{col}_r" IS NULL', "label_for_charts": label,
            "is_null_level": True}


def _jw(col: str, t: float) -> str:
    return f'jaro_winkler_similarity("{col}_l", "{col}_r") >= {t}'


_TGL_TUKAR = ("day(tgl_l) = month(tgl_r) AND month(tgl_l) = day(tgl_r) AND year(tgl_l) = year(tgl_r)")
_TGL_TAHUN = ("day(tgl_l) = day(tgl_r) AND month(tgl_l) = month(tgl_r) AND abs(year(tgl_l) - year(tgl_r)) = 1")


def _perbandingan(n_registri: int, *, ganda: bool = False) -> list[dict]:
    """The comparisons; ``ganda`` = inside the registry, where two real NIKs that differ mean two people
    and a shared KK or parents' names mean a family, not one person listed twice."""
    # Exact NIK between two different people is about as likely as drawing one registry NIK.
    u_nik = 1.0 / max(n_registri, 1000)
    nik = [
        _null("nik", "NIK tidak ada"),
        _lv("nik_l = nik_r", "NIK sama", 0.86, u_nik),
        _lv("hamming(nik_l, nik_r) <= 2", "NIK beda 1–2 angka", 0.08, u_nik * 20),
        _lv("ELSE", "NIK berbeda", 0.06, 1.0 - u_nik * 21),
    ]
    if ganda:
        # Two real NIKs in one registry: the same NIK twice is one person; otherwise the NIK says
        # little more than birth date and kecamatan (it encodes both, compared on their own), and a
        # person registered twice under two NIKs is exactly what this search is for.
        nik = [
            _null("nik", "NIK tidak ada"),
            _lv("nik_l = nik_r", "NIK sama", 0.90, u_nik),
            _lv("ELSE", "NIK berbeda", 0.10, 1.0 - u_nik),
        ]
    comparisons = [
        ("nik", nik),
        ("nama_inti", [
            _null("nama_inti", "nama tidak ada"),
            _lv("nama_inti_l = nama_inti_r", "nama inti sama", 0.80, tf_adjustment_column="nama_inti",
                tf_adjustment_weight=1.0),
            _lv(_jw("nama_inti", 0.95), "nama inti hampir sama (Jaro-Winkler ≥ 0,95)", 0.09),
            _lv(_jw("nama_inti", 0.88), "nama inti mirip (Jaro-Winkler ≥ 0,88)", 0.06),
            # A typo in the prefix or birth-order word breaks the split, not the whole name.
            _lv(f'{_jw("lengkap", 0.92)} AND {_jw("akhir", 0.85)}', "nama lengkap mirip (Jaro-Winkler ≥ 0,92)",
                0.02),
            _lv(_jw("nama_inti", 0.75), "nama inti agak mirip (Jaro-Winkler ≥ 0,75)", 0.015),
            _lv("ELSE", "nama inti berbeda", 0.015),
        ]),
        ("urutan_lahir", [
            _null("urutan", "nama urutan lahir tidak ada"),
            # Lists abbreviate or drop the birth-order name, they rarely change it.
            _lv("urutan_l = urutan_r", "urutan lahir sama", 0.98),
            _lv("ELSE", "urutan lahir berbeda", 0.02),
        ]),
        ("gelar", [
            {"sql_condition": "gelar_l = '' AND gelar_r = ''", "label_for_charts": "keduanya tanpa gelar",
             "is_null_level": True},
            _lv("gelar_l = gelar_r", "gelar sama", 0.93),
            _lv("gelar_l = '' OR gelar_r = ''", "gelar hanya di satu sisi", 0.05),
            _lv("ELSE", "gelar berbeda", 0.02),
        ]),
        ("tanggal_lahir", [
            _null("tgl", "tanggal lahir tidak ada"),
            _lv("tgl_l = tgl_r", "tanggal lahir sama", 0.84),
            _lv(_TGL_TUKAR, "tanggal dan bulan tertukar", 0.04),
            _lv(_TGL_TAHUN, "tahun lahir selisih 1", 0.04),
            _lv("hamming(tgl_s_l, tgl_s_r) <= 1", "tanggal lahir beda 1 angka", 0.04),
            _lv("ELSE", "tanggal lahir berbeda", 0.04),
        ]),
        ("jenis_kelamin", [
            _null("jk", "jenis kelamin tidak ada"),
            _lv("jk_l = jk_r", "jenis kelamin sama", 0.98),
            _lv("ELSE", "jenis kelamin berbeda", 0.02),
        ]),
        ("kode_desa", [
            _null("kode_desa", "desa tidak ada"),
            _lv("kode_desa_l = kode_desa_r", "desa sama", 0.86),
            _lv("kec_l = kec_r", "desa lain, kecamatan sama", 0.07),
            _lv("ELSE", "kecamatan berbeda", 0.07),
        ]),
        ("no_kk", [
            _null("no_kk", "No. KK tidak ada"),
            _lv("no_kk_l = no_kk_r", "No. KK sama", 0.85),
            _lv("ELSE", "No. KK berbeda", 0.15),
        ]),
        ("nama_ayah", [
            _null("ayah", "nama ayah tidak ada"),
            _lv(_jw("ayah", 0.95), "nama ayah sama/hampir sama", 0.85),
            _lv(_jw("ayah", 0.85), "nama ayah mirip", 0.08),
            _lv("ELSE", "nama ayah berbeda", 0.07),
        ]),
        ("nama_ibu", [
            _null("ibu", "nama ibu tidak ada"),
            _lv(_jw("ibu", 0.95), "nama ibu sama/hampir sama", 0.85),
            _lv(_jw("ibu", 0.85), "nama ibu mirip", 0.08),
            _lv("ELSE", "nama ibu berbeda", 0.07),
        ]),
    ]
    out = []
    for name, levels in comparisons:
        if ganda and name in KOLOM_KELUARGA:
            continue
        out.append({"output_column_name": name, "comparison_levels": levels,
                    "comparison_description": name})
    return out


_BEBAS = "NOT (l.lolos OR r.lolos)"
ATURAN_BLOK_TAUTAN = [
    "l.nik = r.nik",
    f"l.tgl = r.tgl AND {_BEBAS}",
    f"l.nik_a = r.nik_a AND {_BEBAS}",
    f"l.nik_b = r.nik_b AND {_BEBAS}",
    f"l.depan = r.depan AND l.thn = r.thn AND l.kec = r.kec AND {_BEBAS}",
    f"l.depan = r.depan AND l.bh = r.bh AND {_BEBAS}",  # moved desa and year off by one
]
ATURAN_BLOK_GANDA = [
    "l.nik = r.nik",
    "l.tgl = r.tgl AND l.jk = r.jk",
    "l.depan = r.depan AND l.thn = r.thn AND l.jk = r.jk",
    "l.depan = r.depan AND l.bh = r.bh",
    "l.no_kk = r.no_kk AND l.depan = r.depan",
]


def _koneksi(threads: int, tmp: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {max(int(threads), 1)}")
    con.execute(f"SET memory_limit = '{BATAS_MEMORI}'")
    con.execute(f"SET temp_directory = '{tmp}'")
    con.execute("SET preserve_insertion_order = false")
    return con


def _label_tingkat(linker) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        out[comparison.output_column_name] = {
            level.comparison_vector_value: level.label_for_charts for level in comparison.comparison_levels}
    exact = max(out["nama_inti"])
    out["nama_inti"][exact] += " (disesuaikan dengan kelangkaan nama)"
    return out


def _logit_ke_p(bobot: float) -> float:
    if bobot > 60:
        return 1.0
    if bobot < -60:
        return 0.0
    odds = 2.0 ** bobot
    return odds / (1.0 + odds)


@dataclass
class _Model:
    linker: Any
    con: duckdb.DuckDBPyConnection
    prior: float
    labels: dict[str, dict[int, str]]
    bobot_prior: float
    kolom: list[str]


def _estimasi_u(con: duckdb.DuckDBPyConnection, registri: pa.Table, comparisons: list[dict]) -> None:
    """Set u (share of each level among pairs of different people) from a seeded registry sample.

    One SQL pass over the pairs of U_SAMPEL registry people drawn by a seeded hash (about 500,000
    pairs): the same registry always gives the same u, whatever the thread count. Levels whose u
    is fixed (NIK) are left alone; counts are smoothed so a level never seen keeps a small u.
    """
    con.register("u_registri", registri)
    cols = registri.column_names
    sample = f"(SELECT * FROM u_registri ORDER BY hash(unique_id + {BENIH}), unique_id LIMIT {U_SAMPEL})"
    sel = ", ".join([f'a."{c}" AS "{c}_l"' for c in cols] + [f'b."{c}" AS "{c}_r"' for c in cols])
    cases = []
    for i, comp in enumerate(comparisons):
        whens = []
        for j, level in enumerate(comp["comparison_levels"]):
            if level["sql_condition"] != "ELSE":
                whens.append(f"WHEN ({level['sql_condition']}) THEN {j}")
        else_j = next((j for j, lv in enumerate(comp["comparison_levels"]) if lv["sql_condition"] == "ELSE"), -1)
        cases.append(f"CASE {' '.join(whens)} ELSE {else_j} END AS g{i}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE u_gamma AS SELECT {', '.join(cases)} FROM "
                f"(SELECT {sel} FROM {sample} a JOIN {sample} b ON a.unique_id < b.unique_id) p")
    for i, comp in enumerate(comparisons):
        levels = comp["comparison_levels"]
        counts = dict(con.execute(f"SELECT g{i}, count(*) FROM u_gamma GROUP BY 1").fetchall())
        real = [j for j, lv in enumerate(levels) if not lv.get("is_null_level")]
        total = sum(counts.get(j, 0) for j in real)
        for j in real:
            if not levels[j].get("fix_u_probability"):
                levels[j]["u_probability"] = (counts.get(j, 0) + 0.5) / (total + 0.5 * len(real))
                levels[j]["fix_u_probability"] = True
    con.execute("DROP TABLE u_gamma")
    con.unregister("u_registri")


def _latih(con: duckdb.DuckDBPyConnection, tables: list, link_type: str, rules: list[str], prior: float,
           registri: pa.Table) -> _Model:
    from splink import DuckDBAPI, Linker, SettingsCreator

    comparisons = _perbandingan(registri.num_rows, ganda=link_type == "dedupe_only")
    _estimasi_u(con, registri, comparisons)
    db_api = DuckDBAPI(con)
    frames = [db_api.register(t, table_name=name) for name, t in tables]
    settings = SettingsCreator(
        link_type=link_type, comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules, probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True, retain_matching_columns=True,
    )
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=None, validate_settings=False)
    linker.table_management.compute_tf_table("nama_inti")
    return _Model(linker=linker, con=con, prior=prior, labels=_label_tingkat(linker),
                  bobot_prior=round(math.log2(prior / (1.0 - prior)), 3),
                  kolom=[c["output_column_name"] for c in comparisons])


KOLOM_KELUARGA = ("no_kk", "nama_ayah", "nama_ibu")  # shared by siblings: no evidence inside one registry

def _prediksi(model: _Model, ambang: float) -> list[tuple]:
    """(id_l, id_r, ds_l, match_weight, gammas..., weights...) rows at or above ``ambang``."""
    # Splink filters on probability; keep a small margin so rounding never drops a pair.
    df = model.linker.inference.predict(threshold_match_probability=max(ambang * 0.999, 1e-9))
    cols = {c.unquote().name for c in df.columns}
    parts = ["unique_id_l", "unique_id_r", "source_dataset_l" if "source_dataset_l" in cols else "NULL",
             "match_weight"]
    for k in model.kolom:
        parts.append(f"CAST(gamma_{k} AS INTEGER)")
        tf = f"mw_tf_adj_{k}"
        parts.append(f"round(coalesce(mw_{k}, 0)" + (f" + coalesce({tf}, 0)" if tf in cols else "") + ", 3)")
    # Names clearly different (core and last word): flags an equal NIK that contradicts identity.
    parts.append("(jaro_winkler_similarity(coalesce(nama_inti_l, ''), coalesce(nama_inti_r, '')) < 0.85 AND "
                 "jaro_winkler_similarity(coalesce(akhir_l, ''), coalesce(akhir_r, '')) < 0.85)")
    rows = model.con.execute(f"SELECT {', '.join(parts)} FROM {df.physical_name}").fetchall()
    df.drop_table_from_database_and_remove_from_cache()
    return rows


def _pasangan(model: _Model, row: tuple, id_sumber: int, id_registri: int, metode: str) -> Pasangan:
    labels = model.labels
    bobot = [{"kolom": "prior", "tingkat": "peluang awal dua catatan acak cocok", "bobot": model.bobot_prior}]
    bobot += [{"kolom": k, "tingkat": labels[k].get(row[4 + 2 * j], ""), "bobot": row[5 + 2 * j]}
              for j, k in enumerate(model.kolom)]
    if row[-1] and bobot[1]["tingkat"] == "NIK sama":
        bobot[1]["tingkat"] = NIK_BERTENTANGAN
    # Steps are rounded in SQL; the total is their sum, so the waterfall always adds up exactly.
    total = round(model.bobot_prior + sum(row[5 + 2 * j] for j in range(len(model.kolom))), 3)
    return Pasangan(id_sumber=id_sumber, id_registri=id_registri, probabilitas=_logit_ke_p(total), bobot_total=total,
                    bobot=bobot, metode=metode)


# ---------------------------------------------------------------------------------------------
# Linking an agency list
# ---------------------------------------------------------------------------------------------

_SQL_NIK = f"""
WITH satu AS (SELECT nik FROM registri WHERE nik IS NOT NULL GROUP BY nik HAVING count(*) = 1)
SELECT s.unique_id, r.unique_id
FROM sumber s JOIN registri r ON s.nik = r.nik JOIN satu ON satu.nik = r.nik
WHERE (s.nama_inti IS NULL OR r.nama_inti IS NULL
       OR jaro_winkler_similarity(s.nama_inti, r.nama_inti) >= {NIK_JW_NAMA})
  AND (s.tgl IS NULL OR r.tgl IS NULL OR s.tgl = r.tgl
       OR (day(s.tgl) = month(r.tgl) AND month(s.tgl) = day(r.tgl) AND year(s.tgl) = year(r.tgl))
       OR (day(s.tgl) = day(r.tgl) AND month(s.tgl) = month(r.tgl) AND abs(year(s.tgl) - year(r.tgl)) = 1)
       OR hamming(s.tgl_s, r.tgl_s) <= 1)
  AND NOT (s.nama_inti IS NULL AND s.tgl IS NULL)
"""


def _lewat_nik(con: duckdb.DuckDBPyConnection, registri: pa.Table, sumber: pa.Table) -> dict[int, int]:
    con.register("registri", registri)
    con.register("sumber", sumber)
    pairs = dict(con.execute(_SQL_NIK).fetchall())
    con.unregister("registri")
    con.unregister("sumber")
    return pairs


def tautkan(registri, sumber, *, teratas: int = 3, ambang_kandidat: float = 0.05, threads: int = 2) -> HasilTautan:
    """Link the source rows to registry people: up to ``teratas`` candidates per row, best first."""
    start = time.perf_counter()
    info: dict[str, Any] = {"versi_mesin": "splink " + _versi_splink()}
    with tempfile.TemporaryDirectory(prefix="presisi-tautan-") as tmp:
        con = _koneksi(threads, tmp)
        try:
            reg, src = siapkan(registri, con), siapkan(sumber, con)
            info["siapkan_detik"] = round(time.perf_counter() - start, 3)
            if reg.num_rows == 0 or src.num_rows == 0:
                return HasilTautan(pasangan=[], detik=round(time.perf_counter() - start, 3),
                                   jumlah_sumber=src.num_rows, jumlah_registri=reg.num_rows,
                                   info=info | {"status": {}, "lewat_nik": 0})
            lolos = _lewat_nik(con, reg, src)
            flags = pa.array([uid in lolos for uid in src.column("unique_id").to_pylist()], pa.bool_())
            src = src.set_column(src.schema.get_field_index("lolos"), "lolos", flags)
            prior = min(0.5, 0.9 / reg.num_rows)
            t0 = time.perf_counter()
            model = _latih(con, [("a_registri", reg), ("b_sumber", src)], "link_only", ATURAN_BLOK_TAUTAN, prior,
                           reg)
            info["latih_detik"] = round(time.perf_counter() - t0, 3)
            t0 = time.perf_counter()
            rows = _prediksi(model, min(ambang_kandidat, AMBANG_TINJAU))
            info["prediksi_detik"] = round(time.perf_counter() - t0, 3)
        finally:
            con.close()
    per_row: dict[int, list[Pasangan]] = {}
    for row in rows:
        a, b, ds_l = row[0], row[1], row[2]
        id_registri, id_sumber = (a, b) if ds_l in (None, "a_registri") else (b, a)
        metode = "nik" if lolos.get(id_sumber) == id_registri else "probabilistik"
        if id_sumber in lolos and metode != "nik":
            continue  # a row settled by its NIK keeps only that pair
        p = _pasangan(model, row, id_sumber, id_registri, metode)
        if p.probabilitas >= ambang_kandidat or metode == "nik":
            per_row.setdefault(id_sumber, []).append(p)
    pasangan: list[Pasangan] = []
    for id_sumber in sorted(per_row):
        ranked = sorted(per_row[id_sumber], key=lambda p: (p.metode != "nik", -p.bobot_total, p.id_registri))
        pasangan.extend(ranked[:teratas])
    info["status"] = status_semua(pasangan, src)
    info["lewat_nik"] = len(lolos)
    info["jumlah_pasangan_dinilai"] = len(rows)
    return HasilTautan(pasangan=pasangan, detik=round(time.perf_counter() - start, 3), jumlah_sumber=src.num_rows,
                       jumlah_registri=reg.num_rows, info=info)


def _versi_splink() -> str:
    import splink

    return splink.__version__


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------

def status_dari(kandidat: list[Pasangan] | Pasangan | None) -> str:
    """Outcome of one source row from its candidates (best first), before one-to-one resolution.

    ``kandidat`` is the row's candidate list as in ``HasilTautan.pasangan`` (or just its best pair,
    or None). The final outcome of a whole run, with one-to-one resolution across rows, is
    ``status_semua`` — ``tautkan`` puts it in ``info["status"]``.

    Linked by NIK → tertaut. Otherwise tertaut needs p ≥ AMBANG_TERTAUT and a lead of MARGIN_BOBOT
    bits over the second candidate (two near-equal candidates — twins, a person listed twice in the
    registry — are a reviewer's call); p ≥ AMBANG_TINJAU → tinjau; else tanpa_pasangan.
    """
    if isinstance(kandidat, Pasangan):
        kandidat = [kandidat]
    if not kandidat:
        return TANPA_PASANGAN
    best = kandidat[0]
    if best.metode == "nik":
        return TERTAUT
    if best.probabilitas >= AMBANG_TERTAUT:
        ahead = len(kandidat) < 2 or best.bobot_total - kandidat[1].bobot_total >= MARGIN_BOBOT
        return TERTAUT if ahead and not _nik_bertentangan(best) else TINJAU
    return TINJAU if best.probabilitas >= AMBANG_TINJAU else TANPA_PASANGAN


def _nik_bertentangan(p: Pasangan) -> bool:
    """Equal NIK but clearly another name: a mistyped NIK colliding with another real person (who
    shares its birth date and kecamatan, encoded in the NIK) — never linked without a reviewer."""
    return any(b["kolom"] == "nik" and b["tingkat"] == NIK_BERTENTANGAN for b in p.bobot)


def status_semua(pasangan: list[Pasangan], sumber: pa.Table | None = None) -> dict[int, str]:
    """Outcome of every source row that has candidates (rows without any are tanpa_pasangan).

    One-to-one, greedily: rows are settled best score first; a registry person already taken by an
    auto-linked row can be auto-linked again only by a row describing the same record (same core
    name and birth date, or same NIK — the same person listed twice in one list is legitimate and
    is reported as a source duplicate by the discrepancy report). Any other row pointing at a taken
    person goes to review: two different records cannot both be that person.
    """
    per_row: dict[int, list[Pasangan]] = {}
    for p in pasangan:
        per_row.setdefault(p.id_sumber, []).append(p)
    ident = _identitas(sumber) if sumber is not None else {}
    out: dict[int, str] = {}
    taken: dict[int, list[int]] = {}
    order = sorted(per_row, key=lambda r: (per_row[r][0].metode != "nik", -per_row[r][0].bobot_total, r))
    for row in order:
        status = status_dari(per_row[row])
        target = per_row[row][0].id_registri
        if status == TERTAUT:
            holders = taken.get(target, [])
            if any(not _catatan_sama(ident.get(h), ident.get(row)) for h in holders):
                status = TINJAU
            else:
                taken.setdefault(target, []).append(row)
        out[row] = status
    return out


def _identitas(sumber: pa.Table) -> dict[int, tuple]:
    cols = [sumber.column(k).to_pylist() for k in ("unique_id", "nik", "nama_inti", "tgl", "jk")]
    return {row[0]: row[1:] for row in zip(*cols, strict=True)}


def _catatan_sama(a: tuple | None, b: tuple | None) -> bool:
    """Do two source rows describe the same person (a person listed twice), typos allowed?"""
    if a is None or b is None:
        return False
    nik_a, nama_a, tgl_a, jk_a = a
    nik_b, nama_b, tgl_b, jk_b = b
    if nik_a and nik_b:
        if nik_a == nik_b:
            return True
        if sum(x != y for x, y in zip(nik_a, nik_b, strict=True)) > 2:
            return False  # two NIKs, not one mistyped: two people
    if not (nama_a and nama_b and tgl_a and tgl_b) or (jk_a and jk_b and jk_a != jk_b):
        return False
    close = (tgl_a == tgl_b or (tgl_a.day, tgl_a.month, tgl_a.year) == (tgl_b.month, tgl_b.day, tgl_b.year)
             or ((tgl_a.day, tgl_a.month) == (tgl_b.day, tgl_b.month) and abs(tgl_a.year - tgl_b.year) == 1))
    return close and JaroWinkler.similarity(nama_a, nama_b) >= 0.9


# ---------------------------------------------------------------------------------------------
# Duplicates inside the registry
# ---------------------------------------------------------------------------------------------

def cari_ganda(registri, *, ambang_kandidat: float = 0.2, threads: int = 2) -> list[Pasangan]:
    """Probable duplicate pairs inside the registry (id_sumber < id_registri, both registry ids)."""
    reg = siapkan(registri)
    n = reg.num_rows
    if n < 2:
        return []
    # About one person in a hundred listed twice, over n²/2 pairs.
    prior = min(0.5, 0.02 / n)
    with tempfile.TemporaryDirectory(prefix="presisi-ganda-") as tmp:
        con = _koneksi(threads, tmp)
        try:
            model = _latih(con, [("registri", reg)], "dedupe_only", ATURAN_BLOK_GANDA, prior, reg)
            rows = _prediksi(model, ambang_kandidat)
        finally:
            con.close()
    out = []
    for row in rows:
        a, b = sorted((int(row[0]), int(row[1])))
        p = _pasangan(model, row, a, b, "probabilistik")
        if p.probabilitas >= ambang_kandidat:
            out.append(p)
    out.sort(key=lambda p: (-p.bobot_total, p.id_sumber, p.id_registri))
    return out
