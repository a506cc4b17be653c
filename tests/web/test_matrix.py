"""The access matrix (``presisi.accounts.policy``) checked against every route and OpenAPI operation.

Built once for the module: the small synthetic Klungkung of the browser tests with its demo users, a
walidata of the population sector, a second regency (Bangli, from the shipped Bali list) with one
family, and one import job and one validation finding in each target desa. Targets: the operator's
own desa, another desa of its kecamatan, a desa of another kecamatan, and a desa in Bangli; each
role sees each target as own (inside its scope) or foreign. One test per route (``-k registri``
narrows it): every role × target × method, each request inside a savepoint rolled back, so a write
never changes what the next case sees. Writes send an empty body: an allowed role gets past the
access check and is told what is missing (400), which is class ``A``.
"""

from __future__ import annotations

import copy
import datetime as dt
import fnmatch
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from presisi.accounts import policy
from presisi.accounts.policy import ANONIM, PERAN_MATRIKS, WALIDATA_DUKCAPIL

pytestmark = pytest.mark.django_db
TARGETS = ("sendiri", "desa_lain", "kecamatan_lain", "kabupaten_lain")
WRITE_METHODS = ("post", "put", "patch", "delete")
BANGLI = ("51.06", "51.06.01", "51.06.01.2001")
USERNAMES = {policy.OPERATOR_DESA: "operator", policy.VERIFIKATOR_KECAMATAN: "verifikator",
             policy.WALIDATA: "walidata", WALIDATA_DUKCAPIL: "walidata_dukcapil", policy.ANALIS: "analis",
             policy.ADMIN: "admin"}
ADMIN_KWARGS = {"app_label": "auth", "object_id": "1", "content_type_id": "1", "url": "x"}


def semua_rute() -> list[tuple[str, str, list[str]]]:
    """(name, pattern, kwarg names) of every named route, from the resolver itself."""
    out = []

    def walk(patterns, prefix: str, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                out.append((f"{ns}{p.name}", prefix + str(p.pattern), list(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "", "")
    return out


def operasi_api() -> dict[str, set[str]]:
    """OpenAPI path → methods, from drf-spectacular's generated schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {path: {m for m in ops if m in ("get", *WRITE_METHODS)} for path, ops in schema["paths"].items()}


def _openapi_path(pattern: str) -> str:
    # drf-spectacular names a ``pk`` parameter ``id``
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern).replace("{pk}", "{id}")


def masuk(client: Client, user) -> None:
    """Sign a test client in as ``user``, second factor included for the roles that need it."""
    from tests.conftest import masuk as masuk_2fa

    masuk_2fa(client, user)


# ---------------------------------------------------------------- data, built once


def _bangli_family(desa, banjar) -> dict[str, int]:
    from presisi.registry.models import Bangunan, Individu, Keluarga, RumahTangga

    common = {"desa": desa, "banjar": banjar, "sintetis": True}
    b = Bangunan.objects.create(kode="BGL-0001", **common)
    rt = RumahTangga.objects.create(kode="RT-BGL-0001", bangunan=b, **common)
    kk = Keluarga.objects.create(no_kk="5106019900000001", **common)
    person = Individu.objects.create(nik="5106015505900001", nama="Warga Bangli", jenis_kelamin=2,
                                     tanggal_lahir=dt.date(1990, 5, 15), hubungan_keluarga=1, keluarga=kk,
                                     rumah_tangga=rt, **common)
    return {"keluarga": kk.pk, "individu": person.pk, "rumah_tangga": rt.pk, "bangunan": b.pk}


def _records(desa) -> dict[str, int]:
    from presisi.registry.models import Bangunan, Individu

    person = Individu.objects.filter(desa=desa, rumah_tangga__isnull=False).order_by("pk").first()
    return {"keluarga": person.keluarga_id, "individu": person.pk, "rumah_tangga": person.rumah_tangga_id,
            "bangunan": Bangunan.objects.filter(desa=desa).order_by("pk").values_list("pk", flat=True).first()}


def _job_and_finding(desa, periode) -> dict[str, int]:
    from presisi.imports.models import Impor
    from presisi.validation.models import AturanValidasi, Temuan

    job = Impor.objects.create(desa=desa, periode=periode, nama_berkas=f"desa-{desa.kode}.xlsx", sha256="0" * 64,
                               status=Impor.SELESAI, dry_run=True)
    aturan = AturanValidasi.objects.order_by("pk").first()
    temuan = Temuan.objects.create(desa=desa, periode=periode, aturan=aturan, unit=aturan.unit, kolom="umur",
                                   nilai="1", pesan="uji matriks", keparahan="warning")
    return {"impor": job.pk, "temuan": temuan.pk}


def _permintaan(individu_id: int) -> int:
    from django.utils import timezone

    from presisi.privasi.models import PermintaanPerbaikan
    from presisi.registry.models import Individu

    person = Individu.objects.get(pk=individu_id)
    now = timezone.now()
    return PermintaanPerbaikan.objects.create(
        individu=person, desa=person.desa, pemohon="Subjek sendiri", kanal=PermintaanPerbaikan.KANAL_CHOICES[0][0],
        kolom="nama", uraian="uji matriks", diterima_pada=now, tenggat=now + dt.timedelta(days=3)).pk


def _insiden() -> int:
    from django.utils import timezone

    from presisi.privasi.models import InsidenPelanggaran

    now = timezone.now()
    return InsidenPelanggaran.objects.create(judul="uji matriks", ditemukan_pada=now,
                                             tenggat=now + dt.timedelta(days=3), uraian="uji").pk


def _tautan(desa, periode, individu_id: int) -> dict[str, int]:
    """Record linkage (issue #12): one row to review of a dinsos dataset and one duplicate pair in ``desa``."""
    from presisi.dictionary.models import Sektor
    from presisi.integration.models import BarisSumber, DatasetSektor, KandidatTautan, PasanganGanda, Pengiriman
    from presisi.registry.models import Individu

    ds, _ = DatasetSektor.objects.get_or_create(kode="matriks-dinsos", defaults={
        "nama": "uji matriks", "sektor": Sektor.objects.get(kode="dinsos"), "unit": "individu"})
    kirim = Pengiriman.objects.create(dataset=ds, periode=periode, versi=Pengiriman.objects.filter(
        dataset=ds).count() + 1, sumber=Pengiriman.CLI, sha256="0" * 64, jumlah_baris=1)
    person = Individu.objects.get(pk=individu_id)
    row = BarisSumber.objects.create(pengiriman=kirim, baris=1, desa=desa, kode_desa=desa.kode, nama=person.nama,
                                     kunci=f"{desa.kode:0>64}"[-64:], status_tautan="tinjau", individu=person, skor=0.7)
    KandidatTautan.objects.create(baris=row, individu=person, probabilitas=0.7, bobot_total=1.0, bobot=[])
    other = Individu.objects.filter(desa=desa).exclude(pk=person.pk).order_by("pk").first()
    if other is None:  # Bangli has one person: a second record of "the same" person
        other = Individu.objects.create(nik=person.nik[:-1] + "9", nama=person.nama,
                                        jenis_kelamin=person.jenis_kelamin, tanggal_lahir=person.tanggal_lahir,
                                        hubungan_keluarga=9, keluarga=person.keluarga, desa=desa,
                                        banjar=person.banjar, sintetis=True)
    a, b = sorted((person.pk, other.pk))
    pair = PasanganGanda.objects.create(individu_a_id=a, individu_b_id=b, desa=desa, probabilitas=0.6,
                                        bobot_total=0.5, bobot=[])
    return {"baris_tautan": row.pk, "ganda": pair.pk}
def _sektoral(periode) -> dict[str, object]:
    """A Dinsos dataset (the demo walidata's sector) with one delivery and one pull connector (issue #12)."""
    from presisi.dictionary.models import Sektor
    from presisi.integration.models import DatasetSektor, Konektor, Pengiriman

    ds = DatasetSektor.objects.create(kode="uji-matriks", nama="Uji matriks", sektor=Sektor.objects.get(kode="dinsos"),
                                      unit="individu")
    kiriman = Pengiriman.objects.create(dataset=ds, periode=periode, versi=1, sumber="unggah", sha256="0" * 64)
    konektor = Konektor.objects.create(dataset=ds, jenis="tarik", url="https://data.invalid/pkh.json")
    return {"dataset": ds.kode, "pengiriman": kiriman.pk, "konektor": konektor.pk}


def _lapisan() -> str:
    """One spatial layer (integration, issue #12 item 6) for the layer routes."""
    from presisi.integration.models import FiturSpasial, LapisanSpasial

    layer = LapisanSpasial.objects.create(kode="uji-lapisan", nama="Lapisan uji", jenis="bahaya", bahaya="tsunami")
    FiturSpasial.objects.create(lapisan=layer, urutan=1, kelas="tinggi", min_x=115.4, min_y=-8.56, max_x=115.41,
                                max_y=-8.55, geometri={"type": "Polygon", "coordinates": [
                                    [[115.4, -8.56], [115.41, -8.56], [115.41, -8.55], [115.4, -8.56]]]})
    return layer.kode


def _first_link(client: Client, url: str, pattern: str) -> tuple[str, str]:
    body = client.get(url).content.decode()
    found = re.search(pattern, body)
    assert found, f"no download link on {url}"
    return found.group(1), found.group(2)


@pytest.fixture(scope="module")
def situs(django_db_setup, django_db_blocker):
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from presisi.accounts.models import Profil
    from presisi.accounts.services import pengguna_create
    from presisi.dashboards.models import Dasbor
    from presisi.indicators.models import Indikator
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah
    from presisi.regions.services import wilayah_load_csv
    from presisi.updates.services import periode_buka
    from presisi.updates.workflow import SISTEM
    from presisi.validation.services import aturan_bawaan_sinkron
    from tests.browser.conftest import PASSWORD, build_site

    with django_db_blocker.unblock(), transaction.atomic():
        build_site()
        rows = [line for line in (settings.BASE_DIR / "data/bali/bali_wilayah.csv").read_text().splitlines()
                if line.split(",")[0] in BANGLI]
        wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + "\n".join(rows)
                         + f"\n{BANGLI[2]}.0001,Banjar Uji,banjar,{BANGLI[2]}\n")
        pengguna_create(username="walidata_dukcapil", password=PASSWORD + "-x9", peran=policy.WALIDATA,
                        wilayah_kode=Profil.objects.get(pengguna__username="walidata").wilayah.kode,
                        sektor=["dukcapil"])
        aturan_bawaan_sinkron()
        from presisi.integration.services.sasaran import program_bawaan_muat  # selisih/sasaran routes

        program_bawaan_muat()
        periode = periode_buka(kode="2027-S1", pengguna=SISTEM)
        own = Profil.objects.get(pengguna__username="operator").wilayah
        kec = own.induk
        desa_lain = Wilayah.objects.desa_kelurahan().filter(induk=kec).exclude(pk=own.pk).order_by("kode").first()
        kec_lain = (Wilayah.objects.desa_kelurahan().filter(induk__induk=kec.induk).exclude(induk=kec)
                    .order_by("kode").first())
        bangli = Wilayah.objects.get(kode=BANGLI[2])
        desa = dict(zip(TARGETS, (own, desa_lain, kec_lain, bangli), strict=True))
        ids: dict[str, dict[str, object]] = {}
        for target, w in desa.items():
            rec = (_bangli_family(w, Wilayah.objects.get(kode=f"{BANGLI[2]}.0001")) if target == "kabupaten_lain"
                   else _records(w))
            ids[target] = {"desa": w.kode, "wilayah": w.kode, **rec, **_job_and_finding(w, periode),
                           "perbaikan": _permintaan(rec["individu"]), **_tautan(w, periode, rec["individu"])}
        anon = Client(raise_request_exception=False)
        dasbor = Dasbor.objects.filter(aktif=True).order_by("urutan").values_list("kode", flat=True).first()
        tabel, fmt = _first_link(anon, f"/dasbor/{dasbor}/", rf"/dasbor/{dasbor}/unduh/([\w-]+)\.(\w+)")
        tabel_profil, _ = _first_link(anon, f"/dasbor/profil/{own.kode}/",
                                      rf"/dasbor/profil/{re.escape(own.kode)}/unduh/([\w-]+)\.(\w+)")
        sektoral = _sektoral(periode)
        umum = {**sektoral, "periode": periode.kode, "indikator": Indikator.objects.order_by("kode").first().kode,
                "dasbor": dasbor, "tabel": tabel, "tabel_profil": tabel_profil, "fmt": fmt, "aksi": "ajukan",
                "jenis": "mati", "teks": "x", "wilayah_publik": own.kode, "fmt_laporan": "xlsx",
                "aksi_perbaikan": "proses", "insiden": _insiden(),
                "program": "pkh", "lapisan": _lapisan()}
        clients = {ANONIM: anon}
        users = get_user_model().objects
        for peran in PERAN_MATRIKS[1:]:
            clients[peran] = Client(raise_request_exception=False)
            masuk(clients[peran], users.get(username=USERNAMES[peran]))
        assert Periode.objects.filter(kode=periode.kode).exists()
        # PostgreSQL queues a deferred foreign-key check for every row made above; each test's
        # teardown (SET CONSTRAINTS ALL IMMEDIATE inside its savepoint) would re-run them all and
        # roll them back (~2 s a test). Run them once, here, in the module's own transaction.
        connection.check_constraints()
        yield {"ids": ids, "umum": umum, "clients": clients, "desa": desa,
               "operasi": operasi_api()}
        transaction.set_rollback(True)


# ---------------------------------------------------------------- classifying answers


def kelas(response) -> str:
    code = response.status_code
    if code >= 500:
        return "E"
    if code == 404:
        return "H"
    if code == 405:
        return "N"
    if code in (401, 403):
        return "R"
    if code in (301, 302, 303, 307, 308) and "/login/" in response.get("Location", ""):
        return "R"
    return "A"


def _milik(peran: str, kode: str) -> bool:
    from django.contrib.auth import get_user_model

    from presisi.accounts.access import in_scope

    if peran == ANONIM:
        return True
    return in_scope(get_user_model().objects.get(username=USERNAMES[peran]), kode)


def _url(nama: str, kwargs_names: list[str], aturan, values: dict) -> str | None:
    if nama.startswith("admin:"):
        kwargs = {k: ADMIN_KWARGS.get(k, "1") for k in kwargs_names}
    else:
        kwargs = {k: values[aturan.param[k]] for k in kwargs_names}
    return reverse(nama, kwargs=kwargs)


def _request(client: Client, method: str, url: str):
    # a request may end or rotate the session (logout, sign-in): the next case keeps the signed-in cookie
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        elif method == "post":
            response = client.post(url, {})
        else:
            response = client.generic(method.upper(), url, "{}", content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def _methods(nama: str, pattern: str, aturan, operasi: dict[str, set[str]]) -> tuple[list[str], list[str]]:
    """The methods the route answers and the problems between the table and the schema."""
    problems = []
    api = _openapi_path(pattern)
    if api in operasi:
        ops = operasi[api]
        if ("get" in ops) != (aturan.baca is not None):
            problems.append(f"{nama}: GET in schema={'get' in ops}, row baca={aturan.baca!r}")
        if bool(ops - {"get"}) != (aturan.tulis is not None):
            problems.append(f"{nama}: writes in schema={sorted(ops - {'get'})}, row tulis={aturan.tulis!r}")
        return sorted(ops), problems
    methods = (["get"] if aturan.baca is not None else []) + (["post"] if aturan.tulis is not None else [])
    return methods, problems


def _cases(nama: str, pattern: str, kwargs_names: list[str], aturan, situs) -> list[tuple]:
    regional = any(aturan.param.get(k) in policy.REGIONAL for k in kwargs_names)
    methods, _ = _methods(nama, pattern, aturan, situs["operasi"]) if situs else ([], [])
    out = []
    for peran in PERAN_MATRIKS:
        for target in (TARGETS if regional and peran != ANONIM else TARGETS[:1]):
            for method in methods:
                out.append((peran, target, method))
    return out


ROUTES = semua_rute()


def test_every_route_and_operation_has_a_row(situs):
    missing = [f"{name}  ({pattern})" for name, pattern, _ in ROUTES if policy.aturan_untuk(name) is None]
    assert not missing, "routes without a row in presisi/accounts/policy.py:\n" + "\n".join(missing)
    problems = []
    patterns = {_openapi_path(pattern): name for name, pattern, _ in ROUTES}
    for path in situs["operasi"]:
        if path not in patterns:
            problems.append(f"OpenAPI path without a route: {path}")
    for name, pattern, kwargs in ROUTES:
        aturan = policy.aturan_untuk(name)
        problems += _methods(name, pattern, aturan, situs["operasi"])[1]
        unknown = [k for k in kwargs if not name.startswith("admin:") and k not in aturan.param]
        if unknown:
            problems.append(f"{name}: no kind for URL parameter(s) {unknown}")
    unused = [a.rute for a in policy.ATURAN if not any(fnmatch.fnmatchcase(n, a.rute) for n, _, _ in ROUTES)]
    problems += [f"row without a route: {r}" for r in unused]
    assert not problems, "\n".join(problems)
    total = sum(len(_cases(n, p, k, policy.aturan_untuk(n), situs)) for n, p, k in ROUTES)
    print(f"\naccess matrix: {len(ROUTES)} routes, {len(situs['operasi'])} OpenAPI paths, {total} cases")
    assert total > 1000


def test_docs_show_the_current_matrix():
    from django.conf import settings

    docs = (settings.BASE_DIR.parent / "docs" / "SECURITY.md").read_text()
    assert policy.tabel_markdown() in docs, "docs/SECURITY.md: paste presisi.accounts.policy.tabel_markdown()"


@pytest.mark.parametrize("nama,pattern,kwargs_names", ROUTES, ids=[r[0] for r in ROUTES])
def test_route_matches_matrix(situs, nama, pattern, kwargs_names):
    aturan = policy.aturan_untuk(nama)
    if aturan is None:
        pytest.fail(f"{nama} has no row in presisi/accounts/policy.py")
    unexpected = []
    seen: dict[tuple[str, str, bool], set[str]] = {}
    for peran, target, method in _cases(nama, pattern, kwargs_names, aturan, situs):
        values = {**situs["umum"], **situs["ids"][target]}
        url = _url(nama, kwargs_names, aturan, values)
        milik = _milik(peran, situs["ids"][target]["desa"])
        response = _request(situs["clients"][peran], method, url)
        got = kelas(response)
        tulis = method != "get"
        seen.setdefault((peran, "tulis" if tulis else "baca", milik), set()).add(got)
        want = aturan.harapan(tulis=tulis, peran=peran, milik=milik)
        if got != want:
            unexpected.append(f"{method.upper()} {url} as {peran} ({target}, {'own' if milik else 'foreign'}): "
                              f"{response.status_code} = {got}, table says {want}")
    if unexpected:
        observed = {}
        for op in ("baca", "tulis"):
            cells = []
            for peran in PERAN_MATRIKS:
                own = "|".join(sorted(seen.get((peran, op, True), {"-"})))
                foreign = "|".join(sorted(seen.get((peran, op, False), set())))
                cells.append(own + (f"/{foreign}" if foreign and foreign != own else ""))
            observed[op] = " ".join(cells)
        pytest.fail(f"{len(unexpected)} unexpected outcomes for {nama} (observed: {observed}):\n"
                    + "\n".join(unexpected[:40]))
