"""API v1 of the sector catalogue and deliveries (mounted under /api/v1/ through integration/apis.py).

Authentication as the rest of the API (session, second factor done). Every signed-in role reads the
catalogue; the walidata of the dataset's sector and the admin write. A role that never manages
datasets gets 403 whatever the dataset; a dataset of another sector (or none) is 404.

The push endpoint ``POST sektor/dataset/<kode>/pengiriman/`` takes JSON ``{"periode": "2026-S2",
"data": [{...}, …]}`` or a multipart file (``berkas`` + ``periode``), ``?dry_run=true`` to check only;
it answers the per-row report (201 for a new version, 200 for a dry run or a delivery already
received with the same content).
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.core.pagination import bilangan_parameter
from presisi.integration import selectors as sel
from presisi.integration.models import Pengiriman
from presisi.integration.services.dataset import dataset_buat, dataset_ubah
from presisi.integration.services.pengiriman import pengiriman_terima

NIK_PARAM = OpenApiParameter("nik", str, enum=["penuh"], description="`penuh`: NIK/KK lengkap (dicatat, UU PDP)")


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict) and not hasattr(request.data, "getlist"):
        raise ValidationFailed("Badan permintaan harus objek JSON.",
                               [Finding(rule="masukan", message="kirim objek JSON")])
    return {k: request.data.get(k) for k in request.data}


def _benar(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "ya", "on")


class DatasetIn(serializers.Serializer):
    kode = serializers.CharField(help_text="Kode dataset (huruf kecil, angka, -), mis. dinsos-pkh")
    sektor = serializers.CharField(help_text="Kode sektor (mis. dinsos)")
    nama = serializers.CharField()
    unit = serializers.CharField(help_text="individu, keluarga, rumah_tangga, bangunan, desa")
    jenis = serializers.CharField(required=False, help_text="mikro atau agregat")
    jadwal = serializers.CharField(required=False)
    produsen = serializers.CharField(required=False)
    deskripsi = serializers.CharField(required=False)
    program = serializers.CharField(required=False)
    walidata = serializers.CharField(required=False, help_text="Nama pengguna walidata penanggung jawab")
    metadata = serializers.JSONField(required=False, help_text="MS-Keg: judul_kegiatan, tahun, cara_pengumpulan, "
                                                                "cakupan_wilayah, frekuensi, klasifikasi, …")
    pemetaan_kolom = serializers.JSONField(required=False, help_text="{\"kolom sumber\": \"field atau kode variabel\"}")


class PengirimanUnggahIn(serializers.Serializer):
    periode = serializers.CharField(help_text="Kode periode, mis. 2026-S2")
    berkas = serializers.FileField(help_text="CSV, XLSX atau JSON")
    dry_run = serializers.BooleanField(required=False, default=False)


class PengirimanJsonIn(serializers.Serializer):
    periode = serializers.CharField(help_text="Kode periode, mis. 2026-S2")
    data = serializers.ListField(child=serializers.DictField(), help_text="Baris data: objek {kolom: nilai}")


DATASET_FIELDS = ("nama", "unit", "jenis", "jadwal", "produsen", "deskripsi", "program", "walidata", "metadata",
                  "pemetaan_kolom", "aktif")


class DatasetListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("sektor", str, description="Kode sektor")], responses=dict,
                   operation_id="sektor_dataset_list", summary="Katalog dataset sektoral")
    def get(self, request: Request) -> Response:
        rows = sel.dataset_list(user=request.user, sektor=str(request.query_params.get("sektor") or ""))
        return Response([{**sel.dataset_dict(d), "jumlah_pengiriman": d.jumlah_pengiriman} for d in rows])

    @extend_schema(request=DatasetIn, responses={201: dict}, operation_id="sektor_dataset_buat",
                   summary="Tambah dataset sektoral (walidata sektornya, admin)")
    def post(self, request: Request) -> Response:
        if not sel.boleh_kelola_peran(request.user):
            raise PermissionDenied("Hanya walidata sektor dan admin yang membuat dataset sektoral.")
        body = _body(request)
        data = {k: body[k] for k in DATASET_FIELDS if k in body}
        d = dataset_buat(oleh=request.user, kode=str(body.get("kode") or ""), sektor=str(body.get("sektor") or ""),
                         data=data)
        return Response(sel.dataset_dict(d), status=status.HTTP_201_CREATED)


class DatasetDetailApi(APIView):
    @extend_schema(responses=dict, operation_id="sektor_dataset_detail", summary="Satu dataset sektoral")
    def get(self, request: Request, kode: str) -> Response:
        d = sel.dataset_get(user=request.user, kode=kode)
        return Response({**sel.dataset_dict(d), "boleh_kelola": sel.boleh_kelola(request.user, d),
                         "pengiriman": [sel.pengiriman_dict(p) | {"ringkasan": None}
                                        for p in sel.pengiriman_list(dataset=d)[:100]]})

    @extend_schema(request=DatasetIn(partial=True), responses=dict, operation_id="sektor_dataset_ubah",
                   summary="Ubah dataset sektoral (hanya kolom yang dikirim; kode dan sektor tetap)")
    def patch(self, request: Request, kode: str) -> Response:
        d = sel.dataset_kelola(user=request.user, kode=kode)
        body = _body(request)
        d = dataset_ubah(oleh=request.user, dataset=d, data={k: body[k] for k in DATASET_FIELDS if k in body})
        return Response(sel.dataset_dict(d))


class PengirimanListApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=dict, operation_id="sektor_pengiriman_list",
                   summary="Pengiriman (versi) satu dataset: siapa, kapan, sha256, jumlah baris, status")
    def get(self, request: Request, kode: str) -> Response:
        d = sel.dataset_get(user=request.user, kode=kode)
        return Response([sel.pengiriman_dict(p) | {"ringkasan": {"jumlah": (p.ringkasan or {}).get("jumlah", {})}}
                         for p in sel.pengiriman_list(dataset=d)])

    @extend_schema(request={"application/json": PengirimanJsonIn, "multipart/form-data": PengirimanUnggahIn},
                   parameters=[OpenApiParameter("dry_run", bool, description="`true`: periksa saja, tidak disimpan")],
                   responses={200: dict, 201: dict}, operation_id="sektor_pengiriman_kirim",
                   summary="Kirim data (dorong): JSON {periode, data: [...]} atau berkas; laporan per baris")
    def post(self, request: Request, kode: str) -> Response:
        d = sel.dataset_kelola(user=request.user, kode=kode)
        body = _body(request)
        dry_run = _benar(request.query_params.get("dry_run")) or _benar(body.get("dry_run"))
        periode = str(body.get("periode") or "").strip()
        if not periode:
            raise ValidationFailed("Periode wajib diisi.", [Finding(rule="wajib", column="periode",
                                                                   message="isi kode periode, mis. 2026-S2")])
        upload = request.FILES.get("berkas")
        if upload is not None:
            isi, nama, sumber = upload.read(), upload.name or "", Pengiriman.DORONG
        else:
            rows = request.data.get("data") if isinstance(request.data, dict) else None
            if not isinstance(rows, list):
                raise ValidationFailed("Data wajib diisi.", [Finding(
                    rule="wajib", column="data", message="kirim \"data\": [ {kolom: nilai}, … ] atau berkas")])
            # canonical bytes: the same rows sent again are recognised as the same delivery
            isi = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode()
            nama, sumber = "dorong.json", Pengiriman.DORONG
        hasil = pengiriman_terima(d, periode, isi, nama, oleh=request.user, sumber=sumber, dry_run=dry_run)
        kode_status = status.HTTP_201_CREATED if hasil.baru and not dry_run else status.HTTP_200_OK
        return Response(hasil.as_dict(), status=kode_status)


class PengirimanDetailApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int), NIK_PARAM],
                   responses=dict, operation_id="sektor_pengiriman_detail",
                   summary="Satu pengiriman: ringkasan, jumlah per status tautan, dan baris yang boleh dilihat")
    def get(self, request: Request, pk: int) -> Response:
        p = sel.pengiriman_get(user=request.user, pk=pk)
        out = {**sel.pengiriman_dict(p), "status_tautan": sel.jumlah_status_tautan(p)}
        if sel.boleh_lihat_baris(request.user, p):
            q = request.query_params
            limit = bilangan_parameter(q, "limit", 100, minimum=1, maksimum=1000)
            offset = bilangan_parameter(q, "offset", 0)
            qs = sel.baris_list(user=request.user, p=p)
            out["baris_total"] = qs.count()
            out["baris"] = sel.baris_tampil(user=request.user, rows=list(qs[offset:offset + limit]), request=request,
                                            kanal="api")
        return Response(out)


urlpatterns = [
    path("sektor/dataset/", DatasetListApi.as_view(), name="sektor-dataset-list"),
    path("sektor/dataset/<slug:kode>/", DatasetDetailApi.as_view(), name="sektor-dataset-detail"),
    path("sektor/dataset/<slug:kode>/pengiriman/", PengirimanListApi.as_view(), name="sektor-pengiriman-list"),
    path("sektor/pengiriman/<int:pk>/", PengirimanDetailApi.as_view(), name="sektor-pengiriman-detail"),
]
