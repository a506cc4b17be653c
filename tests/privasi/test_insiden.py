"""Breach incidents (UU PDP Ps. 46): the checklist, the 3×24-hour notification deadline, admins only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.privasi import selectors as sel
from presisi.privasi import services
from presisi.privasi.models import InsidenPelanggaran
from tests.privasi.conftest import jam_lalu, login

pytestmark = pytest.mark.django_db


def _insiden(user, jam: float = 1, **extra) -> InsidenPelanggaran:
    data = {"judul": "Laptop operator hilang", "ditemukan_pada": jam_lalu(jam), "uraian": "Berkas ekspor di laptop",
            "kategori_data": ["identitas", "keluarga"], "jumlah_subjek": 120, **extra}
    return services.insiden_catat(data=data, pengguna=user)


def test_deadline_is_72_hours_after_discovery(users):
    i = _insiden(users["admin"])
    assert i.tenggat == i.ditemukan_pada + dt.timedelta(hours=72)
    d = sel.insiden_dict(i, sekarang=i.ditemukan_pada + dt.timedelta(hours=70))
    assert not d["tenggat"]["terlambat"] and d["tenggat"]["sisa_menit"] == 120
    assert sel.insiden_dict(i, sekarang=i.ditemukan_pada + dt.timedelta(hours=73))["tenggat"]["terlambat"]
    # only both written notifications stop the clock
    i = services.insiden_ubah(insiden=i, data={"subjek_diberitahu_pada": timezone.now()}, pengguna=users["admin"])
    assert sel.insiden_dict(i, sekarang=i.ditemukan_pada + dt.timedelta(hours=73))["tenggat"]["terlambat"]
    i = services.insiden_ubah(insiden=i, data={"lembaga_diberitahu_pada": timezone.now()}, pengguna=users["admin"])
    d = sel.insiden_dict(i, sekarang=i.ditemukan_pada + dt.timedelta(hours=100))
    assert d["tenggat"]["selesai"] and not d["tenggat"]["terlambat"]
    assert [step["selesai"] for step in d["langkah"]] == [True, False, True, True, False, False]
    assert AuditLog.objects.filter(aksi=services.INSIDEN_DIUBAH, objek_id=str(i.pk)).count() == 2


def test_discovery_time_never_moves_and_steps_cannot_precede_it(users):
    i = _insiden(users["admin"], jam=5)
    first = i.tenggat
    i = services.insiden_ubah(insiden=i, data={"ditemukan_pada": timezone.now()}, pengguna=users["admin"])
    assert i.tenggat == first
    with pytest.raises(ValidationFailed):
        services.insiden_ubah(insiden=i, data={"dikendalikan_pada": jam_lalu(10)}, pengguna=users["admin"])
    with pytest.raises(ValidationFailed):
        _insiden(users["admin"], kategori_data=["rahasia_negara"])
    with pytest.raises(ValidationFailed):
        services.insiden_catat(data={"judul": "", "uraian": ""}, pengguna=users["admin"])


def test_pages_admin_only_with_checklist_and_countdown(client, users):
    for peran in ("operator", "verifikator", "walidata", "analis"):
        assert login(client, users[peran]).get("/privasi/insiden/").status_code == 403
    c = login(client, users["admin"])
    assert c.get("/privasi/insiden/baru/").status_code == 200
    response = c.post("/privasi/insiden/baru/", {
        "judul": "Surel salah kirim", "ditemukan_pada": timezone.localtime(jam_lalu(80)).strftime("%Y-%m-%dT%H:%M"),
        "uraian": "Daftar penerima bantuan terkirim ke alamat salah", "kategori_data": ["kesejahteraan"],
        "jumlah_subjek": "35"})
    i = InsidenPelanggaran.objects.get()
    assert response.status_code == 302 and i.kategori_data == ["kesejahteraan"]
    html = c.get(f"/privasi/insiden/{i.pk}/").content.decode()
    assert "LEWAT TENGGAT" in html and "Ps. 46" in html
    assert "LEWAT TENGGAT" in c.get("/privasi/insiden/").content.decode()
    c.post(f"/privasi/insiden/{i.pk}/", {"tandai": "dikendalikan_pada"})
    i.refresh_from_db()
    assert i.dikendalikan_pada is not None
    assert AuditLog.objects.filter(aksi=services.INSIDEN_DICATAT, pengguna=users["admin"]).exists()


def test_api(client, users):
    c = login(client, users["admin"])
    body = {"judul": "Akun bocor", "ditemukan_pada": timezone.localtime(jam_lalu(2)).isoformat(),
            "uraian": "Kata sandi operator tersebar", "kategori_data": ["akun"], "jumlah_subjek": 1}
    created = c.post("/api/v1/privasi/insiden/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = c.patch(f"/api/v1/privasi/insiden/{pk}/", {"dikendalikan_pada": timezone.localtime().isoformat()},
                      content_type="application/json")
    assert patched.json()["langkah"][1]["selesai"] is True
    assert login(client, users["operator"]).get("/api/v1/privasi/insiden/").status_code == 403
