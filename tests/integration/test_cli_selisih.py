"""``presisi selisih --dataset KODE --json``: every planted category with its row numbers."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from presisi.integration.services.selisih import selisih_hitung
from tests.integration.conftest import DESA_A, DESA_B, baris, dataset, orang, pengiriman, rumah_tangga
from tests.integration.test_selisih import kiriman  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _run(*args) -> dict:
    out = io.StringIO()
    call_command("selisih", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_has_counts_and_rows(kiriman):  # noqa: F811
    selisih_hitung(kiriman)
    data = _run("--dataset", kiriman.dataset.kode)
    assert data["ok"] is True
    r = data["ringkasan"]
    assert r["per_kategori"] == {"tanpa_registri": 1, "meninggal": 1, "pindah": 2, "atribut": 8, "ganda_sumber": 2,
                                 "agregat": 0}
    assert r["baris_ditinjau_tidak_dibandingkan"] == 1
    rows = {(i["kategori"], i["baris"]) for i in data["item"]}
    assert {("tanpa_registri", 2), ("meninggal", 3), ("pindah", 4), ("pindah", 5), ("ganda_sumber", 8),
            ("ganda_sumber", 9), ("atribut", 6), ("atribut", 7)} == rows
    # identifiers masked at the command line
    no_kk = next(i for i in data["item"] if i["variabel"] == "no_kk")
    assert no_kk["nilai_sumber"] == "510501******0101"
    assert all("*" in i["nik"] for i in data["item"] if i["nik"])


def test_filter_by_desa_and_recompute(kiriman):  # noqa: F811
    data = _run("--dataset", kiriman.dataset.kode, "--desa", DESA_B, "--hitung-ulang")
    assert {i["kode_desa"] for i in data["item"]} == {DESA_B}
    assert data["ringkasan"]["per_kategori"]["ganda_sumber"] == 2


def test_latest_delivery_only(wilayah_uji, periode_uji):
    a = wilayah_uji[DESA_A]
    rt, kk = rumah_tangga(a)
    person = orang(a, rt, kk)
    ds = dataset("dinkes-jkn", sektor="dinkes")
    old = pengiriman(ds, periode_uji, versi=1)
    baris(old, 1, status="tanpa_pasangan", desa=a, nama="Lama")
    new = pengiriman(ds, periode_uji, versi=2)
    baris(new, 1, individu=person)
    selisih_hitung(old)
    selisih_hitung(new)
    assert _run("--dataset", "dinkes-jkn")["ringkasan"]["total"] == 0


def test_unknown_dataset_fails():
    with pytest.raises(CommandError):
        _run("--dataset", "tidak-ada")
