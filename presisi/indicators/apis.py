"""API v1: indicator catalogue, values (JSON/CSV/XLSX), region profiles, edits and recomputation."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.access import is_admin, user_profil
from presisi.accounts.models import WALIDATA
from presisi.core.etag import etag_kuat, if_match
from presisi.core.exceptions import PermissionDenied, VersiBasi
from presisi.core.exports import desimal_kolom, dialek_dari, rows_to_csv, rows_to_xlsx
from presisi.core.openapi import DAFTAR_OBJEK
from presisi.indicators import selectors, services
from presisi.indicators.adat import KOLOM_ADAT, nilai_desa_adat
from presisi.indicators.engine import hitung_indikator
from presisi.indicators.management.commands.indikator import VALUE_COLUMNS
from presisi.periods.selectors import periode_get_atau_terkini

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IF_MATCH = OpenApiParameter("If-Match", str, location=OpenApiParameter.HEADER, required=False,
                            description="Opsional. ETag yang diterima saat membaca, atau `*`; bila sudah basi: 412.")
ETAG = OpenApiParameter("ETag", str, location=OpenApiParameter.HEADER, response=[200, 412],
                        description="Sidik isi metadata indikator; kirim kembali sebagai If-Match saat mengubah.")


class IndikatorListApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(parameters=[OpenApiParameter("tema", str)], responses=DAFTAR_OBJEK,
                   summary="Katalog indikator (MS-Ind)", operation_id="v1_indikator_list")
    def get(self, request):
        rows = selectors.indikator_list(user=request.user, tema=request.query_params.get("tema"))
        return Response([selectors.indikator_tampil(i) for i in rows])

    @extend_schema(request=dict, responses=dict, summary="Tambah indikator (ekspresi diperiksa dulu)")
    def post(self, request):
        ind = services.indikator_simpan(data=dict(request.data), pengguna=request.user)
        return Response(selectors.indikator_tampil(ind), status=201)


class IndikatorDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(parameters=[ETAG], responses=dict, summary="Metadata satu indikator")
    def get(self, request, kode: str):
        return _dengan_sidik(selectors.indikator_get(kode=kode, user=request.user))

    @extend_schema(parameters=[IF_MATCH, ETAG], request=dict,
                   responses={200: dict, 412: OpenApiResponse(description=(
                       "Precondition Failed: indikator sudah diubah sejak dibaca; tidak ada yang disimpan. "
                       "`sekarang` memuat metadata terkini."))},
                   summary="Ubah indikator (If-Match opsional)")
    def patch(self, request, kode: str):
        try:
            ind = services.indikator_simpan(data=dict(request.data), pengguna=request.user, kode=kode,
                                            sidik=if_match(request.headers.get("If-Match")))
        except VersiBasi as exc:
            current = _dengan_sidik(selectors.indikator_get(kode=kode, user=request.user))
            response = Response({**exc.as_dict(), "sekarang": current.data}, status=412)
            response["ETag"] = current["ETag"]
            return response
        return _dengan_sidik(ind)


def _dengan_sidik(ind) -> Response:
    """The metadata with its content hash as a strong ETag (the body is the same for every reader)."""
    response = Response(selectors.indikator_tampil(ind))
    response["ETag"] = etag_kuat(selectors.indikator_sidik(ind))
    return response


class _BerkasNegotiation(DefaultContentNegotiation):
    """``?format=csv|xlsx`` names a file the view writes itself: DRF reads ``format`` as a renderer name
    (URL_FORMAT_OVERRIDE) and would answer 404 before the view runs."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if not format_suffix and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) in ("csv", "xlsx"):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class NilaiApi(APIView):
    permission_classes = [AllowAny]
    content_negotiation_class = _BerkasNegotiation

    @extend_schema(
        parameters=[OpenApiParameter(n, str) for n in ("periode", "tingkat", "induk", "disagregasi", "format",
                                                          "sementara", "dialek")]
        + [OpenApiParameter("kelompok", str, enum=["adat"],
                            description="`adat`: per desa adat di dalam wilayah `induk` (bawaan: kabupaten)")],
        responses=dict, summary="Nilai indikator per wilayah (json, csv, xlsx)",
    )
    def get(self, request, kode: str):
        q = request.query_params
        ind = selectors.indikator_get(kode=kode, user=request.user)
        periode = periode_get_atau_terkini(q.get("periode"), wajib=True)
        if q.get("kelompok") == "adat":
            return _nilai_adat(request, ind, periode)
        rows = selectors.nilai_list(indikator=ind, periode=periode,
                                    tingkat=q.get("tingkat", "desa"), induk=q.get("induk"),
                                    disagregasi=q.get("disagregasi", "total"), user=request.user)
        rows = selectors.tandai_nilai(rows, periode=periode, user=request.user,
                                      sementara=q.get("sementara") == "1")
        columns = [*VALUE_COLUMNS, selectors.STATUS_DATA_KOLOM] if rows and "status_data" in rows[0] else VALUE_COLUMNS
        fmt = q.get("format", "json")
        digits = desimal_kolom(kolom={"nilai": ind.desimal})  # counts stored as floats come out whole
        if fmt == "csv":  # ?dialek=excel-id for Excel set to Indonesian; standard CSV by default
            body = rows_to_csv(rows, columns, dialek=dialek_dari(q.get("dialek")), desimal=digits)
            return _download(body, "text/csv; charset=utf-8", f"{kode}.csv")
        if fmt == "xlsx":
            return _download(rows_to_xlsx(rows, columns, title=kode, desimal=digits), XLSX, f"{kode}.xlsx")
        return Response({"indikator": selectors.indikator_tampil(ind), "nilai": rows})


def _nilai_adat(request, ind, periode):
    """The indicator per desa adat (computed on the fly from the period's analytic rows)."""
    q = request.query_params
    rows = nilai_desa_adat(indikator=ind, periode=periode, induk=q.get("induk"), user=request.user,
                           sementara=q.get("sementara") == "1")
    fmt = q.get("format", "json")
    if fmt == "csv":
        return _download(rows_to_csv(rows, KOLOM_ADAT), "text/csv; charset=utf-8", f"{ind.kode}-desa-adat.csv")
    if fmt == "xlsx":
        return _download(rows_to_xlsx(rows, KOLOM_ADAT, title=ind.kode), XLSX, f"{ind.kode}-desa-adat.xlsx")
    return Response({"indikator": selectors.indikator_dict(ind), "kelompok": "adat", "nilai": rows})


class ProfilWilayahApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("periode", str)], responses=dict,
                   summary="Semua indikator satu wilayah, dengan nilai wilayah induk dan kabupaten")
    def get(self, request, kode: str):
        periode = periode_get_atau_terkini(request.query_params.get("periode"), wajib=True)
        profil = selectors.profil_wilayah(kode=kode, periode=periode, user=request.user)
        return Response(selectors.tandai_profil(profil, periode=periode, user=request.user,
                                                sementara=request.query_params.get("sementara") == "1"))


class HitungApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=dict, responses=dict, summary="Hitung ulang indikator satu periode")
    def post(self, request):
        profil = user_profil(request.user)
        if not (is_admin(request.user) or (profil and profil.peran == WALIDATA)):
            raise PermissionDenied("Hanya walidata atau admin yang dapat menghitung ulang indikator.")
        periode = periode_get_atau_terkini(request.data.get("periode"), wajib=True)
        return Response(hitung_indikator(periode=periode).as_dict())


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("indikator/", IndikatorListApi.as_view(), name="indikator-list"),
    path("indikator/hitung/", HitungApi.as_view(), name="indikator-hitung"),
    path("indikator/<slug:kode>/", IndikatorDetailApi.as_view(), name="indikator-detail"),
    path("indikator/<slug:kode>/nilai/", NilaiApi.as_view(), name="indikator-nilai"),
    path("wilayah/<str:kode>/profil/", ProfilWilayahApi.as_view(), name="wilayah-profil"),
]
