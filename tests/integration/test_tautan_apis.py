"""API of the review queue and of registry duplicates: scope, PDP door, decisions, schema."""

from __future__ import annotations

import pytest
from django.test import Client

from presisi.core.models import AuditLog
from presisi.integration.models import METODE_KEPUTUSAN, TERTAUT, KeputusanTautan, PasanganGanda
from presisi.integration.services import tautan as svc
from presisi.integration.tautan import mesin
from presisi.registry.models import TIDAK_VALID
from tests.conftest import masuk
from tests.integration import tautan_data as data

pytestmark = pytest.mark.django_db
TENGAH = (mesin.AMBANG_TINJAU + mesin.AMBANG_TERTAUT) / 2
API = "/api/v1/tautan"


@pytest.fixture
def dunia(db, monkeypatch):
    data.siapkan_wilayah()
    calls: list[int] = []
    monkeypatch.setattr(svc, "selisih_hitung", lambda p: calls.append(p.pk) or 0)
    o = data.registri_kecil()
    p = data.kirim(data.dataset(), [{**data.baris_dari(o["wayan"]), "nik": "", "nama": "WAYAN SUDARMA"}])
    svc.tautan_jalankan(p)
    calls.clear()
    row = data.baris_tinjau(p, 1, [(o["wayan"], TENGAH), (o["ketut"], 0.2)])
    return {"orang": o, "p": p, "baris": row, "pengguna": data.pengguna_semua(), "selisih": calls}


def _client(user) -> Client:
    c = Client()
    masuk(c, user)
    return c


def test_list_and_detail_in_scope(dunia):
    u, row, o = dunia["pengguna"], dunia["baris"], dunia["orang"]
    c = _client(u["op"])
    r = c.get(f"{API}/tinjau/").json()
    assert r["jumlah"] == 1 and r["baris"][0]["id"] == row.pk and r["baris"][0]["status"] == "tinjau"
    d = c.get(f"{API}/tinjau/{row.pk}/").json()
    assert [k["individu"]["id"] for k in d["kandidat"]] == [o["wayan"].pk, o["ketut"].pk]
    assert d["kandidat"][0]["individu"]["nik"] == o["wayan"].nik[:6] + "******" + o["wayan"].nik[-4:]
    assert [b["kolom"] for b in d["kandidat"][0]["bobot"]] == ["prior", "nama", "tanggal_lahir"]
    assert c.get(f"{API}/tinjau/{row.pk}/?nik=penuh").json()["kandidat"][0]["individu"]["nik"] == o["wayan"].nik
    assert AuditLog.objects.filter(aksi="pdp.lihat", pengguna=u["op"], sesudah__isnull=False).exists()
    assert _client(u["op_lain"]).get(f"{API}/tinjau/{row.pk}/").status_code == 404
    assert _client(u["wali_lain"]).get(f"{API}/tinjau/{row.pk}/").status_code == 404
    assert _client(u["analis"]).get(f"{API}/tinjau/").status_code == 403
    assert _client(u["op_lain"]).get(f"{API}/tinjau/").json()["jumlah"] == 0


def test_decisions(dunia):
    u, row, o = dunia["pengguna"], dunia["baris"], dunia["orang"]
    c = _client(u["wali"])
    url = f"{API}/tinjau/{row.pk}/keputusan/"
    assert c.post(url, {"keputusan": "terima", "individu": o["gede"].pk},
                  content_type="application/json").status_code == 400  # not a candidate
    assert c.post(url, {"keputusan": "mungkin"}, content_type="application/json").status_code == 400
    r = c.post(url, {"keputusan": "tolak", "individu": o["wayan"].pk}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] in ("tinjau", "tanpa_pasangan")
    assert dunia["selisih"] == [dunia["p"].pk]
    r = c.post(url, {"keputusan": "terima", "individu": o["ketut"].pk, "alasan": "dicek di lapangan"},
               content_type="application/json").json()
    assert (r["status"], r["metode"], r["tertaut"]["id"]) == (TERTAUT, METODE_KEPUTUSAN, o["ketut"].pk)
    assert r["tertaut"]["nik"] != o["ketut"].nik  # a dinsos walidata never gets full NIKs
    assert KeputusanTautan.objects.count() == 2
    assert _client(u["op_lain"]).post(url, {"keputusan": "terima", "individu": o["wayan"].pk},
                                      content_type="application/json").status_code == 404


def test_pick_another_by_nik_outside_scope_is_not_found(dunia):
    u, row, o = dunia["pengguna"], dunia["baris"], dunia["orang"]
    r = _client(u["op"]).post(f"{API}/tinjau/{row.pk}/keputusan/", {"keputusan": "terima", "nik": o["gede"].nik},
                              content_type="application/json")
    assert r.status_code == 404 and not KeputusanTautan.objects.exists()


def test_duplicates_api(dunia):
    u, o = dunia["pengguna"], dunia["orang"]
    twin = data.orang(data.DESA, "5105011503800091", "I WAYAN SUDARMA", 1, o["wayan"].tanggal_lahir,
                      keluarga=o["wayan"].keluarga, hubungan_keluarga=3)
    pair = PasanganGanda.objects.create(individu_a=o["wayan"], individu_b=twin, desa=o["wayan"].desa,
                                        probabilitas=0.9, bobot_total=3.0, bobot=[])
    c = _client(u["admin"])
    assert c.get(f"{API}/ganda/").json()["pasangan"][0]["id"] == pair.pk
    assert c.get(f"{API}/ganda/{pair.pk}/").json()["boleh_gabung"] is True
    assert _client(u["wali"]).get(f"{API}/ganda/").status_code == 403
    assert _client(u["op_lain"]).get(f"{API}/ganda/{pair.pk}/").status_code == 404
    url = f"{API}/ganda/{pair.pk}/keputusan/"
    assert c.post(url, {"keputusan": "gabung", "dipertahankan": twin.pk}, content_type="application/json"
                  ).status_code == 400  # a reason is required
    r = c.post(url, {"keputusan": "gabung", "dipertahankan": twin.pk, "alasan": "ganda"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "digabung"
    o["wayan"].refresh_from_db()
    assert o["wayan"].status_dasar == TIDAK_VALID and o["wayan"].atribut["digabung_ke"] == twin.pk
    assert c.post(url, {"keputusan": "bukan_ganda"}, content_type="application/json").status_code == 400


def test_schema_has_no_warnings(capsys):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/tautan/tinjau/{baris_id}/keputusan/" in schema["paths"]
    err = capsys.readouterr().err
    assert "tautan" not in err.lower(), err
