"""API v1 endpoints of the updates app (mounted under /api/v1/ by presisi/api/urls.py).

Thin adapters: parse input, call a selector or service, serialise. Scope and roles are
decided in the selectors/services; domain errors become 400/403/404 in presisi/api/exceptions.py.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.core.exceptions import PermissionDenied
from presisi.periods.selectors import periode_dict, periode_get, periode_list
from presisi.updates import selectors
from presisi.updates.services import pengajuan_putuskan_banyak, pengajuan_transisi, periode_buka, periode_tutup
from presisi.updates.workflow import TRANSISI, pastikan_boleh_memutuskan, pastikan_pengelola_periode


def _periode(kode: str):
    return periode_get(kode)  # unknown code: NotFound → 404 with the known periods (presisi/api/exceptions.py)


def _pengajuan(request, kode: str, desa: str):
    try:
        pengajuan = selectors.pengajuan_get(periode=_periode(kode), desa_kode=desa, user=request.user)
    except PermissionDenied:  # a foreign desa: 404 like an unknown one (no id is confirmed)
        pengajuan = None
    if pengajuan is None:
        raise Http404("Pengajuan tidak ditemukan.")
    return pengajuan


class PeriodeOut(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    tanggal_mulai = serializers.DateField()
    tanggal_referensi = serializers.DateField()
    tenggat = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    ditutup_pada = serializers.DateTimeField(allow_null=True)


class PeriodeBukaInput(serializers.Serializer):
    kode = serializers.CharField(max_length=20, help_text="mis. 2026-S2")
    tenggat = serializers.DateField(required=False, allow_null=True)
    nama = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PengajuanTransisiInput(serializers.Serializer):
    alasan = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Komentar; wajib untuk kembalikan dan batal.")


class PeriodeListApi(APIView):
    @extend_schema(operation_id="periode_list", responses=PeriodeOut(many=True),
                   summary="Daftar periode pemutakhiran")
    def get(self, request):
        return Response([periode_dict(p) for p in periode_list()])

    @extend_schema(operation_id="periode_buka", request=PeriodeBukaInput, responses={201: PeriodeOut},
                   summary="Buka periode (walidata/admin); membuat pengajuan draf untuk tiap desa")
    def post(self, request):
        pastikan_pengelola_periode(request.user, tindakan="membuka periode")  # before the body is read
        data = PeriodeBukaInput(data=request.data)
        data.is_valid(raise_exception=True)
        periode = periode_buka(pengguna=request.user, **data.validated_data)
        return Response(periode_dict(periode), status=status.HTTP_201_CREATED)


class PeriodeTutupApi(APIView):
    @extend_schema(operation_id="periode_tutup", request=None, responses=PeriodeOut,
                   summary="Tutup periode (walidata/admin)")
    def post(self, request, kode: str):
        periode = periode_tutup(periode=_periode(kode), pengguna=request.user)
        return Response(periode_dict(periode))


class ProgresApi(APIView):
    @extend_schema(operation_id="periode_progres", responses=dict,
                   summary="Kemajuan periode per kecamatan dan desa dalam cakupan Anda")
    def get(self, request, kode: str):
        return Response(selectors.progres_periode(periode=_periode(kode), user=request.user))


class PengajuanListApi(APIView):
    @extend_schema(operation_id="pengajuan_list", responses=dict,
                   summary="Pengajuan desa dalam cakupan Anda, dengan aksi yang boleh Anda lakukan")
    def get(self, request, kode: str):
        periode = _periode(kode)
        rows = selectors.pengajuan_list(periode=periode, user=request.user,
                                        status=request.query_params.get("status"),
                                        kecamatan=request.query_params.get("kecamatan"))
        return Response(selectors.pengajuan_dicts(list(rows), periode=periode, user=request.user))


class PengajuanDetailApi(APIView):
    @extend_schema(operation_id="pengajuan_detail", responses=dict,
                   summary="Satu pengajuan desa beserta riwayatnya")
    def get(self, request, kode: str, desa: str):
        pengajuan = _pengajuan(request, kode, desa)
        return Response({**selectors.pengajuan_dict(pengajuan, user=request.user),
                         "riwayat": selectors.pengajuan_riwayat(pengajuan=pengajuan)})


class PengajuanTransisiApi(APIView):
    @extend_schema(operation_id="pengajuan_transisi", request=PengajuanTransisiInput, responses=dict,
                   summary="Ubah status pengajuan: ajukan, verifikasi, setujui, publikasikan, "
                           "kembalikan, batal")
    def post(self, request, kode: str, desa: str, aksi: str):
        if aksi not in TRANSISI:
            raise Http404("Aksi tidak dikenal.")
        pengajuan = _pengajuan(request, kode, desa)  # a foreign desa: 404 before anything else
        data = PengajuanTransisiInput(data=request.data)
        data.is_valid(raise_exception=True)
        pengajuan = pengajuan_transisi(aksi=aksi, pengajuan=pengajuan,
                                       pengguna=request.user, alasan=data.validated_data["alasan"])
        return Response(selectors.pengajuan_dict(pengajuan, user=request.user))


class TinjauanApi(APIView):
    @extend_schema(operation_id="pengajuan_tinjauan", responses=dict,
                   summary="Tinjauan satu desa: perubahan sejak periode disetujui terakhir, penduduk per banjar, "
                           "rekaman berubah (NIK disamarkan) dan temuan validasi")
    def get(self, request, kode: str, desa: str):
        pengajuan = _pengajuan(request, kode, desa)
        tinjauan = selectors.tinjauan_desa(pengajuan=pengajuan, user=request.user)
        selectors.tinjauan_catat_akses(tinjauan, user=request.user, tujuan="tinjauan pengajuan (API)")
        return Response(tinjauan)


class TugasApi(APIView):
    @extend_schema(operation_id="tugas_saya", responses=dict,
                   summary="Tugas saya: periode berjalan, tenggat, dan hal yang menunggu peran Anda")
    def get(self, request):
        return Response(selectors.tugas_saya(user=request.user))


class KeputusanInput(serializers.Serializer):
    aksi = serializers.ChoiceField(choices=list(TRANSISI))
    desa = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1, max_length=500)
    komentar = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="Wajib untuk kembalikan dan batal.")


class KeputusanApi(APIView):
    @extend_schema(operation_id="pengajuan_keputusan_banyak", request=KeputusanInput, responses=dict,
                   summary="Satu keputusan untuk beberapa desa; hasil dilaporkan per desa")
    def post(self, request, kode: str):
        pastikan_boleh_memutuskan(request.user)
        data = KeputusanInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        hasil = pengajuan_putuskan_banyak(periode=_periode(kode), desa_kode=v["desa"], aksi=v["aksi"],
                                          pengguna=request.user, komentar=v["komentar"])
        return Response({"aksi": v["aksi"], "berhasil": sum(h.berhasil for h in hasil),
                         "hasil": [h.as_dict() for h in hasil]})


urlpatterns = [
    path("tugas/", TugasApi.as_view(), name="tugas"),
    path("periode/", PeriodeListApi.as_view(), name="periode-list"),
    path("periode/<str:kode>/tutup/", PeriodeTutupApi.as_view(), name="periode-tutup"),
    path("periode/<str:kode>/progres/", ProgresApi.as_view(), name="periode-progres"),
    path("periode/<str:kode>/pengajuan/", PengajuanListApi.as_view(), name="pengajuan-list"),
    path("periode/<str:kode>/keputusan/", KeputusanApi.as_view(), name="pengajuan-keputusan"),
    path("periode/<str:kode>/pengajuan/<str:desa>/", PengajuanDetailApi.as_view(), name="pengajuan-detail"),
    path("periode/<str:kode>/pengajuan/<str:desa>/tinjauan/", TinjauanApi.as_view(), name="pengajuan-tinjauan"),
    path("periode/<str:kode>/pengajuan/<str:desa>/<str:aksi>/", PengajuanTransisiApi.as_view(),
         name="pengajuan-transisi"),
]
