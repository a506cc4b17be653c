"""``presisi tautan``: jalankan, hasil (exact CSV), ganda; --json everywhere."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from presisi.core.models import AuditLog
from presisi.integration.services import tautan as svc
from tests.integration import tautan_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(db, monkeypatch):
    data.siapkan_wilayah()
    monkeypatch.setattr(svc, "selisih_hitung", lambda p: 0)
    o = data.registri_kecil()
    ds = data.dataset()
    data.kirim(ds, [data.baris_dari(o["made"])])  # an older delivery: the latest one is used
    p = data.kirim(ds, [data.baris_dari(o["wayan"]), data.ORANG_ASING, data.baris_dari(o["gede"])])
    return {"orang": o, "ds": ds, "p": p}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("tautan", *args, stdout=out)
    return out.getvalue()


def test_jalankan_prints_counts_and_time(dunia):
    text = _run("jalankan", "--dataset", "bansos-pkh")
    assert "3 baris" in text and "tertaut 2, tinjau 0, tanpa pasangan 1" in text and "detik" in text
    r = json.loads(_run("jalankan", "--dataset", "bansos-pkh", "--periode", "2026-s2", "--json"))
    assert r["ok"] and (r["tertaut"], r["tinjau"], r["tanpa_pasangan"], r["pengiriman"]) == (2, 0, 1, dunia["p"].pk)
    assert r["ke_mesin"] == 3  # a rerun of the same delivery links afresh (decisions still first)


def test_hasil_csv_is_exact_and_logged(dunia):
    o = dunia["orang"]
    with pytest.raises(CommandError):
        _run("hasil", "--dataset", "bansos-pkh")  # not linked yet
    _run("jalankan", "--dataset", "bansos-pkh")
    text = _run("hasil", "--dataset", "bansos-pkh", "--format", "csv")
    lines = text.splitlines()
    assert lines[0] == "baris,status,nik_registri,skor"
    assert lines[1].startswith(f"1,tertaut,{o['wayan'].nik},") and lines[3].startswith(f"3,tertaut,{o['gede'].nik},")
    assert lines[2].startswith("2,tanpa_pasangan,,")
    assert len(lines) == 4 and text.endswith("\n")
    skor = lines[1].rsplit(",", 1)[1]
    assert len(skor.split(".")[1]) == 4 and 0 <= float(skor) <= 1
    log = AuditLog.objects.filter(aksi="pdp.ekspor").latest("id")
    assert log.sesudah and "cli" in json.dumps(log.sesudah)
    masked = _run("hasil", "--dataset", "bansos-pkh", "--nik-samar").splitlines()
    assert o["wayan"].nik not in masked[1] and masked[1].startswith("1,tertaut," + o["wayan"].nik[:6] + "******")
    rows = json.loads(_run("hasil", "--dataset", "bansos-pkh", "--format", "json"))["baris"]
    assert [r["status"] for r in rows] == ["tertaut", "tanpa_pasangan", "tertaut"]
    assert json.loads(_run("hasil", "--dataset", "bansos-pkh", "--json"))["baris"] == rows


def test_unknown_dataset_and_ganda(dunia):
    with pytest.raises(CommandError):
        _run("jalankan", "--dataset", "tidak-ada")
    r = json.loads(_run("ganda", "--json"))
    assert r["ok"] and r["diperiksa"] == 6
    assert "data ganda registri" in _run("ganda", "--wilayah", data.DESA)
