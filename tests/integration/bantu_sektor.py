"""Fixtures of the sector-catalogue and delivery tests (registered by tests/integration/conftest.py).

Klungkung's official region list and the dictionary; a period; users of every role (a walidata of
Dinsos, a walidata of Dinkes, a walidata of Dukcapil); a microdata dataset of Dinsos (PKH recipients)
and an aggregate one. All personal data synthetic.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

DESA, DESA_LAIN = "51.05.01.2001", "51.05.01.2002"  # Sakti, Batumadeg (Nusa Penida)
PASSWORD = "rahasia-panjang-uji"


@pytest.fixture
def periode_kirim(db):
    from presisi.periods.models import Periode

    return Periode.objects.create(kode="2026-S2", nama="2026 Semester 2", tanggal_mulai=dt.date(2026, 7, 1),
                                  tanggal_referensi=dt.date(2026, 12, 31))


@pytest.fixture
def akun(wilayah_klungkung, kamus):
    from presisi.accounts.services import pengguna_create

    plan = {"operator": ("operator_desa", DESA, None), "verifikator": ("verifikator_kecamatan", "51.05.01", None),
            "walidata": ("walidata", "51.05", ["dinsos"]), "walidata_dinkes": ("walidata", "51.05", ["dinkes"]),
            "walidata_dukcapil": ("walidata", "51.05", ["dukcapil"]), "analis": ("analis", "51.05", None),
            "admin": ("admin", "51.05", None)}
    return {name: pengguna_create(username=name, password=PASSWORD, peran=peran, wilayah_kode=kode, sektor=sektor)
            for name, (peran, kode, sektor) in plan.items()}


@pytest.fixture
def ds_pkh(akun):
    from presisi.integration.services.dataset import dataset_buat

    return dataset_buat(oleh=akun["walidata"], kode="dinsos-pkh", sektor="dinsos", data={
        "nama": "Penerima PKH", "unit": "individu", "jenis": "mikro", "program": "pkh", "produsen": "Dinas Sosial",
        "metadata": {"judul_kegiatan": "Pendataan penerima PKH", "tahun": 2026,
                     "cara_pengumpulan": "kompilasi_produk_administrasi", "cakupan_wilayah": "51.05",
                     "frekuensi": "semesteran"}})


@pytest.fixture
def ds_rekap(akun):
    from presisi.integration.services.dataset import dataset_buat

    return dataset_buat(oleh=akun["walidata"], kode="dinsos-agregat", sektor="dinsos", data={
        "nama": "Rekap penerima bantuan per desa", "unit": "desa", "jenis": "agregat"})


# a valid NIK needs a real date and a known region: 51.05.01 (Nusa Penida), born 12-03-1980 (man) / +40 (woman)
NIK_A, NIK_B, NIK_C = "5105011203800001", "5105015507100002", "5105010101900003"
KK_A = "5105010203150001"

CSV_UMUM = (
    "NIK,NO KK,NAMA LENGKAP,JK,TGL LAHIR,KODE DESA,NAMA DESA,ALAMAT,BANTUAN\n"
    f"{NIK_A},{KK_A},I Wayan Sudarma,L,12-03-1980,{DESA},Sakti,Jl. Pura Dalem 1,PKH\n"
    f"'{NIK_B},{KK_A},Ni Luh Ayu,P,15/07/2010,5105012001,Sakti,Jl. Pura Dalem 1,PKH\n"
    f"12345,,Made Tanpa NIK,1,1990-01-01,,Batumadeg,,PKH\n"
)
BARIS_JSON = [{"nik": NIK_A, "nama": "I Wayan Sudarma", "jenis_kelamin": "L", "tanggal_lahir": "12-03-1980",
               "kode_desa": DESA}]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        server = self.server
        server.seen.append(dict(self.headers))
        status, body, ctype = server.reply
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def titik_uji():
    """A fake agency endpoint on loopback: records the request headers, answers ``reply``."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.seen = []
    httpd.reply = (200, json.dumps({"data": BARIS_JSON}).encode(), "application/json")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
