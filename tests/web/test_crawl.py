"""Every role follows every link it can reach after a demo import: no 5xx, no template error, no unlogged NIK.

One small synthetic regency (scale 0.02) with the demo users and one real import through the import
service (a file with residents missing and a finding) is built once for the module. Then each role
(and an anonymous visitor) crawls the site breadth-first from ``/`` and its landing page, plus the API
and import URLs that are not linked from HTML. Every response is recorded once; the two tests read
the record:

- the crawler test: no status >= 500, no template variable that failed to resolve, >= 200 URLs;
- the response scan: no full 16-digit NIK/KK of the registry in any body (HTML, JSON, CSV, the XML
  inside an XLSX) unless that same request wrote a row to the PDP processing log;
- the CSP scan: every response carries the Content-Security-Policy without 'unsafe-inline' or
  'unsafe-eval', and no HTML page holds inline code the policy would block (``<style>``, a
  ``style=`` attribute, an ``on*=`` handler, a ``<script>`` with a body, a ``javascript:`` URL).

The crawl is generic: new pages linked from any page are found without changing this test.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.template import engines
from django.test import Client

from tests.browser.conftest import build_site
from tests.conftest import masuk

INVALID = "@@TEMPLAT-TIDAK-VALID:%s@@"
ROLES = [None, "operator", "verifikator", "walidata", "analis", "admin"]
MAX_PER_ROLE = 170  # walidata without the population sector and the scoped admin reach fewer pages (issue #11);
# every role now starts from the same home links (dashboards, kecamatan, desa: issue #13), so a little more
MAX_PER_SHAPE = 3  # /registri/individu/<id>/ for three ids is enough; the bound goes to other pages
PAGING = {"hal", "page", "offset", "limit", "cursor", "halaman"}
SKIP_PATHS = ("/akun/logout/", "/i18n/", "/static/", "/media/")
HREF = re.compile(r"""href\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
DIGITS16 = re.compile(rb"(?<![0-9])[0-9]{16}(?![0-9])")
# Inline code a strict Content-Security-Policy blocks; each pattern names what it found.
INLINE = {
    "<style>": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style=": re.compile(r"<[a-z][^<>]*\sstyle\s*=", re.IGNORECASE),
    "on*=": re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.IGNORECASE),
    "<script>…</script>": re.compile(r"<script(?![^>]*\ssrc\s*=)[^>]*>\s*[^<\s]", re.IGNORECASE),
    "javascript:": re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE),
}
# the mark makes pytest-django create the test database; the module fixture holds the data
pytestmark = pytest.mark.django_db


@dataclass
class Kunjungan:
    peran: str
    url: str
    status: int
    jenis: str
    bocor: set[str] = field(default_factory=set)
    log_pdp: int = 0
    templat_rusak: list[str] = field(default_factory=list)
    csp: str | None = None
    inline: list[str] = field(default_factory=list)


def _demo_import(desa_kode: str) -> list[int]:
    """One real import of the operator's desa: a third of its people left out (missing residents),
    one unknown code (a finding). Run as a dry run and as a write, like an operator would."""
    from openpyxl import load_workbook

    from presisi.accounts.models import Profil
    from presisi.imports.export import ekspor_desa_xlsx
    from presisi.imports.services import impor_buat
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah
    from presisi.updates.services import periode_buka
    from presisi.updates.workflow import SISTEM

    desa = Wilayah.objects.get(kode=desa_kode)
    wb = load_workbook(io.BytesIO(ekspor_desa_xlsx(desa=desa)))
    ws = wb[[n for n in wb.sheetnames if "ndividu" in n or "enduduk" in n][0]]
    header = [c.value for c in ws[1]]
    rows = ws.max_row
    for r in range(rows, max(3, rows - rows // 3), -1):
        ws.delete_rows(r)
    if "pendidikan" in header:
        ws.cell(row=3, column=header.index("pendidikan") + 1, value=99)
    buf = io.BytesIO()
    wb.save(buf)
    operator = Profil.objects.get(pengguna__username="operator").pengguna
    # the site's published periods are closed (as in the demo); the operator works in a new open one
    periode = Periode.objects.filter(status=Periode.DIBUKA).first() or periode_buka(kode="2027-S1", pengguna=SISTEM)
    jobs = []
    for dry_run in (True, False):
        jobs.append(impor_buat(berkas=buf.getvalue(), nama_berkas=f"desa-{desa.kode}.xlsx", desa=desa,
                               periode=periode, pengguna=operator, dry_run=dry_run).pk)
    return jobs


def _seeds(jobs: list[int], desa_kode: str, kec_kode: str, periode: str) -> list[str]:
    """URLs no page links to (API, downloads) but a role can request."""
    from django.conf import settings
    from django.shortcuts import resolve_url

    # "/" and the landing page after login, then what no page links to
    urls = ["/", resolve_url(settings.LOGIN_REDIRECT_URL), "/api/v1/impor/", "/api/v1/validasi/temuan/",
            f"/api/v1/validasi/temuan/?desa={desa_kode}",
            f"/api/v1/desa/{desa_kode}/individu/", f"/api/v1/desa/{desa_kode}/keluarga/",
            f"/api/v1/desa/{desa_kode}/rumah-tangga/", f"/registri/desa/{desa_kode}/penduduk.xlsx",
            f"/api/v1/periode/{periode}/progres/", f"/api/v1/periode/{periode}/pengajuan/",
            f"/api/v1/periode/{periode}/pengajuan/{desa_kode}/", f"/api/v1/wilayah/{kec_kode}/profil/",
            "/api/v1/wilayah-adat/", "/api/v1/indikator/jumlah_penduduk/nilai/?kelompok=adat",
            f"/validasi/?desa={desa_kode}&periode={periode}", "/impor/", "/registri/", "/pemutakhiran/"]
    for job in jobs:
        urls += [f"/impor/{job}/", f"/impor/{job}/temuan.xlsx", f"/api/v1/impor/{job}/",
                 f"/api/v1/impor/{job}/temuan.xlsx"]
    return urls


def _privasi_seeds(desa_kode: str) -> list[str]:
    """The UU PDP pages with something in them: one correction request and one breach incident, and the
    subject report (page, file, API) of a resident of the operator's desa."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from presisi.privasi.services import insiden_catat, permintaan_catat
    from presisi.registry.models import Individu

    person = Individu.objects.filter(desa__kode=desa_kode).order_by("pk").first()
    admin = get_user_model().objects.get(username="admin")
    p = permintaan_catat(individu=person, pemohon="subjek sendiri", kanal="datang", kolom="pendidikan",
                         nilai_usulan="6", uraian="pendidikan keliru", pengguna=admin)
    i = insiden_catat(data={"judul": "Uji insiden", "ditemukan_pada": timezone.now(), "uraian": "uji",
                            "kategori_data": ["identitas"], "jumlah_subjek": 1}, pengguna=admin)
    return ["/privasi/", "/privasi/perbaikan/", f"/privasi/perbaikan/{p.pk}/", "/privasi/insiden/",
            f"/privasi/insiden/{i.pk}/", f"/privasi/subjek/{person.pk}/", f"/privasi/subjek/{person.pk}/laporan.xlsx",
            f"/api/v1/privasi/laporan-subjek/{person.pk}/", "/api/v1/privasi/perbaikan/", "/api/v1/privasi/insiden/"]


def _key(url: str) -> tuple[str, str]:
    """Pagination values collapse (one page of a list stands for all); other query values count."""
    parts = urlsplit(url)
    query = sorted((k, "*" if k in PAGING else v) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return parts.path, urlencode(query)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "#", path)


def _links(html: str, base: str) -> list[str]:
    out = []
    for raw in HREF.findall(html):
        href = raw.replace("&amp;", "&").strip()
        if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.netloc not in ("testserver", ""):
                continue
            href = parts.path + (f"?{parts.query}" if parts.query else "")
        elif href.startswith("?"):
            href = urlsplit(base).path + href
        elif not href.startswith("/"):
            href = urlsplit(base).path.rsplit("/", 1)[0] + "/" + href
        if not href.startswith(SKIP_PATHS):
            out.append(href)
    return out


def _text_of(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx and other zip files: scan every member (sheets, shared strings)
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                return b"\n".join(zf.read(name) for name in zf.namelist())
        except zipfile.BadZipFile:
            return body
    return body


def inline_code(html: str) -> list[str]:
    """What inline code (style, handlers, script bodies) an HTML page holds, with a short excerpt."""
    found = []
    for name, pattern in INLINE.items():
        match = pattern.search(html)
        if match:
            found.append(f"{name}: {html[match.start():match.end() + 40]!r}")
    return found


def _crawl(client: Client, peran: str, seeds: list[str], pribadi: set[bytes]) -> list[Kunjungan]:
    from presisi.core.models import AuditLog

    queue = deque(seeds)
    seen: set[tuple[str, str]] = set()
    shapes: dict[str, int] = {}
    out: list[Kunjungan] = []
    while queue and len(out) < MAX_PER_ROLE:
        url = queue.popleft()
        key = _key(url)
        shape = _shape(key[0])
        if key in seen or shapes.get(shape, 0) >= MAX_PER_SHAPE:
            continue
        seen.add(key)
        shapes[shape] = shapes.get(shape, 0) + 1
        before = AuditLog.objects.filter(aksi__startswith="pdp.").count()
        response = client.get(url)
        logged = AuditLog.objects.filter(aksi__startswith="pdp.").count() - before
        jenis = response.get("Content-Type", "").split(";")[0]
        body = _text_of(response)
        visit = Kunjungan(peran=peran, url=url, status=response.status_code, jenis=jenis, log_pdp=logged,
                          csp=response.get("Content-Security-Policy"))
        if jenis == "text/html":
            visit.inline = inline_code(body.decode("utf-8", "replace"))
        visit.bocor = {m.decode() for m in DIGITS16.findall(body) if m in pribadi}
        marker = INVALID.split("%s")[0].encode()
        if marker in body:
            visit.templat_rusak = sorted(set(re.findall(rb"@@TEMPLAT-TIDAK-VALID:([^@]*)@@", body)))
        out.append(visit)
        if response.status_code in (301, 302, 303, 307, 308):
            queue.appendleft(response["Location"])
        elif jenis == "text/html":
            queue.extend(_links(body.decode("utf-8", "replace"), url))
    return out


@pytest.fixture(scope="module")
def kunjungan(django_db_setup, django_db_blocker):
    """Build the demo regency, import once, crawl as every role; all in one transaction rolled back."""
    from django.contrib.auth import get_user_model

    from presisi.accounts.models import Profil
    from presisi.periods.models import Periode
    from presisi.registry.models import Individu, Keluarga

    engine = engines["django"].engine
    previous = engine.string_if_invalid
    with django_db_blocker.unblock(), transaction.atomic():
        build_site(sektor=True)  # sector datasets, a linked delivery, hazard layers (issue #12)
        operator = Profil.objects.select_related("wilayah").get(pengguna__username="operator")
        desa_kode = operator.wilayah.kode
        kec_kode = desa_kode.rsplit(".", 1)[0]
        jobs = _demo_import(desa_kode)
        periode = Periode.objects.order_by("-tanggal_referensi").values_list("kode", flat=True).first()
        pribadi = {n.encode() for n in Individu.objects.values_list("nik", flat=True) if n}
        pribadi |= {n.encode() for n in Keluarga.objects.values_list("no_kk", flat=True) if n}
        seeds = _seeds(jobs, desa_kode, kec_kode, periode) + _privasi_seeds(desa_kode)
        engine.string_if_invalid = INVALID
        try:
            visits: list[Kunjungan] = []
            for peran in ROLES:
                client = Client(raise_request_exception=False)
                if peran:
                    masuk(client, get_user_model().objects.get(username=peran))
                visits += _crawl(client, peran or "anonim", seeds, pribadi)
        finally:
            engine.string_if_invalid = previous
        yield {"kunjungan": visits, "jobs": jobs, "pribadi": pribadi}
        transaction.set_rollback(True)


def test_crawler_every_role_no_server_error(kunjungan):
    visits = kunjungan["kunjungan"]
    errors = [f"{v.status} {v.peran} {v.url}" for v in visits if v.status >= 500]
    broken = sorted({f"{v.templat_rusak} ({v.peran} {v.url})": None for v in visits if v.templat_rusak})
    assert not errors, "server errors:\n" + "\n".join(errors)
    assert not broken, "template variables that failed to resolve:\n" + "\n".join(broken)
    distinct = {v.url for v in visits}
    assert len(distinct) >= 200, f"only {len(distinct)} distinct URLs visited"
    for peran in ("operator", "verifikator", "walidata", "analis", "admin", "anonim"):
        assert any(v.peran == peran and v.status == 200 for v in visits), peran


def test_response_scan_no_unlogged_nik(kunjungan):
    visits = kunjungan["kunjungan"]
    leaks = [f"{v.peran} {v.url} ({v.jenis}): {sorted(v.bocor)[:3]} … {len(v.bocor)}"
             for v in visits if v.bocor and not v.log_pdp]
    assert not leaks, "full NIK/KK without a PDP log row:\n" + "\n".join(leaks)
    # the scan did see the import's pages and files, for the roles that may open them
    scanned = {v.url for v in visits if v.status == 200}
    assert any(u.startswith("/privasi/subjek/") and u.endswith("laporan.xlsx") for u in scanned)
    for job in kunjungan["jobs"]:
        assert f"/impor/{job}/temuan.xlsx" in scanned
        assert f"/api/v1/impor/{job}/" in scanned


def test_csp_header_strict_and_no_inline_code(kunjungan):
    """Every response carries the strict policy; no page needs what the policy forbids."""
    visits = kunjungan["kunjungan"]
    missing = [f"{v.status} {v.peran} {v.url}" for v in visits if not v.csp]
    weak = [f"{v.peran} {v.url}: {v.csp}" for v in visits
            if v.csp and ("'unsafe-inline'" in v.csp or "'unsafe-eval'" in v.csp)]
    inline = [f"{v.peran} {v.url}: {'; '.join(v.inline)}" for v in visits if v.inline]
    assert not missing, "responses without Content-Security-Policy:\n" + "\n".join(missing)
    assert not weak, "policy allows inline code or eval:\n" + "\n".join(weak)
    assert not inline, "inline code the policy blocks:\n" + "\n".join(inline)
    html = [v for v in visits if v.jenis == "text/html" and v.status == 200]
    assert len(html) >= 100, f"only {len(html)} HTML pages scanned"
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
        assert all(directive in v.csp for v in html), directive
