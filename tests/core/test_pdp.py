"""UU PDP processing log: one row per view/export, compact ids, masking, filters, admin-only, CLI."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from presisi.accounts.pdp import pdp_log_for_user
from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.core.pdp import catat_akses_data_pribadi, mask_nik, pdp_log_list, ringkas_ids, urai_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(wilayah_klungkung):
    return {
        "op": pengguna_create(username="op", password="rahasia-panjang", peran="operator_desa",
                              wilayah_kode="51.05.01.2001"),
        "admin": pengguna_create(username="adm", password="rahasia-panjang", peran="admin", wilayah_kode="51.05"),
    }


def test_nik_masking_keeps_kecamatan_and_serial():
    assert mask_nik("5105011203800001") == "510501******0001"
    assert mask_nik("") == "" and mask_nik(None) == "" and mask_nik("12345") == "*****"


@pytest.mark.parametrize(("ids", "compact"), [([1, 2, 3, 7, 9, 10], "1-3,7,9-10"), ([5], "5"), ([], ""),
                                               (["3", "1", "2", "2"], "1-3"), (["a", "b"], "a,b")])
def test_ids_are_listed_compactly_and_read_back(ids, compact):
    assert ringkas_ids(ids) == compact
    assert sorted(urai_ids(compact)) == sorted({str(i) for i in ids})


def test_one_row_per_event_with_the_ids_compactly(users):
    row = catat_akses_data_pribadi(pengguna=users["op"], aksi="ekspor", objek_tipe="registry.individu",
                                   objek_ids=range(100, 350), tujuan="unduh daftar penduduk")
    assert (row.aksi, row.objek_id, row.pengguna) == ("pdp.ekspor", "", users["op"])
    assert row.sesudah == {"ids": "100-349", "jumlah": 250, "tujuan": "unduh daftar penduduk"}
    one = catat_akses_data_pribadi(pengguna=users["op"], aksi="lihat", objek_tipe="registry.individu", objek_ids=[7],
                                   rincian={"nik_penuh": True})
    assert one.objek_id == "7" and one.sesudah["nik_penuh"] is True and one.sesudah["jumlah"] == 1
    with pytest.raises(ValidationFailed):
        catat_akses_data_pribadi(pengguna=users["op"], aksi="hapus", objek_tipe="registry.individu", objek_ids=[1])
    assert AuditLog.objects.filter(aksi__startswith="pdp.").count() == 2


def test_the_log_filters_by_user_date_and_data_subject(users):
    for user, ids in ((users["op"], [7]), (users["admin"], [5, 6, 7, 8]), (users["op"], [9])):
        catat_akses_data_pribadi(pengguna=user, aksi="lihat", objek_tipe="registry.individu", objek_ids=ids)
    assert [r.ids for r in pdp_log_list(pengguna="op")] == ["9", "7"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert len(pdp_log_list(sejak=dt.date.today())) == 3 and pdp_log_list(sejak=tomorrow) == []
    assert len(pdp_log_list(sampai=dt.date.today())) == 3
    # who saw person 7: the single view and the list that contained 7
    assert [r.pengguna for r in pdp_log_list(objek_tipe="registry.individu", objek_id="7")] == ["adm", "op"]
    with pytest.raises(PermissionDenied):
        pdp_log_for_user(users["op"])
    assert len(pdp_log_for_user(users["admin"])) == 3


def test_cli_lists_the_log_as_text_and_json(users):
    catat_akses_data_pribadi(pengguna=users["op"], aksi="lihat", objek_tipe="registry.individu", objek_ids=[3, 4],
                             tujuan="halaman keluarga")
    catat_akses_data_pribadi(pengguna=users["admin"], aksi="ekspor", objek_tipe="registry.individu", objek_ids=[3])
    out = StringIO()
    call_command("pdp", "log", "--pengguna", "op", "--json", stdout=out)
    doc = json.loads(out.getvalue())
    assert doc["ok"] and doc["jumlah"] == 1 and doc["log"][0]["ids"] == "3-4"
    assert doc["log"][0]["tujuan"] == "halaman keluarga"
    out = StringIO()
    call_command("pdp", "log", "--sejak", dt.date.today().isoformat(), stdout=out)
    assert "2 catatan." in out.getvalue() and "halaman keluarga" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("pdp", "log", "--sejak", "05-01-2026", stdout=StringIO(), stderr=StringIO())
