"""API v1 of the privacy app (mounted under /api/v1/privasi/ by presisi/api/urls.py).

Same selectors and services as the pages; domain errors become HTTP in ``presisi.api.exceptions``
(ValidationFailed → 400, PermissionDenied → 403) and Http404 → 404 (a NIK outside the user's scope
is not found). The subject report is looked up by NIK in a POST body, so the NIK never appears in a
URL or an access log.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.core.pdp import LIHAT, catat_akses_data_pribadi
from presisi.privasi import selectors as sel
from presisi.privasi import services
from presisi.privasi.models import PermintaanPerbaikan
from presisi.registry.history import boleh_ubah

NIK_PARAM = OpenApiParameter("nik", str, enum=["penuh"], description="`penuh`: NIK subjek lengkap (dicatat, UU PDP)")


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ValidationFailed("Badan permintaan harus objek JSON.",
                               [Finding(rule="masukan", message="kirim objek JSON")])
    return dict(request.data)


def _waktu(data: dict[str, Any], key: str) -> Any:
    """An ISO date-time in the body as an aware datetime (None when absent or empty)."""
    value = data.get(key)
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise ValidationFailed("Waktu tidak sah.", [Finding(rule="waktu", column=key, value=value,
                                                            message="gunakan format ISO 8601, mis. 2026-05-01T09:30")])
    if parsed.tzinfo is None:
        parsed = timezone.make_aware(parsed)
    return parsed


def _laporan(request: Request, person) -> Response:
    tampilan = tampilan_pribadi(request.user, person.desa.kode, request=request, kanal="api")
    return Response(sel.buka_laporan(person, tampilan))


class LaporanSubjekApi(APIView):
    @extend_schema(request=dict, responses=dict, parameters=[NIK_PARAM],
                   operation_id="privasi_laporan_subjek_nik",
                   summary="Laporan subjek data (UU PDP Ps. 32): semua data tentang satu NIK dan setiap aksesnya",
                   description="Badan: `{\"nik\": \"16 angka\"}`. NIK di luar cakupan wilayah pengguna: 404.")
    def post(self, request: Request) -> Response:
        return _laporan(request, sel.subjek_get(user=request.user, nik=_body(request).get("nik")))


class LaporanSubjekDetailApi(APIView):
    @extend_schema(responses=dict, parameters=[NIK_PARAM], operation_id="privasi_laporan_subjek",
                   summary="Laporan subjek data menurut ID penduduk")
    def get(self, request: Request, pk: int) -> Response:
        return _laporan(request, sel.subjek_get(user=request.user, pk=pk))


def _log_nama(request: Request, ids: list[int]) -> None:
    if ids:
        catat_akses_data_pribadi(pengguna=request.user, aksi=LIHAT, objek_tipe=sel.INDIVIDU_LABEL,
                                 objek_ids=list(dict.fromkeys(ids)), tujuan="API permintaan perbaikan data",
                                 rincian={"nik_penuh": False, "kanal": "api"})


class PermintaanListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("terlambat", bool)], responses=dict,
                   operation_id="privasi_perbaikan_list",
                   summary="Permintaan perbaikan data dalam cakupan, dengan tenggat 3 x 24 jam")
    def get(self, request: Request) -> Response:
        q = request.query_params
        st = q.get("status", "") if q.get("status", "") in dict(PermintaanPerbaikan.STATUS_CHOICES) else ""
        rows = sel.permintaan_list(user=request.user, status=st, terlambat=q.get("terlambat") in ("1", "true"))
        _log_nama(request, [r["individu"] for r in rows])
        return Response(rows)

    @extend_schema(request=dict, responses={201: dict}, operation_id="privasi_perbaikan_catat",
                   summary="Catat permintaan perbaikan data",
                   description="Badan: `nik`, `pemohon`, `kanal` (datang, telepon, surat, surel, daring, lainnya), "
                               "`kolom` (kode variabel kamus individu), `uraian`, opsional `nilai_usulan`, `bukti`, "
                               "`diterima_pada` (ISO 8601).")
    def post(self, request: Request) -> Response:
        if not sel.boleh_permintaan(request.user):
            raise PermissionDenied("Peran Anda tidak menangani permintaan perbaikan data.")
        data = _body(request)
        person = sel.subjek_get(user=request.user, nik=data.get("nik"))
        p = services.permintaan_catat(individu=person, pemohon=str(data.get("pemohon") or ""),
                                      kanal=str(data.get("kanal") or ""), kolom=str(data.get("kolom") or ""),
                                      uraian=str(data.get("uraian") or ""),
                                      nilai_usulan=str(data.get("nilai_usulan") or ""),
                                      bukti=str(data.get("bukti") or ""), diterima_pada=_waktu(data, "diterima_pada"),
                                      pengguna=request.user)
        _log_nama(request, [person.pk])
        return Response(sel.permintaan_dict(p), status=status.HTTP_201_CREATED)


class PermintaanDetailApi(APIView):
    @extend_schema(responses=dict, operation_id="privasi_perbaikan",
                   summary="Satu permintaan perbaikan data")
    def get(self, request: Request, pk: int) -> Response:
        p = sel.permintaan_get(user=request.user, pk=pk)
        _log_nama(request, [p.individu_id])
        return Response({**sel.permintaan_dict(p), "koreksi_kandidat": sel.koreksi_kandidat(p) if p.terbuka else []})


class PermintaanAksiApi(APIView):
    @extend_schema(request=dict, responses=dict, operation_id="privasi_perbaikan_aksi",
                   summary="Tindak lanjut: proses, selesaikan, tolak",
                   description="`proses`: tanpa badan. `selesaikan`: `{\"terapkan\": true}` menerapkan nilai usulan "
                               "lewat layanan koreksi registri, atau `{\"koreksi\": <id entri audit>}` "
                               "menautkan koreksi yang sudah dibuat. `tolak`: `{\"alasan\": \"...\"}` (wajib).")
    def post(self, request: Request, pk: int, aksi: str) -> Response:
        p = sel.permintaan_get(user=request.user, pk=pk)
        data = _body(request) if request.data else {}
        if aksi == "proses":
            p = services.permintaan_proses(permintaan=p, pengguna=request.user)
        elif aksi == "selesaikan":
            terapkan = data.get("terapkan") in (True, "true", "1", 1)
            if terapkan and not boleh_ubah(request.user, p.desa.kode):
                raise PermissionDenied("Peran Anda hanya dapat membaca data registri wilayah ini.")
            koreksi = data.get("koreksi")
            p = services.permintaan_selesaikan(
                permintaan=p, terapkan=terapkan, pengguna=request.user, catatan=str(data.get("catatan") or ""),
                koreksi_id=int(koreksi) if str(koreksi or "").isdigit() else None)
        elif aksi == "tolak":
            p = services.permintaan_tolak(permintaan=p, alasan=str(data.get("alasan") or ""), pengguna=request.user)
        else:
            raise ValidationFailed("Tindakan tidak dikenal.", [Finding(rule="aksi", column="aksi", value=aksi,
                                                                        message="pilihan: proses, selesaikan, tolak")])
        return Response(sel.permintaan_dict(p))


def _insiden_data(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in services.INSIDEN_TEKS:
        if key in data:
            out[key] = str(data[key] or "")
    for key in ("ditemukan_pada", *services.INSIDEN_WAKTU):
        if key in data:
            out[key] = _waktu(data, key)
    if "kategori_data" in data:
        value = data["kategori_data"]
        out["kategori_data"] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if "jumlah_subjek" in data:
        value = data["jumlah_subjek"]
        out["jumlah_subjek"] = int(value) if str(value).isdigit() else value
    return out


class InsidenListApi(APIView):
    @extend_schema(responses=dict, operation_id="privasi_insiden_list",
                   summary="Insiden kegagalan pelindungan data pribadi (admin)")
    def get(self, request: Request) -> Response:
        return Response([sel.insiden_dict(i) for i in sel.insiden_list(user=request.user)])

    @extend_schema(request=dict, responses={201: dict}, operation_id="privasi_insiden_catat",
                   summary="Catat insiden (mulai hitung 3 x 24 jam)")
    def post(self, request: Request) -> Response:
        sel.insiden_list(user=request.user)
        i = services.insiden_catat(data=_insiden_data(_body(request)), pengguna=request.user)
        return Response(sel.insiden_dict(i), status=status.HTTP_201_CREATED)


class InsidenDetailApi(APIView):
    @extend_schema(responses=dict, operation_id="privasi_insiden",
                   summary="Satu insiden dengan daftar periksa dan tenggat")
    def get(self, request: Request, pk: int) -> Response:
        return Response(sel.insiden_dict(sel.insiden_get(user=request.user, pk=pk)))

    @extend_schema(request=dict, responses=dict, operation_id="privasi_insiden_ubah",
                   summary="Ubah insiden / tandai langkah daftar periksa")
    def patch(self, request: Request, pk: int) -> Response:
        i = sel.insiden_get(user=request.user, pk=pk)
        i = services.insiden_ubah(insiden=i, data=_insiden_data(_body(request)), pengguna=request.user)
        return Response(sel.insiden_dict(i))


urlpatterns = [
    path("privasi/laporan-subjek/", LaporanSubjekApi.as_view(), name="privasi-laporan-subjek"),
    path("privasi/laporan-subjek/<int:pk>/", LaporanSubjekDetailApi.as_view(), name="privasi-laporan-subjek-detail"),
    path("privasi/perbaikan/", PermintaanListApi.as_view(), name="privasi-perbaikan-list"),
    path("privasi/perbaikan/<int:pk>/", PermintaanDetailApi.as_view(), name="privasi-perbaikan"),
    path("privasi/perbaikan/<int:pk>/<slug:aksi>/", PermintaanAksiApi.as_view(), name="privasi-perbaikan-aksi"),
    path("privasi/insiden/", InsidenListApi.as_view(), name="privasi-insiden-list"),
    path("privasi/insiden/<int:pk>/", InsidenDetailApi.as_view(), name="privasi-insiden"),
]
