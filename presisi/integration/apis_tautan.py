"""API v1 of the record-linkage review queue and registry duplicates (mounted under /api/v1/tautan/).

Same selectors and services as the pages. Outside the scope: 404; a role that never reviews: 403;
NIK/KK masked unless the role may see person-level data there and asked (``?nik=penuh``, logged).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.pdp import LIHAT, TampilanPribadi, catat_akses_data_pribadi
from presisi.integration import selectors_tautan as sel
from presisi.integration.models import TERIMA, TOLAK, BarisSumber, PasanganGanda
from presisi.integration.services.ganda import ganda_putuskan
from presisi.integration.services.tautan import tautan_putuskan
from presisi.registry.models import Individu

NIK_PARAM = OpenApiParameter("nik", str, enum=["penuh"], description="`penuh`: NIK/No. KK lengkap (dicatat, UU PDP)")
DATASET_PARAM = OpenApiParameter("dataset", str, description="Kode dataset.")
DESA_PARAM = OpenApiParameter("desa", str, description="Kode wilayah (awalan).")
STATUS_PARAM = OpenApiParameter("status", str, enum=[k for k, _ in PasanganGanda.STATUS_CHOICES],
                                description="Status pasangan (bawaan: terbuka).")


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ValidationFailed("Badan permintaan harus objek JSON.",
                               [Finding(rule="masukan", message="kirim objek JSON")])
    return dict(request.data)


def _log(request: Request, ids: list[int], tujuan: str, *, nik_penuh: bool = False) -> None:
    if ids:
        catat_akses_data_pribadi(pengguna=request.user, aksi=LIHAT, objek_tipe=sel.INDIVIDU_LABEL,
                                 objek_ids=sorted(set(ids)), tujuan=tujuan,
                                 rincian={"nik_penuh": nik_penuh, "kanal": "api"})


def _orang(person: Individu | None, tampilan: TampilanPribadi | None = None) -> dict[str, Any] | None:
    if person is None:
        return None
    out = {"id": person.pk, "nama": person.nama, "desa": person.desa.kode, "jenis_kelamin": person.jenis_kelamin,
           "tanggal_lahir": person.tanggal_lahir.isoformat() if person.tanggal_lahir else None}
    if tampilan is not None:
        out["nik"] = tampilan.nik(person.nik)
    return out


def _baris_ringkas(b: BarisSumber) -> dict[str, Any]:
    return {"id": b.pk, "dataset": b.pengiriman.dataset.kode, "periode": b.pengiriman.periode.kode,
            "versi": b.pengiriman.versi, "baris": b.baris, "nama": b.nama, "kode_desa": b.kode_desa,
            "status": b.status_tautan, "metode": b.metode, "skor": b.skor, "kandidat_terbaik": _orang(b.individu)}


def _baris_rinci(request: Request, row: BarisSumber) -> dict[str, Any]:
    tampilan = tampilan_pribadi(request.user, sel.kode_wilayah_baris(row), request=request, kanal="api")
    r = sel.baris_rincian(request.user, row, tampilan)
    _log(request, r["individu_ids"], "API tinjau tautan data sektoral", nik_penuh=tampilan.penuh)
    return {**_baris_ringkas(row), "nik": r["nik"], "no_kk": r["no_kk"], "jenis_kelamin": row.jenis_kelamin,
            "tanggal_lahir": row.tanggal_lahir.isoformat() if row.tanggal_lahir else None,
            "nama_ayah": row.nama_ayah, "nama_ibu": row.nama_ibu,
            "tertaut": _orang(row.individu, tampilan) if row.status_tautan == "tertaut" else None,
            "kandidat": [{"peringkat": k["kandidat"].peringkat, "individu": _orang(k["individu"], tampilan),
                          "probabilitas": k["probabilitas"], "bobot_total": k["bobot_total"],
                          "bobot": k["kandidat"].bobot, "banding": [{x: f[x] for x in (
                              "kunci", "sumber", "registri", "sama")} for f in k["banding"]],
                          "keputusan": k["keputusan"].keputusan if k["keputusan"] else None}
                         for k in r["kandidat"]],
            "keputusan": [{"individu": k.individu_id, "keputusan": k.keputusan, "alasan": k.alasan,
                           "diputuskan_pada": k.diputuskan_pada.isoformat()} for k in r["keputusan"]]}


class TinjauListApi(APIView):
    @extend_schema(responses=dict, parameters=[DATASET_PARAM, DESA_PARAM], operation_id="tautan_tinjau_list",
                   summary="Antrean tinjau tautan: baris sumber berstatus tinjau dalam cakupan pengguna")
    def get(self, request: Request) -> Response:
        r = sel.tinjau_list(request.user, dataset=request.query_params.get("dataset", "")[:60],
                            desa=request.query_params.get("desa", "")[:20])
        _log(request, [b.individu_id for b in r["baris"] if b.individu_id], "API antrean tinjau tautan")
        return Response({"jumlah": r["jumlah"], "terpotong": r["terpotong"],
                         "baris": [_baris_ringkas(b) for b in r["baris"]]})


class TinjauDetailApi(APIView):
    @extend_schema(responses=dict, parameters=[NIK_PARAM], operation_id="tautan_tinjau_detail",
                   summary="Satu baris sumber dengan kandidatnya, per kolom, dan bobot kecocokan (air terjun)")
    def get(self, request: Request, baris_id: int) -> Response:
        return Response(_baris_rinci(request, sel.baris_get(request.user, baris_id)))


class TinjauKeputusanApi(APIView):
    @extend_schema(request=dict, responses=dict, operation_id="tautan_tinjau_keputusan",
                   summary="Putuskan kandidat: terima atau tolak; atau pilih orang lain lewat NIK",
                   description="Badan: `{\"keputusan\": \"terima\"|\"tolak\", \"individu\": ID, \"alasan\": \"…\"}` "
                               "atau `{\"keputusan\": \"terima\", \"nik\": \"16 angka\"}` (orang lain di wilayah "
                               "Anda). Keputusan diingat untuk pengiriman berikutnya.")
    def post(self, request: Request, baris_id: int) -> Response:
        row = sel.baris_get(request.user, baris_id)
        data = _body(request)
        keputusan = data.get("keputusan")
        if keputusan not in (TERIMA, TOLAK):
            raise ValidationFailed("Keputusan tidak dikenal.", [Finding(rule="keputusan", column="keputusan",
                                                                        value=keputusan, message="terima atau tolak")])
        if data.get("nik") and keputusan == TERIMA:
            person = sel.individu_cari(request.user, str(data["nik"]))
        else:
            allowed = set(row.kandidat.values_list("individu_id", flat=True)) | {row.individu_id}
            raw = data.get("individu")
            if not isinstance(raw, int) or isinstance(raw, bool) or raw not in allowed:
                raise ValidationFailed("Pilih salah satu kandidat.", [Finding(
                    rule="individu", column="individu", value=raw, message="ID kandidat baris ini")])
            person = Individu.objects.get(pk=raw)
        row = tautan_putuskan(baris=row, individu=person, keputusan=keputusan, oleh=request.user,
                              alasan=str(data.get("alasan") or "")[:300])
        return Response(_baris_rinci(request, sel.baris_get(request.user, row.pk)))


def _pasangan(request: Request, pair: PasanganGanda, *, rinci: bool = False) -> dict[str, Any]:
    out = {"id": pair.pk, "status": pair.status, "probabilitas": pair.probabilitas, "desa": pair.desa.kode,
           "dipertahankan": pair.dipertahankan_id}
    if not rinci:
        return {**out, "a": _orang(pair.individu_a), "b": _orang(pair.individu_b)}
    tampilan = tampilan_pribadi(request.user, pair.desa.kode, request=request, kanal="api")
    r = sel.ganda_rincian(request.user, pair, tampilan)
    _log(request, [pair.individu_a_id, pair.individu_b_id], "API tinjau data ganda registri",
         nik_penuh=tampilan.penuh)
    return {**out, "a": _orang(pair.individu_a, tampilan), "b": _orang(pair.individu_b, tampilan),
            "bobot_total": pair.bobot_total, "bobot": pair.bobot, "boleh_gabung": r["boleh_gabung"],
            "banding": [{x: f[x] for x in ("kunci", "a", "b", "sama")} for f in r["banding"]]}


class GandaListApi(APIView):
    @extend_schema(responses=dict, parameters=[DESA_PARAM, STATUS_PARAM], operation_id="tautan_ganda_list",
                   summary="Data ganda registri dalam cakupan pengguna")
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", PasanganGanda.TERBUKA)
        status = status if status in dict(PasanganGanda.STATUS_CHOICES) else PasanganGanda.TERBUKA
        r = sel.ganda_list(request.user, desa=request.query_params.get("desa", "")[:20], status=status)
        _log(request, [i for p in r["pasangan"] for i in (p.individu_a_id, p.individu_b_id)],
             "API antrean data ganda registri")
        return Response({"jumlah": r["jumlah"], "terpotong": r["terpotong"],
                         "pasangan": [_pasangan(request, p) for p in r["pasangan"]]})


class GandaDetailApi(APIView):
    @extend_schema(responses=dict, parameters=[NIK_PARAM], operation_id="tautan_ganda_detail",
                   summary="Satu pasangan data ganda, per kolom, dengan bobot kecocokan")
    def get(self, request: Request, pk: int) -> Response:
        return Response(_pasangan(request, sel.ganda_get(request.user, pk), rinci=True))


class GandaKeputusanApi(APIView):
    @extend_schema(request=dict, responses=dict, operation_id="tautan_ganda_keputusan",
                   summary="Putuskan pasangan data ganda: bukan_ganda, atau gabung (record dipertahankan)",
                   description="Badan: `{\"keputusan\": \"bukan_ganda\"}` atau `{\"keputusan\": \"gabung\", "
                               "\"dipertahankan\": ID, \"alasan\": \"…\"}`. Penggabungan hanya oleh operator desa "
                               "kedua record atau admin kabupaten.")
    def post(self, request: Request, pk: int) -> Response:
        pair = sel.ganda_get(request.user, pk)
        data = _body(request)
        raw = data.get("dipertahankan")
        pair = ganda_putuskan(pasangan=pair, keputusan=str(data.get("keputusan") or ""), oleh=request.user,
                              dipertahankan=raw if isinstance(raw, int) and not isinstance(raw, bool) else None,
                              alasan=str(data.get("alasan") or "")[:300])
        return Response(_pasangan(request, sel.ganda_get(request.user, pair.pk), rinci=True))


urlpatterns = [
    path("tautan/tinjau/", TinjauListApi.as_view(), name="tautan-tinjau-list"),
    path("tautan/tinjau/<int:baris_id>/", TinjauDetailApi.as_view(), name="tautan-tinjau"),
    path("tautan/tinjau/<int:baris_id>/keputusan/", TinjauKeputusanApi.as_view(), name="tautan-tinjau-keputusan"),
    path("tautan/ganda/", GandaListApi.as_view(), name="tautan-ganda-list"),
    path("tautan/ganda/<int:pk>/", GandaDetailApi.as_view(), name="tautan-ganda"),
    path("tautan/ganda/<int:pk>/keputusan/", GandaKeputusanApi.as_view(), name="tautan-ganda-keputusan"),
]
