"""API v1 endpoints of the imports app (mounted under /api/v1/ by presisi/api/urls.py)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.access import produces_data
from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.imports.batch import Berkas, desa_dari_berkas, impor_banyak_buat
from presisi.imports.export import registri_ekspor
from presisi.imports.selectors import impor_dict, impor_get, impor_list, tampilan_impor, temuan_xlsx
from presisi.imports.services import impor_buat
from presisi.imports.template import template_nama_berkas, template_xlsx
from presisi.periods.selectors import periode_get
from presisi.validation.lookups import desa_by_kode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _tampilan(request, impor):
    return tampilan_impor(request.user, impor, request=request, kanal="api")


def _cek_peran_impor(user) -> None:
    """A role that never imports is refused before its upload is read (the desa is checked later)."""
    if not produces_data(user):
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data registri.")


class ImporListCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class ImporUnggahIn(serializers.Serializer):
        berkas = serializers.FileField()
        desa = serializers.CharField(required=False, allow_blank=True,
                                     help_text="Kode desa/kelurahan; bila kosong dikenali dari nama berkas "
                                               "(mis. desa-5105012001.xlsx) atau lembar Petunjuk templat")
        periode = serializers.CharField()
        dry_run = serializers.BooleanField(required=False, default=False)
        format = serializers.ChoiceField(choices=["template", "opensid"], required=False, allow_blank=True)

    @extend_schema(responses=dict, summary="Daftar impor dalam cakupan pengguna", operation_id="v1_impor_list")
    def get(self, request):
        rows = impor_list(user=request.user)[:100]
        return Response([impor_dict(i, tampilan=_tampilan(request, i), temuan=False) for i in rows])

    @extend_schema(request=ImporUnggahIn, responses={201: dict},
                   summary="Unggah berkas impor (templat XLSX/CSV atau ekspor OpenSID) untuk satu desa")
    def post(self, request):
        _cek_peran_impor(request.user)
        data = self.ImporUnggahIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        upload = v["berkas"]
        isi = upload.read()
        desa = desa_by_kode(v["desa"]) if v.get("desa") else desa_dari_berkas(nama_berkas=upload.name or "", isi=isi)
        impor = impor_buat(berkas=isi, nama_berkas=upload.name, desa=desa,
                           periode=periode_get(v["periode"]), pengguna=request.user, dry_run=v["dry_run"],
                           format=v.get("format") or None)
        impor = impor_get(user=request.user, impor_id=impor.pk)
        return Response(impor_dict(impor, tampilan=_tampilan(request, impor)), status=status.HTTP_201_CREATED)


class ImporBanyakCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class ImporBanyakIn(serializers.Serializer):
        berkas = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                       help_text="Satu berkas per desa (ulangi kolom berkas); desa dikenali dari "
                                                 "nama berkas atau lembar Petunjuk templat")
        periode = serializers.CharField()
        dry_run = serializers.BooleanField(required=False, default=False)
        format = serializers.ChoiceField(choices=["template", "opensid"], required=False, allow_blank=True)

    @extend_schema(request=ImporBanyakIn, responses={201: dict},
                   summary="Unggah berkas beberapa desa sekaligus (satu impor per berkas, semua atau tidak sama "
                           "sekali bila ada desa yang tidak dikenali atau di luar cakupan)")
    def post(self, request):
        _cek_peran_impor(request.user)
        data = self.ImporBanyakIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        jobs = impor_banyak_buat(berkas=[Berkas(nama=u.name or "berkas", isi=u.read()) for u in v["berkas"]],
                                 periode=periode_get(v["periode"]), pengguna=request.user,
                                 dry_run=v["dry_run"], format=v.get("format") or None)
        order = {job.pk: k for k, job in enumerate(jobs)}
        rows = sorted(impor_list(user=request.user).filter(pk__in=order), key=lambda i: order[i.pk])
        return Response({"jumlah": len(rows), "impor": [impor_dict(i, tampilan=_tampilan(request, i), temuan=False)
                                                        for i in rows]},
                        status=status.HTTP_201_CREATED)


class ImporDetailApi(APIView):
    @extend_schema(responses=dict, summary="Status, ringkasan dan temuan satu impor")
    def get(self, request, impor_id: int):
        impor = impor_get(user=request.user, impor_id=impor_id)
        return Response(impor_dict(impor, tampilan=_tampilan(request, impor)))


class ImporTemuanXlsxApi(APIView):
    @extend_schema(responses={(200, XLSX): bytes}, summary="Temuan impor sebagai XLSX")
    def get(self, request, impor_id: int):
        impor = impor_get(user=request.user, impor_id=impor_id)
        return xlsx_response(temuan_xlsx(impor=impor, tampilan=_tampilan(request, impor)),
                             f"temuan-impor-{impor.pk}.xlsx")


class TemplateXlsxApi(APIView):
    @extend_schema(responses={(200, XLSX): bytes}, summary="Templat impor XLSX satu desa")
    def get(self, request, kode: str):
        try:
            desa = desa_by_kode(kode)
        except ValidationFailed as exc:
            raise NotFound(exc.message) from exc
        return xlsx_response(template_xlsx(desa=desa), template_nama_berkas(desa))


class RegistriXlsxApi(APIView):
    @extend_schema(responses={(200, XLSX): bytes}, summary="Registri satu desa sebagai templat impor terisi",
                   description="Penduduk hidup, keluarga, rumah tangga dan bangunan aktif desa dalam templat impor "
                               "(kolom, daftar pilihan dan petunjuk yang sama). NIK dan No. KK lengkap: hanya untuk "
                               "peran dengan akses data perorangan di desa itu; setiap unduhan dicatat sebagai "
                               "ekspor di log pemrosesan data pribadi (UU PDP). Berkas yang diimpor kembali tanpa "
                               "diubah tidak mengubah apa pun.")
    def get(self, request, kode: str):
        try:
            desa = desa_by_kode(kode)
        except ValidationFailed as exc:
            raise NotFound(exc.message) from exc
        hasil = registri_ekspor(desa=desa, pengguna=request.user, kanal="api")
        return xlsx_response(hasil.isi, hasil.nama_berkas)


urlpatterns = [
    path("impor/", ImporListCreateApi.as_view(), name="impor-list"),
    path("impor/banyak/", ImporBanyakCreateApi.as_view(), name="impor-banyak"),
    path("impor/<int:impor_id>/", ImporDetailApi.as_view(), name="impor-detail"),
    path("impor/<int:impor_id>/temuan.xlsx", ImporTemuanXlsxApi.as_view(), name="impor-temuan-xlsx"),
    path("impor/templat/<str:kode>.xlsx", TemplateXlsxApi.as_view(), name="impor-templat"),
    path("impor/registri/<str:kode>.xlsx", RegistriXlsxApi.as_view(), name="impor-registri"),
]
