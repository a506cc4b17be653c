"""REST API v1 for the foundation: regions, counts and the data dictionary.

Aggregates (regions, counts, dictionary) are public; personal data is never served here.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.core.commands import to_json
from presisi.core.openapi import DAFTAR_OBJEK
from presisi.dictionary import selectors as kamus
from presisi.regions import selectors as regions
from presisi.regions.models import Wilayah
from presisi.regions.selectors_adat import desa_adat_list
from presisi.registry.selectors import wilayah_statistik


class WilayahOut(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    tingkat = serializers.CharField()
    kode_bps = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)
    luas_km2 = serializers.FloatField(allow_null=True)
    sintetis = serializers.BooleanField()


class WilayahListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("tingkat", str), OpenApiParameter("induk", str)],
                   responses=WilayahOut(many=True), summary="Daftar wilayah")
    def get(self, request):
        rows = regions.wilayah_list(tingkat=request.query_params.get("tingkat"),
                                    induk=request.query_params.get("induk"))
        return Response(WilayahOut(rows, many=True).data)


class WilayahAdatListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("dalam", str, description="kode wilayah dinas (desa adat yang "
                                                                          "terpetakan ke dalamnya)")],
                   responses=DAFTAR_OBJEK, summary="Daftar desa adat dengan banjar adat dan desa dinasnya")
    def get(self, request):
        return Response(desa_adat_list(dalam=request.query_params.get("dalam")))


class WilayahGeoJsonApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("tingkat", str), OpenApiParameter("induk", str)],
                   responses={(200, "application/geo+json"): dict}, summary="Wilayah sebagai GeoJSON")
    def get(self, request):
        doc = regions.wilayah_geojson(induk=request.query_params.get("induk"),
                                      tingkat=request.query_params.get("tingkat"))
        return HttpResponse(to_json(doc), content_type="application/geo+json")


class StatistikApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=dict, summary="Jumlah penduduk, keluarga, rumah tangga, bangunan per wilayah anak",
                   operation_id="v1_statistik_list")
    def get(self, request, kode: str | None = None):
        if kode is not None:
            get_object_or_404(Wilayah, kode=kode)
        return Response(wilayah_statistik(kode=kode))


class StatistikWilayahApi(StatistikApi):
    @extend_schema(responses=dict, summary="Jumlah penduduk, keluarga, rumah tangga, bangunan per anak satu wilayah")
    def get(self, request, kode: str | None = None):
        return super().get(request, kode)


class KamusVariabelApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("unit", str), OpenApiParameter("domain", str)],
                   responses=DAFTAR_OBJEK, summary="Variabel kamus data (MS-Var)")
    def get(self, request):
        rows = kamus.variabel_list(unit=request.query_params.get("unit"), domain=request.query_params.get("domain"))
        return Response([kamus.variabel_tampil(v) for v in rows])  # texts in the reader's language


class KamusKlasifikasiApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=DAFTAR_OBJEK, summary="Klasifikasi (daftar kode) kamus data")
    def get(self, request):
        return Response(kamus.klasifikasi_list(tampil=True))


class KamusXlsxApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
                   summary="Kamus data sebagai XLSX")
    def get(self, request):
        response = HttpResponse(kamus.kamus_xlsx(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="kamus-data.xlsx"'
        return response
