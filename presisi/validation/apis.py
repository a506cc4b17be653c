"""API v1 endpoints of the validation app (mounted under /api/v1/ by presisi/api/urls.py)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.access import access_wilayah, may_see_personal_data_somewhere
from presisi.core.exceptions import PermissionDenied
from presisi.core.pagination import bilangan_parameter
from presisi.periods.selectors import periode_get
from presisi.validation.lookups import desa_by_kode
from presisi.validation.selectors import (
    aturan_dict,
    aturan_list,
    catat_temuan_penuh,
    pastikan_boleh_justifikasi,
    tampilan_temuan,
    temuan_dict,
    temuan_get,
    temuan_list,
)
from presisi.validation.services import aturan_tambah, temuan_justifikasi, temuan_justifikasi_banyak, validasi_jalankan
from presisi.validation.services.aturan import pastikan_boleh_ubah_aturan


class AturanApi(APIView):
    class AturanKondisiIn(serializers.Serializer):
        kode = serializers.CharField()
        unit = serializers.CharField()
        keparahan = serializers.CharField()
        kondisi = serializers.CharField()
        pesan = serializers.CharField()
        nama = serializers.CharField(required=False, allow_blank=True, default="")
        kolom = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(parameters=[OpenApiParameter("unit", str)], responses=dict, summary="Daftar aturan validasi")
    def get(self, request):
        return Response([aturan_dict(a) for a in aturan_list(unit=request.query_params.get("unit"))])

    @extend_schema(request=AturanKondisiIn, responses={201: dict}, summary="Tambah aturan kondisi (walidata/admin)")
    def post(self, request):
        pastikan_boleh_ubah_aturan(request.user)  # a role that may not is refused before its body is read
        data = self.AturanKondisiIn(data=request.data)
        data.is_valid(raise_exception=True)
        aturan = aturan_tambah(**data.validated_data, pengguna=request.user)
        return Response(aturan_dict(aturan), status=status.HTTP_201_CREATED)


class TemuanListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter(p, str) for p in ("desa", "periode", "status", "keparahan",
                                                                  "aturan")],
                   responses=dict, summary="Temuan validasi dalam cakupan pengguna")
    def get(self, request):
        q = request.query_params
        qs = temuan_list(user=request.user, desa_kode=q.get("desa"), periode_kode=q.get("periode"),
                         status=q.get("status"), keparahan=q.get("keparahan"), aturan=q.get("aturan"))
        limit = bilangan_parameter(q, "limit", 500, minimum=1, maksimum=5000)
        offset = _bilangan(q, "offset", 0)
        rows = list(qs[offset:offset + limit])
        tampilan = tampilan_temuan(request.user, desa_kode=q.get("desa"), request=request, kanal="api")
        catat_temuan_penuh(tampilan, rows, "API temuan validasi")
        return Response({"jumlah": qs.count(), "hasil": [temuan_dict(t, tampilan) for t in rows]})


def _bilangan(q, name: str, default: int) -> int:
    """A non-negative whole number from the query string, or a 400 naming the parameter."""
    return bilangan_parameter(q, name, default)


class TemuanJustifikasiApi(APIView):
    class JustifikasiIn(serializers.Serializer):
        alasan = serializers.CharField()

    @extend_schema(request=JustifikasiIn, responses=dict, summary="Justifikasi satu peringatan")
    def post(self, request, temuan_id: int):
        pastikan_boleh_justifikasi(request.user)
        temuan = temuan_get(user=request.user, temuan_id=temuan_id)  # foreign or unknown: 404
        data = self.JustifikasiIn(data=request.data)
        data.is_valid(raise_exception=True)
        temuan = temuan_justifikasi(temuan=temuan, alasan=data.validated_data["alasan"], pengguna=request.user)
        return Response(temuan_dict(temuan, tampilan_temuan(request.user, desa_kode=temuan.desa.kode, kanal="api")))


class TemuanJustifikasiBanyakApi(APIView):
    class JustifikasiBanyakIn(serializers.Serializer):
        temuan = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=5000)
        alasan = serializers.CharField()

    @extend_schema(request=JustifikasiBanyakIn, responses=dict,
                   operation_id="v1_validasi_temuan_justifikasi_banyak_create",
                   summary="Justifikasi banyak peringatan dengan satu alasan; hasil per temuan")
    def post(self, request):
        pastikan_boleh_justifikasi(request.user)
        data = self.JustifikasiBanyakIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(temuan_justifikasi_banyak(temuan_ids=data.validated_data["temuan"],
                                                  alasan=data.validated_data["alasan"], pengguna=request.user))


class ValidasiJalankanApi(APIView):
    class ValidasiJalankanIn(serializers.Serializer):
        desa = serializers.CharField()
        periode = serializers.CharField()

    @extend_schema(request=ValidasiJalankanIn, responses=dict, summary="Jalankan semua aturan atas registri satu desa")
    def post(self, request):
        if not may_see_personal_data_somewhere(request.user):  # the analis never runs the rules
            raise PermissionDenied("Peran Anda tidak dapat menjalankan validasi registri.")
        data = self.ValidasiJalankanIn(data=request.data)
        data.is_valid(raise_exception=True)
        desa = desa_by_kode(data.validated_data["desa"])
        access_wilayah(request.user, desa.kode, personal=True)
        hasil = validasi_jalankan(desa=desa, periode=periode_get(data.validated_data["periode"]),
                                  pengguna=request.user)
        return Response(hasil.as_dict())


urlpatterns = [
    path("validasi/aturan/", AturanApi.as_view(), name="validasi-aturan"),
    path("validasi/temuan/", TemuanListApi.as_view(), name="validasi-temuan"),
    path("validasi/temuan/justifikasi/", TemuanJustifikasiBanyakApi.as_view(),
         name="validasi-temuan-justifikasi-banyak"),
    path("validasi/temuan/<int:temuan_id>/justifikasi/", TemuanJustifikasiApi.as_view(),
         name="validasi-temuan-justifikasi"),
    path("validasi/jalankan/", ValidasiJalankanApi.as_view(), name="validasi-jalankan"),
]
