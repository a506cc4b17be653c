"""Connectors: encrypted credentials never shown back; scheduled pulls from a fake endpoint on loopback."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.integration import kripto
from presisi.integration import selectors as sel
from presisi.integration.models import BarisSumber, Konektor, Pengiriman
from presisi.integration.services.konektor import (
    konektor_jatuh_tempo,
    konektor_simpan,
    konektor_tarik,
    tarik_jatuh_tempo,
)
from tests.integration.bantu_sektor import DESA, NIK_A

pytestmark = pytest.mark.django_db
TOKEN = "rahasia-token-uji-123"
ROWS = [{"nik": NIK_A, "nama": "I Wayan Sudarma", "jenis_kelamin": "L", "tanggal_lahir": "12-03-1980",
         "kode_desa": DESA}]


def _konektor(ds, user, url, **kw):
    args = {"jenis": "tarik", "url": url, "format": "json", "kredensial_jenis": "bearer", "kredensial_nilai": TOKEN}
    return konektor_simpan(oleh=user, dataset=ds, **{**args, **kw})


def test_credentials_encrypted_at_rest_and_never_shown(ds_pkh, akun):
    k = _konektor(ds_pkh, akun["walidata"], "https://data.dinsos.invalid/pkh.json")
    k.refresh_from_db()
    assert TOKEN not in k.kredensial_terenkripsi and k.kredensial_terenkripsi.startswith("gAAAA")  # Fernet token
    assert kripto.dekripsi(k.kredensial_terenkripsi) == {"jenis": "bearer", "nilai": TOKEN}
    shown = sel.konektor_dict(k)
    assert shown["kredensial"] == "tersimpan" and TOKEN not in json.dumps(shown, default=str)
    assert not any(TOKEN in json.dumps([a.sebelum, a.sesudah, a.keterangan], default=str)
                   for a in AuditLog.objects.all())
    # updating without new credentials keeps them; "" removes them
    konektor_simpan(oleh=akun["walidata"], dataset=ds_pkh, konektor=k, jenis="tarik", url=k.url, interval_jam=6)
    k.refresh_from_db()
    assert kripto.dekripsi(k.kredensial_terenkripsi)["nilai"] == TOKEN and k.interval_jam == 6
    konektor_simpan(oleh=akun["walidata"], dataset=ds_pkh, konektor=k, jenis="tarik", url=k.url,
                    kredensial_jenis="")
    k.refresh_from_db()
    assert k.kredensial_terenkripsi == ""


def test_key_from_settings_and_a_foreign_key_is_a_clear_refusal(settings):
    from cryptography.fernet import Fernet

    token = kripto.enkripsi({"jenis": "bearer", "nilai": "x"})
    settings.PRESISI_KUNCI_KREDENSIAL = Fernet.generate_key().decode()
    with pytest.raises(ValidationFailed) as exc:
        kripto.dekripsi(token)
    assert exc.value.findings[0].rule == "kredensial"
    assert kripto.dekripsi(kripto.enkripsi({"a": "b"})) == {"a": "b"}


def test_connector_validation_and_rights(ds_pkh, akun):
    with pytest.raises(ValidationFailed) as exc:
        _konektor(ds_pkh, akun["walidata"], "ftp://x")
    assert exc.value.findings[0].rule == "url"
    with pytest.raises(ValidationFailed):
        _konektor(ds_pkh, akun["walidata"], "https://user:pw@host/x")  # credentials belong in the vault
    with pytest.raises(ValidationFailed):
        _konektor(ds_pkh, akun["walidata"], "https://host/x", kredensial_jenis="basic", kredensial_nilai="nocolon")
    for who in ("walidata_dinkes", "operator", "analis"):
        with pytest.raises(PermissionDenied):
            _konektor(ds_pkh, akun[who], "https://host/x")
    assert not Konektor.objects.exists()


def test_pull_sends_the_credentials_and_delivers(ds_pkh, periode_kirim, akun, titik_uji):
    url = f"http://127.0.0.1:{titik_uji.server_port}/pkh"
    k = _konektor(ds_pkh, akun["walidata"], url)
    hasil = konektor_tarik(k, periode="2026-S2")
    assert titik_uji.seen[0]["Authorization"] == f"Bearer {TOKEN}"
    assert hasil.baru and hasil.versi == 1 and hasil.pengiriman.sumber == Pengiriman.TARIK
    assert hasil.pengiriman.konektor == k and BarisSumber.objects.get().nik == NIK_A
    k.refresh_from_db()
    assert k.terakhir_jalan is not None and k.terakhir_status.startswith("berhasil: versi 1")
    again = konektor_tarik(k, periode="2026-S2")  # same content: same delivery, nothing new
    assert not again.baru and Pengiriman.objects.count() == 1
    k.refresh_from_db()
    assert k.terakhir_status.startswith("tidak berubah")


@pytest.mark.parametrize("jenis,nilai,header,expected", [
    ("basic", "dinsos:sandi", "", ("Authorization", "Basic ZGluc29zOnNhbmRp")),
    ("header", "kunci-api", "X-API-Key", ("X-Api-Key", "kunci-api")),
])
def test_other_credential_kinds(ds_pkh, periode_kirim, akun, titik_uji, jenis, nilai, header, expected):
    k = _konektor(ds_pkh, akun["walidata"], f"http://127.0.0.1:{titik_uji.server_port}/",
                  kredensial_jenis=jenis, kredensial_nilai=nilai, kredensial_header=header)
    konektor_tarik(k, periode="2026-S2")
    assert titik_uji.seen[0][expected[0]] == expected[1]


def test_bad_json_or_http_error_is_clear_and_writes_nothing(ds_pkh, periode_kirim, akun, titik_uji):
    k = _konektor(ds_pkh, akun["walidata"], f"http://127.0.0.1:{titik_uji.server_port}/")
    titik_uji.reply = (200, b'{"data": [ {"nik": ', "application/json")
    with pytest.raises(ValidationFailed) as exc:
        konektor_tarik(k, periode="2026-S2")
    assert exc.value.findings[0].rule == "json_rusak" and "JSON tidak sah" in exc.value.message
    k.refresh_from_db()
    assert k.terakhir_status.startswith("gagal: ") and not Pengiriman.objects.exists()
    titik_uji.reply = (500, b"oops", "text/plain")
    with pytest.raises(ValidationFailed) as exc:
        konektor_tarik(k, periode="2026-S2")
    assert exc.value.findings[0].rule == "http_status" and "500" in exc.value.message
    assert not Pengiriman.objects.exists() and not BarisSumber.objects.exists()


def test_response_size_limit(ds_pkh, periode_kirim, akun, titik_uji, settings):
    settings.PRESISI_IMPOR_MAKS_BYTE = 100
    titik_uji.reply = (200, json.dumps({"data": ROWS * 10}).encode(), "application/json")
    k = _konektor(ds_pkh, akun["walidata"], f"http://127.0.0.1:{titik_uji.server_port}/")
    with pytest.raises(ValidationFailed) as exc:
        konektor_tarik(k, periode="2026-S2")
    assert exc.value.findings[0].rule == "http_terlalu_besar"


def test_unreachable_endpoint(ds_pkh, periode_kirim, akun):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    k = _konektor(ds_pkh, akun["walidata"], f"http://127.0.0.1:{port}/")
    with pytest.raises(ValidationFailed) as exc:
        konektor_tarik(k, periode="2026-S2", timeout=2)
    assert exc.value.findings[0].rule == "http_koneksi"


def test_due_connectors_are_pulled_by_the_task(ds_pkh, periode_kirim, akun, titik_uji):
    from presisi.integration.tasks_konektor import tarik_jatuh_tempo_task

    url = f"http://127.0.0.1:{titik_uji.server_port}/"
    due = _konektor(ds_pkh, akun["walidata"], url, nama="jatuh tempo", interval_jam=24)
    recent = _konektor(ds_pkh, akun["walidata"], url, nama="baru saja", interval_jam=24)
    Konektor.objects.filter(pk=recent.pk).update(terakhir_jalan=timezone.now() - dt.timedelta(hours=1))
    Konektor.objects.filter(pk=due.pk).update(terakhir_jalan=timezone.now() - dt.timedelta(hours=25))
    assert [k.pk for k in konektor_jatuh_tempo()] == [due.pk]
    hasil = tarik_jatuh_tempo_task.call("2026-S2")
    assert [(h["konektor"], h["ok"], h["versi"]) for h in hasil] == [(due.pk, True, 1)]
    assert tarik_jatuh_tempo(periode="2026-S2") == []  # nothing due any more
