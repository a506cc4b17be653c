"""Correction requests (UU PDP Ps. 30): states, the link to the registry correction, deadlines, pages, API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.privasi import selectors as sel
from presisi.privasi import services
from presisi.privasi.models import PermintaanPerbaikan
from presisi.registry.identitas import KOREKSI_IDENTITAS
from presisi.registry.services import individu_update
from tests.privasi.conftest import NIK, NIK_LAIN, jam_lalu, login, pdp_rows

pytestmark = pytest.mark.django_db


def _catat(kepala, user, **extra) -> PermintaanPerbaikan:
    data = {"pemohon": "I Wayan Sudarma", "kanal": "datang", "kolom": "pendidikan", "nilai_usulan": "6",
            "uraian": "Pendidikan tercatat SMP, sebenarnya SMA", "bukti": "ijazah SMA dilihat", **extra}
    return services.permintaan_catat(individu=kepala, pengguna=user, **data)


def test_recorded_with_a_three_day_deadline_and_an_audit_row(users, kepala):
    received = jam_lalu(1)
    p = _catat(kepala, users["operator"], diterima_pada=received)
    assert p.status == "diajukan" and p.tenggat == received + dt.timedelta(hours=72)
    assert p.desa_id == kepala.desa_id and p.nilai_tercatat == ""
    assert AuditLog.objects.filter(aksi=services.PERBAIKAN_DICATAT, objek_id=str(p.pk)).exists()


def test_incomplete_or_unknown_field_is_refused_with_every_finding(users, kepala):
    with pytest.raises(ValidationFailed) as exc:
        services.permintaan_catat(individu=kepala, pemohon="", kanal="merpati", kolom="warna_rambut", uraian="",
                                  pengguna=users["operator"])
    assert {f.column for f in exc.value.findings} >= {"pemohon", "uraian", "kanal", "kolom"}
    assert not PermintaanPerbaikan.objects.exists()


def test_apply_makes_the_registry_correction_and_links_it(users, kepala):
    p = _catat(kepala, users["operator"])
    p = services.permintaan_proses(permintaan=p, pengguna=users["operator"])
    assert p.status == "diproses"
    with pytest.raises(ValidationFailed):
        services.permintaan_proses(permintaan=p, pengguna=users["operator"])
    p = services.permintaan_selesaikan(permintaan=p, terapkan=True, pengguna=users["operator"])
    kepala.refresh_from_db()
    assert p.status == "selesai" and kepala.pendidikan == 6
    assert p.koreksi.aksi == "registry.individu.diubah" and p.koreksi.objek_id == str(kepala.pk)
    assert p.koreksi.sesudah["pendidikan"] == 6
    # decided: never changes again
    with pytest.raises(ValidationFailed):
        services.permintaan_tolak(permintaan=p, alasan="terlambat", pengguna=users["operator"])


def test_identity_field_is_corrected_as_a_declared_identity_correction(users, kepala):
    p = _catat(kepala, users["operator"], kolom="tanggal_lahir", nilai_usulan="1980-03-13",
               uraian="tanggal lahir salah satu hari")
    assert p.nilai_tercatat == "1980-03-12"
    p = services.permintaan_selesaikan(permintaan=p, terapkan=True, pengguna=users["operator"])
    assert p.koreksi.aksi == KOREKSI_IDENTITAS and f"#{p.pk}" in p.koreksi.sesudah["alasan"]


def test_a_refused_correction_leaves_the_request_open(users, kepala):
    p = _catat(kepala, users["operator"], kolom="pendidikan", nilai_usulan="99")
    with pytest.raises(ValidationFailed):
        services.permintaan_selesaikan(permintaan=p, terapkan=True, pengguna=users["operator"])
    p.refresh_from_db()
    assert p.status == "diajukan" and p.koreksi is None


def test_same_value_is_no_correction(users, kepala):
    p = _catat(kepala, users["operator"], kolom="agama", nilai_usulan="4")
    with pytest.raises(ValidationFailed, match="sama"):
        services.permintaan_selesaikan(permintaan=p, terapkan=True, pengguna=users["operator"])


def test_link_to_a_correction_already_made(users, kepala, keluarga):
    from presisi.registry.models import Individu

    p = _catat(kepala, users["operator"])
    individu_update(individu=kepala, data={"pendidikan": 6}, pengguna=users["operator"])
    other = Individu.objects.get(nik=NIK_LAIN)
    individu_update(individu=other, data={"pendidikan": 6}, pengguna=users["admin"])
    mine = AuditLog.objects.get(aksi="registry.individu.diubah", objek_id=str(kepala.pk))
    theirs = AuditLog.objects.get(aksi="registry.individu.diubah", objek_id=str(other.pk))
    assert [k["id"] for k in sel.koreksi_kandidat(p)] == [mine.pk]
    with pytest.raises(ValidationFailed):
        services.permintaan_selesaikan(permintaan=p, koreksi_id=theirs.pk, pengguna=users["operator"])
    p = services.permintaan_selesaikan(permintaan=p, koreksi_id=mine.pk, catatan="sudah", pengguna=users["operator"])
    assert p.koreksi == mine and p.status == "selesai"


def test_refusal_needs_a_reason(users, kepala):
    p = _catat(kepala, users["operator"])
    with pytest.raises(ValidationFailed):
        services.permintaan_tolak(permintaan=p, alasan="  ", pengguna=users["operator"])
    p = services.permintaan_tolak(permintaan=p, alasan="bukti tidak sesuai", pengguna=users["operator"])
    assert p.status == "ditolak" and AuditLog.objects.filter(aksi=services.PERBAIKAN_DITOLAK).exists()


def test_overdue_requests_are_marked_and_first(users, kepala):
    lama = _catat(kepala, users["operator"], diterima_pada=jam_lalu(80))
    baru = _catat(kepala, users["operator"], diterima_pada=jam_lalu(2))
    rows = sel.permintaan_list(user=users["operator"])
    assert [r["id"] for r in rows] == [lama.pk, baru.pk]
    assert rows[0]["tenggat"]["terlambat"] and not rows[1]["tenggat"]["terlambat"]
    # the deadline is stored: a clock 73 hours after the second request sees it overdue as well
    later = baru.diterima_pada + dt.timedelta(hours=73)
    assert all(r["tenggat"]["terlambat"] for r in sel.permintaan_list(user=users["operator"], sekarang=later))
    assert [r["id"] for r in sel.permintaan_list(user=users["operator"], terlambat=True)] == [lama.pk]
    # a decided request is never overdue
    services.permintaan_tolak(permintaan=lama, alasan="x", pengguna=users["operator"])
    assert not sel.permintaan_list(user=users["operator"], status="ditolak")[0]["tenggat"]["terlambat"]


def test_scope_of_the_list(users, kepala):
    _catat(kepala, users["operator"])
    assert len(sel.permintaan_list(user=users["verifikator"])) == 1
    assert sel.permintaan_list(user=users["operator_lain"]) == []


def test_web_flow_record_and_apply(client, users, kepala):
    c = login(client, users["operator"])
    assert c.get("/privasi/perbaikan/baru/").status_code == 200
    form = {"nik": NIK, "pemohon": "I Wayan Sudarma", "kanal": "datang", "kolom": "pendidikan", "nilai_usulan": "6",
            "uraian": "SMA, bukan SMP", "bukti": ""}
    response = c.post("/privasi/perbaikan/baru/", form)
    p = PermintaanPerbaikan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/privasi/perbaikan/{p.pk}/"
    html = c.get("/privasi/perbaikan/").content.decode()
    assert "I Wayan Sudarma" in html and pdp_rows()[-1].objek_id == str(kepala.pk)
    assert c.post(f"/privasi/perbaikan/{p.pk}/", {"aksi": "proses"}).status_code == 302
    assert c.post(f"/privasi/perbaikan/{p.pk}/", {"aksi": "terapkan"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "selesai" and p.koreksi is not None
    # a foreign NIK is "not found" in the form, nothing recorded
    response = c.post("/privasi/perbaikan/baru/", {**form, "nik": NIK_LAIN})
    assert response.status_code == 200 and PermintaanPerbaikan.objects.count() == 1
    # inbox
    _catat(kepala, users["operator"], diterima_pada=jam_lalu(100))
    html = c.get("/tugas/").content.decode()
    assert "/privasi/perbaikan/" in html and "lewat tenggat" in html


def test_verifier_may_refuse_but_not_write_the_registry(client, users, kepala):
    p = _catat(kepala, users["operator"])
    c = login(client, users["verifikator"])
    assert c.get(f"/privasi/perbaikan/{p.pk}/").status_code == 200
    assert c.post(f"/privasi/perbaikan/{p.pk}/", {"aksi": "terapkan"}).status_code == 403
    c.post(f"/privasi/perbaikan/{p.pk}/", {"aksi": "tolak", "alasan": "bukti palsu"})
    p.refresh_from_db()
    assert p.status == "ditolak"
    assert login(client, users["analis"]).get("/privasi/perbaikan/").status_code == 403
    assert login(client, users["operator_lain"]).get(f"/privasi/perbaikan/{p.pk}/").status_code == 404


def test_api_flow(client, users, kepala):
    c = login(client, users["operator"])
    body = {"nik": NIK, "pemohon": "kuasa", "kanal": "surat", "kolom": "pendidikan", "nilai_usulan": "6",
            "uraian": "SMA", "diterima_pada": (timezone.localtime() - dt.timedelta(hours=1)).isoformat()}
    created = c.post("/api/v1/privasi/perbaikan/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = c.post("/api/v1/privasi/perbaikan/", {**body, "diterima_pada": "kemarin"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["temuan"][0]["column"] == "diterima_pada"
    assert c.get("/api/v1/privasi/perbaikan/").json()[0]["id"] == pk
    done = c.post(f"/api/v1/privasi/perbaikan/{pk}/selesaikan/", {"terapkan": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "selesai" and done.json()["koreksi"]["id"]
    again = c.post(f"/api/v1/privasi/perbaikan/{pk}/tolak/", {"alasan": "x"}, content_type="application/json")
    assert again.status_code == 400
    assert c.post(f"/api/v1/privasi/perbaikan/{pk}/hapus/", {}, content_type="application/json").status_code == 400
    foreign = login(client, users["operator_lain"])
    assert foreign.get(f"/api/v1/privasi/perbaikan/{pk}/").status_code == 404
