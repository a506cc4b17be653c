"""Dashboard load benchmark: every dashboard and the village profile under 20 concurrent clients.

    .venv/bin/python -m benchmarks.dashboard_bench [--scale 1.0] [--clients 20] [--requests 2000]
                                                  [--seconds 90] [--rebuild] [--screenshots]

1. A scratch SQLite file (var/bench_dasbor.sqlite3) with the full synthetic regency: regions and
   boundaries, dictionary, ``synth`` at the given scale (seed 42), the standard indicators computed
   for two periods, the standard dashboards, the demo users. Reused when complete (``--rebuild``).
2. gunicorn (2 sync workers) serves the app on 127.0.0.1 only; a thin WSGI wrapper reports each
   request's server time (entry → response headers) in an ``X-Server-Ms`` header.
3. Client threads (another process) request the pages — public and signed in — bounded by request
   count and time; after a warm-up the server and client times are summarised (p50/p95/p99).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from benchmarks.common import REPO, SHARED, machine, scratch_database

DB_NAME = "bench_dasbor"
TARGET_P95_MS = 300.0


# --- the WSGI app gunicorn runs (imported in the server process only) --------------------------------------


class _TimedApp:
    """Django's WSGI app, with the time spent until the response headers added as ``X-Server-Ms``."""

    def __init__(self):
        self._app = None

    def __call__(self, environ, start_response):
        if self._app is None:
            from django.core.wsgi import get_wsgi_application

            self._app = get_wsgi_application()
        started = time.perf_counter()

        def timed_start_response(status, headers, exc_info=None):
            headers = [*headers, ("X-Server-Ms", f"{(time.perf_counter() - started) * 1000:.2f}")]
            return start_response(status, headers, exc_info)

        return self._app(environ, timed_start_response)


timed_app = _TimedApp()


# --- 1. the database -----------------------------------------------------------------------------------------


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "presisi.settings",
            "PYTHONPATH": str(REPO), "DEBUG": "0", "LOG_LEVEL": "ERROR"}


def _presisi(env: dict[str, str], *args: str) -> None:
    # --skip-checks goes before a subcommand's own arguments (commands with subparsers reject it after)
    subprocess.run([sys.executable, "-m", "presisi.cli", args[0], "--skip-checks", *args[1:]], cwd=REPO, env=env,
                   check=True, stdout=subprocess.DEVNULL)


SETUP_PERIODS = """
import datetime as dt, django
django.setup()
from presisi.periods.models import Periode
for kode, ref in (("2026-S1", dt.date(2026, 6, 30)), ("2026-S2", dt.date(2026, 12, 31))):
    Periode.objects.get_or_create(kode=kode, defaults={"nama": kode, "tanggal_referensi": ref,
                                                         "tanggal_mulai": ref - dt.timedelta(days=180)})
"""


def prepare_database(scale: float, rebuild: bool) -> tuple[str, dict[str, float]]:
    path = REPO / "var" / f"{DB_NAME}.sqlite3"
    marker = path.with_suffix(f".scale-{scale:g}.ok")
    url = f"sqlite:///{path}"
    if marker.exists() and path.exists() and not rebuild:
        _presisi(_env(url), "migrate", "--noinput")  # a reused database may predate new migrations
        return url, {}
    marker.unlink(missing_ok=True)
    url = scratch_database("sqlite", DB_NAME)
    env = _env(url)
    times: dict[str, float] = {}
    steps = [("migrate", ["migrate", "--noinput"]), ("wilayah", ["wilayah", "load"])]
    if (SHARED / "klungkung_desa.geojson").exists():
        steps.append(("batas", ["wilayah", "boundaries", str(SHARED / "klungkung_desa.geojson")]))
    steps += [("kamus", ["kamus", "load"]), ("synth", ["synth", "--scale", str(scale), "--seed", "42",
                                                       "--no-progress"]),
              ("indikator", ["indikator", "load"])]
    for name, args in steps:
        started = time.perf_counter()
        _presisi(env, *args)
        times[name] = round(time.perf_counter() - started, 1)
    subprocess.run([sys.executable, "-c", SETUP_PERIODS], cwd=REPO, env=env, check=True)
    for name, args in (("hitung", ["indikator", "hitung", "--semua-periode"]), ("dasbor", ["dasbor", "load"]),
                       ("pengguna", ["pengguna", "demo"])):
        started = time.perf_counter()
        _presisi(env, *args)
        times[name] = round(time.perf_counter() - started, 1)
    marker.write_text(json.dumps(times))
    return url, times


# --- 2. the server -------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**_env(database_url), "ALLOWED_HOSTS": "127.0.0.1"}
    subprocess.run([sys.executable, "-m", "presisi.cli", "collectstatic", "--noinput", "--verbosity", "0"],
                   cwd=REPO, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "benchmarks.dashboard_bench:timed_app", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=REPO, env=env)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


# --- 3. the clients ------------------------------------------------------------------------------------------


def _request(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "",
             headers: dict | None = None) -> tuple[int, dict[str, str], bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    hdrs = {"Accept-Encoding": "gzip", "Accept-Language": "id", **(headers or {})}
    if cookie:
        hdrs["Cookie"] = cookie
    conn.request(method, path, body=body or None, headers=hdrs)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed
    conn.close()
    return result


def _cookies(headers: dict[str, str], raw_headers: list[str] | None = None) -> dict[str, str]:
    out = {}
    for part in (raw_headers or [headers.get("set-cookie", "")]):
        for m in re.finditer(r"(csrftoken|sessionid)=([^;,\s]+)", part):
            out[m.group(1)] = m.group(2)
    return out


def login(port: int, username: str, password: str = "presisi-demo") -> str:
    """A session cookie for a demo user (through the real login form)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/akun/login/")
    r = conn.getresponse()
    page = r.read().decode()
    csrf = _cookies({}, r.headers.get_all("Set-Cookie") or [])["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    conn.request("POST", "/akun/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
        "Referer": f"http://127.0.0.1:{port}/akun/login/"})
    r = conn.getresponse()
    r.read()
    session = _cookies({}, r.headers.get_all("Set-Cookie") or []).get("sessionid")
    conn.close()
    if not session:
        raise RuntimeError(f"login failed for {username}")
    return f"sessionid={session}; csrftoken={csrf}"


def page_list(dasbor: list[str]) -> list[tuple[str, str]]:
    """(kind, path): every dashboard at every level, and village profiles."""
    places = ["", "51.05.01", "51.05.03", "51.05.01.2001", "51.05.02.2001", "51.05.01.2001.001"]
    pages = []
    for kode in dasbor:
        for where in places:
            level = {0: "kabupaten", 8: "kecamatan", 13: "desa", 17: "banjar"}.get(len(where), "kabupaten")
            pages.append((f"dasbor/{level}", f"/dasbor/{kode}/" + (f"?wilayah={where}" if where else "")))
        pages.append(("dasbor/banding+indikator", f"/dasbor/{kode}/?wilayah=51.05.02&periode=2026-S1&banding="))
    for desa in ("51.05.01.2001", "51.05.02.2001", "51.05.03.2001", "51.05.04.2001"):
        pages.append(("profil", f"/dasbor/profil/{desa}/"))
    return pages


def drive(port: int, pages: list[tuple[str, str]], cookies: list[str], clients: int, total: int,
          seconds: float) -> dict:
    results: list[tuple[str, int, float, float | None]] = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + seconds

    def worker(i: int) -> None:
        cookie = cookies[i % len(cookies)]
        j = i
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            kind, path = pages[j % len(pages)]
            j += clients
            try:
                status, headers, _body, client_ms = _request(port, path, cookie)
                server_ms = float(headers.get("x-server-ms", "nan"))
            except OSError:
                status, client_ms, server_ms = 0, float("nan"), None
            with lock:
                results.append((kind, status, client_ms, server_ms))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return summarise(results, wall)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 1)


def summarise(results: list[tuple[str, int, float, float | None]], wall: float) -> dict:
    ok = [r for r in results if r[1] == 200]
    server = [r[3] for r in ok if r[3] is not None]
    client = [r[2] for r in ok]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _s, _c, server_ms in ok:
        if server_ms is not None:
            by_kind[kind].append(server_ms)
    return {
        "requests": len(results), "errors": len(results) - len(ok), "seconds": round(wall, 1),
        "per_second": round(len(results) / wall, 1) if wall else 0,
        "server_ms": {"p50": _pct(server, 50), "p95": _pct(server, 95), "p99": _pct(server, 99),
                      "mean": round(statistics.fmean(server), 1) if server else None},
        "client_ms": {"p50": _pct(client, 50), "p95": _pct(client, 95), "p99": _pct(client, 99)},
        "server_ms_by_page": {k: {"n": len(v), "p50": _pct(v, 50), "p95": _pct(v, 95)} for k, v in
                              sorted(by_kind.items())},
    }


def screenshots(port: int, cookie: str) -> list[str]:
    """README screenshots from the full regency (Debian's Chromium via Playwright, if both are present)."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        return []
    from playwright.sync_api import sync_playwright

    out = []
    name, value = cookie.split(";")[0].split("=", 1)
    shots = [("readme-dasbor-kemiskinan", "/dasbor/kemiskinan/", 1280, 1000),
             ("readme-profil-desa", "/dasbor/profil/51.05.01.2001/", 1280, 1000)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for file, path, width, height in shots:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
            context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}{path}")
            target = REPO / "docs" / "screenshots" / f"{file}.png"
            page.screenshot(path=str(target))
            _shrink(target)
            out.append(str(target.relative_to(REPO)))
            context.close()
        browser.close()
    return out


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--screenshots", action="store_true", help="Also save the two README screenshots.")
    args = parser.parse_args(argv)

    database_url, build = prepare_database(args.scale, args.rebuild)
    server, port = start_server(database_url, args.workers)
    try:
        dasbor = ["kemiskinan", "layanan-dasar", "infrastruktur", "pariwisata", "lingkungan", "kebencanaan",
                  "kepulauan"]
        pages = page_list(dasbor)
        cookies = ["", login(port, "analis"), login(port, "operator"), "", login(port, "verifikator")]
        # warm-up: every page a few times, so each worker has its geometry cache and compiled templates
        drive(port, pages, cookies, clients=4, total=len(pages) * 3, seconds=120)
        result = drive(port, pages, cookies, args.clients, args.requests, args.seconds)
        if args.screenshots:
            result["screenshots"] = screenshots(port, cookies[1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update({"machine": machine(), "scale": args.scale, "clients": args.clients,
                   "workers": f"gunicorn {args.workers} sync workers", "pages": len(pages), "build_seconds": build,
                   "target_p95_ms": TARGET_P95_MS, "p95_ok": result["server_ms"]["p95"] <= TARGET_P95_MS})
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
