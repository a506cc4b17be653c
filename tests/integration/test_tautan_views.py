"""The review queue pages: scope per role, the side-by-side explanation, decisions, registry duplicates."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from presisi.core.models import AuditLog
from presisi.integration.models import METODE_KEPUTUSAN, TERIMA, TERTAUT, KeputusanTautan, PasanganGanda
from presisi.integration.services import tautan as svc
from presisi.integration.tautan import mesin
from presisi.registry.models import TIDAK_VALID
from tests.conftest import masuk
from tests.integration import tautan_data as data

pytestmark = pytest.mark.django_db
TENGAH = (mesin.AMBANG_TINJAU + mesin.AMBANG_TERTAUT) / 2


@pytest.fixture
def dunia(db, monkeypatch):
    data.siapkan_wilayah()
    calls: list[int] = []
    monkeypatch.setattr(svc, "selisih_hitung", lambda p: calls.append(p.pk) or 0)
    o = data.registri_kecil()
    ds = data.dataset()
    p = data.kirim(ds, [{**data.baris_dari(o["wayan"]), "nik": "", "nama": "WAYAN SUDARMA"},
                        {**data.baris_dari(o["putu"]), "nik": "", "nama": "PUTU AYU LESTARI"}])
    svc.tautan_jalankan(p)
    calls.clear()
    row = data.baris_tinjau(p, 1, [(o["wayan"], TENGAH), (o["ketut"], 0.2)])
    row2 = data.baris_tinjau(p, 2, [(o["putu"], TENGAH)])
    return {"orang": o, "ds": ds, "p": p, "baris": row, "baris2": row2, "pengguna": data.pengguna_semua(),
            "selisih": calls}


def _client(user) -> Client:
    c = Client()
    masuk(c, user)
    return c


def test_queue_lists_rows_in_scope_only(dunia):
    u = dunia["pengguna"]
    body = _client(u["op"]).get("/sektor/tinjau/").content.decode()
    assert "WAYAN SUDARMA" in body and "PUTU AYU LESTARI" not in body  # Putu lives in the neighbouring desa
    body = _client(u["ver"]).get("/sektor/tinjau/").content.decode()
    assert "WAYAN SUDARMA" in body and "PUTU AYU LESTARI" in body
    assert "WAYAN SUDARMA" in _client(u["wali"]).get("/sektor/tinjau/").content.decode()
    assert "WAYAN SUDARMA" not in _client(u["wali_lain"]).get("/sektor/tinjau/").content.decode()
    assert "WAYAN SUDARMA" not in _client(u["op_lain"]).get("/sektor/tinjau/").content.decode()
    assert _client(u["analis"]).get("/sektor/tinjau/").status_code == 403
    assert "PUTU AYU LESTARI" not in _client(u["admin"]).get(
        "/sektor/tinjau/?desa=" + data.DESA).content.decode()


def test_foreign_row_is_not_found(dunia):
    u, row = dunia["pengguna"], dunia["baris"]
    for who in ("op_lain", "op_tetangga", "ver_lain", "wali_lain", "wali_dukcapil"):
        c = _client(u[who])
        assert c.get(f"/sektor/tinjau/{row.pk}/").status_code == 404, who
        assert c.post(f"/sektor/tinjau/{row.pk}/", {"aksi": "terima", "individu": row.individu_id}).status_code == 404
    assert not KeputusanTautan.objects.exists()


def test_detail_explains_field_by_field_masks_nik_and_logs(dunia):
    u, row, o = dunia["pengguna"], dunia["baris"], dunia["orang"]
    c = _client(u["op"])
    body = c.get(f"/sektor/tinjau/{row.pk}/").content.decode()
    assert "I WAYAN SUDARMA" in body and "WAYAN SUDARMA" in body
    assert "<svg" in body and "<rect" in body and 'style="' not in body  # CSP: presentation attributes only
    assert o["wayan"].nik not in body and o["wayan"].nik[:6] + "******" + o["wayan"].nik[-4:] in body
    assert AuditLog.objects.filter(aksi="pdp.lihat", pengguna=u["op"]).exists()
    body = c.post(f"/sektor/tinjau/{row.pk}/", {"tampilkan_nik": "1"}).content.decode()
    assert o["wayan"].nik in body  # the operator of the desa may see it, on request, logged
    # a walidata of the dinsos sector reviews his data but never sees full NIKs
    body = _client(u["wali"]).post(f"/sektor/tinjau/{row.pk}/", {"tampilkan_nik": "1"}).content.decode()
    assert o["wayan"].nik not in body and "Tampilkan NIK" not in body


def test_accept_and_reject_change_the_row_and_the_report(dunia):
    u, row, o = dunia["pengguna"], dunia["baris"], dunia["orang"]
    c = _client(u["op"])
    r = c.post(f"/sektor/tinjau/{row.pk}/", {"aksi": "tolak", "individu": o["wayan"].pk, "alasan": "beda orang"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.individu_id != o["wayan"].pk
    assert dunia["selisih"] == [dunia["p"].pk]
    c.post(f"/sektor/tinjau/{row.pk}/", {"aksi": "terima", "individu": o["ketut"].pk})
    row.refresh_from_db()
    assert (row.status_tautan, row.metode, row.individu_id) == (TERTAUT, METODE_KEPUTUSAN, o["ketut"].pk)
    assert dunia["selisih"] == [dunia["p"].pk, dunia["p"].pk]
    # a person who is not a candidate cannot be accepted by id: "pick another" goes through a NIK in scope
    c.post(f"/sektor/tinjau/{row.pk}/", {"aksi": "terima", "individu": o["gede"].pk})
    row.refresh_from_db()
    assert row.individu_id == o["ketut"].pk


def test_pick_another_by_nik_within_scope(dunia):
    u, row, o = dunia["pengguna"], dunia["baris"], dunia["orang"]
    c = _client(u["op"])
    c.post(f"/sektor/tinjau/{row.pk}/", {"aksi": "pilih", "nik": o["gede"].nik})  # another kecamatan
    row.refresh_from_db()
    assert row.individu_id == o["wayan"].pk and not KeputusanTautan.objects.exists()
    luh = data.orang(data.DESA, "5105014404900031", "NI LUH DEWI", 2, o["ketut"].tanggal_lahir)
    r = c.post(f"/sektor/tinjau/{row.pk}/", {"aksi": "pilih", "nik": luh.nik}, follow=True)
    row.refresh_from_db()
    assert (row.status_tautan, row.individu_id) == (TERTAUT, luh.pk)
    assert KeputusanTautan.objects.get().keputusan == TERIMA
    assert "Tertaut (dipilih peninjau)" in r.content.decode()


def test_duplicates_tab_and_merge(dunia):
    u, o = dunia["pengguna"], dunia["orang"]
    twin = data.orang(data.DESA, "5105011503800091", "I WAYAN SUDARMA", 1, o["wayan"].tanggal_lahir,
                      keluarga=o["wayan"].keluarga, hubungan_keluarga=3)
    pair = PasanganGanda.objects.create(individu_a=o["wayan"], individu_b=twin, desa=o["wayan"].desa,
                                        probabilitas=0.9, bobot_total=3.0, bobot=[{"kolom": "nama", "bobot": 3.0}])
    assert _client(u["wali"]).get("/sektor/ganda/").status_code == 403
    assert _client(u["op_lain"]).get(f"/sektor/ganda/{pair.pk}/").status_code == 404
    c = _client(u["op"])
    body = c.get("/sektor/tinjau/").content.decode()
    assert "Data ganda registri" in body
    assert f"/sektor/ganda/{pair.pk}/" in c.get("/sektor/ganda/").content.decode()
    # the verifikator reviews but may not merge (its own permission)
    assert _client(u["ver"]).post(f"/sektor/ganda/{pair.pk}/", {
        "keputusan": "gabung", "dipertahankan": o["wayan"].pk, "alasan": "sama"}).status_code == 403
    r = c.post(f"/sektor/ganda/{pair.pk}/", {"keputusan": "gabung", "dipertahankan": o["wayan"].pk,
                                             "alasan": "terdaftar dua kali"}, follow=True)
    assert re.search(r"Digabung", r.content.decode())
    twin.refresh_from_db()
    assert twin.status_dasar == TIDAK_VALID and twin.atribut["digabung_ke"] == o["wayan"].pk


@given(st.lists(st.floats(min_value=-40, max_value=40, allow_nan=False), max_size=14))
def test_waterfall_geometry_stays_inside_the_picture(weights):
    from presisi.integration.selectors_tautan import air_terjun

    at = air_terjun([{"kolom": f"k{i}", "tingkat": "t", "bobot": w} for i, w in enumerate(weights)])
    assert len(at["batang"]) == len(weights)
    for bar in at["batang"]:
        assert bar.x >= 0 and bar.x + bar.lebar <= at["lebar"] + 1 and bar.lebar >= 1
    assert abs(at["total"] - sum(weights)) < 0.01
    assert 0 <= at["nol"] <= at["lebar"]


def test_ids_beyond_the_database_are_not_found(dunia):
    c = _client(dunia["pengguna"]["admin"])
    assert c.get(f"/sektor/tinjau/{2**64}/").status_code == 404
    assert c.get(f"/sektor/ganda/{2**64}/").status_code == 404
    assert c.get(f"/api/v1/tautan/tinjau/{2**64}/").status_code == 404
