"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium), never a downloaded one.

They skip — with the reason — only when /usr/bin/chromium is missing. The site is a small synthetic
regency (the real generator when present, scale 0.02) with the standard indicators and dashboards
and two computed periods, served by pytest-django's ``live_server``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "presisi-demo"
ROLES = [None, "operator", "verifikator", "walidata", "analis", "admin"]
# Screenshots of every page go to var/screenshots (not tracked); set PRESISI_SCREENSHOTS=docs/screenshots
# to refresh the committed ones.
SCREENSHOTS = Path(__file__).resolve().parents[2] / os.environ.get("PRESISI_SCREENSHOTS", "var/screenshots")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: drives a real browser (Chromium) through Playwright")


def build_site(scale: float = 0.02, seed: int = 42, *, sektor: bool = False) -> dict:
    """Regions with boundaries, dictionary, synthetic people, indicators for two periods, dashboards, users.

    ``sektor``: also what ``presisi demo`` adds for sector integration (hazard layers before the
    indicators; an agency list delivered, linked and compared afterwards)."""
    from django.conf import settings

    from presisi.accounts.services import demo_users_create
    from presisi.dashboards.services import dasbor_load
    from presisi.dictionary.services import kamus_load
    from presisi.indicators.engine import hitung_indikator
    from presisi.indicators.services import indikator_load
    from presisi.periods.models import Periode
    from presisi.regions.services import wilayah_load_boundaries, wilayah_load_csv
    from tests.dashboards.conftest import terbitkan

    wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    wilayah_load_boundaries(data=Path(settings.PRESISI_BOUNDARY_FILE))
    kamus_load()
    _people(scale, seed)
    indikator_load()
    if sektor:
        from presisi.integration.demo import demo_lapisan_muat

        demo_lapisan_muat()
    for kode, ref in (("2026-S1", dt.date(2026, 6, 30)), ("2026-S2", dt.date(2026, 12, 31))):
        periode = Periode.objects.create(kode=kode, nama=kode, tanggal_mulai=ref - dt.timedelta(days=180),
                                         tanggal_referensi=ref)
        hitung_indikator(periode=periode)
        terbitkan(periode)  # the public sees published data only (issue #10)
    # as in `presisi demo`: published periods are closed, so their final lock does not freeze the live registry
    Periode.objects.update(status=Periode.DITUTUP)
    dasbor_load()
    demo_users_create(password=PASSWORD)
    if sektor:
        from presisi.integration.demo import demo_sektor_muat

        demo_sektor_muat(periode_kode="2026-S2")
    from presisi.dashboards.models import Dasbor

    return {"dasbor": list(Dasbor.objects.filter(aktif=True).order_by("urutan").values_list("kode", flat=True))}


def _people(scale: float, seed: int) -> None:
    try:
        from presisi.synth.services import synth_generate
    except ImportError:  # the generator is not in this tree yet: a few hand-made households instead
        from presisi.regions.services import wilayah_load_csv
        from tests.dashboards.conftest import BANJAR, household

        rows = "".join(f"{code},{name},banjar,{code.rsplit('.', 1)[0]}\n" for code, name in BANJAR.values())
        wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows)
        household("A1", [(30, 1), (32, 2), (2, 1), (7, 2), (70, 1), (80, 2)], sumber_air_minum=3)
        household("A2", [(20 + i, 1 + i % 2) for i in range(10)], sumber_air_minum=4)
        return
    synth_generate(scale=scale, seed=seed)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
    # Playwright's sync API keeps an event loop in this thread while the module runs; the test thread's
    # own ORM calls (data set-up, the transactional flush) are synchronous and safe. Restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(browser, live_server):
    return {"url": live_server.url, **build_site()}


# Every page of every context reports Content-Security-Policy violations here (the DOM event and
# Chromium's console line); a test that saw one fails at teardown, naming the page and directive.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__presisiCsp([e.violatedDirective, e.blockedURI || "inline", e.sourceFile || "", e.lineNumber,
                       (e.sample || "").slice(0, 80), location.href].join(" | "));
});
"""


def watch_csp(context, violations: list[str]) -> None:
    context.expose_binding("__presisiCsp", lambda source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)

    def console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"console {message.type}: {message.text[:300]}")

    context.on("console", console)


@pytest.fixture
def open_as(browser, site):
    """A fresh browser context (own cookies) signed in as a demo role, or public for None.

    Every page it opens is watched for Content-Security-Policy violations: any one fails the test."""
    contexts = []
    violations: list[str] = []

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import kode_totp

    def make(role: str | None, *, width: int = 1100, height: int = 800):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID",
                                      accept_downloads=True)
        watch_csp(context, violations)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role:
            page.goto(f"{site['url']}/akun/login/")
            page.fill("#id_username", role)
            page.fill("#id_password", PASSWORD)
            page.click("form.stack button[type=submit]")
            page.wait_for_load_state()
            assert "/akun/login/" not in page.url, f"login failed for {role}"
            if "/akun/2fa/verifikasi/" in page.url:
                # walidata, analis, admin: the second step, with the code an authenticator app would show
                page.fill("#id_kode", kode_totp(TOTPDevice.objects.get(user__username=role, confirmed=True)))
                page.click("form.stack button[type=submit]")
                page.wait_for_load_state()
                assert "/akun/2fa/" not in page.url, f"two-step verification failed for {role}"
        return page

    make.violations = violations
    yield make
    for context in contexts:
        for page in context.pages:
            with contextlib.suppress(Exception):  # a page the test closed: its events are in already
                page.evaluate("0")  # one round trip: pending violation reports arrive first
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations))


def save_screenshot(page, name: str, *, tinggi: int | None = None) -> Path:
    """A small PNG of the visible page (256-colour palette) for docs/screenshots/; ``tinggi``: the
    whole page from the top, cut at that many pixels."""
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if tinggi:
        size = page.viewport_size
        full = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": size["width"], "height": min(full, tinggi)})
    else:
        page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path
