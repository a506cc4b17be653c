"""Synthetic agency lists: deterministic, in the common CSV shape, with the planted errors and the truth."""

from __future__ import annotations

import csv
import io
import re

import pytest

from presisi.synth.sektor import (
    KOLOM_CSV,
    KOLOM_REGISTRI,
    baris_ke_kolom,
    daftar_sektor,
    penduduk_sintetis,
    registri_dari_db,
)


@pytest.fixture(scope="module")
def registri() -> dict[str, list]:
    return penduduk_sintetis(8000, seed=5)


def test_in_memory_registry_looks_like_the_synth_regency(registri) -> None:
    assert set(registri) == set(KOLOM_REGISTRI)
    n = len(registri["id"])
    assert 7900 <= n <= 8100 and registri["id"] == list(range(1, n + 1))
    assert all(len(v) == n for v in registri.values())
    assert len(set(registri["nik"])) == n
    assert all(re.fullmatch(r"51\.05\.0\d\.\d{4}", k) for k in registri["kode_desa"])
    assert sum(str(x).startswith(("I ", "Ni ")) for x in registri["nama"]) > 0.6 * n
    assert penduduk_sintetis(8000, seed=5)["nama"] == registri["nama"]


def test_list_is_deterministic_and_in_the_common_shape(registri) -> None:
    a = daftar_sektor(registri, 1000, seed=3)
    b = daftar_sektor(registri, 1000, seed=3)
    assert a.csv == b.csv and a.kebenaran == b.kebenaran
    assert a.csv != daftar_sektor(registri, 1000, seed=4).csv
    rows = list(csv.DictReader(io.StringIO(a.csv.decode("utf-8"))))
    assert list(rows[0]) == KOLOM_CSV and len(rows) == 1000
    assert {r["jenis_kelamin"] for r in rows} == {"L", "P"}
    dates = [r["tanggal_lahir"] for r in rows]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates)
    assert any(re.fullmatch(r"\d\d-\d\d-\d{4}", d) for d in dates)


def test_planted_errors_and_truth(registri) -> None:
    d = daftar_sektor(registri, 4000, seed=9)
    tags = [t for v in d.jenis.values() for t in v]
    share = {t: tags.count(t) / 4000 for t in set(tags)}
    assert 0.10 <= share["nik_kosong"] <= 0.15  # about 1 in 8
    for kind in ("nik_salah", "urutan_singkat", "urutan_hilang", "awalan_hilang", "salah_ketik", "tukar_tanggal",
                 "tahun_geser", "pindah_desa", "ganda", "bukan_penduduk"):
        assert share[kind] > 0.005, kind
    by_id = {i: k for k, i in enumerate(registri["id"])}
    residents = [i for i, t in d.kebenaran.items() if t is not None]
    assert len(residents) / 4000 == pytest.approx(0.92, abs=0.01)
    ids = [d.kebenaran[i] for i in residents]
    assert len(ids) > len(set(ids))  # somebody is listed twice
    cols = baris_ke_kolom(d.baris)
    # A clean row carries its person's data; a non-resident's NIK is not in the registry.
    clean = next(i for i in residents if not d.jenis[i])
    person = by_id[d.kebenaran[clean]]
    assert cols["nik"][clean] == registri["nik"][person]
    assert cols["tanggal_lahir"][clean] == registri["tanggal_lahir"][person]
    nik = set(registri["nik"])
    assert not any(cols["nik"][i] in nik for i, t in d.kebenaran.items() if t is None and cols["nik"][i])


@pytest.mark.django_db
def test_registry_from_the_database_links_its_own_list(regions, dictionary) -> None:
    from presisi.integration.tautan import mesin
    from presisi.registry.models import Individu
    from presisi.synth.services import synth_generate

    synth_generate(scale=0.005, seed=4)
    reg = registri_dari_db()
    assert len(reg["id"]) == Individu.objects.filter(status_dasar=1).count() > 500
    assert set(reg) == set(KOLOM_REGISTRI) and all(len(v) == len(reg["id"]) for v in reg.values())
    d = daftar_sektor(reg, 200, seed=1)
    hasil = mesin.tautkan(reg, baris_ke_kolom(d.baris))
    best = {}
    for p in hasil.pasangan:
        best.setdefault(p.id_sumber, p.id_registri)
    linked = [i for i in d.kebenaran if hasil.info["status"].get(i + 1) == mesin.TERTAUT]
    assert len(linked) > 150
    assert all(best[i + 1] == d.kebenaran[i] for i in linked)
