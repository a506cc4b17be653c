"""API v1: where the sources disagree (``GET /api/v1/sektor/selisih/``) and targeting accuracy
(``GET /api/v1/sektor/sasaran/``). Items only for roles with person-level access (PDP door, logged);
everyone else signed in gets the summary."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.access import in_scope, user_scope_code
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import NotFound
from presisi.core.pdp import LIHAT
from presisi.integration import selectors_sasaran
from presisi.integration import selectors_selisih as sel
from presisi.integration.models import Selisih
from presisi.integration.services import sasaran as svc

BATAS_ITEM = 1000
OBJEK = {"type": "object", "additionalProperties": True}


class SelisihApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("dataset", str, description="Kode dataset sektoral."),
                    OpenApiParameter("periode", str), OpenApiParameter("pengiriman", int),
                    OpenApiParameter("wilayah", str, description="Kode kecamatan atau desa dalam cakupan."),
                    OpenApiParameter("kategori", str, enum=list(sel.KATEGORI_LABEL)),
                    OpenApiParameter("pihak", str, enum=list(sel.PIHAK_LABEL)),
                    OpenApiParameter("offset", int), OpenApiParameter("nik", str, enum=["penuh"])],
        responses={200: OBJEK}, summary="Selisih sumber data sektoral dengan registri",
        operation_id="v1_sektor_selisih")
    def get(self, request):
        f = sel.Filter.dari(request.query_params)
        r = sel.ringkasan(request.user, f)
        pribadi = sel.boleh_pribadi(request.user, f)
        try:
            offset = min(max(0, int(request.query_params.get("offset", 0))), 10**9)
        except ValueError:
            offset = 0
        tampilan = tampilan_pribadi(request.user, f.wilayah or user_scope_code(request.user) or "",
                                    request=request, kanal="api")
        qs = sel.item_list(request.user, f)
        if not pribadi:  # counts, and the aggregate items (desa values, no person)
            qs = qs.filter(kategori=Selisih.AGREGAT)
        items = [sel.item_dict(s, tampilan) for s in qs[offset:offset + BATAS_ITEM]]
        if pribadi and items:
            tampilan.catat(aksi=LIHAT, objek_tipe="integration.selisih", objek_ids=[i["id"] for i in items],
                           tujuan="laporan selisih sumber data sektoral", jumlah=len(items))
        return Response({"filter": f.as_dict(), "ringkasan": r.as_dict(), "data_perorangan": pribadi,
                         "item": items, "offset": offset, "batas": BATAS_ITEM})


class SasaranApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("program", str, description="pkh, bpnt, pbi_jk, blt_dd, rtlh; kosong: semua."),
                    OpenApiParameter("periode", str), OpenApiParameter("wilayah", str)],
        responses={200: OBJEK}, summary="Ketepatan sasaran program (galat inklusi/eksklusi per wilayah)",
        operation_id="v1_sektor_sasaran")
    def get(self, request):
        kode = request.query_params.get("program")
        programs = [svc.cari_program(kode)] if kode else selectors_sasaran.program_list()
        wilayah = request.query_params.get("wilayah") or ""
        if wilayah and not in_scope(request.user, wilayah):
            raise NotFound("Wilayah tidak ditemukan.")
        periode = request.query_params.get("periode")
        return Response({"program": [selectors_sasaran.sasaran_dict(request.user, p, periode, wilayah)
                                     for p in programs]})


urlpatterns = [
    path("sektor/selisih/", SelisihApi.as_view(), name="sektor-selisih"),
    path("sektor/sasaran/", SasaranApi.as_view(), name="sektor-sasaran"),
]
