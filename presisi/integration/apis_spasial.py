"""API v1: agency map layers — list, detail, features as GeoJSON, upload (walidata of the sector, admin),
exposure per desa."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.core.exceptions import PermissionDenied
from presisi.core.openapi import DAFTAR_OBJEK
from presisi.integration import selectors_spasial as sel
from presisi.integration.models import LapisanSpasial
from presisi.integration.services import spasial as svc
from presisi.integration.services.spasial_paparan import BAHAYA_JENIS
from presisi.periods.selectors import periode_get_atau_terkini


class LapisanListApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    class UnggahIn(serializers.Serializer):
        berkas = serializers.FileField(help_text="GeoJSON FeatureCollection (WGS84) atau shapefile .zip")
        kode = serializers.SlugField(max_length=60)
        jenis = serializers.ChoiceField(choices=[c for c, _l in LapisanSpasial.JENIS_CHOICES])
        bahaya = serializers.ChoiceField(choices=list(BAHAYA_JENIS), required=False, allow_blank=True)
        nama = serializers.CharField(required=False, allow_blank=True, max_length=200)
        sektor = serializers.CharField(required=False, allow_blank=True, max_length=40)
        produsen = serializers.CharField(required=False, allow_blank=True, max_length=200)
        sumber = serializers.CharField(required=False, allow_blank=True, max_length=300)
        dry_run = serializers.BooleanField(required=False, default=False)

    @extend_schema(parameters=[OpenApiParameter("jenis", str)], responses=DAFTAR_OBJEK,
                   summary="Daftar lapisan peta sektoral", operation_id="v1_sektor_lapisan_list")
    def get(self, request):
        return Response([sel.lapisan_dict(la) for la in sel.lapisan_list(jenis=request.query_params.get("jenis"))])

    @extend_schema(request=UnggahIn, responses={201: dict, 200: dict},
                   summary="Unggah lapisan (GeoJSON / shapefile .zip); kode yang sama = versi baru")
    def post(self, request):
        if not svc.boleh_unggah_apa_pun(request.user):  # refused before the upload is read
            raise PermissionDenied("Hanya walidata sektor lapisan (BPBD, PUPR, DLH) atau admin yang dapat "
                                   "mengunggah lapisan.")
        data = self.UnggahIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        hasil = svc.lapisan_unggah(pengguna=request.user, berkas=v["berkas"].read(),
                                   nama_berkas=v["berkas"].name or "", kode=v["kode"], jenis=v["jenis"],
                                   bahaya=v.get("bahaya", ""), nama=v.get("nama", ""), sektor=v.get("sektor") or None,
                                   produsen=v.get("produsen", ""), sumber=v.get("sumber", ""), dry_run=v["dry_run"])
        baru = hasil.status in (svc.BARU, svc.VERSI_BARU)
        return Response(hasil.as_dict(), status=status.HTTP_201_CREATED if baru else status.HTTP_200_OK)


class LapisanDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=dict, summary="Satu lapisan: metadata, peringatan unggah, riwayat versi")
    def get(self, request, kode: str):
        return Response(sel.lapisan_dict(sel.lapisan_get(kode=kode), rinci=True))


class LapisanGeoJsonApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/geo+json"): dict}, summary="Fitur lapisan sebagai GeoJSON")
    def get(self, request, kode: str):
        response = JsonResponse(sel.fitur_geojson(sel.lapisan_get(kode=kode)), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="{kode}.geojson"'
        return response


class PaparanApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("periode", str), OpenApiParameter("bahaya", str),
                               OpenApiParameter("wilayah", str, description="Kode kecamatan/desa induk")],
                   responses=dict, summary="Keterpaparan per desa × bahaya × kelas (jumlah bangunan dan penduduk)")
    def get(self, request):
        q = request.query_params
        periode = periode_get_atau_terkini(q.get("periode"))
        rows = sel.paparan_desa(periode=periode, bahaya=q.get("bahaya") or None, kode_induk=q.get("wilayah") or None,
                                user=request.user)
        return Response({"periode": periode.kode if periode else None, "paparan": rows})


urlpatterns = [
    path("sektor/lapisan/", LapisanListApi.as_view(), name="sektor-lapisan-list"),
    path("sektor/lapisan/<slug:kode>/", LapisanDetailApi.as_view(), name="sektor-lapisan-detail"),
    path("sektor/lapisan/<slug:kode>/geojson", LapisanGeoJsonApi.as_view(), name="sektor-lapisan-geojson"),
    path("sektor/paparan/", PaparanApi.as_view(), name="sektor-paparan"),
]
