"""API v1 endpoints of the registry (mounted under /api/v1/ by presisi/api/urls.py).

One APIView per resource; each reads the request, fetches records through the scoped
selectors in ``history.py`` and calls the registry services. Domain errors become HTTP in
one place (``presisi.api.exceptions``): ``ValidationFailed`` → 400 with findings,
``PermissionDenied`` → 403. Every read of NIK-level data writes a UU PDP processing-log row;
NIK is masked unless ``?nik=penuh`` is asked for (and that is logged too). No DELETE exists.

Optimistic locking: a record's detail answers with ``ETag: W/"<versi>"``; a PATCH may send the version
it read as ``If-Match`` and/or as ``versi`` in the body (both optional, for older clients). A stale
one is refused with 412 and the current representation (through the same PDP door); the check and
the write are one compare-and-swap in the service, so two PATCHes of one version never both win.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from presisi.accounts.pdp import pdp_log_for_user
from presisi.core.etag import etag_lemah, if_match
from presisi.core.exceptions import Finding, ValidationFailed, VersiBasi
from presisi.core.pagination import Paginasi
from presisi.core.pdp import (
    EKSPOR,
    LIHAT,
    UBAH,
    catat_akses_data_pribadi,
    mask_nik,
    minta_penuh,
    parse_tanggal,
)
from presisi.registry import history as sel
from presisi.registry import services
from presisi.registry.models import Bangunan, Individu, Keluarga, Peristiwa, RumahTangga
from presisi.registry.services.versi import VERSI_MAKS, versi_sah

NIK_PARAM = OpenApiParameter("nik", str, enum=["penuh"], description="`penuh`: NIK lengkap (dicatat, UU PDP)")
IF_MATCH = OpenApiParameter(
    "If-Match", str, location=OpenApiParameter.HEADER, required=False,
    description='Opsional. ETag yang diterima saat membaca (mis. `W/"3"`) atau `*`. Versi yang sudah basi '
                'ditolak 412. Versi juga boleh dikirim di badan sebagai `versi`.')
ETAG = OpenApiParameter("ETag", str, location=OpenApiParameter.HEADER, response=[200, 412],
                        description='Versi rekaman, `W/"<versi>"`; kirim kembali sebagai If-Match saat mengubah.')
BASI = OpenApiResponse(description="Precondition Failed: rekaman sudah diubah pengguna lain sejak versi yang "
                                   "dikirim (If-Match/`versi`). Tidak ada yang disimpan; `versi_sekarang` dan "
                                   "`sekarang` (representasi terkini, NIK mengikuti aturan yang sama) disertakan.")
EVENT_SLUGS = {"mati": Peristiwa.MATI, "pindah-keluar": Peristiwa.PINDAH_KELUAR, "hilang": Peristiwa.HILANG,
               "pergi": Peristiwa.PERGI, "kembali": Peristiwa.PINDAH_MASUK}


# ---------------------------------------------------------------- output


def _nomor(context: dict, value: str | None) -> str | None:
    """NIK/KK through the PDP door: full only when the view asked for it (``nik_penuh``, already
    scope-checked and logged by the view); masked otherwise."""
    if value is None:
        return None
    return value if context.get("nik_penuh") else mask_nik(value)


class IndividuOut(serializers.ModelSerializer):
    nik = serializers.SerializerMethodField()
    keluarga = serializers.SerializerMethodField()
    keluarga_id = serializers.IntegerField()
    rumah_tangga = serializers.CharField(source="rumah_tangga.kode", default=None)
    banjar = serializers.CharField(source="banjar.kode")
    desa = serializers.CharField(source="desa.kode")

    class Meta:
        model = Individu
        fields = ["id", "nik", "nik_sementara", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama",
                  "status_kawin", "hubungan_keluarga", "pendidikan", "pekerjaan", "kewarganegaraan", "status_dasar",
                  "nama_ayah", "nama_ibu", "keluarga", "keluarga_id", "rumah_tangga", "rumah_tangga_id",
                  "hubungan_rumah_tangga", "banjar", "desa", "atribut", "diubah", "versi"]

    def get_nik(self, obj: Individu) -> str:
        return _nomor(self.context, obj.nik)

    def get_keluarga(self, obj: Individu) -> str | None:
        return _nomor(self.context, obj.keluarga.no_kk) if obj.keluarga_id else None


class KeluargaOut(serializers.ModelSerializer):
    no_kk = serializers.SerializerMethodField()
    no_kk_sebelumnya = serializers.SerializerMethodField()
    banjar = serializers.CharField(source="banjar.kode")
    banjar_adat = serializers.CharField(source="banjar_adat.kode", default=None, read_only=True)
    desa = serializers.CharField(source="desa.kode")
    kepala = serializers.CharField(source="kepala_nama", default=None, read_only=True)
    jumlah_anggota = serializers.IntegerField(default=None, read_only=True)

    class Meta:
        model = Keluarga
        fields = ["id", "no_kk", "no_kk_sementara", "no_kk_sebelumnya", "alamat", "aktif", "banjar", "banjar_adat",
                  "desa", "atribut", "kepala", "jumlah_anggota", "diubah", "versi"]

    def get_no_kk(self, obj: Keluarga) -> str:
        return _nomor(self.context, obj.no_kk)

    def get_no_kk_sebelumnya(self, obj: Keluarga) -> str:
        return _nomor(self.context, obj.no_kk_sebelumnya) if obj.no_kk_sebelumnya else ""


class RumahTanggaOut(serializers.ModelSerializer):
    banjar = serializers.CharField(source="banjar.kode")
    desa = serializers.CharField(source="desa.kode")
    bangunan = serializers.CharField(source="bangunan.kode", default=None)

    class Meta:
        model = RumahTangga
        fields = ["id", "kode", "aktif", "banjar", "desa", "bangunan", "atribut", "diubah", "versi"]


class BangunanOut(serializers.ModelSerializer):
    banjar = serializers.CharField(source="banjar.kode")
    desa = serializers.CharField(source="desa.kode")

    class Meta:
        model = Bangunan
        fields = ["id", "kode", "aktif", "lat", "lng", "banjar", "desa", "atribut", "diubah", "versi"]


# ---------------------------------------------------------------- input


class KeluargaIn(serializers.Serializer):
    no_kk = serializers.CharField(max_length=16, required=False, allow_blank=True, default="",
                                  help_text="Kosong: KK belum terbit, No. KK sementara desa dibuat otomatis")
    banjar = serializers.CharField(max_length=20)
    alamat = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    atribut = serializers.DictField(required=False, default=dict)
    banjar_adat = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")


class RumahTanggaIn(serializers.Serializer):
    kode = serializers.CharField(max_length=24)
    banjar = serializers.CharField(max_length=20)
    bangunan = serializers.CharField(max_length=24, required=False, allow_blank=True, allow_null=True)
    atribut = serializers.DictField(required=False, default=dict)


class BangunanIn(serializers.Serializer):
    kode = serializers.CharField(max_length=24)
    banjar = serializers.CharField(max_length=20)
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lng = serializers.FloatField(required=False, allow_null=True, default=None)
    atribut = serializers.DictField(required=False, default=dict)


class PeristiwaIn(serializers.Serializer):
    jenis = serializers.CharField(help_text="mati, pindah-keluar, hilang, pergi, kembali (atau kode 2/3/4/6/5)")
    tanggal = serializers.DateField()
    keterangan = serializers.CharField(required=False, allow_blank=True, default="")
    data = serializers.DictField(required=False, default=dict)


class KelahiranKedatanganIn(serializers.Serializer):
    jenis = serializers.ChoiceField(choices=["lahir", "datang"])
    individu = serializers.DictField(help_text="Isian kamus data individu (nik, nama, tanggal_lahir, …)")
    tanggal = serializers.DateField(required=False, help_text="Tanggal datang (untuk jenis datang)")
    asal = serializers.CharField(required=False, allow_blank=True, default="")
    keterangan = serializers.CharField(required=False, allow_blank=True, default="")


def _parse(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Validate request input; problems become findings like every other refusal (400)."""
    s = serializer_class(data=data)
    if not s.is_valid():
        raise ValidationFailed("Masukan tidak sah.", [
            Finding(rule="masukan", column=key, message=" ".join(str(m) for m in messages))
            for key, messages in s.errors.items()])
    return dict(s.validated_data)


def _flat(data: Any) -> dict[str, Any]:
    """A PATCH or person body: one flat JSON object of dictionary values."""
    if not isinstance(data, dict):
        raise ValidationFailed("Badan permintaan harus objek JSON.", [
            Finding(rule="masukan", message="kirim objek JSON berisi isian kamus data")])
    return dict(data)


def _banjar_in(desa, kode: str) -> str:
    if not kode.startswith(desa.kode + "."):
        raise ValidationFailed("Banjar di luar desa ini.", [Finding(
            rule="banjar_lain_desa", column="banjar", value=kode, message="banjar tidak berada di desa ini")])
    return kode


# ---------------------------------------------------------------- helpers


def etag(obj: Any) -> str:
    """Weak: the body varies with NIK masking and members, the record's version does not."""
    return etag_lemah(obj.versi)


def versi_diminta(request: Request, data: dict[str, Any]) -> set[int] | None:
    """The versions a write may go to (If-Match and the body's ``versi``, both when both are sent);
    None when the client sends neither (or ``If-Match: *``). Pops ``versi`` from ``data``."""
    tags = if_match(request.headers.get("If-Match"))
    wanted = None if tags is None else {
        int(t) for t in tags if t.isascii() and t.isdigit() and len(t) <= 10 and int(t) <= VERSI_MAKS}
    if "versi" in data:
        value = data.pop("versi")
        if not versi_sah(value):
            raise ValidationFailed("Versi tidak sah.", [Finding(
                rule="masukan", column="versi", value=str(value)[:40],
                message="versi harus bilangan bulat positif yang diterima saat membaca rekaman")])
        wanted = {value} if wanted is None else wanted & {value}
    return wanted


def _dengan_etag(response: Response, obj: Any) -> Response:
    response["ETag"] = etag(obj)
    return response


def _basi(exc: VersiBasi, current: Response) -> Response:
    """412 with the record as it is now (built by the same function, so the PDP rules hold)."""
    response = Response({**exc.as_dict(), "sekarang": current.data}, status=status.HTTP_412_PRECONDITION_FAILED)
    response["ETag"] = current["ETag"]
    return response



def _nik_penuh(request: Request) -> bool:
    # the registry API is scope-checked for person-level access before any of this runs
    return minta_penuh(request)


def _log(request: Request, aksi: str, model: type, ids: list[int], tujuan: str, *, nik_penuh: bool = False) -> None:
    catat_akses_data_pribadi(pengguna=request.user, aksi=aksi, objek_tipe=model._meta.label_lower,
                             objek_ids=ids, tujuan=tujuan, rincian={"nik_penuh": nik_penuh, "kanal": "api"})


def _paginate(request: Request, view: APIView, qs) -> tuple[list, Paginasi]:
    paginator = Paginasi()  # ?limit=abc or ?offset=-5 → 400 naming the parameter
    return list(paginator.paginate_queryset(qs, request, view=view) or []), paginator


def _person(request: Request, person: Individu, tujuan: str, code: int = status.HTTP_200_OK) -> Response:
    penuh = _nik_penuh(request)
    _log(request, LIHAT, Individu, [person.pk], tujuan, nik_penuh=penuh)
    person = Individu.objects.select_related("keluarga", "rumah_tangga", "banjar", "desa").get(pk=person.pk)
    return _dengan_etag(Response(IndividuOut(person, context={"nik_penuh": penuh}).data, status=code), person)


def _family(request: Request, kk: Keluarga, code: int = status.HTTP_200_OK) -> Response:
    penuh = _nik_penuh(request)
    people = sel.anggota_keluarga(kk)
    if people:
        _log(request, LIHAT, Individu, [p.pk for p in people], "API keluarga", nik_penuh=penuh)
    kk = Keluarga.objects.select_related("banjar", "desa", "banjar_adat").get(pk=kk.pk)
    body = {**KeluargaOut(kk, context={"nik_penuh": penuh}).data,
            "anggota": IndividuOut(people, many=True, context={"nik_penuh": penuh}).data}
    return _dengan_etag(Response(body, status=code), kk)


# ---------------------------------------------------------------- families


class KeluargaListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("banjar", str)],
                   responses=KeluargaOut(many=True), summary="Daftar keluarga desa")
    def get(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode)
        rows, paginator = _paginate(request, self, sel.keluarga_cari(desa=desa, q=request.query_params.get("q", ""),
                                                                     banjar=request.query_params.get("banjar", "")))
        penuh = _nik_penuh(request)
        _log(request, EKSPOR, Keluarga, [k.pk for k in rows], "API daftar keluarga", nik_penuh=penuh)
        return paginator.get_paginated_response(KeluargaOut(rows, many=True, context={"nik_penuh": penuh}).data)

    @extend_schema(request=KeluargaIn, responses={201: KeluargaOut}, summary="Tambah keluarga")
    def post(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode, ubah=True)
        data = _parse(KeluargaIn, request.data)
        kk = services.keluarga_create(no_kk=data["no_kk"], banjar_kode=_banjar_in(desa, data["banjar"]),
                                      alamat=data["alamat"], atribut=data["atribut"], pengguna=request.user,
                                      banjar_adat_kode=data["banjar_adat"])
        return _family(request, kk, status.HTTP_201_CREATED)


class KeluargaDetailApi(APIView):
    @extend_schema(parameters=[NIK_PARAM, ETAG], responses=dict, summary="Keluarga dan anggotanya")
    def get(self, request: Request, pk: int) -> Response:
        return _family(request, sel.rekaman_get(user=request.user, model=Keluarga, pk=pk))

    @extend_schema(parameters=[IF_MATCH, ETAG], request=dict, responses={200: dict, 412: BASI},
                   summary="Koreksi keluarga (no_kk, alamat, banjar, banjar_adat, atribut; versi opsional)")
    def patch(self, request: Request, pk: int) -> Response:
        kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk, ubah=True)
        data = _flat(request.data)
        banjar = data.pop("banjar", None)
        adat = data.pop("banjar_adat", None)  # absent: unchanged; "" or null clears it
        adat = None if "banjar_adat" not in request.data else (adat or "")
        versi = versi_diminta(request, data)
        try:
            kk = services.keluarga_update(keluarga=kk, data=data, banjar_kode=banjar, pengguna=request.user,
                                          versi=versi, banjar_adat_kode=adat)
        except VersiBasi as exc:
            return _basi(exc, _family(request, kk))
        return _family(request, kk)


class AnggotaCreateApi(APIView):
    @extend_schema(request=dict, responses={201: IndividuOut}, summary="Tambah anggota keluarga",
                   description="NIK yang sudah terdaftar ditolak: nik_ganda bila orang yang sama, nik_orang_lain "
                               "bila nama/tanggal lahir/jenis kelamin berbeda; temuan menyebut pemilik terdaftar. "
                               "Untuk mengoreksi identitas orang terdaftar gunakan PATCH /individu/{id}/ dengan "
                               "koreksi_identitas dan alasan_koreksi.")
    def post(self, request: Request, pk: int) -> Response:
        kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk, ubah=True)
        person = services.individu_create(keluarga=kk, data=_flat(request.data), pengguna=request.user)
        _log(request, UBAH, Individu, [person.pk], "API tambah anggota")
        return _person(request, person, "API tambah anggota", status.HTTP_201_CREATED)


class KeluargaPeristiwaApi(APIView):
    @extend_schema(request=KelahiranKedatanganIn, responses={201: IndividuOut},
                   summary="Catat kelahiran atau kedatangan (penduduk baru di keluarga ini)")
    def post(self, request: Request, pk: int) -> Response:
        kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk, ubah=True)
        data = _parse(KelahiranKedatanganIn, request.data)
        if data["jenis"] == "lahir":
            person = services.kelahiran_catat(keluarga=kk, data=data["individu"], pengguna=request.user,
                                              keterangan=data["keterangan"])
        elif "tanggal" not in data:
            raise ValidationFailed("Tanggal datang wajib diisi.", [Finding(
                rule="wajib", column="tanggal", message="tanggal datang wajib diisi")])
        else:
            person = services.kedatangan_catat(keluarga=kk, data=data["individu"], tanggal=data["tanggal"],
                                               asal=data["asal"], pengguna=request.user)
        _log(request, UBAH, Individu, [person.pk], f"API {data['jenis']}")
        return _person(request, person, f"API {data['jenis']}", status.HTTP_201_CREATED)


# ---------------------------------------------------------------- people


class IndividuListApi(APIView):
    @extend_schema(parameters=[NIK_PARAM, OpenApiParameter("q", str, description="nama atau NIK 16 digit"),
                               OpenApiParameter("status_dasar", int)],
                   responses=IndividuOut(many=True), summary="Daftar penduduk desa")
    def get(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode)
        raw_status = request.query_params.get("status_dasar", "")
        qs = sel.individu_list(desa=desa, q=request.query_params.get("q", ""),
                               status=int(raw_status) if raw_status.isdigit() else None)
        rows, paginator = _paginate(request, self, qs)
        penuh = _nik_penuh(request)
        _log(request, EKSPOR, Individu, [p.pk for p in rows], "API daftar penduduk", nik_penuh=penuh)
        return paginator.get_paginated_response(IndividuOut(rows, many=True, context={"nik_penuh": penuh}).data)


class IndividuDetailApi(APIView):
    @extend_schema(parameters=[NIK_PARAM, ETAG], responses=IndividuOut, summary="Satu penduduk")
    def get(self, request: Request, pk: int) -> Response:
        return _person(request, sel.rekaman_get(user=request.user, model=Individu, pk=pk), "API penduduk")

    @extend_schema(parameters=[IF_MATCH, ETAG], request=dict, responses={200: IndividuOut, 412: BASI},
                   summary="Koreksi data penduduk (hanya isian yang dikirim)",
                   description="Mengubah identitas (nama di luar variasi penulisan, tanggal_lahir, jenis_kelamin) "
                               "wajib dinyatakan: kirim juga `koreksi_identitas: true` dan `alasan_koreksi` "
                               "(teks). Koreksi dicatat sebagai entri riwayat tersendiri "
                               "(registry.individu.koreksi_identitas). NIK yang sudah milik orang lain ditolak "
                               "(nik_orang_lain) dengan menyebut pemilik terdaftar (NIK disamarkan).")
    def patch(self, request: Request, pk: int) -> Response:
        person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
        data = _flat(request.data)
        versi = versi_diminta(request, data)
        try:
            person = services.individu_update(individu=person, data=data, pengguna=request.user, versi=versi)
        except VersiBasi as exc:
            return _basi(exc, _person(request, person, "API koreksi penduduk ditolak (versi basi)"))
        _log(request, UBAH, Individu, [person.pk], "API koreksi penduduk")
        return _person(request, person, "API koreksi penduduk")


class GantiNikIn(serializers.Serializer):
    nik = serializers.CharField(min_length=16, max_length=16, help_text="NIK asli (16 digit)")
    alasan = serializers.CharField(required=False, allow_blank=True, default="")
    versi = serializers.IntegerField(required=False, min_value=1, max_value=VERSI_MAKS)


class IndividuGantiNikApi(APIView):
    @extend_schema(request=GantiNikIn, responses={200: IndividuOut},
                   summary="Ganti NIK sementara dengan NIK asli",
                   description="Untuk penduduk ber-NIK sementara (bayi yang belum ber-NIK). Bila NIK asli sudah "
                               "terdaftar (mis. dari impor Dukcapil) dengan jenis kelamin dan tanggal lahir yang "
                               "sama, record sementara digabung ke record itu (riwayat keduanya tetap) dan "
                               "jawaban memuat record yang dipertahankan; `digabung_dari` menyebut record sementara.")
    def post(self, request: Request, pk: int) -> Response:
        person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
        data = _parse(GantiNikIn, request.data)
        hasil = services.nik_sementara_ganti(individu=person, nik_baru=data["nik"], alasan=data["alasan"],
                                             pengguna=request.user, versi=data.get("versi"))
        _log(request, UBAH, Individu, sorted({person.pk, hasil.individu.pk}), "API ganti NIK sementara")
        response = _person(request, hasil.individu, "API ganti NIK sementara")
        response.data = {**response.data, "digabung_dari": hasil.digabung_dari}
        return response


class IndividuPeristiwaApi(APIView):
    @extend_schema(request=PeristiwaIn, responses={201: dict},
                   summary="Catat peristiwa: mati, pindah keluar, hilang, pergi, kembali")
    def post(self, request: Request, pk: int) -> Response:
        person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
        data = _parse(PeristiwaIn, request.data)
        jenis = EVENT_SLUGS.get(data["jenis"]) or (int(data["jenis"]) if data["jenis"].isdigit() else None)
        if jenis == Peristiwa.PINDAH_MASUK:
            event = services.kepulangan_catat(individu=person, tanggal=data["tanggal"],
                                              asal=str(data["data"].get("asal", "")),
                                              keterangan=data["keterangan"], pengguna=request.user)
        else:
            event = services.peristiwa_catat(individu=person, jenis=jenis or 0, tanggal=data["tanggal"],
                                             keterangan=data["keterangan"], data=data["data"],
                                             pengguna=request.user)
        _log(request, UBAH, Individu, [person.pk], "API peristiwa")
        return Response(sel.peristiwa_dict(event), status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- households and buildings


class RumahTanggaListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("banjar", str)],
                   responses=RumahTanggaOut(many=True), summary="Daftar rumah tangga desa")
    def get(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode)
        qs = sel.rumah_tangga_cari(desa=desa, q=request.query_params.get("q", ""),
                                   banjar=request.query_params.get("banjar", ""))
        rows, paginator = _paginate(request, self, qs)
        return paginator.get_paginated_response(RumahTanggaOut(rows, many=True).data)

    @extend_schema(request=RumahTanggaIn, responses={201: RumahTanggaOut}, summary="Tambah rumah tangga")
    def post(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode, ubah=True)
        data = _parse(RumahTanggaIn, request.data)
        building = _building(desa, data.get("bangunan"))
        rt = services.rumah_tangga_create(kode=data["kode"], banjar_kode=_banjar_in(desa, data["banjar"]),
                                          atribut=data["atribut"], bangunan=building, pengguna=request.user)
        return Response(RumahTanggaOut(rt).data, status=status.HTTP_201_CREATED)


def _building(desa, kode: str | None) -> Bangunan | None:
    if not kode:
        return None
    found = sel.bangunan_di_desa(desa=desa, kode=kode)
    if found is None:
        raise ValidationFailed("Bangunan tidak ditemukan.", [Finding(
            rule="bangunan_tidak_ada", column="bangunan", value=kode, message="kode bangunan tidak ada di desa ini")])
    return found


class RumahTanggaDetailApi(APIView):
    @extend_schema(parameters=[ETAG], responses=dict, summary="Rumah tangga dan anggotanya")
    def get(self, request: Request, pk: int) -> Response:
        rt = sel.rekaman_get(user=request.user, model=RumahTangga, pk=pk)
        penuh = _nik_penuh(request)
        people = sel.anggota_rumah_tangga(rt)
        _log(request, LIHAT, Individu, [p.pk for p in people], "API rumah tangga", nik_penuh=penuh)
        return _dengan_etag(Response({**RumahTanggaOut(rt).data,
                                      "anggota": IndividuOut(people, many=True, context={"nik_penuh": penuh}).data}),
                            rt)

    @extend_schema(parameters=[IF_MATCH, ETAG], request=dict, responses={200: RumahTanggaOut, 412: BASI},
                   summary="Koreksi rumah tangga (versi opsional)")
    def patch(self, request: Request, pk: int) -> Response:
        rt = sel.rekaman_get(user=request.user, model=RumahTangga, pk=pk, ubah=True)
        data = _flat(request.data)
        kode, banjar = data.pop("kode", None), data.pop("banjar", None)
        building: Any = _building(rt.desa, data.pop("bangunan")) if "bangunan" in data else False
        versi = versi_diminta(request, data)
        try:
            rt = services.rumah_tangga_update(rumah_tangga=rt, data=data, kode=kode, banjar_kode=banjar,
                                              bangunan=building, pengguna=request.user, versi=versi)
        except VersiBasi as exc:
            now = RumahTangga.objects.select_related("banjar", "desa", "bangunan").get(pk=rt.pk)
            return _basi(exc, _dengan_etag(Response(RumahTanggaOut(now).data), now))
        return _dengan_etag(Response(RumahTanggaOut(rt).data), rt)


class BangunanListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("banjar", str)],
                   responses=BangunanOut(many=True), summary="Daftar bangunan desa")
    def get(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode)
        qs = sel.bangunan_cari(desa=desa, q=request.query_params.get("q", ""),
                               banjar=request.query_params.get("banjar", ""))
        rows, paginator = _paginate(request, self, qs)
        return paginator.get_paginated_response(BangunanOut(rows, many=True).data)

    @extend_schema(request=BangunanIn, responses={201: BangunanOut}, summary="Tambah bangunan")
    def post(self, request: Request, kode: str) -> Response:
        desa = sel.desa_get(user=request.user, kode=kode, ubah=True)
        data = _parse(BangunanIn, request.data)
        b = services.bangunan_create(kode=data["kode"], banjar_kode=_banjar_in(desa, data["banjar"]), lat=data["lat"],
                                     lng=data["lng"], atribut=data["atribut"], pengguna=request.user)
        return Response(BangunanOut(b).data, status=status.HTTP_201_CREATED)


class BangunanDetailApi(APIView):
    @extend_schema(parameters=[ETAG], responses=BangunanOut, summary="Satu bangunan")
    def get(self, request: Request, pk: int) -> Response:
        b = sel.rekaman_get(user=request.user, model=Bangunan, pk=pk)
        return _dengan_etag(Response(BangunanOut(b).data), b)

    @extend_schema(parameters=[IF_MATCH, ETAG], request=dict, responses={200: BangunanOut, 412: BASI},
                   summary="Koreksi bangunan (versi opsional)")
    def patch(self, request: Request, pk: int) -> Response:
        b = sel.rekaman_get(user=request.user, model=Bangunan, pk=pk, ubah=True)
        data = _flat(request.data)
        coords = {k: data.pop(k) for k in ("lat", "lng") if k in data}
        kode, banjar = data.pop("kode", None), data.pop("banjar", None)
        versi = versi_diminta(request, data)
        try:
            b = services.bangunan_update(bangunan=b, data=data, kode=kode, banjar_kode=banjar, pengguna=request.user,
                                         versi=versi, **coords)
        except VersiBasi as exc:
            now = Bangunan.objects.select_related("banjar", "desa").get(pk=b.pk)
            return _basi(exc, _dengan_etag(Response(BangunanOut(now).data), now))
        return _dengan_etag(Response(BangunanOut(b).data), b)


# ---------------------------------------------------------------- history and the processing log


class RiwayatApi(APIView):
    """History of one record: audit entries (before → after, labelled) and life events."""

    model: type = Individu
    builders = {Individu: sel.riwayat_individu, Keluarga: sel.riwayat_keluarga,
                RumahTangga: sel.riwayat_rumah_tangga, Bangunan: sel.riwayat_bangunan}

    @extend_schema(responses=dict, summary="Riwayat perubahan dan peristiwa")
    def get(self, request: Request, pk: int) -> Response:
        obj = sel.rekaman_get(user=request.user, model=self.model, pk=pk)
        if isinstance(obj, Individu):
            _log(request, LIHAT, Individu, [obj.pk], "API riwayat penduduk")
        elif isinstance(obj, Keluarga | RumahTangga):
            _log(request, LIHAT, Individu, list(obj.anggota.values_list("id", flat=True)),
                 f"API riwayat {self.model._meta.verbose_name}")
        return Response(self.builders[self.model](obj).as_dict())


class PdpLogApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("pengguna", str), OpenApiParameter("sejak", str),
                               OpenApiParameter("sampai", str), OpenApiParameter("objek", str)],
                   responses=dict, summary="Log pemrosesan data pribadi (UU PDP), khusus admin")
    def get(self, request: Request) -> Response:
        q = request.query_params
        rows = pdp_log_for_user(request.user, pengguna=q.get("pengguna") or None, sejak=parse_tanggal(q.get("sejak")),
                                sampai=parse_tanggal(q.get("sampai")), objek_id=q.get("objek") or None,
                                objek_tipe=Individu._meta.label_lower if q.get("objek") else None)
        return Response([r.as_dict() for r in rows])


urlpatterns = [
    path("desa/<str:kode>/keluarga/", KeluargaListApi.as_view(), name="registri-keluarga-list"),
    path("desa/<str:kode>/individu/", IndividuListApi.as_view(), name="registri-individu-list"),
    path("desa/<str:kode>/rumah-tangga/", RumahTanggaListApi.as_view(), name="registri-rumah-tangga-list"),
    path("desa/<str:kode>/bangunan/", BangunanListApi.as_view(), name="registri-bangunan-list"),
    path("keluarga/<int:pk>/", KeluargaDetailApi.as_view(), name="registri-keluarga"),
    path("keluarga/<int:pk>/anggota/", AnggotaCreateApi.as_view(), name="registri-keluarga-anggota"),
    path("keluarga/<int:pk>/peristiwa/", KeluargaPeristiwaApi.as_view(), name="registri-keluarga-peristiwa"),
    path("keluarga/<int:pk>/riwayat/", RiwayatApi.as_view(model=Keluarga), name="registri-keluarga-riwayat"),
    path("individu/<int:pk>/", IndividuDetailApi.as_view(), name="registri-individu"),
    path("individu/<int:pk>/peristiwa/", IndividuPeristiwaApi.as_view(), name="registri-individu-peristiwa"),
    path("individu/<int:pk>/nik/", IndividuGantiNikApi.as_view(), name="registri-individu-ganti-nik"),
    path("individu/<int:pk>/riwayat/", RiwayatApi.as_view(model=Individu), name="registri-individu-riwayat"),
    path("rumah-tangga/<int:pk>/", RumahTanggaDetailApi.as_view(), name="registri-rumah-tangga"),
    path("rumah-tangga/<int:pk>/riwayat/", RiwayatApi.as_view(model=RumahTangga),
         name="registri-rumah-tangga-riwayat"),
    path("bangunan/<int:pk>/", BangunanDetailApi.as_view(), name="registri-bangunan"),
    path("bangunan/<int:pk>/riwayat/", RiwayatApi.as_view(model=Bangunan), name="registri-bangunan-riwayat"),
    path("pdp/log/", PdpLogApi.as_view(), name="registri-pdp-log"),
]
